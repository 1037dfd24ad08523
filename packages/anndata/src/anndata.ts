// AnnData: an observations × variables matrix X (cells × genes) with its annotations, named as
// in Python's anndata so a user can move between the two: obs / var data frames, layers (other
// cells × genes matrices, e.g. spliced / unspliced), obsm / varm (per-cell / per-gene
// embeddings), obsp / varp (cell × cell graphs) and uns (anything else).
import { Categorical } from './frame/categorical.js';
import { DataFrame } from './frame/data-frame.js';
import { CscMatrix } from './matrix/csc.js';
import { CsrMatrix } from './matrix/csr.js';
import { DenseArray } from './matrix/dense.js';
import { indexList } from './matrix/selection.js';
import { isMatrix, stackRows, subsetMatrix } from './matrix/matrix.js';

import type { Column } from './frame/data-frame.js';
import type { Matrix } from './matrix/matrix.js';
import type { Selection } from './matrix/selection.js';

/** What `uns` may hold: scalars, strings, arrays, dense matrices and nested records. */
export type UnsValue = string | number | boolean | readonly string[] | readonly number[] | Float64Array | Float32Array | Int32Array | BigInt64Array | Uint8Array | Matrix | { [key: string]: UnsValue };

export interface AnnDataInit {
  X?: Matrix;
  /** Cell annotations; a bare list of cell names also works. Default: names '0', '1', … */
  obs?: DataFrame | readonly string[];
  /** Gene annotations; a bare list of gene names also works. Default: names '0', '1', … */
  var?: DataFrame | readonly string[];
  layers?: Record<string, Matrix>;
  obsm?: Record<string, Matrix>;
  varm?: Record<string, Matrix>;
  obsp?: Record<string, Matrix>;
  varp?: Record<string, Matrix>;
  uns?: Record<string, UnsValue>;
}

function frame(x: DataFrame | readonly string[] | undefined, n: number | undefined, what: string): DataFrame {
  if (x instanceof DataFrame) return x;
  if (x !== undefined) return new DataFrame([...x]);
  if (n === undefined) throw new RangeError(`AnnData: give X, ${what} or a layer so the number of ${what === 'obs' ? 'cells' : 'genes'} is known`);
  return new DataFrame(Array.from({ length: n }, (_, i) => String(i)));
}

export class AnnData {
  X: Matrix | undefined;
  obs: DataFrame;
  var: DataFrame;
  layers: Record<string, Matrix>;
  obsm: Record<string, Matrix>;
  varm: Record<string, Matrix>;
  obsp: Record<string, Matrix>;
  varp: Record<string, Matrix>;
  uns: Record<string, UnsValue>;

  constructor(init: AnnDataInit = {}) {
    const anyMatrix = init.X ?? Object.values(init.layers ?? {})[0];
    this.X = init.X;
    this.obs = frame(init.obs, anyMatrix?.nRows, 'obs');
    this.var = frame(init.var, anyMatrix?.nCols, 'var');
    this.layers = { ...init.layers };
    this.obsm = { ...init.obsm };
    this.varm = { ...init.varm };
    this.obsp = { ...init.obsp };
    this.varp = { ...init.varp };
    this.uns = { ...init.uns };
    this.check();
  }

  get nObs(): number {
    return this.obs.nRows;
  }

  get nVars(): number {
    return this.var.nRows;
  }

  get shape(): [number, number] {
    return [this.nObs, this.nVars];
  }

  get obsNames(): readonly string[] {
    return this.obs.index;
  }

  get varNames(): readonly string[] {
    return this.var.index;
  }

  /**
   * Throws unless every matrix agrees with nObs / nVars (X and layers nObs × nVars, obsm nObs
   * rows, varm nVars rows, obsp nObs × nObs, varp nVars × nVars). Writers call it; call it
   * after assigning into the records directly.
   */
  check(): void {
    const want = (m: unknown, rows: number, cols: number | undefined, where: string): void => {
      if (!isMatrix(m)) throw new TypeError(`AnnData: ${where} must be a CsrMatrix, CscMatrix or DenseArray`);
      if (m.nRows !== rows || (cols !== undefined && m.nCols !== cols)) {
        throw new RangeError(`AnnData: ${where} has shape [${m.nRows}, ${m.nCols}], expected [${rows}, ${cols ?? 'any'}] (nObs = ${this.nObs}, nVars = ${this.nVars})`);
      }
    };
    if (this.X !== undefined) want(this.X, this.nObs, this.nVars, 'X');
    for (const [k, m] of Object.entries(this.layers)) want(m, this.nObs, this.nVars, `layers['${k}']`);
    for (const [k, m] of Object.entries(this.obsm)) want(m, this.nObs, undefined, `obsm['${k}']`);
    for (const [k, m] of Object.entries(this.varm)) want(m, this.nVars, undefined, `varm['${k}']`);
    for (const [k, m] of Object.entries(this.obsp)) want(m, this.nObs, this.nObs, `obsp['${k}']`);
    for (const [k, m] of Object.entries(this.varp)) want(m, this.nVars, this.nVars, `varp['${k}']`);
  }

