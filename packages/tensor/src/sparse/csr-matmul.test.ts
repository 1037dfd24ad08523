import { describe, expect, it } from 'vitest';
import * as vt from '../index.js';
import { SparseKernel, composedCsrMatMul, listArrayKernels, runArrayKernel } from '../kernels/index.js';

import type { CsrInput } from '../index.js';

// csrMatMul against the dense product (csrToDense, then matMul), forward and gradients, on the
// active backend with whichever kernel is installed (the JS one here; @vitae/wasm runs the same
// checks against its SIMD kernels).

/** A deterministic uniform stream in [0, 1). */
function uniforms(seed: number): () => number {
  let s = (seed * 7919 + 17) % 2147483647 || 1;
  return () => (s = (s * 48271) % 2147483647) / 2147483647;
}

interface Case {
  name: string;
  nRows: number;
  nCols: number;
  n: number;
  density: number;
  /** Rows left empty (every third), columns unsorted, a column stored twice in some rows. */
  emptyRows?: boolean;
  shuffled?: boolean;
  duplicates?: boolean;
}

const CASES: Case[] = [
  { name: 'scVI-like 128 × 2000 · [2000, 128], 9 %', nRows: 128, nCols: 2000, n: 128, density: 0.09 },
  { name: '37 × 50 · [50, 7], 30 %, empty rows', nRows: 37, nCols: 50, n: 7, density: 0.3, emptyRows: true },
  { name: '5 × 9 · [9, 1], dense', nRows: 5, nCols: 9, n: 1, density: 1 },
  { name: '16 × 33 · [33, 17], 10 %, unsorted columns, duplicates', nRows: 16, nCols: 33, n: 17, density: 0.1, shuffled: true, duplicates: true },
  { name: '3 × 4 · [4, 5], all zero (nnz = 0)', nRows: 3, nCols: 4, n: 5, density: 0 },
  { name: '1 × 1 · [1, 3]', nRows: 1, nCols: 1, n: 3, density: 1 },
  { name: '64 × 300 · [300, 36], 1 %', nRows: 64, nCols: 300, n: 36, density: 0.01 },
];

/** A random CSR matrix as the case describes, values ~ counts-like magnitudes with both signs. */
function randomCsr(c: Case, seed: number): CsrInput & { data: Float32Array } {
  const u = uniforms(seed);
  const data: number[] = [];
  const indices: number[] = [];
  const indptr = [0];
  for (let i = 0; i < c.nRows; i++) {
    if (!(c.emptyRows === true && i % 3 === 1)) {
      const cols: number[] = [];
      for (let j = 0; j < c.nCols; j++) if (u() < c.density) cols.push(j);
      if (c.duplicates === true && cols.length > 0) cols.push(cols[Math.floor(u() * cols.length)] as number);
      if (c.shuffled === true) cols.sort(() => u() - 0.5);
      for (const j of cols) {
        indices.push(j);
        data.push((u() < 0.3 ? -1 : 1) * Math.exp(4 * u() - 1));
      }
    }
    indptr.push(indices.length);
  }
  return { nRows: c.nRows, nCols: c.nCols, data: Float32Array.from(data), indices: Int32Array.from(indices), indptr: Int32Array.from(indptr) };
}

function randomDense(rows: number, cols: number, seed: number): vt.Tensor {
  const u = uniforms(seed);
  return vt.tensor2d(Float32Array.from({ length: rows * cols }, () => 2 * u() - 1), [rows, cols]);
}

/**
 * |got − want| <= rel · scale elementwise, where scale is the same product of the absolute values
 * (Σ |a_ij| |b_jk| for A · B): the size of the terms a float32 sum adds, whatever cancels.
 */
