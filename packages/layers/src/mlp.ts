// MLP: a stack of fully connected blocks, scvi-tools' FCLayers.
//
//   block i:  Linear(d_i + c_i -> d_{i+1}) -> [BatchNorm1d | LayerNorm] -> activation -> Dropout
//   dims:     d = [nIn, nHidden × (nLayers - 1), nOut]
//   c_i:      the one-hot width of the categorical covariates, concatenated to the input of
//             block 0 always and of every later block when injectCovariates is true
//             ("deeply injected covariates").
// Names: layers.{i}.linear.{weight,bias}, layers.{i}.batchNorm.{weight,bias,running_mean,
// running_var}, layers.{i}.layerNorm.{…}.
//
// The input may be a sparse CSR matrix [B, nIn] (e.g. log1p of counts, mostly zeros): block 0's
// product is then sparse (Linear), with the covariates appended to x as stored 1s in their
// one-hot columns, so block 0 is still one product over [x, covariates]; later blocks are dense.
import { csrOrNull, describeValue, splitSeed, tidy } from '@vitae/tensor';
import { ACTIVATION_NAMES, activation } from './activation.js';
import { BatchNorm1d } from './batch-norm.js';
import { appendCovariateColumns, appendCovariates, covariateCodes, covariateWidths, oneHotCodes } from './covariates.js';
import { Dropout } from './dropout.js';
import { INITIALIZERS } from './init.js';
import { LayerNorm } from './layer-norm.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import { boolean, integerAtLeast, numberIn, oneOf, optionsObject, positive, seedValue } from './validate.js';

import type { CsrInput, Tensor } from '@vitae/tensor';
import type { ActivationName } from './activation.js';
import type { CovariateInput } from './covariates.js';
import type { Initializer } from './init.js';

export interface MLPOptions {
  nIn: number;
  nOut: number;
  /** Width of the hidden blocks (default 128). */
  nHidden?: number;
  /** Number of blocks (default 1: nIn -> nOut). */
  nLayers?: number;
  /** Number of categories of each categorical covariate (default none). */
  nCatList?: readonly number[];
  /** Concatenate the covariates to every block's input, not only the first (default true). */
  injectCovariates?: boolean;
  /** Dropout probability after each block (default 0.1). */
  dropoutRate?: number;
  /** BatchNorm1d after each linear layer (default true), scvi-tools' momentum 0.01 / eps 1e-3 unless given. */
  useBatchNorm?: boolean;
  batchNormMomentum?: number;
  batchNormEps?: number;
  /** LayerNorm (no affine, as scvi-tools) after each linear layer (default false). */
  useLayerNorm?: boolean;
  /** Apply the activation (default true). */
  useActivation?: boolean;
  activation?: ActivationName;
  bias?: boolean;
  init?: Initializer;
  seed: number;
}

export interface ForwardOptions {
  /** Category indices of each covariate, one entry per element of nCatList. */
  covariates?: readonly CovariateInput[];
  /** Needed in training mode when dropout is on. */
  seed?: number;
}

class FCBlock extends Module {
  readonly linear: Linear;
  readonly batchNorm: BatchNorm1d | null;
  readonly layerNorm: LayerNorm | null;
  readonly dropout: Dropout | null;
  private readonly act: ((x: Tensor) => Tensor) | null;

  constructor(nIn: number, nOut: number, o: Required<Omit<MLPOptions, 'nIn' | 'nOut' | 'nHidden' | 'nLayers' | 'nCatList' | 'injectCovariates'>>) {
    super();
    this.linear = this.addModule('linear', new Linear(nIn, nOut, { bias: o.bias, init: o.init, seed: o.seed }));
    this.batchNorm = o.useBatchNorm ? this.addModule('batchNorm', new BatchNorm1d(nOut, { momentum: o.batchNormMomentum, eps: o.batchNormEps })) : null;
    this.layerNorm = o.useLayerNorm ? this.addModule('layerNorm', new LayerNorm(nOut, { elementwiseAffine: false })) : null;
    this.act = o.useActivation ? activation(o.activation) : null;
    this.dropout = o.dropoutRate > 0 ? this.addModule('dropout', new Dropout(o.dropoutRate)) : null;
  }

  forward(x: Tensor | CsrInput, seed: number | undefined): Tensor {
    let y = this.linear.forward(x);
    if (this.batchNorm) y = this.batchNorm.forward(y);
    if (this.layerNorm) y = this.layerNorm.forward(y);
    if (this.act) y = this.act(y);
    if (this.dropout) y = this.dropout.forward(y, seed === undefined ? {} : { seed });
    return y;
  }
}

export class MLP extends Module {
  readonly nIn: number;
  readonly nOut: number;
  readonly nCatList: readonly number[];
  readonly injectCovariates: boolean;
  readonly blocks: readonly FCBlock[];
  private readonly dropoutRate: number;

