// The VAE decoder: z (+ covariates) -> trunk MLP -> one linear head per likelihood output, plus
// the likelihood's per-feature global parameters. nLayers = 0 makes it linear in z.
// Names: trunk.layers.{i}.…, heads.{name}.{weight,bias}, globals.{name} ([nOutput], raw).
import { Linear, MLP, Module, appendCovariates, covariateWidths, oneHotCovariates } from '@vitae/layers';
import { fill, splitSeed, tidy } from '@vitae/tensor';
import { constrain, unconstrain } from './likelihoods.js';

import type { ActivationName, CovariateInput, Initializer } from '@vitae/layers';
import type { Tensor, Variable } from '@vitae/tensor';
import type { Likelihood } from './likelihoods.js';

export interface DecoderOptions {
  nLatent: number;
  nOutput: number;
  nHidden: number;
  nLayers: number;
  nCatList: readonly number[];
  dropoutRate: number;
  useBatchNorm: boolean;
  useLayerNorm: boolean;
  activation: ActivationName;
  bias: boolean;
  init?: Initializer;
  likelihood: Likelihood;
  seed: number;
}

class Parameters extends Module {
  add(name: string, value: Tensor): Variable {
    return this.addParameter(name, value);
  }
}

class Heads extends Module {
  add(name: string, layer: Linear): Linear {
    return this.addModule(name, layer);
  }
}

export class Decoder extends Module {
  readonly trunk: MLP | null;
  readonly heads = new Map<string, Linear>();
  readonly globals = new Map<string, Variable>();
  private readonly nCatList: readonly number[];

  constructor(private readonly o: DecoderOptions) {
    super();
    const [trunkSeed, headSeed] = splitSeed(o.seed, 2) as [number, number];
    this.nCatList = o.nCatList;
    const covWidth = covariateWidths(o.nCatList).reduce((a, b) => a + b, 0);
    this.trunk = o.nLayers === 0 ? null : this.addModule('trunk', new MLP({
      nIn: o.nLatent, nOut: o.nHidden, nHidden: o.nHidden, nLayers: o.nLayers, nCatList: o.nCatList,
      dropoutRate: o.dropoutRate, useBatchNorm: o.useBatchNorm, useLayerNorm: o.useLayerNorm, activation: o.activation, bias: o.bias,
      ...(o.init === undefined ? {} : { init: o.init }), seed: trunkSeed,
    }));
    const headIn = o.nLayers === 0 ? o.nLatent + covWidth : o.nHidden;
    const heads = this.addModule('heads', new Heads());
    const names = Object.keys(o.likelihood.heads);
    splitSeed(headSeed, names.length).forEach((seed, i) => {
      const name = names[i] as string;
      this.heads.set(name, heads.add(name, new Linear(headIn, o.nOutput, { bias: o.bias, ...(o.init === undefined ? {} : { init: o.init }), seed })));
    });
    const globals = Object.entries(o.likelihood.globals ?? {});
    if (globals.length > 0) {
      const params = this.addModule('globals', new Parameters());
      for (const [name, g] of globals) {
        const start = g.init ?? (g.constraint === 'positive' ? 1 : g.constraint === 'unit' ? 0.5 : 0);
        this.globals.set(name, params.add(name, fill([o.nOutput], unconstrain(start, g.constraint))));
      }
    }
  }

  /** The likelihood's constrained parameters for z: heads [..., B, nOutput], globals [nOutput]. */
  forward(z: Tensor, options: { covariates?: readonly CovariateInput[]; seed?: number } = {}): Record<string, Tensor> {
    return tidy(() => {
      let h: Tensor;
      if (this.trunk) {
        h = this.trunk.forward(z, options);
      } else {
        h = appendCovariates(z, oneHotCovariates('Decoder.forward', this.nCatList, options.covariates, z.shape[z.rank - 2] as number));
      }
      const out: Record<string, Tensor> = {};
      for (const [name, head] of this.heads) out[name] = constrain(head.forward(h), this.o.likelihood.heads[name] as never);
      for (const [name, raw] of this.globals) out[name] = constrain(raw, this.o.likelihood.globals?.[name]?.constraint as never);
      return out;
    });
  }
}
