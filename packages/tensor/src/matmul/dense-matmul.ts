// The dense matrix product behind `matMul` on the wasm backend, swappable like the array kernels:
// tfjs-backend-wasm's own BatchMatMul (XNNPACK) is the default, and a kernel package
// (@vitae/wasm's packed SIMD GEMM) can take its place through `setDenseMatMulImpl`. The
// implementation is handed views of tfjs' heap and element strides for both operands, so a
// transposed operand is just other strides: no transpose is materialised (register.ts), and the
// gradient multiplies in the transposed layouts directly once an implementation that handles them
// at full speed is set (see `transposedMatMulIsFast`, gradients/matmul.ts).
import * as tf from '#tfjs';
import { implSlot } from '../kernels/impl-slot.js';

/**
 * One product out [m, n] = A · B with A(i, p) = a[i·aRow + p·aCol] and B(p, j) = b[p·bRow + j·bCol]
 * (a transposed operand swaps its two strides); `out` is row-major and contiguous.
 */
export interface DenseMatMulCall {
  m: number;
  n: number;
  k: number;
  a: Float32Array;
  aRow: number;
  aCol: number;
  b: Float32Array;
  bRow: number;
  bCol: number;
  out: Float32Array;
  /** `scratchBytes(m, n, k)` bytes of working memory in the same heap as the operands. */
  scratch: Float32Array;
  /** tfjs-backend-wasm's memory, of which every array above is a view. */
  heap: WebAssembly.Memory;
}

export interface DenseMatMulImpl {
  /** The name `denseMatMulProvider()` reports. */
  provider: string;
  /** Bytes of scratch one product of this size needs. */
  scratchBytes(m: number, n: number, k: number): number;
  run(call: DenseMatMulCall): void;
}

const slot = implSlot<DenseMatMulImpl>('setDenseMatMulImpl', ['scratchBytes', 'run'], 'tfjs');

/**
 * Makes `impl` the wasm backend's dense matrix product (null: tfjs-backend-wasm's own) and returns
 * a function that restores the previous one.
 */
export const setDenseMatMulImpl = slot.set;

/** The implementation in use on the wasm backend, or null for tfjs-backend-wasm's own. */
export const denseMatMulImpl = slot.get;

/** Who multiplies dense matrices on the wasm backend: an implementation's provider, or 'tfjs'. */
export const denseMatMulProvider = slot.provider;

/**
 * Whether `matMul` with transposeA / transposeB runs as fast as the plain layout on the current
 * backend, so that gradients may use the flags instead of materialising transposes. True on the
 * wasm backend with an implementation set; tfjs-backend-wasm's own transposed path is ~10x slower
 * than its plain one, and the cpu backend keeps the explicit transposes it was measured with.
 */
export function transposedMatMulIsFast(): boolean {
  return slot.get() !== null && tf.getBackend() === 'wasm';
}
