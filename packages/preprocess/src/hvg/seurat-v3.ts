// Highly variable genes, flavor 'seurat_v3' (Stuart et al. 2019; scanpy's
// _highly_variable_genes_seurat_v3), on COUNTS. Per batch: fit loess(log10 variance ~ log10
// mean) over the genes with variance > 0, standardise each gene with the regularised std
// sqrt(10^fit), clip values at mean + std·sqrt(N), and take the variance of the clipped,
// standardised values ("normalised variance"). Genes are ranked by it within each batch; the
// final order is the median rank over the batches where a gene is in the top nTopGenes
// (ascending), then the number of such batches (descending).
import { fail } from '../util/args.js';
import { colMeanVar, forEachEntry } from '../util/stats.js';
import { loess } from './loess.js';

import type { Matrix } from '@vitae/anndata';
import type { LoessOptions } from './loess.js';

export interface SeuratV3Options {
  nTopGenes: number;
  /** Batch code of every cell (0 … nBatches - 1); all cells one batch when omitted. */
  batch?: Int32Array;
  /** loess span, default 0.3. */
  span?: number;
  /** loess surface, default 'interpolate' (what scanpy gets from skmisc). */
  surface?: LoessOptions['surface'];
  /** Throw unless every value is a non-negative integer (default true). */
  checkValues?: boolean;
  /** Name used in error messages. */
  fn?: string;
}

export interface SeuratV3Result {
  highlyVariable: boolean[];
  /** Mean and variance (ddof 1) of every gene over all cells. */
  means: Float64Array;
  variances: Float64Array;
  /** Normalised variance, averaged over the batches. */
  variancesNorm: Float64Array;
  /** Median rank over the batches where the gene is in the top nTopGenes (0 = most variable); NaN otherwise. */
  rank: Float64Array;
  /** Batches in which the gene is in the top nTopGenes. */
  nBatches: Int32Array;
}

export function checkCounts(m: Matrix, fn: string, what: string): void {
  let bad: { v: number; i: number; j: number } | undefined;
  forEachEntry(m, undefined, (j, v, i) => {
    if (bad === undefined && !(v >= 0 && Number.isInteger(v))) bad = { v, i, j };
  });
  if (bad) fail(fn, `${what} must hold counts (non-negative integers), got ${bad.v} at cell ${bad.i}, gene ${bad.j}; pass raw counts (e.g. option 'layer') or checkValues: false`);
}

export function seuratV3(m: Matrix, options: SeuratV3Options): SeuratV3Result {
  const fn = options.fn ?? 'seuratV3';
  const nGenes = m.nCols;
  if (options.checkValues ?? true) checkCounts(m, fn, 'the matrix');
  const { mean: means, var: variances } = colMeanVar(m);
  const batch = options.batch ?? new Int32Array(m.nRows);
  let nB = 0;
  for (const b of batch) nB = Math.max(nB, b + 1);
  const members: number[][] = Array.from({ length: nB }, () => []);
  batch.forEach((b, i) => (members[b] as number[]).push(i));
  const normVars: Float64Array[] = [];
  for (const list of members) {
    if (list.length === 0) continue;
    const rows = Int32Array.from(list);
    const N = rows.length;
    if (N < 2) fail(fn, `every batch needs at least 2 cells for a variance, a batch has ${N}`);
    const { mean, var: variance } = colMeanVar(m, rows);
    const keep: number[] = [];
    for (let j = 0; j < nGenes; j++) if ((variance[j] as number) > 0) keep.push(j);
    const fit = loess(
      keep.map((j) => Math.log10(mean[j] as number)),
      keep.map((j) => Math.log10(variance[j] as number)),
      { span: options.span ?? 0.3, degree: 2, surface: options.surface ?? 'interpolate' },
    );
    const regStd = new Float64Array(nGenes).fill(1);
    keep.forEach((j, k) => (regStd[j] = Math.sqrt(10 ** (fit[k] as number))));
    const clip = regStd.map((s, j) => s * Math.sqrt(N) + (mean[j] as number));
    const sum = new Float64Array(nGenes);
    const sumSq = new Float64Array(nGenes);
    forEachEntry(m, rows, (j, v) => {
      const c = Math.min(v, clip[j] as number);
      sum[j] = (sum[j] as number) + c;
      sumSq[j] = (sumSq[j] as number) + c * c;
    });
    normVars.push(
      Float64Array.from({ length: nGenes }, (_, j) => {
        const mu = mean[j] as number;
        const s = regStd[j] as number;
        return (N * mu * mu + (sumSq[j] as number) - 2 * (sum[j] as number) * mu) / ((N - 1) * s * s);
      }),
    );
  }
  const nTop = options.nTopGenes;
  const rankLists: number[][] = Array.from({ length: nGenes }, () => []);
  const nBatches = new Int32Array(nGenes);
  const variancesNorm = new Float64Array(nGenes);
  for (const nv of normVars) {
    // Rank 0 = largest normalised variance; ties by gene position.
    const order = Int32Array.from({ length: nGenes }, (_, j) => j).sort((a, b) => (nv[b] as number) - (nv[a] as number) || a - b);
    order.forEach((j, r) => {
      if (r < nTop) {
        (rankLists[j] as number[]).push(r);
        nBatches[j] = (nBatches[j] as number) + 1;
      }
      variancesNorm[j] = (variancesNorm[j] as number) + (nv[j] as number) / normVars.length;
    });
  }
  const rank = Float64Array.from(rankLists, (r) => {
    if (r.length === 0) return NaN;
    const s = r.sort((a, b) => a - b);
    const h = s.length >> 1;
    return s.length % 2 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
  });
  const key = (j: number): number => (Number.isNaN(rank[j] as number) ? Infinity : (rank[j] as number));
  const order = Int32Array.from({ length: nGenes }, (_, j) => j).sort((a, b) => key(a) - key(b) || (nBatches[b] as number) - (nBatches[a] as number) || a - b);
  const highlyVariable = new Array<boolean>(nGenes).fill(false);
  for (let r = 0; r < Math.min(nTop, nGenes); r++) highlyVariable[order[r] as number] = true;
  return { highlyVariable, means, variances, variancesNorm, rank, nBatches };
}
