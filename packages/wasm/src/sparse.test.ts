// The SIMD sparse × dense products (assembly/sparse.ts) against @vitae/tensor's JS kernels and
// the dense product: on typed arrays (copying through the module's memory), in place on a
// memory's views as on tfjs' heap, and through the op csrMatMul and its gradient on the active
// backend (the suite runs on both: in place on wasm, copying on cpu).
import * as t from '@vitae/tensor';
import { SparseKernel, composedCsrMatMul, csrMatMulJs, csrTransposeMatMulJs, listArrayKernels } from '@vitae/tensor/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { WASM_SIMD_PROVIDER, installWasmKernels } from './index.js';
import { SparseModule } from './sparse-module.js';

import type { CsrArrays } from './sparse-module.js';

let sparse: SparseModule;
beforeAll(async () => {
  await installWasmKernels();
  sparse = await SparseModule.load();
});

interface Csr extends CsrArrays {
  nRows: number;
  nCols: number;
}

/**
 * A deterministic CSR matrix: each entry stored with probability `density` (golden-ratio
 * sequence), every fifth row empty, row 2 storing its first column twice; values in ±[0.5, 10).
 */
function csr(nRows: number, nCols: number, density: number, seed: number): Csr {
  const data: number[] = [];
  const indices: number[] = [];
  const indptr = [0];
  let u = seed * 0.381966;
  const next = () => (u = (u + 0.6180339887) % 1);
  for (let i = 0; i < nRows; i++) {
    if (i % 5 !== 4) {
      for (let j = 0; j < nCols; j++) {
        if (next() >= density) continue;
        indices.push(j);
        data.push((next() < 0.3 ? -1 : 1) * (0.5 + 9.5 * next()));
      }
      if (i === 2 && indices.length > (indptr[i] as number)) {
        indices.push(indices[indptr[i] as number] as number);
        data.push(1.5);
      }
    }
    indptr.push(indices.length);
  }
  return { nRows, nCols, data: Float32Array.from(data), indices: Int32Array.from(indices), indptr: Int32Array.from(indptr) };
}

function dense(rows: number, cols: number, seed: number): Float32Array {
  return Float32Array.from({ length: rows * cols }, (_, k) => Math.fround((((k + 1) * 0.7548776662 + seed * 0.5698402910) % 1) * 2 - 1));
}

/** The JS kernel's product (transpose: Aᵀ · m) and the same with absolute values (the terms' scale). */
function reference(a: Csr, m: Float32Array, n: number, transpose: boolean): { want: Float32Array; scale: Float32Array } {
  const run = (x: Csr, y: Float32Array) => {
    const out = new Float32Array((transpose ? a.nCols : a.nRows) * n);
    const inputs = [x.data, x.indices, x.indptr, y];
    const inputShapes = [[x.data.length], [x.indices.length], [x.indptr.length], [transpose ? a.nRows : a.nCols, n]];
    if (transpose) csrTransposeMatMulJs({ inputs, inputShapes, outputs: [out], outputShapes: [[a.nCols, n]], attrs: { nCols: a.nCols } });
    else csrMatMulJs({ inputs, inputShapes, outputs: [out], outputShapes: [[a.nRows, n]], attrs: {} });
    return out;
  };
  return { want: run(a, m), scale: run({ ...a, data: a.data.map(Math.abs) }, m.map(Math.abs)) };
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, scale: ArrayLike<number>, rel: number): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  let at = -1;
  for (let i = 0; i < want.length; i++) {
    const err = Math.abs((got[i] as number) - (want[i] as number)) / Math.max(scale[i] as number, 1e-30);
    if (!(err <= worst)) [worst, at] = [err, i];
  }
  expect(worst, `worst relative error at ${at}: ${got[at]} vs ${want[at]}`).toBeLessThanOrEqual(rel);
}

// widths around the kernels' blocks: 16 columns in registers, then 4, then one at a time
const WIDTHS = [1, 2, 3, 4, 5, 7, 8, 12, 15, 16, 17, 20, 31, 32, 33, 36, 128, 130];

