// scvi-tools' setup_anndata for SCVI: which matrix holds the counts, which obs columns are the
// batch and the labels, all checked once before a model is built. The counts stay sparse (CSR);
// minibatches densify only their own rows.
//
// Checked here, with the cell and gene named: every value finite, >= 0 and an integer (all three
// likelihoods are count models); no cell with zero total counts (its log library is -Infinity);
// batch / label columns that exist and have no missing values.
import { AnnData, Categorical, CsrMatrix, columnKind, toCsr } from '@vitae/anndata';
import { describeValue } from '@vitae/tensor';

import type { Matrix } from '@vitae/anndata';

export interface SetupOptions {
  /** The layer with raw counts (default: X). */
  layer?: string;
  /** Categorical obs column of the batch (default: one batch). */
  batchKey?: string;
  /** Categorical obs column of the labels (used by the 'gene-label' dispersion; default: one label). */
  labelsKey?: string;
}

/** A categorical obs column as codes. */
export interface CategoryCodes {
  /** The obs column, or null when not given (one category, '0'). */
  key: string | null;
  codes: Int32Array;
  categories: readonly string[];
}

export interface SetupData {
  layer: string | null;
  /** nObs × nVars float32 counts. */
  counts: CsrMatrix;
  batch: CategoryCodes;
  labels: CategoryCodes;
  obsNames: readonly string[];
  varNames: readonly string[];
}

/** The codes of obs column `key`: a Categorical's own categories, else the sorted distinct values. */
export function obsCategories(fn: string, option: string, adata: AnnData, key: string): { codes: Int32Array; categories: readonly string[] } {
  if (typeof key !== 'string' || key === '') throw new TypeError(`${fn}: option '${option}' must be the name of an obs column, got ${describeValue(key)}`);
  if (!adata.obs.has(key)) throw new RangeError(`${fn}: option '${option}' names obs column '${key}', which does not exist; the obs columns are ${JSON.stringify(adata.obs.columnNames)}`);
  const column = adata.obs.get(key);
  let cat: Categorical;
  if (column instanceof Categorical) {
    cat = column;
  } else {
    const kind = columnKind(column);
    const values = kind === 'string' ? [...(column as readonly (string | null)[])] : Array.from(column as ArrayLike<number | boolean>, (v) => String(v));
    // Numbers sort as numbers ('2' before '10'), strings as strings, as pandas' category dtype does.
    const distinct = [...new Set(values.filter((v): v is string => v !== null))];
    if (kind === 'numeric') distinct.sort((a, b) => Number(a) - Number(b));
    else distinct.sort();
    cat = Categorical.fromValues(values, { categories: distinct });
  }
  const missing = cat.codes.indexOf(-1);
  if (missing >= 0) {
    throw new RangeError(`${fn}: obs column '${key}' (option '${option}') must have a value for every cell, got a missing value at cell ${missing} ('${adata.obsNames[missing]}')`);
  }
  if (cat.categories.length === 0) throw new RangeError(`${fn}: obs column '${key}' (option '${option}') has no categories`);
  return { codes: cat.codes, categories: cat.categories };
}

function singleCategory(n: number): CategoryCodes {
  return { key: null, codes: new Int32Array(n), categories: ['0'] };
}

/** The counts as float32 CSR, checked value by value. */
function countMatrix(fn: string, adata: AnnData, layer: string | undefined): CsrMatrix {
  let m: Matrix;
  try {
    m = adata.layer(layer);
  } catch (error) {
    throw new RangeError(`${fn}: option 'layer' must name a layer of the AnnData (or be undefined for X): ${(error as Error).message}`);
  }
  const csr = toCsr(m);
  const data = csr.data instanceof Float32Array ? csr.data : Float32Array.from(csr.data);
  const where = layer === undefined ? 'X' : `layers['${layer}']`;
  for (let i = 0; i < csr.nRows; i++) {
    let total = 0;
    for (let p = csr.indptr[i] as number; p < (csr.indptr[i + 1] as number); p++) {
      const v = data[p] as number;
      if (!(v >= 0) || !Number.isFinite(v) || !Number.isInteger(v)) {
        const j = csr.indices[p] as number;
        const what = Number.isNaN(v) ? 'NaN' : v < 0 ? 'a negative value' : Number.isFinite(v) ? 'a non-integer value' : 'an infinite value';
        throw new RangeError(
          `${fn}: ${where} must hold raw counts (integers >= 0) for the count likelihoods, got ${what} (${v}) at cell ${i} ('${adata.obsNames[i]}'), gene ${j} ('${adata.varNames[j]}')`,
        );
      }
      total += v;
    }
    if (total === 0) {
      throw new RangeError(`${fn}: every cell must have counts (the observed library size is log Σ_g x_g), got a cell with zero total counts: cell ${i} ('${adata.obsNames[i]}'); filter such cells first (e.g. filterCells from @vitae/preprocess)`);
    }
  }
  if (csr.nCols === 0) throw new RangeError(`${fn}: ${where} must have at least one gene, got 0`);
  return data === csr.data ? csr : new CsrMatrix({ nRows: csr.nRows, nCols: csr.nCols, data, indices: csr.indices, indptr: csr.indptr }, { check: false });
}

/** Reads and checks what SCVI needs from `adata`. */
export function setupAnnData(fn: string, adata: AnnData, options: SetupOptions): SetupData {
  if (!(adata instanceof AnnData)) throw new TypeError(`${fn}: argument 'adata' must be an AnnData (from @vitae/anndata), got ${describeValue(adata)}`);
  if (adata.nObs === 0) throw new RangeError(`${fn}: argument 'adata' must hold at least one cell, got 0`);
  const { layer, batchKey, labelsKey } = options;
  if (layer !== undefined && (typeof layer !== 'string' || layer === '')) throw new TypeError(`${fn}: option 'layer' must be a layer name, got ${describeValue(layer)}`);
  const batch = batchKey === undefined ? singleCategory(adata.nObs) : { key: batchKey, ...obsCategories(fn, 'batchKey', adata, batchKey) };
  const labels = labelsKey === undefined ? singleCategory(adata.nObs) : { key: labelsKey, ...obsCategories(fn, 'labelsKey', adata, labelsKey) };
  return {
    layer: layer ?? null,
    counts: countMatrix(fn, adata, layer),
    batch,
    labels,
    obsNames: adata.obsNames,
    varNames: adata.varNames,
  };
}
