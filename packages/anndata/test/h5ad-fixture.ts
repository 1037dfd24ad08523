// An AnnData with one of every element kind writeH5ad knows, and a deep comparison of two
// AnnData objects (every matrix value, every column, categories, uns) for round-trip tests.
import { expect } from 'vitest';

import { AnnData } from '../src/anndata.js';
import { Categorical } from '../src/frame/categorical.js';
import { DataFrame } from '../src/frame/data-frame.js';
import { CscMatrix } from '../src/matrix/csc.js';
import { CsrMatrix } from '../src/matrix/csr.js';
import { DenseArray } from '../src/matrix/dense.js';

import type { UnsValue } from '../src/anndata.js';
import type { Matrix } from '../src/matrix/matrix.js';

/** 5 cells × 4 genes with every column, matrix and uns kind. */
export function everyKind(): AnnData {
  const counts = [1, 0, 2, 0, 0, 3, 0, 0, 4, 0, 0, 5, 0, 0, 0, 0, 6, 7, 0, 8];
  const X = CsrMatrix.fromDense(counts, 5, 4);
  const obs = new DataFrame(['AAAC-1', 'AAAG-1', 'ACGT-1', 'TTTT-1', 'β-cell-✓'], {
    cluster: Categorical.fromValues(['T', 'B', null, 'T', 'NK']),
    stage: new Categorical(new Int32Array([0, 1, 2, 1, 0]), ['early', 'mid', 'late'], true),
    label: ['a', 'b', 'c', 'd', 'é'],
    donor: ['d1', null, 'd2', 'd1', null],
    n_counts: new Float64Array([3, 3, 4, 5, 21.5]),
    score: new Float32Array([0.1, -2.5, 3.25, 0, 1e-3]),
    n_genes: new Int32Array([2, 1, 1, 1, 3]),
    small: new Int8Array([-1, 0, 1, 2, 3]),
    flags: new Uint8Array([0, 1, 2, 3, 255]),
    big: new BigInt64Array([1n, -2n, 3n, 2n ** 40n, 0n]),
    passed: [true, false, true, true, false],
  });
  const vars = new DataFrame(['Gene1', 'Gene2', 'Mt-Co1', 'Gene4'], {
    gene_ids: ['ENSG1', 'ENSG2', 'ENSG3', 'ENSG4'],
    highly_variable: [true, false, false, true],
    means: new Float64Array([0.5, 1.5, 2.5, 3.5]),
  }, { indexName: 'symbol' });
  return new AnnData({
    X,
    obs,
    var: vars,
    layers: {
      spliced: X.clone(),
      unspliced_csc: CscMatrix.fromCsr(CsrMatrix.fromDense(counts.map((v) => v * 2), 5, 4)),
      dense32: new DenseArray(Float32Array.from(counts, (v) => v / 3), 5, 4),
      dense64: new DenseArray(Float64Array.from(counts, (v) => v / 3), 5, 4),
    },
    obsm: { X_pca: new DenseArray(Float32Array.from({ length: 10 }, (_, i) => i - 4.5), 5, 2), X_umap: new DenseArray(Float64Array.from({ length: 10 }, (_, i) => i / 7), 5, 2) },
    varm: { PCs: new DenseArray(Float64Array.from({ length: 8 }, (_, i) => i * 0.25), 4, 2) },
    obsp: { connectivities: CsrMatrix.fromDense([0, 1, 0, 0, 0, 1, 0, 0.5, 0, 0, 0, 0.5, 0, 0, 0, 0, 0, 0, 0, 0.25, 0, 0, 0, 0.25, 0], 5, 5) },
    varp: { corr: CscMatrix.fromCsr(CsrMatrix.fromDense([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1], 4, 4)) },
    uns: {
      title: 'pancreas — test ✓',
      n_pcs: 50,
      resolution: 0.8,
      log1p: true,
      none_done: false,
      names: ['a', 'β', ''],
      empty_names: [],
      weights: [0.5, 1.5],
      f32: new Float32Array([1.5, -2]),
      i32: new Int32Array([1, 2, 3]),
      i64: new BigInt64Array([5n, -6n]),
      u8: new Uint8Array([7, 8]),
      nested: { params: { method: 'umap', n_neighbors: 15 }, deep: { deeper: { x: 1.25 } } },
      dense: new DenseArray(Float64Array.from([1, 2, 3, 4, 5, 6]), 2, 3),
      sparse: CsrMatrix.fromDense([0, 1, 2, 0], 2, 2),
    },
  });
}

