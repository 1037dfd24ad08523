// sum / mean over the leading axes of a float32 tensor (a linear layer's bias gradient, BatchNorm's
// batch statistics: x [rows, cols] reduced over rows) without a transpose.
//
// tfjs-backend-wasm reduces innermost axes only: for axis 0 it first materialises the transpose
// [cols, rows] (~0.3–0.5 ms for scVI's [128, 2000]), then sums each row of it in order. Summing
// rows of x into the output in place gives each out[j] = (((0 + x[0, j]) + x[1, j]) + …) in the
// same order: the same float32 sum (each add is exact in float64 and rounded once on the store),
// with unit-stride reads.
import { implSlot } from '../kernels/impl-slot.js';

/** One leading sum on the wasm backend: `x` [rows, cols] and `out` [cols] are views of `heap`. */
export interface LeadingSumCall {
  x: Float32Array;
  rows: number;
  cols: number;
  out: Float32Array;
  /** tfjs-backend-wasm's memory. */
  heap: WebAssembly.Memory;
}

/**
 * An implementation of the wasm backend's leading sums (@vitae/wasm's SIMD one): it must give
 * sumLeadingInto's bits (each column from 0, one float32 add per row, in order).
 */
export interface LeadingSumImpl {
  /** The name `leadingSumProvider()` reports. */
  provider: string;
  run(call: LeadingSumCall): void;
}

const slot = implSlot<LeadingSumImpl>('setLeadingSumImpl', ['run'], 'js');

/**
 * Makes `impl` the wasm backend's sum over leading axes (null: the JavaScript loop below) and
 * returns a function that restores the previous one.
 */
export const setLeadingSumImpl = slot.set;

/** The implementation in use on the wasm backend, or null for the JavaScript loop. */
export const leadingSumImpl = slot.get;

/** Who sums over leading axes on the wasm backend: an implementation's provider, or 'js'. */
export const leadingSumProvider = slot.provider;

/** out[j] = Σ_i x[i·cols + j] over i < rows, in order of i; out has `cols` elements. */
export function sumLeadingInto(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  out.fill(0);
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    for (let j = 0; j < cols; j++) out[j] = (out[j] as number) + (x[row + j] as number);
  }
}

/** The leading axes count r if `axes` (normalised, any order) are exactly 0 … r − 1 with r < rank, else 0. */
export function leadingAxesCount(axes: readonly number[], rank: number): number {
  const sorted = [...axes].sort((a, b) => a - b);
  if (sorted.length === 0 || sorted.length >= rank) return 0;
  return sorted.every((a, i) => a === i) ? sorted.length : 0;
}
