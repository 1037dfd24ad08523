// sc.pp.highly_variable_genes for flavors 'seurat_v3' (counts) and 'seurat' (log data): the
// AnnData step. It returns a new AnnData whose var holds scanpy's columns (and, with
// `subset`, only the highly variable genes).
import { Categorical } from '@vitae/anndata';

import { checkOptions, fail, oneOf, optionalBoolean, optionalNumber, optionalString, show } from '../util/args.js';
import { getMatrix, withChanges } from '../util/adata.js';
import { seurat } from './seurat.js';
import { seuratV3 } from './seurat-v3.js';

import type { AnnData } from '@vitae/anndata';

export interface HighlyVariableGenesOptions {
  /** 'seurat' (default, as scanpy; log1p data) or 'seurat_v3' (counts; what scvi-tools recommends). */
  flavor?: 'seurat' | 'seurat_v3';
  /** Number of genes to select; default 2000 for seurat_v3, cutoffs for seurat. */
  nTopGenes?: number;
  /** Use this layer instead of X (e.g. 'counts' for seurat_v3 after normalising X). */
  layer?: string;
  /** obs column naming each cell's batch: genes are ranked within every batch, then combined. */
  batchKey?: string;
  /** seurat_v3: loess span (default 0.3). */
  span?: number;
  /** seurat_v3: loess surface, 'interpolate' (default, as skmisc) or 'direct'. */
  loessSurface?: 'interpolate' | 'direct';
  /** seurat_v3: check that the data are counts (default true). */
  checkValues?: boolean;
  /** seurat cutoffs (ignored with nTopGenes): defaults 0.0125, 3, 0.5, Infinity. */
  minMean?: number;
  maxMean?: number;
  minDisp?: number;
  maxDisp?: number;
  /** seurat: number of mean bins (default 20). */
  nBins?: number;
  /** Keep only the highly variable genes (default false: only annotate). */
  subset?: boolean;
}

const OPTION_NAMES = ['flavor', 'nTopGenes', 'layer', 'batchKey', 'span', 'loessSurface', 'checkValues', 'minMean', 'maxMean', 'minDisp', 'maxDisp', 'nBins', 'subset'];

/** Each cell's batch code from obs[batchKey] (categories in sorted order, as np.unique). */
function batchCodes(adata: AnnData, batchKey: string, fn: string): { codes: Int32Array; names: string[] } {
  if (!adata.obs.has(batchKey)) fail(fn, `option 'batchKey' must name an obs column, got ${show(batchKey)}; the columns are ${JSON.stringify(adata.obs.columnNames)}`);
  const col = adata.obs.get(batchKey);
  const values: (string | null)[] = col instanceof Categorical ? col.values() : Array.from(col as ArrayLike<unknown>, (v) => (v === null || v === undefined ? null : String(v)));
  const missing = values.indexOf(null);
  if (missing >= 0) fail(fn, `obs['${batchKey}'] (option 'batchKey') must name a batch for every cell, got a missing value at cell ${missing}`);
  const names = [...new Set(values as string[])].sort();
  const index = new Map(names.map((n, i) => [n, i]));
  return { codes: Int32Array.from(values as string[], (v) => index.get(v) as number), names };
}

function logBase(adata: AnnData): number | undefined {
  const l = adata.uns.log1p;
  if (l && typeof l === 'object' && !Array.isArray(l) && !ArrayBuffer.isView(l) && 'base' in l) {
    const b = (l as Record<string, unknown>).base;
    return typeof b === 'number' ? b : undefined;
  }
  return undefined;
}

export function highlyVariableGenes(adata: AnnData, options: HighlyVariableGenesOptions = {}): AnnData {
  const fn = 'highlyVariableGenes';
  checkOptions(fn, options, OPTION_NAMES);
  const flavor = oneOf(fn, 'flavor', options.flavor, ['seurat', 'seurat_v3'], 'seurat');
  const m = getMatrix(adata, options.layer, fn);
  const nVars = adata.nVars;
  let nTop = optionalNumber(fn, 'nTopGenes', options.nTopGenes, { integer: true, min: 1 });
  if (nTop !== undefined && nTop > nVars) fail(fn, `option 'nTopGenes' must be an integer in [1, nVars = ${nVars}], got ${nTop}`);
  if (flavor === 'seurat_v3') nTop ??= Math.min(2000, nVars);
  const batchKey = optionalString(fn, 'batchKey', options.batchKey);
  const batch = batchKey === undefined ? undefined : batchCodes(adata, batchKey, fn);
  const subset = optionalBoolean(fn, 'subset', options.subset) ?? false;
  const v = adata.var.clone();
  let mask: boolean[];
  if (flavor === 'seurat_v3') {
    const span = optionalNumber(fn, 'span', options.span, { above: 0 });
    const surface = oneOf(fn, 'loessSurface', options.loessSurface, ['interpolate', 'direct'], 'interpolate');
    const checkValues = optionalBoolean(fn, 'checkValues', options.checkValues) ?? true;
    const r = seuratV3(m, { nTopGenes: nTop as number, batch: batch?.codes, span, surface, checkValues, fn });
    mask = r.highlyVariable;
    v.set('highly_variable', mask);
    v.set('highly_variable_rank', Float32Array.from(r.rank));
    v.set('means', r.means);
    v.set('variances', r.variances);
    v.set('variances_norm', r.variancesNorm);
    if (batch) v.set('highly_variable_nbatches', r.nBatches);
  } else {
    const cut = {
      minMean: optionalNumber(fn, 'minMean', options.minMean),
      maxMean: optionalNumber(fn, 'maxMean', options.maxMean),
      minDisp: optionalNumber(fn, 'minDisp', options.minDisp),
      maxDisp: optionalNumber(fn, 'maxDisp', options.maxDisp),
    };
    const nBins = optionalNumber(fn, 'nBins', options.nBins, { integer: true, min: 1 });
    if (batch) {
      const seen = new Set<string>();
      for (const name of adata.varNames) {
        if (seen.has(name)) fail(fn, `with option 'batchKey', gene names must be unique (scanpy merges the batches by gene name), got '${name}' twice`);
        seen.add(name);
      }
    }
    const r = seurat(m, { ...cut, nBins, nTopGenes: nTop, logBase: logBase(adata), batch: batch?.codes, geneNames: adata.varNames });
    mask = r.highlyVariable;
    v.set('highly_variable', mask);
    v.set('means', r.means);
    v.set('dispersions', r.dispersions);
    v.set('dispersions_norm', Float32Array.from(r.dispersionsNorm));
    if (batch) {
      v.set('highly_variable_nbatches', r.nBatches as Int32Array);
      v.set('highly_variable_intersection', r.intersection as boolean[]);
    }
  }
  const out = withChanges(adata, { var: v, uns: { hvg: { flavor } } });
  return subset ? out.subset({ var: mask }) : out;
}