describe('the SIMD sparse products', () => {
  it('are the implementation of both kernels once installed', () => {
    for (const name of Object.values(SparseKernel)) expect(listArrayKernels().find((k) => k.kernelName === name)?.provider).toBe(WASM_SIMD_PROVIDER);
  });

  it.each(WIDTHS)('on typed arrays (copying): the JS kernels to 1e-6, n = %i, with empty rows and a duplicate', (n) => {
    const a = csr(23, 41, 0.2, n);
    const b = dense(a.nCols, n, 1);
    const out = new Float32Array(a.nRows * n).fill(Number.NaN);
    sparse.matMul(a, a.nCols, b, n, out);
    const ab = reference(a, b, n, false);
    expectClose(out, ab.want, ab.scale, 1e-6);
    const dy = dense(a.nRows, n, 2);
    const dB = new Float32Array(a.nCols * n).fill(Number.NaN);
    sparse.transposeMatMul(a, a.nCols, dy, n, dB);
    const atdy = reference(a, dy, n, true);
    expectClose(dB, atdy.want, atdy.scale, 1e-6);
  });

  it('an all-zero matrix (nnz = 0) gives zeros; no rows or no columns give empty results', () => {
    const a = { nRows: 3, nCols: 5, data: new Float32Array(0), indices: new Int32Array(0), indptr: new Int32Array(4) };
    const out = new Float32Array(3 * 6).fill(7);
    sparse.matMul(a, 5, dense(5, 6, 1), 6, out);
    expect(Array.from(out)).toEqual(new Array(18).fill(0));
    const dB = new Float32Array(5 * 6).fill(7);
    sparse.transposeMatMul(a, 5, dense(3, 6, 1), 6, dB);
    expect(Array.from(dB)).toEqual(new Array(30).fill(0));
    const none = { data: new Float32Array(0), indices: new Int32Array(0), indptr: new Int32Array(1) };
    expect(() => sparse.matMul(none, 5, dense(5, 6, 1), 6, new Float32Array(0))).not.toThrow();
    expect(() => sparse.transposeMatMul(a, 0, dense(3, 6, 1), 6, new Float32Array(0))).not.toThrow();
  });

  it("in place on a memory's views at 4-byte offsets, as on tfjs' heap, writing nothing outside the output", () => {
    const n = 19;
    const a = csr(17, 29, 0.3, 3);
    const b = dense(a.nCols, n, 4);
    const memory = new WebAssembly.Memory({ initial: 2 });
    let at = 4; // so no array is 16-byte aligned
    const place = <T extends Float32Array | Int32Array>(src: T, make: (buf: ArrayBuffer, off: number, len: number) => T): T => {
      const view = make(memory.buffer, at, src.length);
      view.set(src as never);
      at += src.byteLength + 4;
      return view;
    };
    const f32 = (buf: ArrayBuffer, off: number, len: number) => new Float32Array(buf, off, len);
    const i32 = (buf: ArrayBuffer, off: number, len: number) => new Int32Array(buf, off, len);
    const views = { data: place(a.data, f32), indices: place(a.indices, i32), indptr: place(a.indptr, i32) };
    const bView = place(b, f32);
    const out = place(new Float32Array(a.nRows * n).fill(Number.NaN), f32);
    const sentinel = place(new Float32Array(64).fill(-123), f32);
    sparse.matMul(views, a.nCols, bView, n, out, memory);
    const ab = reference(a, b, n, false);
    expectClose(out, ab.want, ab.scale, 1e-6);
    // a column out of range: refused before anything is written
    views.indices[5] = a.nCols;
    out.fill(3);
    expect(() => sparse.matMul(views, a.nCols, bView, n, out, memory)).toThrow(`${SparseKernel.CsrMatMul}: column index ${a.nCols} at entry 5 is outside [0, ${a.nCols})`);
    expect(() => sparse.transposeMatMul(views, a.nCols, out, n, bView, memory)).toThrow(`${SparseKernel.CsrTransposeMatMul}: column index ${a.nCols} at entry 5 is outside [0, ${a.nCols})`);
    views.indices[5] = a.indices[5] as number;
    views.indptr[3] = a.data.length + 1;
    expect(() => sparse.matMul(views, a.nCols, bView, n, out, memory)).toThrow(`${SparseKernel.CsrMatMul}: row 2 spans entries outside [0, ${a.data.length})`);
    expect(Array.from(out)).toEqual(new Array(out.length).fill(3));
    expect(Array.from(sentinel)).toEqual(new Array(64).fill(-123));
    // the same refusals when copying
    expect(() => sparse.matMul({ ...a, indptr: views.indptr.slice() }, a.nCols, b, n, new Float32Array(a.nRows * n))).toThrow('row 2 spans entries outside');
  });

  it('refuses arrays of inconsistent sizes', () => {
    const a = csr(4, 6, 0.5, 1);
    expect(() => sparse.matMul(a, 6, new Float32Array(5 * 3), 3, new Float32Array(4 * 3))).toThrow('SparseModule.matMul: inconsistent sizes');
    expect(() => sparse.transposeMatMul(a, 6, new Float32Array(4 * 3), 3, new Float32Array(6 * 2))).toThrow('SparseModule.transposeMatMul: inconsistent sizes');
  });
});

