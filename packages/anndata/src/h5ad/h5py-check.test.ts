// Python interoperability: files writeH5ad makes are checked against the AnnData on-disk spec by
// test/check_h5ad.py (h5py only; anndata itself is not installable everywhere), and files h5py
// makes in anndata's layout (numpy booleans, nullable arrays, LZF) are read back. Skips when no
// Python with h5py is found, unless VITAE_REQUIRE_H5PY=1 makes that a failure.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

import { findH5pyPython, runPython, tempFolder } from '../../test/h5-helpers.js';
import { everyKind } from '../../test/h5ad-fixture.js';
import { Categorical } from '../frame/categorical.js';
import { CscMatrix } from '../matrix/csc.js';
import { CsrMatrix } from '../matrix/csr.js';
import { DenseArray } from '../matrix/dense.js';
import { toDenseValues } from '../matrix/matrix.js';
import { readH5ad } from './read-h5ad.js';
import { writeH5ad } from './write-h5ad.js';

import type { AnnData, UnsValue } from '../anndata.js';
import type { Column, DataFrame } from '../frame/data-frame.js';
import type { Matrix } from '../matrix/matrix.js';

const CHECKER = fileURLToPath(new URL('../../test/check_h5ad.py', import.meta.url));
const found = findH5pyPython();
const required = process.env.VITAE_REQUIRE_H5PY === '1';
const skip = found.python === undefined && !required;

const tmp = tempFolder();
afterAll(() => tmp.remove());

function python(): string {
  if (found.python === undefined) throw new Error(`VITAE_REQUIRE_H5PY=1 but ${found.reason}`);
  return found.python;
}

const NUMPY: Record<string, string> = { Float64Array: 'float64', Float32Array: 'float32', Int32Array: 'int32', Int16Array: 'int16', Int8Array: 'int8', Uint32Array: 'uint32', Uint16Array: 'uint16', Uint8Array: 'uint8', BigInt64Array: 'int64' };

function nested(values: ArrayLike<number>, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => values[i * cols + j] as number));
}

/** What check_h5ad.py reports for a matrix. */
function expectedMatrix(m: Matrix): unknown {
  const dense = nested(toDenseValues(m), m.nRows, m.nCols);
  if (m instanceof DenseArray) return { kind: 'array', shape: [m.nRows, m.nCols], dtype: NUMPY[m.values.constructor.name], dense };
  return { kind: m instanceof CsrMatrix ? 'csr_matrix' : 'csc_matrix', shape: [m.nRows, m.nCols], dtype: 'float32', index_dtype: 'int32', dense };
}

function expectedColumn(c: Column): unknown {
  if (c instanceof Categorical) return { kind: 'categorical', ordered: c.ordered, categories: c.categories, codes_dtype: 'int8', values: c.values(), attrs: {} };
  if (ArrayBuffer.isView(c)) return { kind: 'numeric', dtype: NUMPY[c.constructor.name], values: Array.from(c as ArrayLike<number | bigint>, Number), attrs: {} };
  const values = c as readonly (string | boolean | null)[];
  // Booleans: uint8 0 / 1 with the vitae-kind marker (h5wasm cannot write HDF5 enums).
  if (values.every((v) => typeof v === 'boolean')) return { kind: 'numeric', dtype: 'uint8', values: values.map((v) => (v ? 1 : 0)), attrs: { 'vitae-kind': 'bool' } };
  // Strings with missing values: a categorical marked as a string column.
  if (values.includes(null)) {
    const cat = Categorical.fromValues(values as (string | null)[]);
    return { kind: 'categorical', ordered: false, categories: cat.categories, codes_dtype: 'int8', values, attrs: { 'vitae-kind': 'string' } };
  }
  return { kind: 'string', values };
}

function expectedFrame(df: DataFrame): unknown {
  return { index: df.index, index_name: df.indexName, column_order: df.columnNames, columns: Object.fromEntries(df.columnNames.map((n) => [n, expectedColumn(df.get(n))])) };
}

