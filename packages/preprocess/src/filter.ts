// sc.pp.filter_cells / sc.pp.filter_genes: keep the cells (genes) whose total counts and number
// of expressed genes (cells) lie within the given bounds, and record those numbers in obs (var).
import { colPositives, colSums, rowPositives, rowSums } from './util/stats.js';
import { checkOptions, fail, optionalNumber } from './util/args.js';
import { getMatrix } from './util/adata.js';

import type { AnnData, Matrix } from '@vitae/anndata';

export interface FilterCellsOptions {
  /** Keep cells with at least this many counts (row sum). */
  minCounts?: number;
  /** Keep cells with at least this many genes expressed (> 0). */
  minGenes?: number;
  maxCounts?: number;
  maxGenes?: number;
  /** Count in this layer instead of X. */
  layer?: string;
}

export interface FilterGenesOptions {
  /** Keep genes with at least this many counts (column sum). */
  minCounts?: number;
  /** Keep genes expressed (> 0) in at least this many cells. */
  minCells?: number;
  maxCounts?: number;
  maxCells?: number;
  layer?: string;
}

export interface FilterResult {
  /** keep[i]: whether row (cell) / column (gene) i passes every bound. */
  keep: boolean[];
  /** Number kept. */
  nKept: number;
  /** Counts per cell (gene). */
  nCounts: Float64Array;
  /** Genes expressed per cell, or cells expressing each gene. */
  nExpressed: Int32Array;
}

function bounds(fn: string, options: Record<string, unknown>, names: readonly string[]): Record<string, number | undefined> {
  const out: Record<string, number | undefined> = {};
  for (const name of names) out[name] = optionalNumber(fn, name, options[name], { min: 0 });
  if (names.every((n) => out[n] === undefined)) fail(fn, `give at least one of the options ${names.map((n) => `'${n}'`).join(', ')}`);
  return out;
}

function select(counts: Float64Array, expressed: Int32Array, b: Record<string, number | undefined>, countKeys: [string, string], exprKeys: [string, string]): FilterResult {
  const [minC, maxC] = countKeys.map((k) => b[k]);
  const [minE, maxE] = exprKeys.map((k) => b[k]);
  const keep: boolean[] = new Array<boolean>(counts.length);
  let nKept = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] as number;
    const e = expressed[i] as number;
    const ok = (minC === undefined || c >= minC) && (maxC === undefined || c <= maxC) && (minE === undefined || e >= minE) && (maxE === undefined || e <= maxE);
    keep[i] = ok;
    if (ok) nKept++;
  }
  return { keep, nKept, nCounts: counts, nExpressed: expressed };
}

const CELL_KEYS = ['minCounts', 'minGenes', 'maxCounts', 'maxGenes'] as const;
const GENE_KEYS = ['minCounts', 'minCells', 'maxCounts', 'maxCells'] as const;

/** The cell mask and per-cell numbers of `m` (cells × genes) for the given bounds. */
export function filterCellsMask(m: Matrix, options: Omit<FilterCellsOptions, 'layer'>): FilterResult {
  const b = bounds('filterCellsMask', options as Record<string, unknown>, CELL_KEYS);
  return select(rowSums(m), rowPositives(m), b, ['minCounts', 'maxCounts'], ['minGenes', 'maxGenes']);
}

/** The gene mask and per-gene numbers of `m` (cells × genes) for the given bounds. */
export function filterGenesMask(m: Matrix, options: Omit<FilterGenesOptions, 'layer'>): FilterResult {
  const b = bounds('filterGenesMask', options as Record<string, unknown>, GENE_KEYS);
  return select(colSums(m), colPositives(m), b, ['minCounts', 'maxCounts'], ['minCells', 'maxCells']);
}

/**
 * A new AnnData with the cells that pass every given bound (scanpy allows one bound per call;
 * here several combine with AND). obs gains `n_counts` when a count bound is given and
 * `n_genes` when a gene bound is given, as scanpy names them.
 */
export function filterCells(adata: AnnData, options: FilterCellsOptions): AnnData {
  checkOptions('filterCells', options, [...CELL_KEYS, 'layer']);
  const m = getMatrix(adata, options?.layer, 'filterCells');
  const b = bounds('filterCells', options as unknown as Record<string, unknown>, CELL_KEYS);
  const r = select(rowSums(m), rowPositives(m), b, ['minCounts', 'maxCounts'], ['minGenes', 'maxGenes']);
  const out = adata.subset({ obs: r.keep });
  const rows = Int32Array.from(r.keep.flatMap((k, i) => (k ? [i] : [])));
  if (b.minCounts !== undefined || b.maxCounts !== undefined) out.obs.set('n_counts', Float64Array.from(rows, (i) => r.nCounts[i] as number));
  if (b.minGenes !== undefined || b.maxGenes !== undefined) out.obs.set('n_genes', Int32Array.from(rows, (i) => r.nExpressed[i] as number));
  return out;
}

/**
 * A new AnnData with the genes that pass every given bound; var gains `n_counts` and / or
 * `n_cells` as in scanpy.
 */
export function filterGenes(adata: AnnData, options: FilterGenesOptions): AnnData {
  checkOptions('filterGenes', options, [...GENE_KEYS, 'layer']);
  const m = getMatrix(adata, options?.layer, 'filterGenes');
  const b = bounds('filterGenes', options as unknown as Record<string, unknown>, GENE_KEYS);
  const r = select(colSums(m), colPositives(m), b, ['minCounts', 'maxCounts'], ['minCells', 'maxCells']);
  const out = adata.subset({ var: r.keep });
  const cols = Int32Array.from(r.keep.flatMap((k, j) => (k ? [j] : [])));
  if (b.minCounts !== undefined || b.maxCounts !== undefined) out.var.set('n_counts', Float64Array.from(cols, (j) => r.nCounts[j] as number));
  if (b.minCells !== undefined || b.maxCells !== undefined) out.var.set('n_cells', Int32Array.from(cols, (j) => r.nExpressed[j] as number));
  return out;
}
