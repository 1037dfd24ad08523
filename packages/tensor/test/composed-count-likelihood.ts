// The references the fused count-likelihood ops are tested against:
// - composedLogNb / composedLogZinb (src/likelihoods/composed.ts, re-exported): scvi-tools'
//   formulas written with stock ops (float32, differentiable by tfjs in mu, theta, pi);
// - f64LogNb / f64LogZinb: the same formulas term by term in float64;
// - the magnitude of the terms of each formula and derivative, which bounds the rounding error
//   of a float32 evaluation (a difference of logs, of log-gamma values, is only as accurate as
//   its largest term).
import { digammaScalar, lgammaScalar, log1pExpScalar } from '../src/special/scalar.js';
export { composedLogNb, composedLogZinb } from '../src/likelihoods/composed.js';

export const EPS = 1e-8;

/** One point of a grid: x, mu, theta and (ZINB) pi. */
export interface Point {
  x: number;
  mu: number;
  theta: number;
  pi: number;
}

/** Every combination of the given values. */
export function grid(values: Record<keyof Point, number[]>): Point[] {
  const out: Point[] = [];
  for (const x of values.x) for (const mu of values.mu) for (const theta of values.theta) for (const pi of values.pi) out.push({ x, mu, theta, pi });
  return out;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** Value and derivatives of scvi-tools' formulas in float64, with the magnitude of their terms. */
export interface Reference {
  value: number;
  dMu: number;
  dTheta: number;
  dPi: number;
  dX: number;
  /** Σ |term| of the value and of each derivative: bounds of float32 rounding, up to a factor. */
  scale: { value: number; dMu: number; dTheta: number; dPi: number; dX: number };
}

export function f64Reference({ x, mu, theta, pi }: Point, zeroInflated: boolean, eps = EPS): Reference {
  const lt = Math.log(theta + eps);
  const ltm = Math.log(theta + mu + eps);
  const lm = Math.log(mu + eps);
  const r = theta + mu + eps;
  const lg = [lgammaScalar(x + theta), lgammaScalar(theta), lgammaScalar(x + 1)] as const;
  const ps = [digammaScalar(x + theta), digammaScalar(theta), digammaScalar(x + 1)] as const;
  const nb = theta * (lt - ltm) + x * (lm - ltm) + lg[0] - lg[1] - lg[2];
  const nbScale = Math.abs(theta * lt) + Math.abs(theta * ltm) + Math.abs(x * lm) + Math.abs(x * ltm) + Math.abs(lg[0]) + Math.abs(lg[1]) + Math.abs(lg[2]);
  const dMu = x / (mu + eps) - (theta + x) / r;
  const dMuScale = x / (mu + eps) + (theta + x) / r;
  const dTheta = lt - ltm + theta / (theta + eps) - (theta + x) / r + ps[0] - ps[1];
  const dThetaScale = Math.abs(lt) + Math.abs(ltm) + 1 + (theta + x) / r + Math.abs(ps[0]) + Math.abs(ps[1]);
  const dX = lm - ltm + ps[0] - ps[2];
  const dXScale = Math.abs(lm) + Math.abs(ltm) + Math.abs(ps[0]) + Math.abs(ps[2]);
  if (!zeroInflated) {
    return { value: nb, dMu, dTheta, dPi: 0, dX, scale: { value: nbScale, dMu: dMuScale, dTheta: dThetaScale, dPi: 0, dX: dXScale } };
  }
  const spNeg = log1pExpScalar(-pi);
  if (x >= eps) {
    const scale = { value: nbScale + Math.abs(pi) + spNeg, dMu: dMuScale, dTheta: dThetaScale, dPi: 1, dX: dXScale };
    return { value: nb - pi - spNeg, dMu, dTheta, dPi: -sigmoid(pi), dX, scale };
  }
  const ptl = -pi + theta * (lt - ltm);
  const s = sigmoid(ptl);
  const value = log1pExpScalar(ptl) - spNeg;
  // the derivatives go through σ(ptl), and ptl is itself a difference of large terms
  const ptlScale = Math.abs(pi) + Math.abs(theta * lt) + Math.abs(theta * ltm);
  const through = s + s * (1 - s) * ptlScale;
  const scale = {
    value: ptlScale + log1pExpScalar(ptl) + spNeg,
    dMu: through * (theta / r),
    dTheta: through * (Math.abs(lt) + Math.abs(ltm) + 2),
    dPi: 1 + s * (1 - s) * ptlScale,
    dX: 0,
  };
  return { value, dMu: s * (-theta / r), dTheta: s * (lt - ltm + theta / (theta + eps) - theta / r), dPi: sigmoid(-pi) - s, dX: 0, scale };
}