function expectedUns(v: UnsValue): unknown {
  if (typeof v === 'string') return { kind: 'string', value: v };
  if (typeof v === 'number') return { kind: 'numeric-scalar', dtype: Number.isSafeInteger(v) ? 'int64' : 'float64', value: v, attrs: {} };
  if (typeof v === 'boolean') return { kind: 'numeric-scalar', dtype: 'uint8', value: v ? 1 : 0, attrs: { 'vitae-kind': 'bool' } };
  if (v instanceof CsrMatrix || v instanceof CscMatrix) return expectedMatrix(v);
  if (v instanceof DenseArray) return { kind: 'array', dtype: NUMPY[v.values.constructor.name], shape: [v.nRows, v.nCols], values: nested(v.values, v.nRows, v.nCols) };
  if (ArrayBuffer.isView(v)) return { kind: 'array', dtype: NUMPY[v.constructor.name], shape: [v.length], values: Array.from(v as ArrayLike<number | bigint>, Number) };
  if (Array.isArray(v)) return v.every((x) => typeof x === 'string') ? { kind: 'string-array', values: v } : { kind: 'array', dtype: 'float64', shape: [v.length], values: v };
  return { kind: 'dict', items: Object.fromEntries(Object.entries(v as Record<string, UnsValue>).map(([k, x]) => [k, expectedUns(x)])) };
}

function expectedContents(a: AnnData): Record<string, unknown> {
  const matrices = (rec: Record<string, Matrix>) => Object.fromEntries(Object.entries(rec).map(([k, m]) => [k, expectedMatrix(m)]));
  return {
    obs: expectedFrame(a.obs),
    var: expectedFrame(a.var),
    ...(a.X === undefined ? {} : { X: expectedMatrix(a.X) }),
    layers: matrices(a.layers),
    obsm: matrices(a.obsm),
    varm: matrices(a.varm),
    obsp: matrices(a.obsp),
    varp: matrices(a.varp),
    uns: expectedUns(a.uns),
  };
}

interface CheckerReport {
  errors: string[];
  contents: Record<string, unknown> & { compression: Record<string, string | null> };
}

