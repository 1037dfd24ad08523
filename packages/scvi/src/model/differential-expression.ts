// SCVI.differentialExpression: scvi-tools' _de_core around the Bayes-factor statistics.
//
// For each comparison (group1 vs group2, or vs the rest), each group's posterior samples of the
// normalized expression px_scale are drawn as get_normalized_expression(n_samples_overall = N)
// draws them: N cells picked uniformly with replacement from the group, one z draw each (scvi-tools
// draws ⌊N / cells⌋ + 1 per cell and then picks N of those rows; picking the cell first gives the
// same distribution without the surplus draws). Without batch correction each cell is decoded in
// its own batch; with it, N / nBatch samples are decoded in every batch and sample i of group 1
// is paired with sample i of group 2 within the same batch, as scvi-tools pairs them.
// The table is sorted like scvi-tools' (by proba_de for 'change', else by bayes_factor,
// descending) and has its columns: the statistics, is_de_fdr_<target> ('change'), the raw count
// summaries (all_stats) and comparison / group1 / group2.
import { DataFrame } from '@vitae/anndata';
import { Prng, describeValue } from '@vitae/tensor';
import { DE_COLUMNS, bayesFactors } from '../de/bayes-factors.js';
import { fdrDePrediction } from '../de/fdr.js';
import { normalizedExpression } from './posterior.js';

import type { AnnData, CsrMatrix } from '@vitae/anndata';
import type { Column } from '@vitae/anndata';
import type { DeMode, DeTestMode } from '../de/bayes-factors.js';
import type { SCVIModule } from '../module.js';
import type { SetupData } from './setup.js';

export interface DifferentialExpressionOptions {
  /** obs column defining the groups (categorical or string). */
  groupby: string;
  /** A group or groups to test, each against group2 (default: every category, one by one). */
  group1?: string | readonly string[];
  /** The reference group (default: all other cells, "Rest"). */
  group2?: string;
  /** Default 'vanilla'. */
  mode?: DeMode;
  /** 'change': |lfc| <= delta counts as not DE (default 0.25). */
  delta?: number;
  /** 'change': the posterior expected FDR to control (default 0.05). */
  fdrTarget?: number;
  /** Posterior samples per group (default 5000, scvi-tools' n_samples_overall). */
  nSamples?: number;
  /** Decode every sample in every batch and pair within batches (default false). */
  batchCorrection?: boolean;
  /** 'change': offset added to the scales before the log fold change (default 0). */
  pseudocounts?: number;
  /** 'change': 'three' (default) or 'two'. */
  testMode?: DeTestMode;
  /** Add raw_mean, non_zeroes_proportion and raw_normalized_mean per group (default true). */
  allStats?: boolean;
  /** Cells per forward pass (default 128). */
  batchSize?: number;
  /** Seeds the cell picks and the posterior draws (default 0). */
  seed?: number;
}

const FN = 'SCVI.differentialExpression';

/** Per gene, over the cells of `rows`: mean count, fraction non-zero, mean of counts / library · 1e4. */
function rawStats(counts: CsrMatrix, rows: Int32Array): { mean: Float64Array; nonZero: Float64Array; normalizedMean: Float64Array } {
  const g = counts.nCols;
  const mean = new Float64Array(g);
  const nonZero = new Float64Array(g);
  const normalizedMean = new Float64Array(g);
  for (const i of rows) {
    const lo = counts.indptr[i] as number;
    const hi = counts.indptr[i + 1] as number;
    let total = 0;
    for (let p = lo; p < hi; p++) total += counts.data[p] as number;
    for (let p = lo; p < hi; p++) {
      const j = counts.indices[p] as number;
      const v = counts.data[p] as number;
      mean[j] = (mean[j] as number) + v;
      if (v !== 0) nonZero[j] = (nonZero[j] as number) + 1;
      normalizedMean[j] = (normalizedMean[j] as number) + (v / total) * 1e4;
    }
  }
  for (let j = 0; j < g; j++) {
    mean[j] = (mean[j] as number) / rows.length;
    nonZero[j] = (nonZero[j] as number) / rows.length;
    normalizedMean[j] = (normalizedMean[j] as number) / rows.length;
  }
  return { mean, nonZero, normalizedMean };
}