function expectClose(got: vt.Tensor, want: vt.Tensor, scale: vt.Tensor, rel = 1e-5): void {
  expect(got.shape).toEqual(want.shape);
  const [a, b, s] = [got.dataSync(), want.dataSync(), scale.dataSync()];
  let worst = 0;
  let at = -1;
  for (let i = 0; i < b.length; i++) {
    const err = Math.abs((a[i] as number) - (b[i] as number)) / Math.max(s[i] as number, 1e-30);
    if (!(err <= worst)) [worst, at] = [err, i];
  }
  expect(worst, `worst relative error at ${at}: ${a[at]} vs ${b[at]} (terms' scale ${s[at]})`).toBeLessThanOrEqual(rel);
}

const absCsr = <T extends CsrInput & { data: Float32Array }>(a: T): T => ({ ...a, data: a.data.map(Math.abs) });

/**
 * The dense references of L = Σ w ⊙ (A · B): its value's product A · B and the gradients in B
 * and in A's stored values (the gradient in the dense A, dL/dA = w Bᵀ, read at each stored
 * (i, j)), all through csrToDense and the dense matMul.
 */
function denseReference(a: CsrInput & { data: Float32Array }, b: vt.Tensor, w: vt.Tensor): { product: vt.Tensor; dB: vt.Tensor; dValues: vt.Tensor } {
  return vt.tidy(() => {
    const dense = vt.csrToDense(a);
    const [dA, dB] = vt.grads((x: vt.Tensor, y: vt.Tensor) => vt.sum(vt.mul(vt.matMul(x, y), w)))([dense, b]) as [vt.Tensor, vt.Tensor];
    const flat = dA.dataSync();
    const dValues = new Float32Array(a.data.length);
    for (let i = 0; i < a.nRows; i++) {
      for (let p = a.indptr[i] as number; p < (a.indptr[i + 1] as number); p++) dValues[p] = flat[i * a.nCols + (a.indices[p] as number)] as number;
    }
    return { product: vt.matMul(dense, b), dB, dValues: vt.tensor1d(dValues) };
  });
}

