// veloVI's DecoderVELOVI: two FC trunks from z (BatchNorm + LayerNorm + ReLU, no dropout).
//   rho_first = rho_first_decoder(z)
//   rho = sigmoid(px_rho_decoder(rho_first))          per gene: the fraction of the switch time
//                                                      reached in induction, t = t_s · rho
//   tau = sigmoid(px_tau_decoder(rho_first))          per gene: the fraction of (t_max − t_s)
//                                                      spent in repression
//   pi_alpha = softplus(px_pi_decoder(pi_first_decoder(z))), reshaped [B, G, 4]: the Dirichlet
//                                                      concentrations over the four states
// With linearDecoder, rho_first_decoder is one bias-free Linear(nLatent → G) + BatchNorm without
// activation, rho = sigmoid(rho_first) and tau = 1 − sigmoid(rho_first · e^{a} + b) with per-gene
// a = linear_scaling_tau, b = linear_scaling_tau_intercept (both start at 0). velovi creates
// px_rho_decoder, px_tau_decoder and the two scalings in either mode; so does this class, so that
// the state dict has velovi's entries.
import { Linear, MLP, Module } from '@vitae/layers';
import { add, exp, mul, reshape, sigmoid, softplus, splitSeed, sub, tensor1d, tidy, zeros } from '@vitae/tensor';

import type { Tensor, Variable } from '@vitae/tensor';

export interface DecoderOptions {
  nLatent: number;
  /** Genes G. */
  nOutput: number;
  nLayers: number;
  nHidden: number;
  useBatchNorm: boolean;
  useLayerNorm: boolean;
  linearDecoder: boolean;
  seed: number;
}

export interface DecoderOutput {
  /** Dirichlet concentrations, [B, G, 4], > 0. */
  piAlpha: Tensor;
  /** [B, G] in (0, 1). */
  rho: Tensor;
  /** [B, G] in (0, 1). */
  tau: Tensor;
}

export class DecoderVELOVI extends Module {
  readonly nOutput: number;
  readonly linearDecoder: boolean;
  readonly rhoFirstDecoder: MLP;
  readonly piFirstDecoder: MLP;
  readonly pxPiDecoder: Linear;
  readonly pxRhoDecoder: Linear;
  readonly pxTauDecoder: Linear;
  readonly linearScalingTau: Variable;
  readonly linearScalingTauIntercept: Variable;

  constructor(o: DecoderOptions) {
    super();
    const [rhoSeed, piSeed, piHeadSeed, rhoHeadSeed, tauHeadSeed] = splitSeed(o.seed, 5) as [number, number, number, number, number];
    this.nOutput = o.nOutput;
    this.linearDecoder = o.linearDecoder;
    const lin = o.linearDecoder;
    this.rhoFirstDecoder = this.addModule('rho_first_decoder', new MLP({
      nIn: o.nLatent, nOut: lin ? o.nOutput : o.nHidden, nHidden: o.nHidden, nLayers: lin ? 1 : o.nLayers, dropoutRate: 0,
      useBatchNorm: o.useBatchNorm, useLayerNorm: lin ? false : o.useLayerNorm, useActivation: !lin, bias: !lin, seed: rhoSeed,
    }));
    this.piFirstDecoder = this.addModule('pi_first_decoder', new MLP({
      nIn: o.nLatent, nOut: o.nHidden, nHidden: o.nHidden, nLayers: o.nLayers, dropoutRate: 0,
      useBatchNorm: o.useBatchNorm, useLayerNorm: o.useLayerNorm, seed: piSeed,
    }));
    this.pxPiDecoder = this.addModule('px_pi_decoder', new Linear(o.nHidden, 4 * o.nOutput, { seed: piHeadSeed }));
    this.pxRhoDecoder = this.addModule('px_rho_decoder', new Linear(o.nHidden, o.nOutput, { seed: rhoHeadSeed }));
    this.pxTauDecoder = this.addModule('px_tau_decoder', new Linear(o.nHidden, o.nOutput, { seed: tauHeadSeed }));
    this.linearScalingTau = this.addParameter('linear_scaling_tau', zeros([o.nOutput]));
    this.linearScalingTauIntercept = this.addParameter('linear_scaling_tau_intercept', zeros([o.nOutput]));
  }

  /**
   * z: [B, nLatent]. With `latentDim`, ρ and τ are decoded from z with every other dimension set
   * to 0 (velovi's latent_dim; π from the whole z).
   */
  forward(z: Tensor, latentDim?: number): DecoderOutput {
    return tidy(() => {
      const nLatent = z.shape[1] as number;
      const zIn = latentDim === undefined ? z : mul(z, tensor1d(Array.from({ length: nLatent }, (_, d) => (d === latentDim ? 1 : 0))));
      const rhoFirst = this.rhoFirstDecoder.forward(zIn);
      let rho: Tensor;
      let tau: Tensor;
      if (this.linearDecoder) {
        rho = sigmoid(rhoFirst);
        tau = sub(1, sigmoid(add(mul(rhoFirst, exp(this.linearScalingTau)), this.linearScalingTauIntercept)));
      } else {
        rho = sigmoid(this.pxRhoDecoder.forward(rhoFirst));
        tau = sigmoid(this.pxTauDecoder.forward(rhoFirst));
      }
      const piFirst = this.piFirstDecoder.forward(z);
      const piAlpha = softplus(reshape(this.pxPiDecoder.forward(piFirst), [z.shape[0] as number, this.nOutput, 4]));
      return { piAlpha, rho, tau };
    });
  }
}
