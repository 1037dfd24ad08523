import { describe, expect, it } from 'vitest';
import { numTensors } from '@vitae/tensor';

import { CscMatrix } from './csc.js';
import { CsrMatrix } from './csr.js';
import { DenseArray } from './dense.js';
import { stackRows, subsetMatrix, toCsr, toDenseValues } from './matrix.js';

// 3 × 4:  [1 0 2 0]
//         [0 0 0 0]
//         [0 3 0 4]
const dense = [1, 0, 2, 0, 0, 0, 0, 0, 0, 3, 0, 4];
const m = (): CsrMatrix => CsrMatrix.fromDense(dense, 3, 4);

describe('CsrMatrix', () => {
  it('stores the non-zeros row by row', () => {
    const a = m();
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(a.indices)).toEqual([0, 2, 1, 3]);
    expect(Array.from(a.indptr)).toEqual([0, 2, 2, 4]);
    expect(a.nnz).toBe(4);
    expect(a.density).toBeCloseTo(4 / 12, 12);
    expect(a.get(2, 3)).toBe(4);
    expect(a.get(1, 1)).toBe(0);
    expect(Array.from(a.toDense())).toEqual(dense);
  });

  it('sums rows and columns and counts non-zeros', () => {
    const a = m();
    expect(Array.from(a.rowSums())).toEqual([3, 0, 7]);
    expect(Array.from(a.colSums())).toEqual([1, 3, 2, 4]);
    expect(Array.from(a.rowNnz())).toEqual([2, 0, 2]);
    expect(Array.from(a.colNnz())).toEqual([1, 1, 1, 1]);
  });

  it('selects rows by index list, mask and range, and columns in any order', () => {
    const a = m();
    expect(Array.from(a.selectRows([2, 0, 2]).toDense())).toEqual([0, 3, 0, 4, 1, 0, 2, 0, 0, 3, 0, 4]);
    expect(Array.from(a.selectRows([true, false, true]).toDense())).toEqual([1, 0, 2, 0, 0, 3, 0, 4]);
    expect(Array.from(a.selectRows({ start: 1, end: 3 }).toDense())).toEqual([0, 0, 0, 0, 0, 3, 0, 4]);
    const c = a.selectColumns([3, 0, 0]);
    expect(c.shape).toEqual([3, 3]);
    expect(Array.from(c.toDense())).toEqual([0, 1, 1, 0, 0, 0, 4, 0, 0]);
  });

  it('transposes, builds from COO summing duplicates, scales and maps values', () => {
    const a = m();
    const t = a.transpose();
    expect(t.shape).toEqual([4, 3]);
    expect(Array.from(t.toDense())).toEqual([1, 0, 0, 0, 0, 3, 2, 0, 0, 0, 0, 4]);
    const coo = CsrMatrix.fromCoo([2, 0, 2, 0, 0], [3, 2, 1, 0, 2], [4, 1, 3, 1, 1], 3, 4);
    expect(Array.from(coo.toDense())).toEqual([1, 0, 2, 0, 0, 0, 0, 0, 0, 3, 0, 4]);
    expect(Array.from(coo.indices)).toEqual([0, 2, 1, 3]);
    expect(Array.from(a.scaleRows([2, 5, 0.5]).data)).toEqual([2, 4, 1.5, 2]);
    expect(Array.from(a.scaleColumns([1, 10, 100, 1000]).data)).toEqual([1, 200, 30, 4000]);
    expect(Array.from(a.mapValues(Math.log1p).data)).toEqual(Array.from(Float32Array.from([1, 2, 3, 4], Math.log1p)));
    expect(a.isCounts()).toBe(true);
    expect(a.scaleRows([0.5, 1, 1]).isCounts()).toBe(false);
  });

  it('gives a row batch as a dense tensor without leaking', () => {
    const a = m();
    const before = numTensors();
    const t = a.rowsToTensor([2, 0]);
    expect(t.shape).toEqual([2, 4]);
    expect(Array.from(t.dataSync())).toEqual([0, 3, 0, 4, 1, 0, 2, 0]);
    t.dispose();
    expect(numTensors()).toBe(before);
  });

  it('refuses malformed structures and selections with clear errors', () => {
    const ok = { nRows: 2, nCols: 3, data: new Float32Array([1, 2]), indices: new Int32Array([0, 2]), indptr: new Int32Array([0, 1, 2]) };
    expect(() => new CsrMatrix({ ...ok, indptr: new Int32Array([0, 2]) })).toThrow(/indptr must have 3 entries/);
    expect(() => new CsrMatrix({ ...ok, indices: new Int32Array([0, 3]) })).toThrow(/index 3 at position 1 is outside \[0, 3\)/);
    expect(() => new CsrMatrix({ ...ok, indptr: new Int32Array([0, 2, 1]) })).toThrow(/indptr\[2\] must equal the number of stored values 2, got 1/);
    expect(() => new CsrMatrix({ ...ok, data: new Float32Array([1]) })).toThrow(/same length/);
    expect(() => m().selectRows([0, 3])).toThrow(/holds 3 at position 1, outside the valid indices \[0, 3\)/);
    expect(() => m().selectRows([true, false])).toThrow(/mask 'rows' must have 3 entries, got 2/);
    expect(() => m().selectRows({ start: 2, end: 5 })).toThrow(/0 <= start <= end <= 3/);
    expect(() => m().scaleRows([1])).toThrow(/factors must have nRows = 3 entries, got 1/);
    expect(() => CsrMatrix.fromCoo([0], [4], [1], 3, 4)).toThrow(/column 4 at entry 0 is outside \[0, 4\)/);
  });
});

