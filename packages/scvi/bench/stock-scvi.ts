// scVI's training step written the way a tfjs user without vitae would write it: stock ops only
// (through @vitae/tensor's re-exports), tfjs' own Adam, the matMul gradient as tfjs 4.22 computes
// it (products with a transposed operand), and lgamma composed from elementary ops (Stirling's
// series after shifting the argument by 6), its gradient left to autodiff. The baseline column
// of `pnpm bench`; same architecture and sizes as SCVIModule with scvi-tools' defaults.
import * as vt from '@vitae/tensor';

import type { Tensor, Variable } from '@vitae/tensor';

const EPS = 1e-8;
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** x W with tfjs 4.22's gradient: dW = xᵀ dy and dx = dy Wᵀ as transposed products. */
function matMulStock(x: Tensor, w: Tensor): Tensor {
  // The inputs go through `save`: closed-over intermediates are not kept for the backward pass.
  const f = vt.customGrad(((a: Tensor, b: Tensor, save: (ts: Tensor[]) => void) => {
    save([a, b]);
    return {
      value: vt.matMul(a, b),
      gradFunc: (dy: Tensor, saved: Tensor[]) => [vt.matMul(dy, saved[1] as Tensor, false, true), vt.matMul(saved[0] as Tensor, dy, true, false)],
    };
  }) as unknown as Parameters<typeof vt.customGrad>[0]);
  return (f as unknown as (a: Tensor, b: Tensor) => Tensor)(x, w);
}

/** log Γ(x), x > 0: log Γ(x + 6) - log(x (x + 1) ... (x + 5)), Stirling's series at z = x + 6. */
function lgammaStock(x: Tensor): Tensor {
  let product = x;
  for (let k = 1; k < 6; k++) product = vt.mul(product, vt.add(x, k));
  const z = vt.add(x, 6);
  const r = vt.reciprocal(z);
  const r2 = vt.square(r);
  // 1/(12 z) - 1/(360 z³) + 1/(1260 z⁵)
  const series = vt.mul(r, vt.sub(1 / 12, vt.mul(r2, vt.sub(1 / 360, vt.div(r2, 1260)))));
  const stirling = vt.add(vt.sub(vt.mul(vt.sub(z, 0.5), vt.log(z)), z), vt.add(series, HALF_LOG_2PI));
  return vt.sub(stirling, vt.log(product));
}

function linear(nIn: number, nOut: number, seed: number): { w: Variable; b: Variable } {
  const bound = 1 / Math.sqrt(nIn);
  return {
    w: vt.variable(vt.randomUniform([nIn, nOut], { seed, low: -bound, high: bound })),
    b: vt.variable(vt.randomUniform([nOut], { seed: seed + 1, low: -bound, high: bound })),
  };
}

/** BatchNorm1d with batch statistics (training mode), eps 1e-3. */
function batchNorm(h: Tensor, gamma: Variable, beta: Variable): Tensor {
  const { mean, variance } = vt.moments(h, 0);
  return vt.add(vt.mul(vt.div(vt.sub(h, mean), vt.sqrt(vt.add(variance, 1e-3))), gamma), beta);
}

export class StockSCVI {
  private readonly params: Variable[];
  private readonly optimizer = vt.train.adam(1e-3, 0.9, 0.999, 0.01);
  private readonly v: Record<string, Variable>;

  constructor(nGenes: number, nHidden = 128, nLatent = 10) {
    const e = linear(nGenes, nHidden, 1);
    const m = linear(nHidden, nLatent, 3);
    const s = linear(nHidden, nLatent, 5);
    const d = linear(nLatent, nHidden, 7);
    const px = linear(nHidden, nGenes, 9);
    const pi = linear(nHidden, nGenes, 11);
    this.v = {
      ew: e.w, eb: e.b, eg: vt.variable(vt.ones([nHidden])), ebeta: vt.variable(vt.zeros([nHidden])),
      mw: m.w, mb: m.b, sw: s.w, sb: s.b,
      dw: d.w, db: d.b, dg: vt.variable(vt.ones([nHidden])), dbeta: vt.variable(vt.zeros([nHidden])),
      pxw: px.w, pxb: px.b, piw: pi.w, pib: pi.b,
      pxr: vt.variable(vt.randomNormal([nGenes], { seed: 13 })),
    };
    this.params = Object.values(this.v);
  }

  /** -ELBO with KL weight `klWeight` on a dense minibatch x [B, G]; dropout 0.1 in the encoder. */
  loss(x: Tensor, klWeight: number, seed: number): Tensor {
    const v = this.v;
    const h0 = vt.relu(batchNorm(vt.add(matMulStock(vt.log1p(x), v.ew as Variable), v.eb as Variable), v.eg as Variable, v.ebeta as Variable));
    const keep = vt.cast(vt.greater(vt.randomUniform(h0.shape, { seed }), 0.1), 'float32');
    const h = vt.div(vt.mul(h0, keep), 0.9);
    const qm = vt.add(matMulStock(h, v.mw as Variable), v.mb as Variable);
    const qv = vt.add(vt.exp(vt.add(matMulStock(h, v.sw as Variable), v.sb as Variable)), 1e-4);
    const z = vt.add(qm, vt.mul(vt.sqrt(qv), vt.randomNormal(qm.shape, { seed: seed + 1 })));
    const hd = vt.relu(batchNorm(vt.add(matMulStock(z, v.dw as Variable), v.db as Variable), v.dg as Variable, v.dbeta as Variable));
    const scale = vt.softmax(vt.add(matMulStock(hd, v.pxw as Variable), v.pxb as Variable));
    const mu = vt.mul(vt.sum(x, 1, true), scale);
    const pi = vt.add(matMulStock(hd, v.piw as Variable), v.pib as Variable);
    const theta = vt.exp(v.pxr as Variable);
    // scvi-tools' log_zinb_positive.
    const softplusPi = vt.softplus(vt.neg(pi));
    const logThetaMu = vt.log(vt.add(vt.add(theta, mu), EPS));
    const piThetaLog = vt.add(vt.neg(pi), vt.mul(theta, vt.sub(vt.log(vt.add(theta, EPS)), logThetaMu)));
    const caseZero = vt.sub(vt.softplus(piThetaLog), softplusPi);
    const caseNonZero = vt.add(
      vt.add(vt.sub(piThetaLog, softplusPi), vt.mul(x, vt.sub(vt.log(vt.add(mu, EPS)), logThetaMu))),
      vt.sub(vt.sub(lgammaStock(vt.add(x, theta)), lgammaStock(vt.broadcastTo(theta, x.shape))), lgammaStock(vt.add(x, 1))),
    );
    const logLik = vt.where(vt.less(x, EPS), caseZero, caseNonZero);
    const reconstruction = vt.neg(vt.sum(logLik, 1));
    // KL(N(m, v) || N(0, 1)) = 0.5 (v + m² - 1 - log v), summed over the latent dimensions.
    const kl = vt.mul(0.5, vt.sum(vt.sub(vt.add(qv, vt.square(qm)), vt.add(1, vt.log(qv))), 1));
    return vt.mean(vt.add(reconstruction, vt.mul(kl, klWeight)));
  }

  /** One Adam step; returns the loss. */
  step(x: Tensor, klWeight: number, seed: number): number {
    const loss = this.optimizer.minimize(() => this.loss(x, klWeight, seed) as vt.Scalar, true, this.params) as Tensor;
    const value = loss.dataSync()[0] as number;
    loss.dispose();
    return value;
  }

  dispose(): void {
    vt.dispose(this.params);
    this.optimizer.dispose();
  }
}
