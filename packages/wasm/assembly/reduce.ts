// Sums over the leading axis, out[j] = Σ_i x[i·cols + j] for i in order, for @vitae/tensor's
// sum / mean over leading axes (a linear layer's bias gradient, BatchNorm's batch statistics) on
// the wasm backend. Built as its own module (build/reduce.wasm) that imports its memory and has no
// static data, like adam.wasm, so it runs on tensors in tfjs-backend-wasm's heap where they are
// (see src/heap-module.ts).
//
// Each column accumulates from 0 over the rows in order, one f32 add per element (an f32x4 add
// is four of them): the float32 bits of @vitae/tensor's JavaScript loop (sumLeadingInto), which
// rounds after each add too. A block of 16 columns stays in four registers over all the rows
// (each row a 64-byte read at stride `cols`), then blocks of 4, then single columns.

/** out[j] = Σ_{i < rows} x[i·cols + j] in order of i, for j < cols; pointers 4-byte aligned. */
export function sumLeading(x: usize, rows: i32, cols: i32, out: usize): void {
  const stride = <usize>cols << 2;
  let j: i32 = 0;
  for (; j + 16 <= cols; j += 16) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let at = x + (<usize>j << 2);
    for (let i = 0; i < rows; i++) {
      a0 = f32x4.add(a0, v128.load(at));
      a1 = f32x4.add(a1, v128.load(at, 16));
      a2 = f32x4.add(a2, v128.load(at, 32));
      a3 = f32x4.add(a3, v128.load(at, 48));
      at += stride;
    }
    const o = out + (<usize>j << 2);
    v128.store(o, a0);
    v128.store(o, a1, 16);
    v128.store(o, a2, 32);
    v128.store(o, a3, 48);
  }
  for (; j + 4 <= cols; j += 4) {
    let a = f32x4.splat(0);
    let at = x + (<usize>j << 2);
    for (let i = 0; i < rows; i++) {
      a = f32x4.add(a, v128.load(at));
      at += stride;
    }
    v128.store(out + (<usize>j << 2), a);
  }
  for (; j < cols; j++) {
    let a: f32 = 0;
    let at = x + (<usize>j << 2);
    for (let i = 0; i < rows; i++) {
      a += load<f32>(at);
      at += stride;
    }
    store<f32>(out + (<usize>j << 2), a);
  }
}