describe('CSC and dense matrices', () => {
  it('converts CSC <-> CSR and subsets each kind the same way', () => {
    const csr = m();
    const csc = CscMatrix.fromCsr(csr);
    expect(Array.from(csc.indptr)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(csc.toCsr().toDense())).toEqual(dense);
    const d = new DenseArray(Float32Array.from(dense), 3, 4);
    const want = [4, 3, 0, 0, 0, 2];
    for (const x of [csr, csc, d]) {
      const s = subsetMatrix(x, [2, 0], [3, 1, 2]);
      expect(s.constructor).toBe(x.constructor);
      expect(s.shape).toEqual([2, 3]);
      expect(Array.from(toDenseValues(s))).toEqual(want);
    }
    expect(Array.from(toCsr(d).data)).toEqual([1, 2, 3, 4]);
  });

  it('stacks rows of the same width and refuses different widths', () => {
    const top = m();
    const bottom = CsrMatrix.fromDense([5, 0, 0, 6], 1, 4);
    const s = stackRows([top, bottom], 'test');
    expect(s).toBeInstanceOf(CsrMatrix);
    expect(Array.from(toDenseValues(s))).toEqual([...dense, 5, 0, 0, 6]);
    expect(Array.from(toDenseValues(stackRows([new DenseArray(Float32Array.from(dense), 3, 4), bottom], 'test')))).toEqual([...dense, 5, 0, 0, 6]);
    expect(() => stackRows([top, CsrMatrix.fromDense([1, 2], 1, 2)], 'X')).toThrow(/X: part 1 has 2 columns, part 0 has 4/);
    expect(() => new DenseArray(new Float32Array(5), 2, 3)).toThrow(/values has 5 entries, expected nRows × nCols = 2 × 3 = 6/);
  });
});

describe('CsrMatrix.selectColumns paths', () => {
  it('gives the dense answer for increasing, shuffled and repeated selections', () => {
    // 4 × 6 with a few entries per row
    const values = [0, 1, 0, 2, 0, 3, 4, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 6, 7, 8, 0, 0, 9];
    const a = CsrMatrix.fromDense(values, 4, 6);
    for (const cols of [[0, 1, 3, 5], [5, 3, 1, 0, 4], [2, 2, 5, 0, 5]]) {
      const s = a.selectColumns(cols);
      const want = Array.from({ length: 4 }, (_, i) => cols.map((j) => values[i * 6 + j] as number)).flat();
      expect(Array.from(s.toDense())).toEqual(want);
      for (let i = 0; i < 4; i++) {
        const row = Array.from(s.indices.subarray(s.indptr[i], s.indptr[i + 1]));
        expect(row).toEqual([...row].sort((x, y) => x - y));
      }
    }
  });
});