describe('csrMatMul', () => {
  it('has kernels defined (JS until @vitae/wasm replaces them)', () => {
    for (const name of Object.values(SparseKernel)) expect(listArrayKernels().some((k) => k.kernelName === name)).toBe(true);
  });

  it.each(CASES)('equals the dense product, forward and gradients in B and in the values: $name', (c) => {
    vt.tidy(() => {
      const a = randomCsr(c, c.nRows + c.nCols);
      const b = randomDense(c.nCols, c.n, 3);
      const w = randomDense(c.nRows, c.n, 7); // a cotangent: L = Σ w ⊙ (A · B)
      const want = denseReference(a, b, w);
      const scale = denseReference(absCsr(a), vt.abs(b), vt.abs(w));
      expectClose(vt.csrMatMul(a, b), want.product, scale.product);
      expectClose(composedCsrMatMul(a, b), want.product, scale.product);
      const [dValues, dB] = vt.grads((v: vt.Tensor, y: vt.Tensor) => vt.sum(vt.mul(vt.csrMatMul({ ...a, data: v }, y), w)))([vt.tensor1d(a.data), b]) as [vt.Tensor, vt.Tensor];
      expectClose(dB, want.dB, scale.dB);
      expectClose(dValues, want.dValues, scale.dValues);
      // with the values as a Float32Array (data, not differentiated), the gradient in B is the same
      expectClose(vt.grad((y: vt.Tensor) => vt.sum(vt.mul(vt.csrMatMul(a, y), w)))(b), want.dB, scale.dB);
    });
  });

  it('trains a variable as the dense product does (variableGrads), on values transformed by log1p', () => {
    const a = randomCsr(CASES[1] as Case, 11);
    const counts = absCsr(a);
    const logged = { ...counts, data: counts.data.map(Math.log1p) }; // log1p(0) = 0: zeros stay implicit
    const weight = vt.variable(randomDense(a.nCols, 7, 13));
    const bias = vt.variable(randomDense(1, 7, 17));
    const step = (x: (y: vt.Tensor) => vt.Tensor) => vt.variableGrads(() => vt.sum(vt.square(vt.add(x(weight), bias))) as vt.Scalar, [weight, bias]);
    const sparse = step((y) => vt.csrMatMul(logged, y));
    const dense = step((y) => vt.matMul(vt.log1p(vt.csrToDense(counts)), y));
    // the scale of the terms: the same with |W| and |bias| (the inputs are >= 0 already)
    for (const v of [weight, bias]) {
      const abs = vt.abs(v);
      v.assign(abs);
      abs.dispose();
    }
    const scale = step((y) => vt.matMul(vt.log1p(vt.csrToDense(counts)), y));
    expectClose(sparse.value, dense.value, scale.value);
    for (const v of [weight, bias]) expectClose(sparse.grads[v.name] as vt.Tensor, dense.grads[v.name] as vt.Tensor, scale.grads[v.name] as vt.Tensor);
    vt.dispose([sparse, dense, scale].flatMap((r) => [r.value, ...Object.values(r.grads)]));
    vt.dispose([weight, bias]);
  });

  it('leaves no tensor behind: plain calls, under a tape, in tidy', () => {
    const a = randomCsr(CASES[3] as Case, 5);
    const b = vt.variable(randomDense(a.nCols, 17, 1));
    const values = vt.tensor1d(a.data);
    const before = vt.numTensors();
    for (let i = 0; i < 5; i++) {
      vt.csrMatMul(a, b).dispose();
      vt.tidy(() => {
        vt.csrMatMul({ ...a, data: values }, b);
      });
      const { value, grads } = vt.variableGrads(() => vt.sum(vt.csrMatMul(a, b)) as vt.Scalar, [b]);
      vt.dispose([value, ...Object.values(grads)]);
      const g = vt.grads((v: vt.Tensor, y: vt.Tensor) => vt.sum(vt.csrMatMul({ ...a, data: v }, y)))([values, b]);
      vt.dispose(g);
    }
    expect(vt.numTensors()).toBe(before);
    vt.dispose([b, values]);
  });

  it('csrToDense sums values stored twice in a row', () => {
    const a = { nRows: 2, nCols: 3, data: Float32Array.of(1, 2, 3, 4), indices: Int32Array.of(2, 0, 2, 1), indptr: Int32Array.of(0, 3, 4) };
    const d = vt.csrToDense(a);
    expect(Array.from(d.dataSync())).toEqual([2, 0, 4, 0, 4, 0]);
    const t = vt.csrToDense({ ...a, data: vt.tensor1d(a.data) });
    expect(Array.from(t.dataSync())).toEqual([2, 0, 4, 0, 4, 0]);
    vt.dispose([d, t, ...[]]);
  });

  it('refuses bad input with an error naming the argument', () => {
    const a = { nRows: 2, nCols: 3, data: Float32Array.of(1, 2, 3), indices: Int32Array.of(0, 2, 1), indptr: Int32Array.of(0, 2, 3) };
    const b = vt.zeros([3, 4]);
    const call = (x: object, y: unknown = b) => () => vt.csrMatMul(x as CsrInput, y as vt.Tensor);
    expect(call(a)).not.toThrow();
    expect(call(b)).toThrow("csrMatMul: argument 'a' must be a CSR matrix { nRows, nCols, indptr, indices, data }, got a float32 Tensor of shape [3, 4]");
    expect(call({ ...a, nRows: -1 })).toThrow("csrMatMul: argument 'a.nRows' must be an integer >= 0, got number -1");
    expect(call({ ...a, nCols: 2.5 })).toThrow("argument 'a.nCols' must be an integer >= 0, got number 2.5");
    expect(call({ ...a, indptr: Int32Array.of(0, 3) })).toThrow("csrMatMul: argument 'a.indptr' must be an Int32Array of nRows + 1 = 3 offsets, got a Int32Array of length 2");
    expect(call({ ...a, indptr: [0, 2, 3] })).toThrow("argument 'a.indptr' must be an Int32Array of nRows + 1 = 3 offsets, got an array of length 3");
    expect(call({ ...a, indptr: Int32Array.of(1, 2, 3) })).toThrow("csrMatMul: argument 'a.indptr' must start at 0, got 1");
    expect(call({ ...a, indptr: Int32Array.of(0, 2, 4) })).toThrow("argument 'a.indptr' must end at nnz = 3 (the length of indices), got 4");
    expect(call({ ...a, indptr: Int32Array.of(0, 4, 3), indices: Int32Array.of(0, 2, 1), data: Float32Array.of(1, 2, 3) })).toThrow(
      "argument 'a.indptr' must be non-decreasing, got 4 then 3 at index 1",
    );
    expect(call({ ...a, indices: Int32Array.of(0, 3, 1) })).toThrow("csrMatMul: argument 'a.indices' must hold column indices in [0, 3) (nCols = 3), got 3 at position 1");
    expect(call({ ...a, indices: Int32Array.of(0, -1, 1) })).toThrow('got -1 at position 1');
    expect(call({ ...a, indices: [0, 2, 1] })).toThrow("argument 'a.indices' must be an Int32Array of column indices, got an array of length 3");
    expect(call({ ...a, data: Float32Array.of(1, 2) })).toThrow("csrMatMul: argument 'a.data' must be a Float32Array of 3 values (one per entry of indices) or a float32 Tensor, got a Float32Array of length 2");
    expect(call({ ...a, data: Float64Array.of(1, 2, 3) })).toThrow("argument 'a.data' must be a Float32Array of 3 values");
    const wrong = vt.zeros([3], 'int32');
    expect(call({ ...a, data: wrong })).toThrow("csrMatMul: argument 'a.data' must be a float32 Tensor of shape [3] (one value per entry of indices), got a int32 Tensor of shape [3]");
    const gone = vt.zeros([3]);
    gone.dispose();
    expect(call({ ...a, data: gone })).toThrow("csrMatMul: argument 'a.data' is a disposed Tensor");
    expect(call(a, vt.zeros([4, 4]))).toThrow("csrMatMul: argument 'b' must be a float32 Tensor [3, n] (its rows matching a.nCols = 3), got a float32 Tensor of shape [4, 4]");
    expect(call(a, [[1]])).toThrow("csrMatMul: argument 'b' must be a float32 Tensor [3, n], got an array of length 1");
    expect(call(a, gone)).toThrow("csrMatMul: argument 'b' is a disposed Tensor");
    vt.dispose([b, wrong]);
  });

  it('its kernels refuse a column or a row range out of bounds when called directly', () => {
    const make = (indices: number[], indptr: number[]) => ({
      data: vt.tensor1d(Float32Array.from(indices, () => 1)),
      indices: vt.tensor1d(Int32Array.from(indices), 'int32'),
      indptr: vt.tensor1d(Int32Array.from(indptr), 'int32'),
    });
    const b = vt.ones([3, 4]);
    const bad = make([0, 3], [0, 1, 2]);
    expect(() => runArrayKernel(SparseKernel.CsrMatMul, { ...bad, b })).toThrow(`${SparseKernel.CsrMatMul}: column index 3 at entry 1 is outside [0, 3)`);
    expect(() => runArrayKernel(SparseKernel.CsrTransposeMatMul, { ...bad, dy: vt.ones([2, 4]) }, { nCols: 3 })).toThrow('column index 3 at entry 1 is outside [0, 3)');
    const range = make([0, 1], [0, 3, 2]);
    expect(() => runArrayKernel(SparseKernel.CsrMatMul, { ...range, b })).toThrow(`${SparseKernel.CsrMatMul}: row 0 spans entries outside [0, 2)`);
    vt.dispose([b, ...Object.values(bad), ...Object.values(range)]);
  });
});