describe.skipIf(skip)(`Python h5py interoperability${skip ? ` — skipped: ${found.reason}` : ''}`, () => {
  it('writes files that follow the AnnData >= 0.8 spec, with the values written (gzip and LZF)', async () => {
    const a = everyKind();
    // Large enough for LZF, which leaves chunks under 4 KiB uncompressed.
    a.obsm.X_big = new DenseArray(Float32Array.from({ length: 5000 }, (_, i) => i % 10), 5, 1000);
    for (const compression of ['gzip', 'lzf'] as const) {
      const path = join(tmp.dir, `every-${compression}.h5ad`);
      await writeH5ad(a, path, { compression });
      const report = JSON.parse(runPython(python(), [CHECKER, path])) as CheckerReport;
      expect(report.errors).toEqual([]);
      const { compression: filters, ...contents } = report.contents;
      expect(contents).toEqual(expectedContents(a));
      expect(filters['obsm/X_big']).toBe(compression);
      expect(filters['X/data']).toBe(compression === 'gzip' ? 'gzip' : null);
      // Variable-length strings are never compressed.
      expect(filters['obs/_index']).toBeNull();
    }
  });

  it('reads files h5py writes in anndata’s layout: numpy booleans, nullable arrays, LZF, fixed-length strings', async () => {
    const path = join(tmp.dir, 'from-h5py.h5ad');
    const script = String.raw`
import sys, h5py, numpy as np
str_dt = h5py.string_dtype('utf-8')
def enc(o, t, v):
    o.attrs['encoding-type'] = t
    o.attrs['encoding-version'] = v
with h5py.File(sys.argv[1], 'w') as f:
    enc(f, 'anndata', '0.1.0')
    obs = f.create_group('obs'); enc(obs, 'dataframe', '0.2.0')
    obs.attrs['_index'] = 'cell'
    obs.attrs['column-order'] = np.array(['ok', 'cat', 'ni', 'nb', 'ns'], dtype=object)
    d = obs.create_dataset('cell', data=np.array(['c1', 'c2', 'c3'], dtype=object), dtype=str_dt); enc(d, 'string-array', '0.2.0')
    d = obs.create_dataset('ok', data=np.array([True, False, True])); enc(d, 'array', '0.2.0')
    g = obs.create_group('cat'); enc(g, 'categorical', '0.2.0'); g.attrs['ordered'] = np.bool_(True)
    g.create_dataset('codes', data=np.array([1, -1, 0], dtype='int16'))
    c = g.create_dataset('categories', data=np.array(['lo', 'hi'], dtype=object), dtype=str_dt); enc(c, 'string-array', '0.2.0')
    g = obs.create_group('ni'); enc(g, 'nullable-integer', '0.1.0')
    g.create_dataset('values', data=np.array([7, 0, 9], dtype='int64')); g.create_dataset('mask', data=np.array([False, True, False]))
    g = obs.create_group('nb'); enc(g, 'nullable-boolean', '0.1.0')
    g.create_dataset('values', data=np.array([True, False, False])); g.create_dataset('mask', data=np.array([False, False, True]))
    g = obs.create_group('ns'); enc(g, 'nullable-string-array', '0.1.0')
    g.create_dataset('values', data=np.array(['a', '', 'c'], dtype=object), dtype=str_dt); g.create_dataset('mask', data=np.array([False, True, False]))
    var = f.create_group('var'); enc(var, 'dataframe', '0.2.0')
    var.attrs['_index'] = '_index'; var.attrs['column-order'] = np.array([], dtype=float)
    var.create_dataset('_index', data=np.array([b'g1', b'g2'], dtype='S2'))
    X = f.create_group('X'); enc(X, 'csr_matrix', '0.1.0'); X.attrs['shape'] = (3, 2)
    X.create_dataset('data', data=np.array([1.5, 2.5, 3.5]), compression='lzf')
    X.create_dataset('indices', data=np.array([0, 1, 1], dtype='int64'), compression='lzf')
    X.create_dataset('indptr', data=np.array([0, 2, 2, 3], dtype='int64'))
    uns = f.create_group('uns'); enc(uns, 'dict', '0.1.0')
    d = uns.create_dataset('flag', data=np.bool_(True)); enc(d, 'numeric-scalar', '0.2.0')
    d = uns.create_dataset('mask', data=np.array([True, False])); enc(d, 'array', '0.2.0')
    d = uns.create_dataset('n', data=np.int64(12)); enc(d, 'numeric-scalar', '0.2.0')
    d = uns.create_dataset('method', data='umap', dtype=str_dt); enc(d, 'string', '0.2.0')
    d = uns.create_dataset('big', data=np.arange(6, dtype='uint16').reshape(2, 3)); enc(d, 'array', '0.2.0')
`;
    runPython(python(), ['-', path], script);
    const a = await readH5ad(path);
    expect(a.obsNames).toEqual(['c1', 'c2', 'c3']);
    expect(a.obs.indexName).toBe('cell');
    expect(a.obs.get('ok')).toEqual([true, false, true]);
    const cat = a.obs.get('cat') as Categorical;
    expect(cat.values()).toEqual(['hi', null, 'lo']);
    expect(cat.ordered).toBe(true);
    expect(Array.from(a.obs.get('ni') as Float64Array)).toEqual([7, NaN, 9]);
    expect(Array.from(a.obs.get('nb') as Float64Array)).toEqual([1, 0, NaN]);
    expect(a.obs.get('ns')).toEqual(['a', null, 'c']);
    expect(a.varNames).toEqual(['g1', 'g2']);
    expect(Array.from(toDenseValues(a.X as Matrix))).toEqual([1.5, 2.5, 0, 0, 0, 3.5]);
    expect(a.uns.flag).toBe(true);
    expect(a.uns.mask).toEqual(new Uint8Array([1, 0]));
    expect(a.uns.n).toBe(12);
    expect(a.uns.method).toBe('umap');
    expect(a.uns.big).toEqual(new DenseArray(new Float64Array([0, 1, 2, 3, 4, 5]), 2, 3));
  });
});