interface Comparison {
  name1: string;
  name2: string;
  rows1: Int32Array;
  rows2: Int32Array;
}

function groupValues(adata: AnnData, groupby: unknown): (string | null)[] {
  if (typeof groupby !== 'string' || groupby === '') throw new TypeError(`${FN}: option 'groupby' must be the name of an obs column, got ${describeValue(groupby)}`);
  if (!adata.obs.has(groupby)) throw new RangeError(`${FN}: option 'groupby' names obs column '${groupby}', which does not exist; the obs columns are ${JSON.stringify(adata.obs.columnNames)}`);
  try {
    return adata.obs.strings(groupby);
  } catch {
    return Array.from(adata.obs.get(groupby) as ArrayLike<unknown>, (v) => String(v));
  }
}

function comparisons(values: (string | null)[], o: DifferentialExpressionOptions): Comparison[] {
  const categories = [...new Set(values.filter((v): v is string => v !== null))].sort();
  const rowsOf = (name: string, option: string): Int32Array => {
    const rows: number[] = [];
    values.forEach((v, i) => v === name && rows.push(i));
    if (rows.length === 0) throw new RangeError(`${FN}: option '${option}' must be a category of obs column '${o.groupby}' with cells, got '${name}'; the categories are ${JSON.stringify(categories)}`);
    return Int32Array.from(rows);
  };
  let group1: readonly string[];
  if (o.group1 === undefined) {
    if (categories.length < 2) throw new RangeError(`${FN}: obs column '${o.groupby}' must have at least two categories for differential expression, got ${JSON.stringify(categories)}`);
    group1 = categories;
  } else {
    group1 = typeof o.group1 === 'string' ? [o.group1] : o.group1;
    if (!Array.isArray(group1) || group1.length === 0) throw new TypeError(`${FN}: option 'group1' must be a category name or a non-empty array of them, got ${describeValue(o.group1)}`);
  }
  const rows2 = o.group2 === undefined ? null : rowsOf(o.group2, 'group2');
  return group1.map((g1) => {
    const rows1 = rowsOf(g1, 'group1');
    if (o.group2 === g1) throw new RangeError(`${FN}: options 'group1' and 'group2' must differ, got '${g1}' for both`);
    const rest = rows2 ?? Int32Array.from(values.flatMap((v, i) => (v !== g1 && v !== null ? [i] : [])));
    if (rest.length === 0) throw new RangeError(`${FN}: group '${g1}' has no cells to compare with`);
    return { name1: g1, name2: o.group2 ?? 'Rest', rows1, rows2: rest };
  });
}

function checkNumber(name: string, value: unknown, ok: (v: number) => boolean, constraint: string): number {
  if (typeof value !== 'number' || !ok(value)) throw new RangeError(`${FN}: option '${name}' must be ${constraint}, got ${describeValue(value)}`);
  return value;
}

