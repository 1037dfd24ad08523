// The dense matrix product behind `matMul` on the wasm backend, swappable like the array kernels:
// tfjs-backend-wasm's own BatchMatMul (XNNPACK) is the default, and a kernel package
// (@vitae/wasm's packed SIMD GEMM) can take its place through `setDenseMatMulImpl`. The
// implementation is handed views of tfjs' heap and element strides for both operands, so a
// transposed operand is just other strides: no transpose is materialised (register.ts), and the
// gradient multiplies in the transposed layouts directly once an implementation that handles them
// at full speed is set (see `transposedMatMulIsFast`, gradients/matmul.ts).
import * as tf from '#tfjs';

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

let current: DenseMatMulImpl | null = null;

/**
 * Makes `impl` the wasm backend's dense matrix product (null: tfjs-backend-wasm's own) and returns
 * a function that restores the previous one.
 */
export function setDenseMatMulImpl(impl: DenseMatMulImpl | null): () => void {
  if (impl !== null && (typeof impl !== 'object' || typeof impl.run !== 'function' || typeof impl.scratchBytes !== 'function' || typeof impl.provider !== 'string')) {
    throw new TypeError('setDenseMatMulImpl: argument \'impl\' must be null or an object with provider (string), scratchBytes() and run()');
  }
  const previous = current;
  current = impl;
  return () => {
    current = previous;
  };
}

/** The implementation in use on the wasm backend, or null for tfjs-backend-wasm's own. */
export function denseMatMulImpl(): DenseMatMulImpl | null {
  return current;
}

/** Who multiplies dense matrices on the wasm backend: an implementation's provider, or 'tfjs'. */
export function denseMatMulProvider(): string {
  return current?.provider ?? 'tfjs';
}

/**
 * Whether `matMul` with transposeA / transposeB runs as fast as the plain layout on the current
 * backend, so that gradients may use the flags instead of materialising transposes. True on the
 * wasm backend with an implementation set; tfjs-backend-wasm's own transposed path is ~10x slower
 * than its plain one, and the cpu backend keeps the explicit transposes it was measured with.
 */
export function transposedMatMulIsFast(): boolean {
  return current !== null && tf.getBackend() === 'wasm';
}
