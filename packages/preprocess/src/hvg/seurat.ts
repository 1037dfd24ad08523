// Highly variable genes, flavor 'seurat' (Satija et al. 2015; scanpy's
// _highly_variable_genes_single_batch / _batched), on log1p data: undo the log (expm1), take
// each gene's mean and dispersion (variance / mean), log both (log1p mean, log dispersion), cut
// the means into nBins equal-width bins (pandas' pd.cut) and z-score the dispersions within
// each bin. Genes are then picked by cutoffs on mean and normalised dispersion, or as the
// nTopGenes largest normalised dispersions.
import { colMeanVar, colPositives, searchSortedLeft } from '../util/stats.js';

import type { Matrix } from '@vitae/anndata';

export interface SeuratOptions {
  /** Pick this many genes; when omitted the cutoffs below apply. */
  nTopGenes?: number;
  minMean?: number;
  maxMean?: number;
  minDisp?: number;
  maxDisp?: number;
  nBins?: number;
  /** The base of the log1p the data went through (uns.log1p.base); e when omitted. */
  logBase?: number;
  /** Batch code of every cell (0 … nBatches - 1); one batch when omitted. */
  batch?: Int32Array;
  /** Gene names, needed with batches (genes tied on both sort keys go in name order, as scanpy's groupby does). */
  geneNames?: readonly string[];
}

export interface SeuratResult {
  highlyVariable: boolean[];
  /** log1p of the mean of expm1(data) (averaged over batches). */
  means: Float64Array;
  /** log of the dispersion (NaN where the dispersion is 0). */
  dispersions: Float64Array;
  /** Dispersions z-scored within their mean bin. */
  dispersionsNorm: Float64Array;
  /** With batches: batches in which the gene is highly variable. */
  nBatches?: Int32Array;
  /** With batches: highly variable in every batch. */
  intersection?: boolean[];
}

const DEFAULTS = { minMean: 0.0125, maxMean: 3, minDisp: 0.5, maxDisp: Infinity, nBins: 20 };

/** pd.cut(values, nBins) codes: equal-width bins over [min, max], right-closed, the first edge lowered by 0.1%. */
export function cutBins(values: Float64Array, nBins: number): Int32Array {
  let mn = Infinity;
  let mx = -Infinity;
  for (const v of values) {
    mn = Math.min(mn, v);
    mx = Math.max(mx, v);
  }
  const codes = new Int32Array(values.length);
  if (!(mx > mn)) return codes;
  const step = (mx - mn) / nBins;
  const edges = Float64Array.from({ length: nBins + 1 }, (_, i) => (i === nBins ? mx : mn + i * step));
  edges[0] = mn - (mx - mn) * 0.001;
  values.forEach((v, g) => {
    codes[g] = Math.min(Math.max(searchSortedLeft(edges, v) - 1, 0), nBins - 1);
  });
  return codes;
}

function singleBatch(m: Matrix, rows: Int32Array | undefined, genes: Int32Array | undefined, o: SeuratOptions): SeuratResult {
  const logScale = o.logBase === undefined ? 1 : Math.log(o.logBase);
  // scanpy takes expm1 of the float32 data in float32: round the same way.
  const { mean: rawMean, var: variance } = colMeanVar(m, rows, 1, (v) => Math.fround(Math.expm1(v * logScale)));
  const pick = (a: Float64Array): Float64Array => (genes ? Float64Array.from(genes, (j) => a[j] as number) : a);
  const meanAll = pick(rawMean);
  const varAll = pick(variance);
  const nG = meanAll.length;
  const means = new Float64Array(nG);
  const dispersions = new Float64Array(nG);
  for (let g = 0; g < nG; g++) {
    const mu = (meanAll[g] as number) === 0 ? 1e-12 : (meanAll[g] as number);
    const d = (varAll[g] as number) / mu;
    dispersions[g] = d === 0 ? NaN : Math.log(d);
    means[g] = Math.log1p(mu);
  }
  const nBins = o.nBins ?? DEFAULTS.nBins;
  const bins = cutBins(means, nBins);
  const sum = new Float64Array(nBins);
  const count = new Int32Array(nBins);
  for (let g = 0; g < nG; g++) {
    const d = dispersions[g] as number;
    if (Number.isNaN(d)) continue;
    const b = bins[g] as number;
    sum[b] = (sum[b] as number) + d;
    count[b] = (count[b] as number) + 1;
  }
  const avg = Float64Array.from(sum, (s, b) => ((count[b] as number) > 0 ? s / (count[b] as number) : NaN));
  const ss = new Float64Array(nBins);
  for (let g = 0; g < nG; g++) {
    const d = dispersions[g] as number;
    if (Number.isNaN(d)) continue;
    const b = bins[g] as number;
    ss[b] = (ss[b] as number) + (d - (avg[b] as number)) ** 2;
  }
  const dev = Float64Array.from(ss, (s, b) => ((count[b] as number) > 1 ? Math.sqrt(s / ((count[b] as number) - 1)) : NaN));
  for (let b = 0; b < nBins; b++) {
    // A bin with a single gene: scanpy sets that gene's normalised dispersion to 1.
    if (Number.isNaN(dev[b] as number)) {
      dev[b] = avg[b] as number;
      avg[b] = 0;
    }
  }
  const dispersionsNorm = Float64Array.from(dispersions, (d, g) => (d - (avg[bins[g] as number] as number)) / (dev[bins[g] as number] as number));
  const highlyVariable = new Array<boolean>(nG).fill(false);
  if (o.nTopGenes !== undefined) {
    const valid = dispersionsNorm.filter((v) => !Number.isNaN(v)).sort();
    const n = Math.min(o.nTopGenes, nG, valid.length);
    if (n > 0) {
      const cutoff = valid[valid.length - n] as number;
      dispersionsNorm.forEach((v, g) => (highlyVariable[g] = !Number.isNaN(v) && v >= cutoff));
    }
  } else {
    const c = { ...DEFAULTS, ...definedOnly(o) };
    dispersionsNorm.forEach((v, g) => {
      const dn = Number.isNaN(v) ? 0 : v;
      const mu = means[g] as number;
      highlyVariable[g] = mu > c.minMean && mu < c.maxMean && dn > c.minDisp && dn < c.maxDisp;
    });
  }
  return { highlyVariable, means, dispersions, dispersionsNorm };
}

