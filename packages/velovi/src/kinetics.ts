// veloVI's transcriptional kinetics in closed form (velovi/_module.py, _get_induction_unspliced_spliced
// and _get_repression_unspliced_spliced), as differentiable tensor ops.
//
//   du/dt = α(t) − β u,   ds/dt = β u − γ s,   u(0) = s(0) = 0 in induction
//
//   induction, constant α (veloVI's default):
//     u(t) = α/β (1 − e^{−βt})
//     s(t) = α/γ (1 − e^{−γt}) + α/(γ − β + ε) (e^{−γt} − e^{−βt})
//   induction, α(t) = α₁ − (α₁ − α₀) e^{−λt} (time_dep_transcription_rate):
//     u(t) = α₁/β (1 − e^{−βt}) − (α₁ − α₀)/(β − λ) (e^{−λt} − e^{−βt})
//     s(t) = α₁/γ (1 − e^{−γt}) + α₁/(γ − β + ε) (e^{−γt} − e^{−βt})
//            − β(α₁ − α₀)/(β − λ + ε)/(γ − λ + ε) (e^{−λt} − e^{−γt})
//            + β(α₁ − α₀)/(β − λ + ε)/(γ − β + ε) (e^{−βt} − e^{−γt})
//   repression from (u₀, s₀), α = 0:
//     u(t) = u₀ e^{−βt}
//     s(t) = s₀ e^{−γt} − β u₀/(γ − β + ε) (e^{−γt} − e^{−βt})
//
// ε = 1e-6 as in veloVI (it keeps γ = β finite). The operations follow velovi's order, so float32
// results round as torch's do. Every argument broadcasts (rates are per gene [G], times [B, G]).
import * as t from '@vitae/tensor';

import type { Tensor } from '@vitae/tensor';

/** veloVI's ε in the 1/(γ − β) terms. */
export const KINETICS_EPS = 1e-6;

/** The four transcriptional states of veloVI, in the order of its Dirichlet / mixture axis. */
export const STATES = ['induction', 'induction_steady', 'repression', 'repression_steady'] as const;
export type State = (typeof STATES)[number];

export interface UnsplicedSpliced {
  u: Tensor;
  s: Tensor;
}

/** The time-dependent transcription rate α(t) = α₁ − (α₁ − α₀) e^{−λt}; null for veloVI's constant α. */
export interface TimeDependentRate {
  alpha1: Tensor;
  lambdaAlpha: Tensor;
}

function checkTensors(fn: string, args: Record<string, unknown>): void {
  for (const [name, x] of Object.entries(args)) {
    if (!(x instanceof t.Tensor) || x.isDisposed || x.dtype !== 'float32') throw new TypeError(`${fn}: argument '${name}' must be a live float32 Tensor, got ${t.describeValue(x)}`);
  }
}

/** u(t), s(t) in induction from (0, 0) with rates alpha, beta, gamma (and α(t) when `timeDependent` is given). */
export function induction(alpha: Tensor, beta: Tensor, gamma: Tensor, time: Tensor, timeDependent: TimeDependentRate | null = null, eps = KINETICS_EPS): UnsplicedSpliced {
  checkTensors('induction', { alpha, beta, gamma, time, ...(timeDependent === null ? {} : { 'timeDependent.alpha1': timeDependent.alpha1, 'timeDependent.lambdaAlpha': timeDependent.lambdaAlpha }) });
  const out = t.tidy(() => {
    const expBeta = t.exp(t.mul(t.neg(beta), time));
    const expGamma = t.exp(t.mul(t.neg(gamma), time));
    const gammaMinusBeta = t.add(t.sub(gamma, beta), eps);
    if (timeDependent === null) {
      const u = t.mul(t.div(alpha, beta), t.sub(1, expBeta));
      const s = t.add(t.mul(t.div(alpha, gamma), t.sub(1, expGamma)), t.mul(t.div(alpha, gammaMinusBeta), t.sub(expGamma, expBeta)));
      return { u, s };
    }
    const { alpha1, lambdaAlpha } = timeDependent;
    const expLambda = t.exp(t.mul(t.neg(lambdaAlpha), time));
    const delta = t.sub(alpha1, alpha);
    // velovi leaves ε out of this one denominator.
    const u = t.sub(t.mul(t.div(alpha1, beta), t.sub(1, expBeta)), t.mul(t.div(delta, t.sub(beta, lambdaAlpha)), t.sub(expLambda, expBeta)));
    const betaMinusLambda = t.add(t.sub(beta, lambdaAlpha), eps);
    const gammaMinusLambda = t.add(t.sub(gamma, lambdaAlpha), eps);
    const betaDelta = t.mul(beta, delta);
    const s = t.add(
      t.sub(
        t.add(t.mul(t.div(alpha1, gamma), t.sub(1, expGamma)), t.mul(t.div(alpha1, gammaMinusBeta), t.sub(expGamma, expBeta))),
        t.mul(t.div(t.div(betaDelta, betaMinusLambda), gammaMinusLambda), t.sub(expLambda, expGamma)),
      ),
      t.mul(t.div(t.div(betaDelta, betaMinusLambda), gammaMinusBeta), t.sub(expBeta, expGamma)),
    );
    return { u, s };
  });
  return out;
}

/** u(t), s(t) in repression (α = 0) from (u0, s0) reached at the switch, t counted from the switch. */
export function repression(u0: Tensor, s0: Tensor, beta: Tensor, gamma: Tensor, time: Tensor, eps = KINETICS_EPS): UnsplicedSpliced {
  checkTensors('repression', { u0, s0, beta, gamma, time });
  return t.tidy(() => {
    const expBeta = t.exp(t.mul(t.neg(beta), time));
    const expGamma = t.exp(t.mul(t.neg(gamma), time));
    const u = t.mul(expBeta, u0);
    const s = t.sub(t.mul(s0, expGamma), t.mul(t.div(t.mul(beta, u0), t.add(t.sub(gamma, beta), eps)), t.sub(expGamma, expBeta)));
    return { u, s };
  });
}
