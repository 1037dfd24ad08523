// Small statistics for the evaluation: ranks with ties averaged, Spearman's rho (scipy.stats.spearmanr:
// Pearson correlation of the average ranks), quantiles (numpy's default linear interpolation), and
// the per-gene fit error of veloVI's expression fit.
import type { Matrix2D } from './velocity-graph.js';

/** 1-based ranks, tied values sharing their average rank (scipy.stats.rankdata 'average'). */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const ranks = new Float64Array(n);
  let start = 0;
  while (start < n) {
    let end = start + 1;
    while (end < n && values[order[end] as number] === values[order[start] as number]) end++;
    const rank = (start + end + 1) / 2; // mean of start + 1 … end
    for (let k = start; k < end; k++) ranks[order[k] as number] = rank;
    start = end;
  }
  return ranks;
}

/** Pearson correlation; NaN when either side is constant. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (b.length !== n) throw new RangeError(`pearson: the two samples must have the same length, got ${n} and ${b.length}`);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] as number;
    mb += b[i] as number;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = (a[i] as number) - ma;
    const y = (b[i] as number) - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Spearman's rank correlation with average ranks for ties. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return pearson(averageRanks(a), averageRanks(b));
}

/** numpy.quantile(values, q) with the default 'linear' method; q in [0, 1]. NaNs are not allowed. */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (pos - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

export interface QuartileSummary {
  q25: number;
  median: number;
  q75: number;
  mean: number;
}

export function quartiles(values: ArrayLike<number>): QuartileSummary {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return { q25: quantile(values, 0.25), median: quantile(values, 0.5), q75: quantile(values, 0.75), mean: sum / values.length };
}

/** Per-gene mean over cells of (fit − observed)², for cells × genes matrices of the same shape. */
export function perGeneMse(fit: Matrix2D, observed: Matrix2D): Float64Array {
  if (fit.nRows !== observed.nRows || fit.nCols !== observed.nCols) {
    throw new RangeError(`perGeneMse: fit and observed must have the same shape, got [${fit.nRows}, ${fit.nCols}] and [${observed.nRows}, ${observed.nCols}]`);
  }
  const g = fit.nCols;
  const out = new Float64Array(g);
  for (let i = 0; i < fit.nRows; i++) {
    for (let k = 0; k < g; k++) out[k] = (out[k] as number) + ((fit.values[i * g + k] as number) - (observed.values[i * g + k] as number)) ** 2;
  }
  for (let k = 0; k < g; k++) out[k] = (out[k] as number) / fit.nRows;
  return out;
}