/** -1 when `a` and `b` have the same type, length and bytes (NaN payloads included), else the first differing position. */
export function firstDifference(a: ArrayBufferView & { length: number }, b: ArrayBufferView & { length: number }): number {
  if (a.constructor !== b.constructor || a.length !== b.length) return 0;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  const size = a.byteLength / Math.max(a.length, 1);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return Math.floor(i / size);
  return -1;
}

function matrixParts(m: Matrix): Record<string, unknown> {
  if (m instanceof CsrMatrix || m instanceof CscMatrix) return { kind: m.constructor.name, shape: m.shape, nnz: m.nnz };
  return { kind: 'DenseArray', dtype: m.values.constructor.name, shape: m.shape };
}

export function expectSameMatrix(a: Matrix | undefined, b: Matrix | undefined, what: string): void {
  expect(a === undefined, `${what} presence`).toBe(b === undefined);
  if (a === undefined || b === undefined) return;
  expect(matrixParts(a), what).toEqual(matrixParts(b));
  // Large arrays are compared bytewise: deep equality over millions of numbers takes seconds.
  if (a instanceof DenseArray) expect(firstDifference(a.values, (b as DenseArray).values), `${what} first differing value`).toBe(-1);
  else {
    const c = b as CsrMatrix | CscMatrix;
    for (const part of ['data', 'indices', 'indptr'] as const) expect(firstDifference(a[part], c[part]), `${what}.${part} first differing value`).toBe(-1);
  }
}

function frameParts(df: DataFrame): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const name of df.columnNames) {
    const c = df.get(name);
    columns[name] =
      c instanceof Categorical
        ? { kind: 'categorical', codes: Array.from(c.codes), categories: c.categories, ordered: c.ordered }
        : ArrayBuffer.isView(c)
          ? { kind: c.constructor.name, values: Array.from(c as ArrayLike<number | bigint>) }
          : { kind: 'array', values: [...c] };
  }
  return { index: df.index, indexName: df.indexName, columnNames: df.columnNames, columns };
}

function unsParts(v: UnsValue): unknown {
  if (v instanceof CsrMatrix || v instanceof CscMatrix) return { ...matrixParts(v), data: Array.from(v.data), indices: Array.from(v.indices), indptr: Array.from(v.indptr) };
  if (v instanceof DenseArray) return { ...matrixParts(v), values: Array.from(v.values) };
  if (ArrayBuffer.isView(v)) return { kind: v.constructor.name, values: Array.from(v as ArrayLike<number | bigint>) };
  if (Array.isArray(v)) return [...v];
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unsParts(x as UnsValue)]));
  return v;
}

/** Every part of `a` equals `b`: matrices (kind, dtype, values), frames (index, column kinds and values, categories), uns. */
export function expectSameAnnData(a: AnnData, b: AnnData): void {
  expect(frameParts(a.obs), 'obs').toEqual(frameParts(b.obs));
  expect(frameParts(a.var), 'var').toEqual(frameParts(b.var));
  expectSameMatrix(a.X, b.X, 'X');
  for (const key of ['layers', 'obsm', 'varm', 'obsp', 'varp'] as const) {
    expect(Object.keys(a[key]).sort(), key).toEqual(Object.keys(b[key]).sort());
    for (const name of Object.keys(a[key])) expectSameMatrix(a[key][name], b[key][name], `${key}.${name}`);
  }
  expect(unsParts(a.uns), 'uns').toEqual(unsParts(b.uns));
}