function definedOnly(o: SeuratOptions): Partial<typeof DEFAULTS> {
  const out: Partial<typeof DEFAULTS> = {};
  for (const k of ['minMean', 'maxMean', 'minDisp', 'maxDisp'] as const) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

export function seurat(m: Matrix, options: SeuratOptions = {}): SeuratResult {
  if (options.batch === undefined) return singleBatch(m, undefined, undefined, options);
  const nGenes = m.nCols;
  let nB = 0;
  for (const b of options.batch) nB = Math.max(nB, b + 1);
  const members: number[][] = Array.from({ length: nB }, () => []);
  options.batch.forEach((b, i) => (members[b] as number[]).push(i));
  const batches = members.filter((l) => l.length > 0).map((l) => Int32Array.from(l));
  const means = new Float64Array(nGenes);
  const dispSum = new Float64Array(nGenes);
  const dispN = new Int32Array(nGenes);
  const normSum = new Float64Array(nGenes);
  const normN = new Int32Array(nGenes);
  const nBatches = new Int32Array(nGenes);
  for (const rows of batches) {
    // Genes not expressed in this batch take part with zeros (scanpy's filter_genes(min_cells=1)).
    const expressed = colPositives(m, rows);
    const genes = Int32Array.from({ length: nGenes }, (_, j) => j).filter((j) => (expressed[j] as number) > 0);
    const r = singleBatch(m, rows, genes, options);
    const inBatch = new Array<boolean>(nGenes).fill(false);
    genes.forEach((j, g) => {
      inBatch[j] = true;
      means[j] = (means[j] as number) + (r.means[g] as number);
      const d = r.dispersions[g] as number;
      if (!Number.isNaN(d)) {
        dispSum[j] = (dispSum[j] as number) + d;
        dispN[j] = (dispN[j] as number) + 1;
      }
      const dn = r.dispersionsNorm[g] as number;
      if (!Number.isNaN(dn)) {
        normSum[j] = (normSum[j] as number) + dn;
        normN[j] = (normN[j] as number) + 1;
      }
      if (r.highlyVariable[g]) nBatches[j] = (nBatches[j] as number) + 1;
    });
    for (let j = 0; j < nGenes; j++) {
      if (inBatch[j]) continue;
      dispN[j] = (dispN[j] as number) + 1;
      normN[j] = (normN[j] as number) + 1;
    }
  }
  const nb = batches.length;
  const meanOut = means.map((v) => v / nb);
  const dispersions = Float64Array.from(dispSum, (s, j) => ((dispN[j] as number) > 0 ? s / (dispN[j] as number) : NaN));
  const dispersionsNorm = Float64Array.from(normSum, (s, j) => ((normN[j] as number) > 0 ? s / (normN[j] as number) : NaN));
  const intersection = Array.from(nBatches, (c) => c === nb);
  const highlyVariable = new Array<boolean>(nGenes).fill(false);
  if (options.nTopGenes !== undefined) {
    const names = options.geneNames ?? Array.from({ length: nGenes }, (_, j) => String(j).padStart(12, '0'));
    const dn = (j: number): number => (Number.isNaN(dispersionsNorm[j] as number) ? -Infinity : (dispersionsNorm[j] as number));
    const order = Array.from({ length: nGenes }, (_, j) => j).sort((a, b) => (nBatches[b] as number) - (nBatches[a] as number) || dn(b) - dn(a) || (names[a] as string < (names[b] as string) ? -1 : names[a] === names[b] ? 0 : 1));
    for (let r = 0; r < Math.min(options.nTopGenes, nGenes); r++) highlyVariable[order[r] as number] = true;
  } else {
    const c = { ...DEFAULTS, ...definedOnly(options) };
    for (let j = 0; j < nGenes; j++) {
      if (Number.isNaN(dispersionsNorm[j] as number)) dispersionsNorm[j] = 0;
      const v = dispersionsNorm[j] as number;
      const mu = meanOut[j] as number;
      highlyVariable[j] = mu > c.minMean && mu < c.maxMean && v > c.minDisp && v < c.maxDisp;
    }
  }
  return { highlyVariable, means: meanOut, dispersions, dispersionsNorm, nBatches, intersection };
}
