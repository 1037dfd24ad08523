// veloVI's z encoder: scvi-tools' Encoder with a softplus variance (velovi's var_activation).
//   h = FCLayers(concat(s, u))            (BatchNorm + LayerNorm + ReLU + dropout 0.1 by default)
//   q(z | s, u) = Normal(mean_encoder(h), √(softplus(var_encoder(h)) + 1e-4))
// The draw is left to the caller (VELOVIModule). Names: encoder.layers.{i}.linear / batchNorm,
// mean_encoder, var_encoder.
import { Normal, handOver } from '@vitae/distributions';
import { Linear, MLP, Module } from '@vitae/layers';
import { add, softplus, splitSeed, sqrt, tidy } from '@vitae/tensor';

import type { Tensor } from '@vitae/tensor';

export interface EncoderOptions {
  nInput: number;
  nOutput: number;
  nLayers: number;
  nHidden: number;
  dropoutRate: number;
  useBatchNorm: boolean;
  useLayerNorm: boolean;
  /** Added to the variance (scvi-tools: 1e-4). */
  varEps: number;
  seed: number;
}

export class Encoder extends Module {
  readonly trunk: MLP;
  readonly meanEncoder: Linear;
  readonly varEncoder: Linear;
  private readonly varEps: number;

  constructor(o: EncoderOptions) {
    super();
    const [trunkSeed, meanSeed, varSeed] = splitSeed(o.seed, 3) as [number, number, number];
    this.varEps = o.varEps;
    this.trunk = this.addModule('encoder', new MLP({
      nIn: o.nInput, nOut: o.nHidden, nHidden: o.nHidden, nLayers: o.nLayers,
      dropoutRate: o.dropoutRate, useBatchNorm: o.useBatchNorm, useLayerNorm: o.useLayerNorm, seed: trunkSeed,
    }));
    this.meanEncoder = this.addModule('mean_encoder', new Linear(o.nHidden, o.nOutput, { seed: meanSeed }));
    this.varEncoder = this.addModule('var_encoder', new Linear(o.nHidden, o.nOutput, { seed: varSeed }));
  }

  /** q(z | x) for x [B, nInput]; `seed` drives dropout in training mode. */
  forward(x: Tensor, seed: number | undefined): Normal {
    const [loc, scale] = tidy(() => {
      const h = this.trunk.forward(x, seed === undefined ? {} : { seed });
      return [this.meanEncoder.forward(h), sqrt(add(softplus(this.varEncoder.forward(h)), this.varEps))];
    });
    return handOver(new Normal(loc, scale, { validateArgs: false }), [loc, scale]);
  }
}
