// scvi-tools' DecoderSCVI: h = FCLayers(z, batch) (no dropout), then
//   px_scale   = softmax(px_scale_decoder(h))           normalized expression, rows sum to 1
//   px_rate    = exp(library) · px_scale                the mean of the count distribution
//   px_r       = px_r_decoder(h)                        log θ per gene and cell ('gene-cell' only)
//   px_dropout = px_dropout_decoder(h)                  zero-inflation logits (ZINB only)
// Heads a configuration does not use are not created (scvi-tools creates all three).
import { Linear, MLP, Module } from '@vitae/layers';
import { exp, mul, softmax, splitSeed, tidy } from '@vitae/tensor';

import type { Tensor } from '@vitae/tensor';

export interface DecoderOptions {
  nLatent: number;
  nOutput: number;
  nBatch: number;
  nLayers: number;
  nHidden: number;
  injectCovariates: boolean;
  useBatchNorm: boolean;
  useLayerNorm: boolean;
  /** Create px_r_decoder (dispersion 'gene-cell'). */
  cellDispersion: boolean;
  /** Create px_dropout_decoder (ZINB). */
  zeroInflation: boolean;
  seed: number;
}

export interface DecoderOutput {
  /** px_scale: [..., B, nOutput], each row sums to 1. */
  scale: Tensor;
  /** px_rate = exp(library) · px_scale. */
  rate: Tensor;
  /** log θ from px_r_decoder ('gene-cell'), else null. */
  logTheta: Tensor | null;
  /** Zero-inflation logits (ZINB), else null. */
  dropout: Tensor | null;
}

export class DecoderSCVI extends Module {
  readonly pxDecoder: MLP;
  readonly pxScaleDecoder: Linear;
  readonly pxRDecoder: Linear | null;
  readonly pxDropoutDecoder: Linear | null;

  constructor(o: DecoderOptions) {
    super();
    const [trunkSeed, scaleSeed, rSeed, dropoutSeed] = splitSeed(o.seed, 4) as [number, number, number, number];
    this.pxDecoder = this.addModule('px_decoder', new MLP({
      nIn: o.nLatent, nOut: o.nHidden, nHidden: o.nHidden, nLayers: o.nLayers, nCatList: [o.nBatch], injectCovariates: o.injectCovariates,
      dropoutRate: 0, useBatchNorm: o.useBatchNorm, useLayerNorm: o.useLayerNorm, seed: trunkSeed,
    }));
    this.pxScaleDecoder = this.addModule('px_scale_decoder', new Linear(o.nHidden, o.nOutput, { seed: scaleSeed }));
    this.pxRDecoder = o.cellDispersion ? this.addModule('px_r_decoder', new Linear(o.nHidden, o.nOutput, { seed: rSeed })) : null;
    this.pxDropoutDecoder = o.zeroInflation ? this.addModule('px_dropout_decoder', new Linear(o.nHidden, o.nOutput, { seed: dropoutSeed })) : null;
  }

  /** z: [B, nLatent] or [S, B, nLatent]; library: log library size, broadcasting against [..., B, 1]. */
  forward(z: Tensor, library: Tensor, batch: Int32Array): DecoderOutput {
    const out: Record<string, Tensor> = tidy(() => {
      const h = this.pxDecoder.forward(z, { covariates: [batch] });
      const scale = softmax(this.pxScaleDecoder.forward(h), -1);
      return {
        scale,
        rate: mul(exp(library), scale),
        ...(this.pxRDecoder ? { logTheta: this.pxRDecoder.forward(h) } : {}),
        ...(this.pxDropoutDecoder ? { dropout: this.pxDropoutDecoder.forward(h) } : {}),
      };
    });
    return { scale: out.scale as Tensor, rate: out.rate as Tensor, logTheta: out.logTheta ?? null, dropout: out.dropout ?? null };
  }
}