  constructor(options: MLPOptions) {
    super();
    const fn = 'MLP';
    const o = optionsObject(options, fn);
    this.nIn = integerAtLeast(o.nIn, fn, 'nIn', 1);
    this.nOut = integerAtLeast(o.nOut, fn, 'nOut', 1);
    const nHidden = integerAtLeast(o.nHidden ?? 128, fn, 'nHidden', 1);
    const nLayers = integerAtLeast(o.nLayers ?? 1, fn, 'nLayers', 1);
    const nCatList = o.nCatList ?? [];
    if (!Array.isArray(nCatList)) throw new TypeError(`${fn}: argument 'nCatList' must be an array of category counts, got ${describeValue(nCatList)}`);
    nCatList.forEach((n, j) => integerAtLeast(n, fn, `nCatList[${j}]`, 1));
    this.nCatList = [...nCatList];
    this.injectCovariates = boolean(o.injectCovariates ?? true, fn, 'injectCovariates');
    this.dropoutRate = numberIn(o.dropoutRate ?? 0.1, fn, 'dropoutRate', 0, 1);
    const block = {
      dropoutRate: this.dropoutRate,
      useBatchNorm: boolean(o.useBatchNorm ?? true, fn, 'useBatchNorm'),
      batchNormMomentum: numberIn(o.batchNormMomentum ?? 0.01, fn, 'batchNormMomentum', 0, 1, true),
      batchNormEps: positive(o.batchNormEps ?? 1e-3, fn, 'batchNormEps'),
      useLayerNorm: boolean(o.useLayerNorm ?? false, fn, 'useLayerNorm'),
      useActivation: boolean(o.useActivation ?? true, fn, 'useActivation'),
      activation: oneOf(o.activation ?? 'relu', fn, 'activation', ACTIVATION_NAMES),
      bias: boolean(o.bias ?? true, fn, 'bias'),
      init: oneOf(o.init ?? 'torch', fn, 'init', INITIALIZERS),
    };
    const seeds = splitSeed(seedValue(o.seed, fn), nLayers);
    const covWidth = covariateWidths(this.nCatList).reduce((a, b) => a + b, 0);
    const dims = [this.nIn, ...Array<number>(nLayers - 1).fill(nHidden), this.nOut];
    const layers = this.addModule('layers', new ModuleList());
    this.blocks = seeds.map((seed, i) => {
      const inject = i === 0 || this.injectCovariates ? covWidth : 0;
      return layers.append(new FCBlock((dims[i] as number) + inject, dims[i + 1] as number, { ...block, seed }));
    });
  }

  /**
   * x: [B, nIn] or [S, B, nIn] -> [..., nOut]; or a CSR matrix [B, nIn] -> [B, nOut] (with
   * covariates, its values must be a Float32Array, to append the covariate columns to).
   */
  forward(x: Tensor | CsrInput, options: ForwardOptions = {}): Tensor {
    this.checkAlive('forward');
    const fn = 'MLP.forward';
    const sparse = csrOrNull(x);
    const dense = sparse === null ? (x as Tensor) : null;
    if (sparse !== null ? sparse.nCols !== this.nIn : !(dense?.shape?.[dense.rank - 1] === this.nIn && (dense.rank === 2 || dense.rank === 3))) {
      const got = sparse === null ? describeValue(x) : `a CSR matrix of ${describeValue(sparse.nRows)} rows and ${describeValue(sparse.nCols)} columns`;
      throw new RangeError(`${fn}: argument 'x' must have shape [batch, ${this.nIn}] or [samples, batch, ${this.nIn}] (or be a CSR matrix [batch, ${this.nIn}]), got ${got}`);
    }
    const o = optionsObject(options, fn);
    const needsSeed = this.training && this.dropoutRate > 0;
    if (needsSeed && o.seed === undefined) throw new TypeError(`${fn}: option 'seed' is required in training mode with dropout (rate ${this.dropoutRate})`);
    const seeds = needsSeed ? splitSeed(seedValue(o.seed, fn), this.blocks.length) : [];
    const batch = dense === null ? (sparse as CsrInput).nRows : (dense.shape[dense.rank - 2] as number);
    const codes = covariateCodes(fn, this.nCatList, o.covariates, batch);
    return tidy(() => {
      // the dense one-hot covariates, unless only a sparse block 0 takes them
      const cov = dense !== null || this.injectCovariates ? oneHotCodes(codes, this.nCatList) : null;
      let h = (this.blocks[0] as FCBlock).forward(dense === null ? this.sparseInput(fn, sparse as CsrInput, codes) : appendCovariates(dense, cov), seeds[0]);
      for (let i = 1; i < this.blocks.length; i++) h = (this.blocks[i] as FCBlock).forward(this.injectCovariates ? appendCovariates(h, cov) : h, seeds[i]);
      return h;
    });
  }

  /** Block 0's sparse input: x with the covariates' columns appended (x itself without covariates). */
  private sparseInput(fn: string, x: CsrInput, codes: readonly (Int32Array | null)[]): CsrInput {
    if (codes.every((c) => c === null)) return x;
    if (!(x.data instanceof Float32Array)) {
      throw new TypeError(`${fn}: argument 'x' with covariates must be a CSR matrix whose data is a Float32Array (the covariates are appended to it as columns), got data ${describeValue(x.data)}`);
    }
    return appendCovariateColumns({ ...x, data: x.data }, codes, this.nCatList);
  }
}

/** An ordered list of submodules named '0', '1', … (torch's nn.ModuleList). */
export class ModuleList extends Module {
  private count = 0;

  append<M extends Module>(module: M): M {
    return this.addModule(String(this.count++), module);
  }

  get length(): number {
    return this.count;
  }
}
