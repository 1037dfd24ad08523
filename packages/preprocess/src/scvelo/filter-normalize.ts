// scVelo's scv.pp.filter_and_normalize (scVelo 0.2.5; 0.3.x behaves the same): gene filters on
// the spliced / unspliced counts (including the "shared" counts of cells where both are
// detected), normalize_per_cell of X, spliced and unspliced to the median initial size,
// filter_genes_dispersion (flavor 'seurat' or 'cell_ranger') on the normalized X, log1p of X.
import { AnnData, CsrMatrix, DenseArray, toCsr } from '@vitae/anndata';

import { percentileSorted, searchSortedLeft } from '../util/stats.js';
import { checkShape, columnStats, f32, firstRowsValues, getLayer, medianF32, optionalCount, round4, rowSumsF32, scaleRowsF32 } from './util.js';

import type { Matrix } from '@vitae/anndata';

export interface FilterAndNormalizeOptions {
  /** Keep genes with at least this many spliced counts (scVelo's min_counts). */
  minCounts?: number;
  /** Keep genes with spliced counts in at least this many cells (min_cells). */
  minCells?: number;
  /** Keep genes with at least this many unspliced counts (min_counts_u). */
  minCountsU?: number;
  /** Keep genes with unspliced counts in at least this many cells (min_cells_u). */
  minCellsU?: number;
  /** Keep genes whose spliced + unspliced counts, over the cells where both are > 0, reach this (min_shared_counts; veloVI uses 30). */
  minSharedCounts?: number;
  /** Keep genes detected (spliced and unspliced both > 0) in at least this many cells (min_shared_cells). */
  minSharedCells?: number;
  /** Keep this many genes by normalized dispersion (ties at the cut-off are all kept); undefined: no selection. */
  nTopGenes?: number;
  /** How dispersions are normalized within mean bins: 'seurat' (default, as scVelo) or 'cell_ranger'. */
  flavor?: 'seurat' | 'cell_ranger';
  /** log1p of X at the end (scVelo's `log`, default true). */
  logX?: boolean;
  splicedLayer?: string;
  unsplicedLayer?: string;
}

const FN = 'filterAndNormalize';

/**
 * scv.pp.filter_and_normalize as a pure function: returns a new AnnData (the input is not changed).
 *
 * 1. obs `initial_size_<unspliced>`, `initial_size_<spliced>`, `initial_size`: the float32 row sums of
 *    the layers and X before any filtering (kept when already there, as scVelo does).
 * 2. Gene filters (each given bound must hold, counts >= bound): minCounts / minCells on spliced,
 *    minCountsU / minCellsU on unspliced, minSharedCounts / minSharedCells on the cells where both
 *    spliced and unspliced are > 0 (their sum per gene, or the number of such cells).
 * 3. normalizePerCell: X, spliced, unspliced each divided per cell by initial size / median initial
 *    size (only a matrix whose first 5 rows hold whole numbers: scVelo skips "processed" ones);
 *    obs `n_counts` = row sums of the normalized X; var `gene_count_corr` when there are > 3000 genes.
 * 4. nTopGenes: filterGenesDispersion on the normalized X (not log); var `means`, `dispersions`,
 *    `dispersions_norm`, `highly_variable`; the genes are subset to the selected ones. Skipped
 *    when there are fewer genes than nTopGenes.
 * 5. X = log1p(X) if logX and X and spliced have the same total over the first 10 cells (scVelo's
 *    check that X holds the spliced counts, i.e. is not already log-transformed).
 */
