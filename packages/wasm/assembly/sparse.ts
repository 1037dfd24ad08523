// Sparse (CSR) × dense products for @vitae/tensor's csrMatMul and its gradient, f32x4. Built as
// its own module (build/sparse.wasm) that imports its memory and has no static data, like
// adam.wasm, so it runs on tensors in tfjs-backend-wasm's heap where they are (see
// src/heap-module.ts).
//
// A is CSR: row i holds data[indptr[i] .. indptr[i + 1]) at columns indices[same range]
// (int32). Dense matrices are row-major f32 with n columns. Pointers are byte offsets, 4-byte
// aligned (no padding: whatever is left of a row after whole vectors is done one element at a
// time). Sums run over a row's stored values in their order, one f32 multiply and add each, as
// the JS kernels do (no fused multiply-add), so the results match them closely (not bit for bit:
// the JS kernels multiply in f64).
//
// Both kernels check the structure before touching anything (the op checks it too, but a kernel
// called directly must not write outside its output): every row range inside [0, nnz], every
// column inside [0, nCols). They return OK (0), or BAD_ROW (1) / BAD_COLUMN (2) with the place in the
// exported globals errorRow / errorEntry.

const OK: i32 = 0;
const BAD_ROW: i32 = 1;
const BAD_COLUMN: i32 = 2;
export let errorRow: i32 = 0;
export let errorEntry: i32 = 0;

function check(nRows: i32, nnz: i32, nCols: i32, indices: usize, indptr: usize): i32 {
  for (let i = 0; i < nRows; i++) {
    const lo = load<i32>(indptr + (<usize>i << 2));
    const hi = load<i32>(indptr + (<usize>(i + 1) << 2));
    if (lo < 0 || hi > nnz || lo > hi) {
      errorRow = i;
      return BAD_ROW;
    }
  }
  for (let p = 0; p < nnz; p++) {
    if (<u32>load<i32>(indices + (<usize>p << 2)) >= <u32>nCols) {
      errorEntry = p;
      return BAD_COLUMN;
    }
  }
  return OK;
}

/** out [nRows, n] = A · b, b [nCols, n]. Accumulates 16 columns at a time in registers. */
export function csrMatMul(nRows: i32, nnz: i32, nCols: i32, n: i32, data: usize, indices: usize, indptr: usize, b: usize, out: usize): i32 {
  const status = check(nRows, nnz, nCols, indices, indptr);
  if (status != OK) return status;
  const rowBytes = <usize>n << 2;
  for (let i = 0; i < nRows; i++) {
    const lo = <usize>load<i32>(indptr + (<usize>i << 2));
    const hi = <usize>load<i32>(indptr + (<usize>(i + 1) << 2));
    const o = out + <usize>i * rowBytes;
    let k: usize = 0;
    for (; k + 64 <= rowBytes; k += 64) {
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      for (let p = lo; p < hi; p++) {
        const v = f32x4.splat(load<f32>(data + (p << 2)));
        const r = b + <usize>load<i32>(indices + (p << 2)) * rowBytes + k;
        a0 = f32x4.add(a0, f32x4.mul(v, v128.load(r)));
        a1 = f32x4.add(a1, f32x4.mul(v, v128.load(r, 16)));
        a2 = f32x4.add(a2, f32x4.mul(v, v128.load(r, 32)));
        a3 = f32x4.add(a3, f32x4.mul(v, v128.load(r, 48)));
      }
      v128.store(o + k, a0);
      v128.store(o + k, a1, 16);
      v128.store(o + k, a2, 32);
      v128.store(o + k, a3, 48);
    }
    for (; k + 16 <= rowBytes; k += 16) {
      let a = f32x4.splat(0);
      for (let p = lo; p < hi; p++) {
        const r = b + <usize>load<i32>(indices + (p << 2)) * rowBytes + k;
        a = f32x4.add(a, f32x4.mul(f32x4.splat(load<f32>(data + (p << 2))), v128.load(r)));
      }
      v128.store(o + k, a);
    }
    for (; k < rowBytes; k += 4) {
      let a: f32 = 0;
      for (let p = lo; p < hi; p++) a += load<f32>(data + (p << 2)) * load<f32>(b + <usize>load<i32>(indices + (p << 2)) * rowBytes + k);
      store<f32>(o + k, a);
    }
  }
  return OK;
}

/**
 * out [nCols, n] = Aᵀ · dy, dy [nRows, n]: out zeroed, then for each stored (i, j, v),
 * out[j, :] += v · dy[i, :] (row i of dy stays in cache while its values scatter).
 */
export function csrTransposeMatMul(nRows: i32, nnz: i32, nCols: i32, n: i32, data: usize, indices: usize, indptr: usize, dy: usize, out: usize): i32 {
  const status = check(nRows, nnz, nCols, indices, indptr);
  if (status != OK) return status;
  const rowBytes = <usize>n << 2;
  memory.fill(out, 0, <usize>nCols * rowBytes);
  const vectorBytes = rowBytes & ~(<usize>15);
  for (let i = 0; i < nRows; i++) {
    const lo = <usize>load<i32>(indptr + (<usize>i << 2));
    const hi = <usize>load<i32>(indptr + (<usize>(i + 1) << 2));
    const d = dy + <usize>i * rowBytes;
    for (let p = lo; p < hi; p++) {
      const s = load<f32>(data + (p << 2));
      const v = f32x4.splat(s);
      const o = out + <usize>load<i32>(indices + (p << 2)) * rowBytes;
      let k: usize = 0;
      for (; k + 64 <= vectorBytes; k += 64) {
        v128.store(o + k, f32x4.add(v128.load(o + k), f32x4.mul(v, v128.load(d + k))));
        v128.store(o + k, f32x4.add(v128.load(o + k, 16), f32x4.mul(v, v128.load(d + k, 16))), 16);
        v128.store(o + k, f32x4.add(v128.load(o + k, 32), f32x4.mul(v, v128.load(d + k, 32))), 32);
        v128.store(o + k, f32x4.add(v128.load(o + k, 48), f32x4.mul(v, v128.load(d + k, 48))), 48);
      }
      for (; k < vectorBytes; k += 16) v128.store(o + k, f32x4.add(v128.load(o + k), f32x4.mul(v, v128.load(d + k))));
      for (; k < rowBytes; k += 4) store<f32>(o + k, load<f32>(o + k) + s * load<f32>(d + k));
    }
  }
  return OK;
}
