// Inputs for checking the SIMD count-likelihood kernels, and the error scale of a float32
// evaluation at each input: the sum of the magnitudes of the terms the formula adds (a
// difference of log-gamma values is only as accurate as its largest term). Shared by the tests
// and the accuracy report.
import { digammaScalar, lgammaScalar, log1pExpScalar } from '@vitae/tensor/kernels';

export interface CountInputs {
  x: Float32Array;
  mu: Float32Array;
  theta: Float32Array;
  pi: Float32Array;
}

/** Every combination of x, mu, theta, pi in the edge-case grid (x = 0, 1e4; theta 1e-4 … 1e5; mu = 0; |pi| up to 30). */
export function edgeGrid(): CountInputs {
  const axes = { x: [0, 1, 3, 17, 1e4], mu: [0, 1e-3, 0.7, 25, 3e3], theta: [1e-4, 0.05, 1.3, 40, 1e5], pi: [-30, -2, 0, 2.5, 30] };
  const pts: number[][] = [];
  for (const x of axes.x) for (const mu of axes.mu) for (const theta of axes.theta) for (const pi of axes.pi) pts.push([x, mu, theta, pi]);
  const col = (j: number) => Float32Array.from(pts, (p) => p[j] as number);
  return { x: col(0), mu: col(1), theta: col(2), pi: col(3) };
}

/**
 * scVI-like inputs, [rows, genes] row-major, deterministic: counts mostly 0 (NB draws by
 * inversion), theta per gene (length `genes`, broadcast over rows), mu and pi per element.
 */
export function scviLike(rows: number, genes: number): CountInputs {
  let s = 12345;
  const u = () => (s = (s * 48271) % 2147483647) / 2147483647;
  const n = rows * genes;
  const theta = Float32Array.from({ length: genes }, () => Math.exp(-2 + 6 * u()));
  const mu = Float32Array.from({ length: n }, () => Math.exp(-5 + 8 * u()));
  const pi = Float32Array.from({ length: n }, () => -6 + 8 * u());
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    if (u() < 1 / (1 + Math.exp(-(pi[i] as number)))) continue; // structural zero
    const m = mu[i] as number;
    const t = theta[i % genes] as number;
    // NB(mean m, inverse dispersion t) by inversion of its cdf
    const p = m / (m + t);
    let k = 0;
    let pk = Math.pow(1 - p, t);
    let cdf = pk;
    const target = u();
    while (cdf < target && k < 1e5) {
      pk *= (p * (k + t)) / (k + 1);
      k += 1;
      cdf += pk;
    }
    x[i] = k;
  }
  return { x, mu, theta, pi };
}

export interface ErrorScale {
  value: number;
  dMu: number;
  dTheta: number;
  dPi: number;
}

/** The error scale of the value and of each partial derivative at one element (see the top). */
export function errorScale(x: number, mu: number, theta: number, pi: number | null, eps = 1e-8): ErrorScale {
  const lt = Math.abs(Math.log(theta + eps));
  const ltm = Math.abs(Math.log(theta + mu + eps));
  const lm = Math.abs(Math.log(mu + eps));
  const r = theta + mu + eps;
  const nb = theta * (lt + ltm) + x * (lm + ltm) + Math.abs(lgammaScalar(x + theta)) + Math.abs(lgammaScalar(theta)) + Math.abs(lgammaScalar(x + 1));
  const dMu = x / (mu + eps) + (theta + x) / r;
  const dTheta = lt + ltm + 2 + x / r + Math.abs(digammaScalar(x + theta)) + Math.abs(digammaScalar(theta));
  if (pi === null) return { value: nb, dMu, dTheta, dPi: 0 };
  if (x >= eps) return { value: nb + Math.abs(pi) + log1pExpScalar(-pi), dMu, dTheta, dPi: 1 };
  // the zero case goes through σ(ptl), ptl = −pi + theta (log(theta + eps) − log(theta + mu + eps))
  const ptl = Math.abs(pi) + theta * (lt + ltm);
  const s = 1 / (1 + Math.exp(pi + theta * (Math.log(theta + mu + eps) - Math.log(theta + eps))));
  const through = s + s * (1 - s) * ptl;
  return { value: ptl + log1pExpScalar(-pi) + 1, dMu: through * dMu, dTheta: through * dTheta, dPi: 1 + s * (1 - s) * ptl };
}
