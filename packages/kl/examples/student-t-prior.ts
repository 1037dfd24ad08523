// A user-defined prior living outside vitae: a Student-t distribution written against the public
// API of @vitae/distributions, plugged into @vitae/kl in the two ways a user can:
//
//   1. registerKL(Normal, StudentT, klNormalStudentT): a deterministic, differentiable value by
//      Gauss–Hermite quadrature of E_N[log N(x) - log t(x)] (no closed form exists);
//   2. no registration at all: klDivergence(q, prior, { fallback: 'mc', samples, seed }).
//
// Run it (after pnpm build): cd packages/kl && npx tsx examples/student-t-prior.ts
import { Distribution, expandTo, handOver, Normal, prepareParams, constraints } from '@vitae/distributions';
import { klDivergence, registerKL } from '@vitae/kl';
import * as t from '@vitae/tensor';

import type { Constraint, DistributionOptions } from '@vitae/distributions';
import type { Tensor, TensorInput } from '@vitae/tensor';

/** Student-t(df ν, loc μ, scale σ): density Γ((ν+1)/2) / (Γ(ν/2) √(νπ) σ) · (1 + z²/ν)^(-(ν+1)/2). */
export class StudentT extends Distribution {
  static override readonly argConstraints: Readonly<Record<string, Constraint>> = {
    df: constraints.positive,
    loc: constraints.real,
    scale: constraints.positive,
  };
  readonly df: Tensor;
  readonly loc: Tensor;
  readonly scale: Tensor;

  constructor(df: TensorInput, loc: TensorInput, scale: TensorInput, options?: DistributionOptions) {
    const p = prepareParams('StudentT', { df, loc, scale });
    super(p.batchShape, [], options);
    this.df = p.tensors.df as Tensor;
    this.loc = p.tensors.loc as Tensor;
    this.scale = p.tensors.scale as Tensor;
    this.adopt(p);
  }

  get support(): Constraint {
    return constraints.real;
  }

  override get hasRsample(): boolean {
    return true;
  }

  /** loc + scale · ε / √(g / ν), ε ~ N(0, 1), g ~ χ²(ν) = 2 · Gamma(ν/2). */
  protected override rsampleImpl(shape: number[], seed: number): Tensor {
    const full = this.extendedShape(shape);
    const [s1, s2] = t.splitSeed(seed, 2) as [number, number];
    const eps = t.randomNormal(full, { seed: s1 });
    const chi2 = t.mul(t.randomGamma(full, t.broadcastTo(t.mul(this.df, 0.5), full), { seed: s2 }), 2);
    return t.add(this.loc, t.mul(this.scale, t.div(eps, t.sqrt(t.div(chi2, this.df)))));
  }

  protected logProbImpl(x: Tensor): Tensor {
    const nu = this.df;
    const z = t.div(t.sub(x, this.loc), this.scale);
    const halfNuPlus1 = t.mul(t.add(nu, 1), 0.5);
    const norm = t.sub(t.sub(t.lgamma(halfNuPlus1), t.lgamma(t.mul(nu, 0.5))), t.add(t.mul(t.log(t.mul(nu, Math.PI)), 0.5), t.log(this.scale)));
    return t.sub(norm, t.mul(halfNuPlus1, t.log1p(t.div(t.square(z), nu))));
  }

  override get mean(): Tensor {
    return t.tidy(() => t.where(t.greater(this.df, 1), this.loc, t.fill(this.loc.shape, NaN)));
  }

  /** scale² ν / (ν - 2) for ν > 2, ∞ for 1 < ν <= 2. */
  override get variance(): Tensor {
    return t.tidy(() => {
      const v = t.div(t.mul(t.square(this.scale), this.df), t.sub(this.df, 2));
      return t.where(t.greater(this.df, 2), v, t.fill(v.shape, Infinity));
    });
  }

  expand(batchShape: readonly number[]): StudentT {
    const shape = this.checkExpandShape(batchShape);
    const [df, loc, scale] = [this.df, this.loc, this.scale].map((x) => expandTo(x, shape)) as [Tensor, Tensor, Tensor];
    return handOver(new StudentT(df, loc, scale, { validateArgs: false }), [df, loc, scale]);
  }
}

/**
 * Nodes and weights of n-point Gauss–Hermite quadrature, ∫ e^(-x²) f(x) dx ≈ Σ w_i f(x_i):
 * Newton's method on the orthonormal Hermite recurrence from the classical initial guesses.
 */
export function gaussHermite(n: number): { nodes: number[]; weights: number[] } {
  const nodes = new Array<number>(n).fill(0);
  const weights = new Array<number>(n).fill(0);
  const PIM4 = Math.PI ** -0.25;
  let z = 0;
  for (let i = 0; i < Math.floor((n + 1) / 2); i++) {
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * (2 * n + 1) ** -0.16667;
    else if (i === 1) z -= (1.14 * n ** 0.426) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * (nodes[0] as number);
    else if (i === 3) z = 1.91 * z - 0.91 * (nodes[1] as number);
    else z = 2 * z - (nodes[i - 2] as number);
    let pp = 0;
    for (let iter = 0; iter < 100; iter++) {
      let p1 = PIM4;
      let p2 = 0;
      for (let j = 1; j <= n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / j) * p2 - Math.sqrt((j - 1) / j) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const dz = p1 / pp;
      z -= dz;
      if (Math.abs(dz) < 1e-15) break;
    }
    nodes[i] = z;
    nodes[n - 1 - i] = -z;
    weights[i] = 2 / (pp * pp);
    weights[n - 1 - i] = weights[i] as number;
  }
  return { nodes, weights };
}

const QUADRATURE = gaussHermite(64);

/**
 * KL(N(μ, σ²) || StudentT) = -H(N) - E_N[log t(x)], the expectation by 64-point Gauss–Hermite
 * quadrature at x_i = μ + √2 σ ξ_i (differentiable in every parameter of both sides).
 */
export function klNormalStudentT(p: Normal, q: StudentT): Tensor {
  const k = QUADRATURE.nodes.length;
  const nodes = t.reshape(t.tensor(QUADRATURE.nodes), [k, ...p.batchShape.map(() => 1)]);
  const weights = t.reshape(t.tensor(QUADRATURE.weights.map((w) => w / Math.sqrt(Math.PI))), [k, ...p.batchShape.map(() => 1)]);
  const x = t.add(p.loc, t.mul(t.mul(p.scale, Math.SQRT2), nodes));
  const expectedLogQ = t.sum(t.mul(weights, q.logProb(x)), 0);
  return t.sub(t.neg(p.entropy()), expectedLogQ);
}

/** Registers the pair; returns the function that removes the registration again. */
export function registerStudentTPrior(): () => void {
  return registerKL(Normal, StudentT, klNormalStudentT);
}

// When run directly: compare the registered quadrature value with the Monte Carlo fallback.
if (import.meta.url === `file://${process.argv[1]}`) {
  await t.ready();
  const q = new Normal([0.3, -1], [0.8, 1.5]);
  const prior = new StudentT(3, 0, 1);
  const mc = klDivergence(q, prior, { fallback: 'mc', samples: 100_000, seed: 1 });
  const unregister = registerStudentTPrior();
  const closed = klDivergence(q, prior);
  console.log('KL(Normal || StudentT(3)) quadrature:', Array.from(closed.dataSync()), ' Monte Carlo:', Array.from(mc.dataSync()));
  unregister();
}