export function filterAndNormalize(adata: AnnData, options: FilterAndNormalizeOptions = {}): AnnData {
  if (!(adata instanceof AnnData)) throw new TypeError(`${FN}: argument 'adata' must be an AnnData`);
  const sName = options.splicedLayer ?? 'spliced';
  const uName = options.unsplicedLayer ?? 'unspliced';
  const spliced = getLayer(adata, sName, FN, 'splicedLayer');
  const unspliced = getLayer(adata, uName, FN, 'unsplicedLayer');
  if (adata.X === undefined) throw new RangeError(`${FN}: X is not set (scVelo normalizes X with the layers; set X to the spliced counts); the layers are ${JSON.stringify(Object.keys(adata.layers))}`);
  checkShape(adata, adata.X, FN, 'X');
  checkShape(adata, spliced, FN, `layer '${sName}'`);
  checkShape(adata, unspliced, FN, `layer '${uName}'`);
  const bounds = {
    minCounts: optionalCount(options.minCounts, FN, 'minCounts'),
    minCells: optionalCount(options.minCells, FN, 'minCells'),
    minCountsU: optionalCount(options.minCountsU, FN, 'minCountsU'),
    minCellsU: optionalCount(options.minCellsU, FN, 'minCellsU'),
    minSharedCounts: optionalCount(options.minSharedCounts, FN, 'minSharedCounts'),
    minSharedCells: optionalCount(options.minSharedCells, FN, 'minSharedCells'),
  };
  const nTop = optionalCount(options.nTopGenes, FN, 'nTopGenes', 1);
  if (nTop !== undefined && !Number.isInteger(nTop)) throw new RangeError(`${FN}: option 'nTopGenes' must be a positive integer, got ${nTop}`);
  const flavor = options.flavor ?? 'seurat';
  if (flavor !== 'seurat' && flavor !== 'cell_ranger') throw new RangeError(`${FN}: option 'flavor' must be 'seurat' or 'cell_ranger', got ${JSON.stringify(flavor)} ('svr' needs scikit-learn's SVR and is not available)`);

  const data = withInitialSizes(adata, sName, uName);
  const keep = scveloFilterGenesMask(spliced, unspliced, bounds);
  if (adata.nVars > 0 && !keep.some(Boolean)) {
    const given = Object.entries(bounds)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k} = ${v}`)
      .join(', ');
    throw new RangeError(`${FN}: no gene passes the gene filters (${given}) among ${adata.nVars} genes`);
  }
  let out = data.subset({ var: keep });
  out = normalizePerCell(out, { layers: [sName, uName] });
  if (nTop !== undefined && out.nVars >= nTop) {
    const hv = filterGenesDispersion(out.layer('X'), { flavor, nTopGenes: nTop });
    out.var.set('means', hv.means).set('dispersions', hv.dispersions).set('dispersions_norm', hv.dispersionsNorm).set('highly_variable', hv.highlyVariable);
    const selected: number[] = [];
    hv.highlyVariable.forEach((h, j) => {
      if (h) selected.push(j);
    });
    out = out.subset({ var: Int32Array.from(selected) });
  }
  if ((options.logX ?? true) && logAdvised(out.layer('X'), out.layer(sName))) out.X = log1pX(out.layer('X'));
  return out;
}

/** A copy of `adata` (shallow for matrices) with scVelo's initial-size obs columns added where missing. */
function withInitialSizes(adata: AnnData, sName: string, uName: string): AnnData {
  const obs = adata.obs.clone();
  for (const name of [uName, sName]) {
    const key = `initial_size_${name}`;
    if (!obs.has(key)) obs.set(key, rowSumsF32(adata.layer(name)));
  }
  if (!obs.has('initial_size')) obs.set('initial_size', rowSumsF32(adata.layer('X')));
  return new AnnData({ X: adata.X, obs, var: adata.var.clone(), layers: { ...adata.layers }, obsm: { ...adata.obsm }, varm: { ...adata.varm }, obsp: { ...adata.obsp }, varp: { ...adata.varp }, uns: structuredClone(adata.uns) });
}

export interface GeneFilterBounds {
  minCounts?: number | undefined;
  minCells?: number | undefined;
  minCountsU?: number | undefined;
  minCellsU?: number | undefined;
  minSharedCounts?: number | undefined;
  minSharedCells?: number | undefined;
}

/** scv.pp.filter_genes' keep mask: every bound given holds (>=). */
export function scveloFilterGenesMask(spliced: Matrix, unspliced: Matrix, bounds: GeneFilterBounds): boolean[] {
  const nVars = spliced.nCols;
  const keep = new Array<boolean>(nVars).fill(true);
  const apply = (values: ArrayLike<number>, bound: number | undefined): void => {
    if (bound === undefined) return;
    for (let j = 0; j < nVars; j++) if (!((values[j] as number) >= bound)) keep[j] = false;
  };
  const s = columnStats(spliced);
  apply(s.sum, bounds.minCounts);
  apply(s.positive, bounds.minCells);
  const u = columnStats(unspliced);
  apply(u.sum, bounds.minCountsU);
  apply(u.positive, bounds.minCellsU);
  if (bounds.minSharedCounts !== undefined || bounds.minSharedCells !== undefined) {
    const shared = sharedCounts(spliced, unspliced);
    apply(shared.counts, bounds.minSharedCounts);
    apply(shared.cells, bounds.minSharedCells);
  }
  return keep;
}

/** Per gene: the spliced + unspliced counts over the cells where both are > 0, and the number of such cells. */
export function sharedCounts(spliced: Matrix, unspliced: Matrix): { counts: Float64Array; cells: Int32Array } {
  const s = toCsr(spliced);
  const u = toCsr(unspliced);
  const nVars = s.nCols;
  const counts = new Float64Array(nVars);
  const cells = new Int32Array(nVars);
  const sRow = new Float64Array(nVars);
  const uRow = new Float64Array(nVars);
  for (let i = 0; i < s.nRows; i++) {
    for (let p = s.indptr[i] as number; p < (s.indptr[i + 1] as number); p++) sRow[s.indices[p] as number] = (sRow[s.indices[p] as number] as number) + (s.data[p] as number);
    for (let p = u.indptr[i] as number; p < (u.indptr[i + 1] as number); p++) uRow[u.indices[p] as number] = (uRow[u.indices[p] as number] as number) + (u.data[p] as number);
    for (let p = u.indptr[i] as number; p < (u.indptr[i + 1] as number); p++) {
      const j = u.indices[p] as number;
      const sv = sRow[j] as number;
      const uv = uRow[j] as number;
      if (sv > 0 && uv > 0) {
        counts[j] = (counts[j] as number) + sv + uv;
        cells[j] = (cells[j] as number) + 1;
      }
      uRow[j] = 0; // each gene once per cell, even with duplicate entries
      sRow[j] = 0;
    }
    for (let p = s.indptr[i] as number; p < (s.indptr[i + 1] as number); p++) sRow[s.indices[p] as number] = 0;
  }
  return { counts, cells };
}

/** scVelo's not_yet_normalized: the stored values of the first 5 rows are whole numbers (within 1e-3). */
export function looksLikeCounts(m: Matrix): boolean {
  const v = firstRowsValues(m, 5);
  for (let k = 0; k < v.length; k++) {
    const x = v[k] as number;
    const frac = ((x % 1) + 1) % 1; // Python's x % 1 (non-negative)
    if (!(Math.abs(frac) <= 1e-3)) return false;
  }
  return true;
}

/**
 * scv.pp.normalize_per_cell with its defaults (use_initial_size, counts_per_cell_after = median):
 * X and each of `layers` that looks like counts is divided per cell by size / median(size), with
 * size = obs `initial_size` (X) or `initial_size_<layer>` (or the current row sums when those columns
 * are missing), in scVelo's float32 steps: factor = f32(size / median) (0 -> 1), row *= f32(1 / factor).
 * obs `n_counts` = row sums of the new X; var `gene_count_corr` (X, when > 3000 genes and not there yet).
 */
export function normalizePerCell(adata: AnnData, options: { layers?: readonly string[] } = {}): AnnData {
  const layers = ['X', ...(options.layers ?? ['spliced', 'unspliced']).filter((l) => l !== 'X' && adata.layers[l] !== undefined)];
  const out = new AnnData({ X: adata.X, obs: adata.obs.clone(), var: adata.var.clone(), layers: { ...adata.layers }, obsm: { ...adata.obsm }, varm: { ...adata.varm }, obsp: { ...adata.obsp }, varp: { ...adata.varp }, uns: structuredClone(adata.uns) });
  for (const name of layers) {
    const m = out.layer(name);
    if (!looksLikeCounts(m)) continue;
    const key = name === 'X' ? 'initial_size' : `initial_size_${name}`;
    const size = out.obs.has(key) ? Float32Array.from(out.obs.get(key) as ArrayLike<number>) : rowSumsF32(m);
    let after = medianF32(size);
    after = f32(after + (after === 0 ? 1 : 0));
    const inv = new Float32Array(size.length);
    for (let i = 0; i < size.length; i++) {
      let factor = f32((size[i] as number) / after);
      factor = f32(factor + (factor === 0 ? 1 : 0));
      inv[i] = 1 / factor;
    }
    const scaled = scaleRowsF32(m, inv);
    if (name === 'X') {
      out.X = scaled;
      if (!out.var.has('gene_count_corr') && scaled.nCols > 3000) out.var.set('gene_count_corr', geneCountCorr(scaled));
    } else out.layers[name] = scaled;
  }
  if (out.X !== undefined) out.obs.set('n_counts', rowSumsF32(out.X));
  return out;
}

/** Pearson correlation of each gene with the number of genes detected per cell, rounded to 4 decimals. */
export function geneCountCorr(m: Matrix): Float64Array {
  const c = toCsr(m);
  const n = c.nRows;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let p = c.indptr[i] as number; p < (c.indptr[i + 1] as number); p++) if ((c.data[p] as number) > 0) y[i] = (y[i] as number) + 1;
  let yMean = 0;
  for (let i = 0; i < n; i++) yMean += y[i] as number;
  yMean /= n;
  let syy = 0;
  for (let i = 0; i < n; i++) syy += ((y[i] as number) - yMean) ** 2;
  // sum (x - mx)(y - my) = sum x (y - my); sum (x - mx)^2 = sum x^2 - n mx^2 (sparse-friendly, float64)
  const sx = new Float64Array(c.nCols);
  const sxx = new Float64Array(c.nCols);
  const sxy = new Float64Array(c.nCols);
  for (let i = 0; i < n; i++) {
    const dy = (y[i] as number) - yMean;
    for (let p = c.indptr[i] as number; p < (c.indptr[i + 1] as number); p++) {
      const j = c.indices[p] as number;
      const x = c.data[p] as number;
      sx[j] = (sx[j] as number) + x;
      sxx[j] = (sxx[j] as number) + x * x;
      sxy[j] = (sxy[j] as number) + x * dy;
    }
  }
  const out = new Float64Array(c.nCols);
  for (let j = 0; j < c.nCols; j++) {
    const mx = (sx[j] as number) / n;
    const vx = (sxx[j] as number) - n * mx * mx;
    out[j] = round4((sxy[j] as number) / Math.sqrt(vx * syy));
  }
  return out;
}

export interface DispersionResult {
  /** log1p of the gene means (flavor seurat / cell_ranger with log). */
  means: Float64Array;
  /** log of variance / mean (NaN where the variance is 0). */
  dispersions: Float64Array;
  /** Dispersions normalized within their mean bin (NaN -> 0). */
  dispersionsNorm: Float64Array;
  highlyVariable: boolean[];
}

/**
 * scv.pp.filter_genes_dispersion's statistics and selection on normalized (not log) values.
 * Mean and variance (ddof 1) per gene; mean 0 -> 1e-12; dispersion = var / mean, 0 -> NaN, log;
 * mean -> log1p(mean). seurat: 20 equal-width mean bins (pd.cut: right-closed, the first edge
 * lowered by 0.1% of the range), z-score of the dispersion within its bin (std ddof 1, NaNs
 * skipped; a bin with a NaN std gets std = its mean, mean = 0). cell_ranger: bins at the 10th,
 * 15th, ..., 100th mean percentiles, |d - median| / MAD (MAD = median absolute deviation / 0.6745,
 * NaN if a dispersion in the bin is NaN). NaN -> 0. With nTopGenes: genes >= the nTopGenes-th
 * largest normalized dispersion; otherwise minMean < mean < maxMean and minDisp < norm < maxDisp.
 */
export function filterGenesDispersion(
  x: Matrix,
  options: { flavor?: 'seurat' | 'cell_ranger'; nTopGenes?: number; nBins?: number; minMean?: number; maxMean?: number; minDisp?: number; maxDisp?: number } = {},
): DispersionResult {
  const n = x.nRows;
  const nVars = x.nCols;
  const { sum, sumSq } = columnStats(x);
  const nn = Math.max(n, 2);
  const means = new Float64Array(nVars);
  const dispersions = new Float64Array(nVars);
  for (let j = 0; j < nVars; j++) {
    const mean = (sum[j] as number) / n;
    const variance = ((sumSq[j] as number) / n - mean * mean) * (nn / (nn - 1));
    const m = mean === 0 ? 1e-12 : mean;
    const d = variance / m;
    dispersions[j] = d === 0 ? NaN : Math.log(d);
    means[j] = Math.log1p(m);
  }
  const flavor = options.flavor ?? 'seurat';
  const codes = flavor === 'seurat' ? pandasCutCodes(means, options.nBins ?? 20) : cellRangerCodes(means);
  const nBins = codes.reduce((a, b) => Math.max(a, b), -1) + 1;
  const groups: number[][] = Array.from({ length: nBins }, () => []);
  codes.forEach((b, j) => (groups[b] as number[]).push(j));
  const norm = new Float64Array(nVars);
  for (const members of groups) {
    if (members.length === 0) continue;
    const d = members.map((j) => dispersions[j] as number);
    const valid = d.filter((v) => !Number.isNaN(v));
    let center: number;
    let spread: number;
    if (flavor === 'seurat') {
      center = valid.length > 0 ? valid.reduce((a, b) => a + b, 0) / valid.length : NaN;
      spread = valid.length > 1 ? Math.sqrt(valid.reduce((a, v) => a + (v - center) ** 2, 0) / (valid.length - 1)) : NaN;
      if (Number.isNaN(spread)) {
        spread = center;
        center = 0;
      }
      members.forEach((j, k) => (norm[j] = ((d[k] as number) - center) / spread));
    } else {
      center = median(valid);
      spread = d.length === valid.length && d.length > 0 ? median(d.map((v) => Math.abs(v - median(d)))) / 0.6744897501960817 : NaN;
      members.forEach((j, k) => (norm[j] = Math.abs((d[k] as number) - center) / spread));
    }
  }
  for (let j = 0; j < nVars; j++) if (Number.isNaN(norm[j])) norm[j] = 0;
  let highlyVariable: boolean[];
  if (options.nTopGenes !== undefined) {
    const sorted = Float64Array.from(norm).sort().reverse();
    const cutoff = sorted[Math.min(options.nTopGenes, nVars) - 1] as number;
    highlyVariable = Array.from(norm, (v) => v >= cutoff);
  } else {
    const minMean = options.minMean ?? 0.0125;
    const maxMean = options.maxMean ?? 3;
    const minDisp = options.minDisp ?? 0.5;
    const maxDisp = options.maxDisp ?? Infinity;
    highlyVariable = Array.from(norm, (v, j) => (means[j] as number) > minMean && (means[j] as number) < maxMean && v > minDisp && v < maxDisp);
  }
  return { means, dispersions, dispersionsNorm: norm, highlyVariable };
}

function median(v: readonly number[]): number {
  if (v.length === 0) return NaN;
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
}

/** pd.cut(values, nBins) codes: equal-width right-closed bins; numpy's linspace edges, the first lowered by 0.1% of the range. */
export function pandasCutCodes(values: Float64Array, nBins: number): Int32Array {
  let mn = Infinity;
  let mx = -Infinity;
  for (const v of values) {
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  const edges = new Float64Array(nBins + 1);
  if (mn === mx) {
    mn -= mn !== 0 ? 0.001 * Math.abs(mn) : 0.001;
    mx += mx !== 0 ? 0.001 * Math.abs(mx) : 0.001;
    const step = (mx - mn) / nBins;
    for (let k = 0; k <= nBins; k++) edges[k] = k * step + mn;
    edges[nBins] = mx;
  } else {
    const step = (mx - mn) / nBins;
    for (let k = 0; k <= nBins; k++) edges[k] = k * step + mn;
    edges[nBins] = mx;
    edges[0] = mn - (mx - mn) * 0.001;
  }
  return Int32Array.from(values, (v) => searchSortedLeft(edges, v) - 1);
}

/** The cell_ranger bins: [-inf, percentiles 10, 15, ..., 100 of the means, +inf], right-closed. */
function cellRangerCodes(means: Float64Array): Int32Array {
  const sorted = Float64Array.from(means).sort();
  const edges = [-Infinity];
  for (let q = 10; q <= 100; q += 5) edges.push(percentileSorted(sorted, q));
  edges.push(Infinity);
  for (let k = 1; k < edges.length; k++) {
    if (!((edges[k] as number) > (edges[k - 1] as number))) {
      throw new RangeError(`${FN}: flavor 'cell_ranger' needs distinct mean percentiles (pd.cut's bin edges must be unique), got ${edges[k - 1]} twice`);
    }
  }
  const e = Float64Array.from(edges);
  return Int32Array.from(means, (v) => searchSortedLeft(e, v) - 1);
}

/** scVelo's log-advised check: np.allclose(sum of X[:10], sum of spliced[:10]). */
function logAdvised(x: Matrix, spliced: Matrix): boolean {
  const total = (m: Matrix): number => {
    let s = 0;
    for (const v of rowSumsF32(m).subarray(0, Math.min(10, m.nRows))) s += v;
    return s;
  };
  const a = total(x);
  const b = total(spliced);
  return Math.abs(a - b) <= 1e-8 + 1e-5 * Math.abs(b);
}

/** log(1 + x) of every stored value, rounded to float32 (CSR stays CSR, dense stays dense). */
function log1pX(m: Matrix): Matrix {
  if (m instanceof DenseArray) return new DenseArray(Float32Array.from(m.values, (v) => Math.log1p(v)), m.nRows, m.nCols);
  const c = toCsr(m);
  return new CsrMatrix({ nRows: c.nRows, nCols: c.nCols, data: Float32Array.from(c.data, (v) => Math.log1p(v)), indices: c.indices.slice(), indptr: c.indptr.slice() }, { check: false });
}
