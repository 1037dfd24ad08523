// A Gaussian mixture with diagonal covariances fitted by EM, started from k-means (scikit-learn's
// GaussianMixture(covariance_type='diag', init_params='kmeans') conventions: reg_covar added to
// every variance, convergence when the mean log-likelihood per row improves by less than tol).
// VaDE starts its mixture prior this way; unlike k-means it gives each component its own
// per-dimension spread and weight, so the start matches the prior's form.
//
// E step:  r_ik ∝ π_k Π_d N(x_id; μ_kd, σ²_kd)            (in log space, normalised per row)
// M step:  n_k = Σ_i r_ik,  π_k = n_k / N,  μ_kd = Σ_i r_ik x_id / n_k,
//          σ²_kd = Σ_i r_ik (x_id − μ_kd)² / n_k + regCovar
import { kmeans } from './kmeans.js';
import { checkNumber, integerAtLeast, optionsObject, seedOf } from './validate.js';

export interface GaussianMixtureOptions {
  /** Seeds the k-means start. */
  seed: number;
  /** k-means restarts for the start (default 4). */
  nInit?: number;
  /** EM iterations at most (default 100). */
  maxIter?: number;
  /** Stop when the mean log-likelihood per row improves by less than this (default 1e-3). */
  tol?: number;
  /** Added to every variance, keeping components from collapsing (default 1e-6). */
  regCovar?: number;
}

export interface GaussianMixtureResult {
  /** k x nCols, row-major. */
  means: Float64Array;
  /** k x nCols, row-major: the diagonal covariances. */
  variances: Float64Array;
  /** k mixture weights, summing to 1. */
  weights: Float64Array;
  /** The most responsible component of each row. */
  labels: Int32Array;
  /** Mean log-likelihood per row after each EM iteration (non-decreasing, up to rounding). */
  logLikelihoods: number[];
  converged: boolean;
}

/** EM for a diagonal-covariance Gaussian mixture of the nRows x nCols row-major `data`. */
export function gaussianMixture(data: Float32Array | Float64Array, nRows: number, nCols: number, k: number, options: GaussianMixtureOptions): GaussianMixtureResult {
  const fn = 'gaussianMixture';
  const seed = seedOf(options, fn);
  const o = optionsObject(options, fn);
  const maxIter = o.maxIter === undefined ? 100 : integerAtLeast(o.maxIter, fn, 'maxIter', 1);
  const tol = o.tol === undefined ? 1e-3 : checkNumber(o.tol, fn, 'tol', '>= 0', (x) => x >= 0);
  const regCovar = o.regCovar === undefined ? 1e-6 : checkNumber(o.regCovar, fn, 'regCovar', '> 0', (x) => x > 0);
  // kmeans checks data, nRows, nCols and k.
  const start = kmeans(data, nRows, nCols, k, { seed, ...(o.nInit === undefined ? {} : { nInit: o.nInit }) });

  const resp = new Float64Array(nRows * k);
  for (let i = 0; i < nRows; i++) resp[i * k + (start.labels[i] as number)] = 1;
  const fit = { means: new Float64Array(k * nCols), variances: new Float64Array(k * nCols), weights: new Float64Array(k) };
  mStep(data, nRows, nCols, k, resp, regCovar, fit);
  const logLikelihoods: number[] = [];
  let converged = false;
  for (let iter = 0; iter < maxIter; iter++) {
    const ll = eStep(data, nRows, nCols, k, fit, resp);
    mStep(data, nRows, nCols, k, resp, regCovar, fit);
    const previous = logLikelihoods.at(-1);
    logLikelihoods.push(ll);
    if (previous !== undefined && Math.abs(ll - previous) < tol) {
      converged = true;
      break;
    }
  }
  eStep(data, nRows, nCols, k, fit, resp);
  const labels = new Int32Array(nRows);
  for (let i = 0; i < nRows; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if ((resp[i * k + c] as number) > (resp[i * k + best] as number)) best = c;
    labels[i] = best;
  }
  return { ...fit, labels, logLikelihoods, converged };
}

interface Fit {
  means: Float64Array;
  variances: Float64Array;
  weights: Float64Array;
}

/** E step: fills `resp` with the responsibilities; returns the mean log-likelihood per row. */
function eStep(data: Float32Array | Float64Array, nRows: number, nCols: number, k: number, fit: Fit, resp: Float64Array): number {
  // log π_k − ½ Σ_d log(2π σ²_kd), the per-component constant.
  const constant = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let logDet = 0;
    for (let d = 0; d < nCols; d++) logDet += Math.log(2 * Math.PI * (fit.variances[c * nCols + d] as number));
    constant[c] = Math.log(fit.weights[c] as number) - 0.5 * logDet;
  }
  let total = 0;
  for (let i = 0; i < nRows; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      let quad = 0;
      for (let d = 0; d < nCols; d++) {
        const e = (data[i * nCols + d] as number) - (fit.means[c * nCols + d] as number);
        quad += (e * e) / (fit.variances[c * nCols + d] as number);
      }
      const logP = (constant[c] as number) - 0.5 * quad;
      resp[i * k + c] = logP;
      if (logP > max) max = logP;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp((resp[i * k + c] as number) - max);
    const logNorm = max + Math.log(sum);
    for (let c = 0; c < k; c++) resp[i * k + c] = Math.exp((resp[i * k + c] as number) - logNorm);
    total += logNorm;
  }
  return total / nRows;
}

/** M step: weights, means and variances from the responsibilities. */
function mStep(data: Float32Array | Float64Array, nRows: number, nCols: number, k: number, resp: Float64Array, regCovar: number, fit: Fit): void {
  const { means, variances, weights } = fit;
  means.fill(0);
  variances.fill(0);
  const counts = new Float64Array(k);
  for (let i = 0; i < nRows; i++) {
    for (let c = 0; c < k; c++) {
      const r = resp[i * k + c] as number;
      if (r === 0) continue;
      counts[c] = (counts[c] as number) + r;
      for (let d = 0; d < nCols; d++) means[c * nCols + d] = (means[c * nCols + d] as number) + r * (data[i * nCols + d] as number);
    }
  }
  // A component no row claims keeps a tiny weight (as scikit-learn's 10·eps) rather than dividing by 0.
  const tiny = 10 * Number.EPSILON;
  for (let c = 0; c < k; c++) {
    const n = (counts[c] as number) + tiny;
    for (let d = 0; d < nCols; d++) means[c * nCols + d] = (means[c * nCols + d] as number) / n;
  }
  for (let i = 0; i < nRows; i++) {
    for (let c = 0; c < k; c++) {
      const r = resp[i * k + c] as number;
      if (r === 0) continue;
      for (let d = 0; d < nCols; d++) {
        const e = (data[i * nCols + d] as number) - (means[c * nCols + d] as number);
        variances[c * nCols + d] = (variances[c * nCols + d] as number) + r * e * e;
      }
    }
  }
  for (let c = 0; c < k; c++) {
    const n = (counts[c] as number) + tiny;
    weights[c] = n / (nRows + k * tiny);
    for (let d = 0; d < nCols; d++) variances[c * nCols + d] = (variances[c * nCols + d] as number) / n + regCovar;
  }
}
