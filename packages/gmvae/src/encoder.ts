// The GMM-VAE encoder: q(z | x) = Normal(m(x), s(x)), s² = exp(·) + varEps, from one trunk
// (the cluster posterior q(k | x) comes from the prior; see module.ts).
import { Normal, handOver } from '@vitae/distributions';
import { Linear, MLP, Module } from '@vitae/layers';
import * as t from '@vitae/tensor';

import type { ActivationName, Initializer } from '@vitae/layers';
import type { Tensor } from '@vitae/tensor';

export interface ClusterEncoderOptions {
  nInput: number;
  nLatent: number;
  nHidden: number;
  nLayers: number;
  dropoutRate: number;
  useBatchNorm: boolean;
  activation: ActivationName;
  init?: Initializer;
  varEps: number;
  seed: number;
}

export interface ClusterEncoding {
  qz: Normal;
}

export class ClusterEncoder extends Module {
  readonly trunk: MLP;
  readonly meanHead: Linear;
  readonly varHead: Linear;

  constructor(private readonly o: ClusterEncoderOptions) {
    super();
    const [trunkSeed, meanSeed, varSeed] = t.splitSeed(o.seed, 3) as [number, number, number];
    const init = o.init === undefined ? {} : { init: o.init };
    this.trunk = this.addModule('trunk', new MLP({ nIn: o.nInput, nOut: o.nHidden, nHidden: o.nHidden, nLayers: o.nLayers, dropoutRate: o.dropoutRate, useBatchNorm: o.useBatchNorm, activation: o.activation, ...init, seed: trunkSeed }));
    this.meanHead = this.addModule('meanHead', new Linear(o.nHidden, o.nLatent, { ...init, seed: meanSeed }));
    this.varHead = this.addModule('varHead', new Linear(o.nHidden, o.nLatent, { ...init, seed: varSeed }));
  }

  forward(x: Tensor, seed: number): ClusterEncoding {
    const [loc, scale] = t.tidy(() => {
      const h = this.trunk.forward(x, { seed });
      return [this.meanHead.forward(h), t.sqrt(t.add(t.exp(this.varHead.forward(h)), this.o.varEps))];
    });
    return { qz: handOver(new Normal(loc as Tensor, scale as Tensor, { validateArgs: false }), [loc as Tensor, scale as Tensor]) };
  }
}
