// The statistics behind get_directional_uncertainty and get_permutation_scores (velovi/_model.py),
// in float64 JS: numpy's percentile (linear interpolation) and variance (ddof 0), the centred
// cosine similarity, and scipy's two-sample Student t statistic (ttest_ind, equal variances).

/** numpy.percentile(values, q) with the default linear interpolation; q in [0, 100]. */
export function percentile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (q / 100) * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  const frac = pos - lo;
  return (sorted[lo] as number) + frac * ((sorted[hi] as number) - (sorted[lo] as number));
}

/** numpy.var (ddof 0). */
export function variance(values: ArrayLike<number>): number {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] as number;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((values[i] as number) - mean) ** 2;
  return ss / n;
}

/** The centred unit vector (v − mean(v)) / ‖v − mean(v)‖. */
function centredUnit(v: ArrayLike<number>): Float64Array {
  const n = v.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += v[i] as number;
  mean /= n;
  const out = new Float64Array(n);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    out[i] = (v[i] as number) - mean;
    norm += (out[i] as number) ** 2;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < n; i++) out[i] = (out[i] as number) / norm;
  return out;
}

/** velovi's _cosine_sim: the dot product of the centred unit vectors, clipped to [−1, 1]. */
export function centredCosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ua = centredUnit(a);
  const ub = centredUnit(b);
  let dot = 0;
  for (let i = 0; i < ua.length; i++) dot += (ua[i] as number) * (ub[i] as number);
  return Math.min(1, Math.max(-1, dot));
}

/** The five per-cell columns of get_directional_uncertainty, in velovi's order. */
export const DIRECTIONAL_COLUMNS = [
  'directional_variance',
  'directional_difference',
  'directional_cosine_sim_variance',
  'directional_cosine_sim_difference',
  'directional_cosine_sim_mean',
] as const;
export type DirectionalColumn = (typeof DIRECTIONAL_COLUMNS)[number];

export interface DirectionalStatistics {
  /** Per sample, the centred cosine similarity of its velocity with the cell's mean velocity. */
  cosineSims: Float64Array;
  statistics: Record<DirectionalColumn, number>;
}

/**
 * velovi's _directional_statistics_per_cell for one cell: `samples` velocity vectors of `nGenes`
 * values each (row-major samples × genes).
 */
export function directionalStatistics(samples: ArrayLike<number>, nSamples: number, nGenes: number): DirectionalStatistics {
  const mean = new Float64Array(nGenes);
  for (let s = 0; s < nSamples; s++) for (let g = 0; g < nGenes; g++) mean[g] = (mean[g] as number) + (samples[s * nGenes + g] as number) / nSamples;
  const cosineSims = new Float64Array(nSamples);
  const row = new Float64Array(nGenes);
  for (let s = 0; s < nSamples; s++) {
    for (let g = 0; g < nGenes; g++) row[g] = samples[s * nGenes + g] as number;
    cosineSims[s] = centredCosine(row, mean);
  }
  const angles = cosineSims.map(Math.acos);
  let meanCos = 0;
  for (const c of cosineSims) meanCos += c / nSamples;
  return {
    cosineSims,
    statistics: {
      directional_variance: variance(angles),
      directional_difference: percentile(angles, 95) - percentile(angles, 5),
      directional_cosine_sim_variance: variance(cosineSims),
      directional_cosine_sim_difference: percentile(cosineSims, 95) - percentile(cosineSims, 5),
      directional_cosine_sim_mean: meanCos,
    },
  };
}

/**
 * scipy.stats.ttest_ind(x, y)[0] (Student's t, pooled variance): (x̄ − ȳ) / √(s_p² (1/n_x + 1/n_y)),
 * s_p² = ((n_x − 1) s_x² + (n_y − 1) s_y²) / (n_x + n_y − 2). NaN for fewer than 2 values in all,
 * or when both samples are constant and equal.
 */
export function tTestStatistic(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const nx = x.length;
  const ny = y.length;
  if (nx === 0 || ny === 0 || nx + ny < 3) return Number.NaN;
  const mx = Array.from(x).reduce((a, b) => a + b, 0) / nx;
  const my = Array.from(y).reduce((a, b) => a + b, 0) / ny;
  let ssx = 0;
  let ssy = 0;
  for (let i = 0; i < nx; i++) ssx += ((x[i] as number) - mx) ** 2;
  for (let i = 0; i < ny; i++) ssy += ((y[i] as number) - my) ** 2;
  const pooled = (ssx + ssy) / (nx + ny - 2);
  return (mx - my) / Math.sqrt(pooled * (1 / nx + 1 / ny));
}
