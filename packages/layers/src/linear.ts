// Linear: y = x W + b.
//
// The weight is stored as [inFeatures, outFeatures], the transpose of torch's nn.Linear
// [out, in]: on the wasm backend a matmul with a transposed operand is ~10x slower, and the
// forward pass is the one that runs every step. To load torch weights, transpose them.
//
// x may also be a sparse CSR matrix [B, inFeatures] (@vitae/anndata's CsrMatrix is one): then
// x W is @vitae/tensor's csrMatMul, one pass over the stored values, and so is the gradient in W.
import { add, csrMatMul, csrOrNull, describeValue, matMul, reshape, splitSeed } from '@vitae/tensor';
import { INITIALIZERS, initBias, initWeight } from './init.js';
import { Module } from './module.js';
import { boolean, integerAtLeast, oneOf, optionsObject, positive, seedValue } from './validate.js';

import type { CsrInput, Tensor, Variable } from '@vitae/tensor';
import type { Initializer } from './init.js';

export interface LinearOptions {
  /** Add a bias (default true). */
  bias?: boolean;
  /** Weight initialiser (default 'torch', PyTorch's nn.Linear default); see init.ts. */
  init?: Initializer;
  /** Gain for the xavier / kaiming initialisers. */
  gain?: number;
  seed: number;
}

export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** [inFeatures, outFeatures]. */
  readonly weight: Variable;
  /** [outFeatures], or null without bias. */
  readonly bias: Variable | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions) {
    super();
    const fn = 'Linear';
    this.inFeatures = integerAtLeast(inFeatures, fn, 'inFeatures', 1);
    this.outFeatures = integerAtLeast(outFeatures, fn, 'outFeatures', 1);
    const o = optionsObject(options, fn);
    const seed = seedValue(o.seed, fn, 'seed');
    const init = oneOf(o.init ?? 'torch', fn, 'init', INITIALIZERS);
    const gain = o.gain === undefined ? undefined : positive(o.gain, fn, 'gain');
    const [weightSeed, biasSeed] = splitSeed(seed, 2) as [number, number];
    this.weight = this.addParameter('weight', initWeight(init, inFeatures, outFeatures, gain === undefined ? { seed: weightSeed } : { gain, seed: weightSeed }));
    this.bias = boolean(o.bias ?? true, fn, 'bias') ? this.addParameter('bias', initBias(init, inFeatures, outFeatures, biasSeed)) : null;
  }

  /** x: [..., inFeatures] -> [..., outFeatures]; a CSR x [B, inFeatures] -> [B, outFeatures]. */
  forward(x: Tensor | CsrInput): Tensor {
    this.checkAlive('forward');
    const sparse = csrOrNull(x);
    if (sparse !== null) {
      if (sparse.nCols !== this.inFeatures) {
        throw new RangeError(`Linear.forward: argument 'x' must have ${this.inFeatures} columns (inFeatures), got a CSR matrix of ${describeValue(sparse.nRows)} rows and ${describeValue(sparse.nCols)} columns`);
      }
      const y = csrMatMul(sparse, this.weight);
      return this.bias ? add(y, this.bias) : y;
    }
    const dense = x as Tensor;
    const last = dense?.shape?.[dense.rank - 1];
    if (last !== this.inFeatures || dense.rank < 1) {
      throw new RangeError(`Linear.forward: argument 'x' must have last dimension ${this.inFeatures} (inFeatures), got ${describeValue(dense)}`);
    }
    if (dense.rank === 2) return this.bias ? add(matMul(dense, this.weight), this.bias) : matMul(dense, this.weight);
    // Leading dimensions fold into rows: [..., in] -> [rows, in] -> [..., out].
    const rows = dense.size / this.inFeatures;
    const y = matMul(reshape(dense, [rows, this.inFeatures]), this.weight);
    const out = reshape(y, [...dense.shape.slice(0, -1), this.outFeatures]);
    return this.bias ? add(out, this.bias) : out;
  }
}