  /** X (name undefined or 'X') or the layer `name`; an error lists the layers there are. */
  layer(name?: string): Matrix {
    if (name === undefined || name === 'X') {
      if (this.X === undefined) throw new RangeError(`AnnData: X is not set; the layers are ${JSON.stringify(Object.keys(this.layers))}`);
      return this.X;
    }
    const m = this.layers[name];
    if (m === undefined) throw new RangeError(`AnnData: no layer '${name}'; the layers are ${JSON.stringify(Object.keys(this.layers))}`);
    return m;
  }

  /** Sets the layer `name` (nObs × nVars). */
  setLayer(name: string, m: Matrix): this {
    if (!isMatrix(m) || m.nRows !== this.nObs || m.nCols !== this.nVars) {
      throw new RangeError(`AnnData.setLayer: layer '${name}' must be a matrix of shape [${this.nObs}, ${this.nVars}], got ${isMatrix(m) ? `[${m.nRows}, ${m.nCols}]` : typeof m}`);
    }
    this.layers[name] = m;
    return this;
  }

  /**
   * The cells `obs` and genes `var` (indices, boolean masks, ranges or names) as a new AnnData.
   * Unlike Python's lazy views this copies the selected data, so later edits of either object
   * do not reach the other.
   */
  subset(select: { obs?: Selection | readonly string[]; var?: Selection | readonly string[] }): AnnData {
    const byName = (s: Selection | readonly string[] | undefined, names: DataFrame, what: string): Selection | undefined => {
      if (s === undefined || !Array.isArray(s) || typeof s[0] !== 'string') return s as Selection | undefined;
      const pos = names.indexPositions();
      return Int32Array.from(s as readonly string[], (name) => {
        const i = pos.get(name);
        if (i === undefined) throw new RangeError(`AnnData.subset: no ${what} named '${name}'`);
        return i;
      });
    };
    const rows = byName(select.obs, this.obs, 'cell');
    const cols = byName(select.var, this.var, 'gene');
    const rowList = rows === undefined ? undefined : indexList(rows, this.nObs, 'AnnData.subset', 'obs');
    const colList = cols === undefined ? undefined : indexList(cols, this.nVars, 'AnnData.subset', 'var');
    const map = (rec: Record<string, Matrix>, r: Int32Array | undefined, c: Int32Array | undefined): Record<string, Matrix> =>
      Object.fromEntries(Object.entries(rec).map(([k, m]) => [k, subsetMatrix(m, r, c)]));
    return new AnnData({
      X: this.X === undefined ? undefined : subsetMatrix(this.X, rowList, colList),
      obs: rowList ? this.obs.select(rowList) : this.obs.clone(),
      var: colList ? this.var.select(colList) : this.var.clone(),
      layers: map(this.layers, rowList, colList),
      obsm: map(this.obsm, rowList, undefined),
      varm: map(this.varm, colList, undefined),
      obsp: map(this.obsp, rowList, rowList),
      varp: map(this.varp, colList, colList),
      uns: cloneUns(this.uns) as Record<string, UnsValue>,
    });
  }