/** scvi-tools' SCVI.differential_expression on the model's AnnData. */
export function differentialExpression(module: SCVIModule, data: SetupData, adata: AnnData, options: DifferentialExpressionOptions): DataFrame {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${FN}: argument 'options' must be an object with at least { groupby }, got ${describeValue(options)}`);
  const o = options;
  const mode = o.mode ?? 'vanilla';
  if (mode !== 'vanilla' && mode !== 'change') throw new TypeError(`${FN}: option 'mode' must be 'vanilla' or 'change', got ${describeValue(mode)}`);
  const fdrTarget = checkNumber('fdrTarget', o.fdrTarget ?? 0.05, (v) => v > 0 && v < 1, 'a number in (0, 1)');
  const nSamples = checkNumber('nSamples', o.nSamples ?? 5000, (v) => Number.isSafeInteger(v) && v >= 1, 'an integer >= 1');
  const batchSize = checkNumber('batchSize', o.batchSize ?? 128, (v) => Number.isSafeInteger(v) && v >= 1, 'an integer >= 1');
  const seed = checkNumber('seed', o.seed ?? 0, (v) => Number.isSafeInteger(v) && v >= 0, 'an integer >= 0');
  const batchCorrection = o.batchCorrection ?? false;
  if (typeof batchCorrection !== 'boolean') throw new TypeError(`${FN}: option 'batchCorrection' must be a boolean, got ${describeValue(batchCorrection)}`);
  const allStats = o.allStats ?? true;
  const values = groupValues(adata, o.groupby);
  const nGenes = data.counts.nCols;
  const genes = Int32Array.from({ length: nGenes }, (_, j) => j);
  const nBatch = data.batch.categories.length;
  const transform = batchCorrection ? Array.from({ length: nBatch }, (_, b) => b) : [null];
  const perBatch = Math.max(1, Math.floor(nSamples / transform.length));
  const prng = new Prng(seed);

  /** [transform.length · perBatch × nGenes] samples of px_scale for the cells `rows`. */
  const scales = (rows: Int32Array): Float32Array => {
    const out = new Float32Array(transform.length * perBatch * nGenes);
    transform.forEach((b, k) => {
      const picked = Int32Array.from({ length: perBatch }, () => rows[Math.floor(prng.nextDouble() * rows.length)] as number);
      const drawn = normalizedExpression(module, data, picked, {
        genes, librarySize: 1, transformBatches: b === null ? null : [b], nSamples: 1, returnMean: true, batchSize, seed: prng.nextUint32(),
      });
      out.set(drawn, k * perBatch * nGenes);
    });
    return out;
  };

  const tables = comparisons(values, o).map((c) => {
    const stats = bayesFactors(scales(c.rows1), scales(c.rows2), {
      nGenes, mode,
      ...(o.delta === undefined ? {} : { delta: o.delta }),
      ...(o.pseudocounts === undefined ? {} : { pseudocounts: o.pseudocounts }),
      ...(o.testMode === undefined ? {} : { testMode: o.testMode }),
    });
    const columns = new Map<string, Column>();
    for (const [field, column] of Object.entries(DE_COLUMNS)) {
      const v = stats[field as keyof typeof DE_COLUMNS];
      if (v !== null) columns.set(column, v);
    }
    if (allStats) {
      const s1 = rawStats(data.counts, c.rows1);
      const s2 = rawStats(data.counts, c.rows2);
      columns.set('raw_mean1', s1.mean).set('raw_mean2', s2.mean);
      columns.set('non_zeroes_proportion1', s1.nonZero).set('non_zeroes_proportion2', s2.nonZero);
      columns.set('raw_normalized_mean1', s1.normalizedMean).set('raw_normalized_mean2', s2.normalizedMean);
    }
    const sortKey = (mode === 'change' ? stats.probaDe : stats.bayesFactor) as Float64Array;
    const order = Int32Array.from(genes).sort((i, j) => (sortKey[j] as number) - (sortKey[i] as number) || i - j);
    const sorted = new Map<string, Column>();
    for (const [name, col] of columns) sorted.set(name, Float64Array.from(order, (i) => (col as Float64Array)[i] as number));
    if (mode === 'change') sorted.set(`is_de_fdr_${fdrTarget}`, fdrDePrediction(sorted.get('proba_de') as Float64Array, fdrTarget));
    sorted.set('comparison', Array.from(order, () => `${c.name1} vs ${c.name2}`));
    sorted.set('group1', Array.from(order, () => c.name1));
    sorted.set('group2', Array.from(order, () => c.name2));
    return { index: Array.from(order, (i) => data.varNames[i] as string), columns: sorted };
  });
  // One frame: the comparisons one after the other (scvi-tools concatenates the tables).
  const index = tables.flatMap((tb) => tb.index);
  const merged = new Map<string, Column>();
  for (const name of (tables[0] as { columns: Map<string, Column> }).columns.keys()) {
    const parts = tables.map((tb) => tb.columns.get(name) as Column);
    merged.set(name, parts[0] instanceof Float64Array ? Float64Array.from(parts.flatMap((p) => Array.from(p as Float64Array))) : parts.flatMap((p) => [...(p as readonly (string | boolean)[])]) as Column);
  }
  return new DataFrame(index, merged);
}
