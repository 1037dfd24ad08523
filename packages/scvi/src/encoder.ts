// scvi-tools' Encoder: h = FCLayers(x, covariates); q = Normal(mean_encoder(h), √(exp(var_encoder(h)) + 1e-4)).
// The draw is left to the caller (SCVIModule), which may pass the standard-normal noise in.
// Names: encoder.layers.{i}.linear / batchNorm, mean_encoder, var_encoder.
import { Normal, handOver } from '@vitae/distributions';
import { Linear, MLP, Module } from '@vitae/layers';
import { add, exp, splitSeed, sqrt, tidy } from '@vitae/tensor';

import type { CovariateInput } from '@vitae/layers';
import type { CsrInput, Tensor } from '@vitae/tensor';

export interface EncoderOptions {
  nInput: number;
  nOutput: number;
  /** Categories of each covariate given to the encoder ([] when covariates are not encoded). */
  nCatList: readonly number[];
  nLayers: number;
  nHidden: number;
  dropoutRate: number;
  injectCovariates: boolean;
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
  private readonly nCatList: readonly number[];

  constructor(o: EncoderOptions) {
    super();
    const [trunkSeed, meanSeed, varSeed] = splitSeed(o.seed, 3) as [number, number, number];
    this.varEps = o.varEps;
    this.nCatList = o.nCatList;
    this.trunk = this.addModule('encoder', new MLP({
      nIn: o.nInput, nOut: o.nHidden, nHidden: o.nHidden, nLayers: o.nLayers, nCatList: o.nCatList, injectCovariates: o.injectCovariates,
      dropoutRate: o.dropoutRate, useBatchNorm: o.useBatchNorm, useLayerNorm: o.useLayerNorm, seed: trunkSeed,
    }));
    this.meanEncoder = this.addModule('mean_encoder', new Linear(o.nHidden, o.nOutput, { seed: meanSeed }));
    this.varEncoder = this.addModule('var_encoder', new Linear(o.nHidden, o.nOutput, { seed: varSeed }));
  }

  /**
   * q(· | x) for x [B, nInput], dense or CSR (then the first layer's product is sparse); `batch` is
   * used only when the encoder has covariates.
   */
  forward(x: Tensor | CsrInput, batch: Int32Array, seed: number | undefined): Normal {
    const [loc, scale] = tidy(() => {
      const covariates: CovariateInput[] = this.nCatList.length > 0 ? [batch] : [];
      const h = this.trunk.forward(x, { covariates, ...(seed === undefined ? {} : { seed }) });
      return [this.meanEncoder.forward(h), sqrt(add(exp(this.varEncoder.forward(h)), this.varEps))];
    });
    return handOver(new Normal(loc, scale, { validateArgs: false }), [loc, scale]);
  }
}