  /**
   * Several AnnData stacked by cells, as `anndata.concat(..., join='inner', label=batchKey)`:
   * genes are those in every part (in the first part's order), X and the layers every part
   * has are stacked, obs keeps the columns every part has (categoricals get the union of
   * categories) plus a categorical `batchKey` column naming each cell's part; obsm entries
   * every part has are stacked. With `indexUnique` the cell names get '<sep><batch>' appended
   * (anndata's index_unique), otherwise duplicate cell names are an error.
   */
  static concat(parts: readonly AnnData[], options: { batchKey?: string; batchCategories?: readonly string[]; indexUnique?: string } = {}): AnnData {
    if (!Array.isArray(parts) || parts.length === 0 || !parts.every((p) => p instanceof AnnData)) throw new TypeError('AnnData.concat: parts must be a non-empty array of AnnData');
    const batchKey = options.batchKey ?? 'batch';
    const batches = options.batchCategories ?? parts.map((_, i) => String(i));
    if (batches.length !== parts.length) throw new RangeError(`AnnData.concat: batchCategories has ${batches.length} names for ${parts.length} parts`);
    const first = parts[0] as AnnData;
    const shared = first.varNames.filter((g) => parts.every((p) => p.var.indexPositions().has(g)));
    if (shared.length === 0) throw new RangeError('AnnData.concat: the parts have no gene in common');
    const aligned = parts.map((p) => (p.varNames.length === shared.length && p.varNames.every((g, i) => g === shared[i]) ? p : p.subset({ var: shared })));
    const cellNames = aligned.flatMap((p, b) => (options.indexUnique === undefined ? p.obsNames : p.obsNames.map((n) => `${n}${options.indexUnique}${batches[b]}`)));
    const seen = new Set<string>();
    for (const n of cellNames) {
      if (seen.has(n)) throw new RangeError(`AnnData.concat: cell name '${n}' occurs in more than one part; pass indexUnique: '-' to make names unique`);
      seen.add(n);
    }
    const obs = new DataFrame(cellNames);
    for (const name of first.obs.columnNames) {
      if (name === batchKey || !aligned.every((p) => p.obs.has(name))) continue;
      const column = concatColumns(aligned.map((p) => p.obs.get(name)));
      if (column) obs.set(name, column);
    }
    obs.set(batchKey, new Categorical(Int32Array.from(aligned.flatMap((p, b) => Array<number>(p.nObs).fill(b))), [...batches]));
    const common = (pick: (p: AnnData) => Record<string, Matrix>): Record<string, Matrix> =>
      Object.fromEntries(Object.keys(pick(first)).filter((k) => aligned.every((p) => pick(p)[k] !== undefined && (pick(p)[k] as Matrix).nCols === (pick(first)[k] as Matrix).nCols)).map((k) => [k, stackRows(aligned.map((p) => pick(p)[k] as Matrix), `AnnData.concat(${k})`)]));
    return new AnnData({
      X: aligned.every((p) => p.X !== undefined) ? stackRows(aligned.map((p) => p.X as Matrix), 'AnnData.concat(X)') : undefined,
      obs,
      var: (aligned[0] as AnnData).var.clone(),
      layers: common((p) => p.layers),
      obsm: common((p) => p.obsm),
    });
  }
}

/** A deep copy of uns that keeps matrix classes (structuredClone would turn them into plain objects). */
function cloneUns(value: UnsValue): UnsValue {
  if (value instanceof CsrMatrix) return value.clone();
  if (value instanceof CscMatrix) return new CscMatrix({ nRows: value.nRows, nCols: value.nCols, data: value.data.slice(), indices: value.indices.slice(), indptr: value.indptr.slice() }, { check: false });
  if (value instanceof DenseArray) return new DenseArray(value.values.slice(), value.nRows, value.nCols);
  if (ArrayBuffer.isView(value)) return (value as Float64Array).slice();
  if (Array.isArray(value)) return [...(value as unknown[])] as UnsValue;
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneUns(v as UnsValue)]));
  return value;
}

/** One column from the same-named columns of several frames, or undefined if their kinds differ. */
function concatColumns(cols: readonly Column[]): Column | undefined {
  if (cols.every((c) => c instanceof Categorical) || cols.every((c) => c instanceof Categorical || (Array.isArray(c) && c.every((v) => typeof v === 'string' || v === null)))) {
    const values = cols.flatMap((c) => (c instanceof Categorical ? c.values() : [...(c as readonly (string | null)[])]));
    if (cols.every((c) => c instanceof Categorical)) {
      const categories = [...new Set(cols.flatMap((c) => (c as Categorical).categories))];
      return Categorical.fromValues(values, { categories });
    }
    return values;
  }
  if (cols.every((c) => ArrayBuffer.isView(c))) {
    if (cols.every((c) => c.constructor === cols[0]?.constructor)) {
      const Ctor = (cols[0] as object).constructor as new (n: number) => Float64Array;
      const out = new Ctor(cols.reduce((s, c) => s + c.length, 0));
      let at = 0;
      for (const c of cols) {
        out.set(c as unknown as Float64Array, at);
        at += c.length;
      }
      return out as unknown as Column;
    }
    return Float64Array.from(cols.flatMap((c) => Array.from(c as ArrayLike<number | bigint>, Number)));
  }
  if (cols.every((c) => Array.isArray(c) && c.every((v) => typeof v === 'boolean'))) return cols.flatMap((c) => [...(c as readonly boolean[])]);
  return undefined;
}
