// Products of the centred data A_c with blocks of vectors, by one of two engines:
// - 'tensor': @vitae/tensor's matMul on float32 copies of A and Aᵀ (the centring is applied to
//   the small results). On the wasm backend (XNNPACK, SIMD) Aᵀ(A V) for 2,700 × 2,000 takes
//   ~10 ms for V with 1 to 8 columns and ~55 ms for 100 columns, where JavaScript needs ~20 ms
//   per column. Products accumulate in float32: PCA variances come out to ~1e-7 relative.
// - 'js': float64 loops over the operator (exact to rounding; the default on the cpu backend,
//   whose tfjs matMul is slower than these loops).
import { getBackend, matMul, tensor2d } from '@vitae/tensor';

import type { Tensor2D } from '@vitae/tensor';
import type { DataOperator } from './operator.js';

export type ProductEngine = 'tensor' | 'js';

export interface BlockProducts {
  readonly nRows: number;
  readonly nCols: number;
  /** A_c V: V nCols × l row-major, result nRows × l. */
  mul(V: Float64Array, l: number): Float64Array;
  /** A_cᵀ U: U nRows × l row-major, result nCols × l. */
  tmul(U: Float64Array, l: number): Float64Array;
  dispose(): void;
}

/** 'tensor' on the wasm backend, 'js' elsewhere. */
export function defaultEngine(): ProductEngine {
  return getBackend() === 'wasm' ? 'tensor' : 'js';
}

export function blockProducts(op: DataOperator, engine: ProductEngine): BlockProducts {
  return engine === 'tensor' ? new TensorProducts(op) : new JsProducts(op);
}

class TensorProducts implements BlockProducts {
  readonly nRows: number;
  readonly nCols: number;
  readonly #a: Tensor2D;
  readonly #at: Tensor2D;
  readonly #mean: Float64Array;

  constructor(op: DataOperator) {
    const { a, at } = op.denseRows();
    this.nRows = op.nRows;
    this.nCols = op.nCols;
    this.#mean = op.mean;
    this.#a = tensor2d(a, [op.nRows, op.nCols]);
    this.#at = tensor2d(at, [op.nCols, op.nRows]);
  }

  #product(m: Tensor2D, X: Float64Array, rows: number, l: number): Float64Array {
    const x = tensor2d(Float32Array.from(X), [rows, l]);
    const r = matMul(m, x);
    const out = Float64Array.from(r.dataSync());
    x.dispose();
    r.dispose();
    return out;
  }

  mul(V: Float64Array, l: number): Float64Array {
    const out = this.#product(this.#a, V, this.nCols, l);
    const shift = new Float64Array(l);
    for (let j = 0; j < this.nCols; j++) for (let c = 0; c < l; c++) shift[c] = (shift[c] as number) + (this.#mean[j] as number) * (V[j * l + c] as number);
    for (let i = 0; i < this.nRows; i++) for (let c = 0; c < l; c++) out[i * l + c] = (out[i * l + c] as number) - (shift[c] as number);
    return out;
  }

  tmul(U: Float64Array, l: number): Float64Array {
    const out = this.#product(this.#at, U, this.nRows, l);
    const total = new Float64Array(l);
    for (let i = 0; i < this.nRows; i++) for (let c = 0; c < l; c++) total[c] = (total[c] as number) + (U[i * l + c] as number);
    for (let j = 0; j < this.nCols; j++) for (let c = 0; c < l; c++) out[j * l + c] = (out[j * l + c] as number) - (this.#mean[j] as number) * (total[c] as number);
    return out;
  }

  dispose(): void {
    this.#a.dispose();
    this.#at.dispose();
  }
}

/** Column c of a row-major block, and back. */
function column(X: Float64Array, rows: number, l: number, c: number): Float64Array {
  return Float64Array.from({ length: rows }, (_, i) => X[i * l + c] as number);
}

class JsProducts implements BlockProducts {
  readonly nRows: number;
  readonly nCols: number;
  readonly #op: DataOperator;

  constructor(op: DataOperator) {
    this.#op = op;
    this.nRows = op.nRows;
    this.nCols = op.nCols;
  }

  mul(V: Float64Array, l: number): Float64Array {
    const out = new Float64Array(this.nRows * l);
    const u = new Float64Array(this.nRows);
    for (let c = 0; c < l; c++) {
      this.#op.mul(l === 1 ? V : column(V, this.nCols, l, c), u);
      for (let i = 0; i < this.nRows; i++) out[i * l + c] = u[i] as number;
    }
    return out;
  }

  tmul(U: Float64Array, l: number): Float64Array {
    const out = new Float64Array(this.nCols * l);
    const w = new Float64Array(this.nCols);
    for (let c = 0; c < l; c++) {
      this.#op.tmul(l === 1 ? U : column(U, this.nRows, l, c), w);
      for (let j = 0; j < this.nCols; j++) out[j * l + c] = w[j] as number;
    }
    return out;
  }

  dispose(): void {}
}
