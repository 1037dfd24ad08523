// The autoencoder module: x -> encoder -> z -> decoder -> x̂, trained on
//   loss = mean over items of Σ_j (x_j - x̂_j)²  +  λ Σ_W ‖W‖²_F
// (squared reconstruction error plus an L2 penalty on the weight matrices, not the biases:
// the loss of the seed derivation, tutorial eqs. 20-25). nLayers = 0 gives the linear AE
// z = A x, x̂ = B z of that derivation.
import { Linear, MLP, Module } from '@vitae/layers';
import * as t from '@vitae/tensor';

import type { ActivationName, Initializer } from '@vitae/layers';
import type { Tensor } from '@vitae/tensor';

export interface AEModuleOptions {
  nInput: number;
  nLatent: number;
  nHidden: number;
  /** Hidden blocks in the encoder and in the decoder; 0: both linear. */
  nLayers: number;
  activation: ActivationName;
  dropoutRate: number;
  useBatchNorm: boolean;
  bias: boolean;
  init?: Initializer;
  /** 'identity' (default) or 'sigmoid' (data in [0, 1]) on the decoder output. */
  outputActivation: 'identity' | 'sigmoid';
  /** λ of the L2 weight penalty. */
  l2: number;
  seed: number;
}

export interface AELossParts {
  /** reconstruction + penalty, a scalar. */
  loss: Tensor;
  /** Σ_j (x_j - x̂_j)² per item, [B]. */
  reconstruction: Tensor;
  /** λ Σ ‖W‖², a scalar. */
  penalty: Tensor;
}

/** An MLP trunk (or nothing) followed by a linear map. */
class Stack extends Module {
  readonly trunk: MLP | null;
  readonly out: Linear;

  constructor(nIn: number, nOut: number, o: AEModuleOptions, seed: number) {
    super();
    const [trunkSeed, outSeed] = t.splitSeed(seed, 2) as [number, number];
    const init = o.init === undefined ? {} : { init: o.init };
    this.trunk = o.nLayers === 0 ? null : this.addModule('trunk', new MLP({
      nIn, nOut: o.nHidden, nHidden: o.nHidden, nLayers: o.nLayers, dropoutRate: o.dropoutRate, useBatchNorm: o.useBatchNorm,
      activation: o.activation, bias: o.bias, ...init, seed: trunkSeed,
    }));
    this.out = this.addModule('out', new Linear(o.nLayers === 0 ? nIn : o.nHidden, nOut, { bias: o.bias, ...init, seed: outSeed }));
  }

  forward(x: Tensor, seed: number | undefined): Tensor {
    return this.out.forward(this.trunk ? this.trunk.forward(x, seed === undefined ? {} : { seed }) : x);
  }
}

export class AEModule extends Module {
  readonly encoder: Stack;
  readonly decoder: Stack;

  constructor(readonly options: AEModuleOptions) {
    super();
    const [encSeed, decSeed] = t.splitSeed(options.seed, 2) as [number, number];
    this.encoder = this.addModule('encoder', new Stack(options.nInput, options.nLatent, options, encSeed));
    this.decoder = this.addModule('decoder', new Stack(options.nLatent, options.nInput, options, decSeed));
  }

  /** z = encoder(x), [B, nLatent]. */
  encode(x: Tensor, seed?: number): Tensor {
    return this.encoder.forward(x, seed);
  }

  /** x̂ = decoder(z), [B, nInput]. */
  decode(z: Tensor, seed?: number): Tensor {
    const out = this.decoder.forward(z, seed);
    return this.options.outputActivation === 'sigmoid' ? t.sigmoid(out) : out;
  }

  /** λ Σ ‖W‖² over every linear weight matrix (biases and batch-norm scales excluded). */
  penalty(): Tensor {
    const weights = this.namedParameters().filter(([name]) => name.endsWith('linear.weight') || name.endsWith('out.weight')).map(([, w]) => w);
    return t.tidy(() => t.mul(t.addN(weights.map((w) => t.sum(t.square(w)))), this.options.l2));
  }

  loss(x: Tensor, options: { seed?: number } = {}): AELossParts {
    return t.tidy(() => {
      const [encSeed, decSeed] = options.seed === undefined ? [undefined, undefined] : t.splitSeed(options.seed, 2);
      const xHat = this.decode(this.encode(x, encSeed), decSeed);
      const reconstruction = t.sum(t.squaredDifference(x, xHat), -1);
      const penalty = this.options.l2 === 0 ? t.scalar(0) : this.penalty();
      return { loss: t.add(t.mean(reconstruction), penalty), reconstruction, penalty };
    });
  }
}