describe('csrMatMul with the SIMD kernels', () => {
  it('a scVI minibatch (128 × 2000, 9 % stored, log1p of counts) times W [2000, 128]: the dense product and its gradient to 1e-5, leaking nothing', () => {
    const counts = csr(128, 2000, 0.09, 7);
    const logged = { ...counts, data: counts.data.map((v) => Math.log1p(Math.abs(v))) };
    const w = t.variable(t.tensor2d(dense(2000, 128, 5), [2000, 128]));
    const cot = t.tensor2d(dense(128, 128, 6), [128, 128]);
    const lossOf = (x: (y: t.Tensor) => t.Tensor) => t.variableGrads(() => t.sum(t.mul(x(w), cot)) as t.Scalar, [w]);
    const before = t.numTensors();
    const got = lossOf((y) => t.csrMatMul(logged, y));
    expect(t.numTensors()).toBe(before + 2);
    const want = lossOf((y) => composedCsrMatMul(logged, y));
    const scale = t.tidy(() => {
      const abs = { ...logged, data: logged.data.map(Math.abs) };
      const product = composedCsrMatMul(abs, t.abs(w));
      const dW = composedCsrMatMul(transposed(abs), t.abs(cot));
      return { product: t.sum(t.mul(product, t.abs(cot))), dW };
    });
    expectClose(got.value.dataSync(), want.value.dataSync(), scale.product.dataSync(), 1e-5);
    expectClose((got.grads[w.name] as t.Tensor).dataSync(), (want.grads[w.name] as t.Tensor).dataSync(), scale.dW.dataSync(), 1e-5);
    const forward = t.csrMatMul(logged, w);
    const ref = composedCsrMatMul(logged, w);
    const refScale = composedCsrMatMul({ ...logged, data: logged.data.map(Math.abs) }, t.abs(w));
    expectClose(forward.dataSync(), ref.dataSync(), refScale.dataSync(), 1e-5);
    t.dispose([got.value, want.value, ...Object.values(got.grads), ...Object.values(want.grads), scale.product, scale.dW, forward, ref, refScale, w, cot]);
  });
});

/** Aᵀ in CSR (A [nRows, nCols] → [nCols, nRows]). */
function transposed(a: Csr): Csr {
  const counts = new Int32Array(a.nCols + 1);
  for (const j of a.indices) counts[j + 1] = (counts[j + 1] as number) + 1;
  for (let j = 0; j < a.nCols; j++) counts[j + 1] = (counts[j + 1] as number) + (counts[j] as number);
  const next = counts.slice(0, a.nCols);
  const data = new Float32Array(a.data.length);
  const indices = new Int32Array(a.data.length);
  for (let i = 0; i < a.nRows; i++) {
    for (let p = a.indptr[i] as number; p < (a.indptr[i + 1] as number); p++) {
      const j = a.indices[p] as number;
      const at = next[j] as number;
      data[at] = a.data[p] as number;
      indices[at] = i;
      next[j] = at + 1;
    }
  }
  return { nRows: a.nCols, nCols: a.nRows, data, indices, indptr: counts };
}
