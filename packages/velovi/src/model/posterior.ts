// Posterior quantities of a trained veloVI module over chosen cells, computed in minibatches of
// rows. Each batch runs inside tidy and copies its numbers into a preallocated output, so no tensor
// outlives its batch. A "pass" is what velovi's module.forward does in its get_* methods: z drawn
// from q(z | s, u), π drawn from Dirichlet(π_α) (or, with giveMean, the means of both).
import { forRowBatches, gatherRows } from '@vitae/layers';
import * as t from '@vitae/tensor';

import type { Tensor } from '@vitae/tensor';
import type { GenerativeOutputs, InferenceOutputs, VELOVIModule } from '../module.js';
import type { VelocityData } from './setup.js';

/** The rows `rows` of a cells × nGenes row-major array as a [rows.length, nGenes] tensor. */
export function rowsTensor(values: Float32Array, nGenes: number, rows: ArrayLike<number>): Tensor {
  return gatherRows({ values, nRows: values.length / nGenes, nCols: nGenes }, rows);
}

export interface PassOptions {
  batchSize: number;
  nSamples: number;
  /** z = the mean of q(z | s, u) and π = the Dirichlet mean instead of draws. */
  giveMean: boolean;
  seed: number;
  /** Decode ρ and τ from this latent dimension alone (velovi's restrict_to_latent_dim). */
  latentDim?: number;
}

export interface Pass {
  inf: InferenceOutputs;
  gen: GenerativeOutputs;
  /** [chunk, G] inputs of this chunk. */
  spliced: Tensor;
  unspliced: Tensor;
  chunk: Int32Array;
  /** Position of the chunk's first cell among `rows`. */
  offset: number;
  sample: number;
}

/**
 * Runs `nSamples` passes of the module (eval mode) over every chunk of `rows`; `body` reads what it
 * needs from each pass (inside tidy: everything is freed afterwards).
 */
export function forPasses(module: VELOVIModule, data: VelocityData, rows: Int32Array, o: PassOptions, body: (pass: Pass) => void): void {
  module.eval();
  const seeds = new t.SeedSequence(o.seed);
  forRowBatches(rows, o.batchSize, (chunk, offset) => {
    t.tidy(() => {
      const spliced = rowsTensor(data.spliced, data.nGenes, chunk);
      const unspliced = rowsTensor(data.unspliced, data.nGenes, chunk);
      for (let sample = 0; sample < o.nSamples; sample++) {
        t.tidy(() => {
          const [infSeed, genSeed] = t.splitSeed(seeds.next(), 2) as [number, number];
          const inf = module.inference(spliced, unspliced, o.giveMean ? { giveMean: true } : { seed: infSeed });
          const dim = o.latentDim === undefined ? {} : { latentDim: o.latentDim };
          const gen = module.generative(inf.z, o.giveMean ? { giveMean: true, ...dim } : { seed: genSeed, ...dim });
          body({ inf, gen, spliced, unspliced, chunk, offset, sample });
        });
      }
    });
  });
}

/**
 * Per-cell-and-gene values [rows × G] from every pass: the mean over the nSamples passes
 * (returnMean) or one array per pass. `value` returns a [chunk, G] tensor.
 */
export function cellGeneValues(
  module: VELOVIModule,
  data: VelocityData,
  rows: Int32Array,
  o: PassOptions & { returnMean: boolean },
  value: (pass: Pass) => Tensor,
): Float32Array[] {
  const g = data.nGenes;
  const size = rows.length * g;
  const outs = o.returnMean ? [new Float32Array(size)] : Array.from({ length: o.nSamples }, () => new Float32Array(size));
  const sums = o.returnMean ? new Float64Array(size) : null;
  forPasses(module, data, rows, o, (pass) => {
    const v = value(pass).dataSync() as Float32Array;
    const at = pass.offset * g;
    if (sums) for (let k = 0; k < v.length; k++) sums[at + k] = (sums[at + k] as number) + (v[k] as number);
    else (outs[pass.sample] as Float32Array).set(v, at);
  });
  if (sums) {
    const out = outs[0] as Float32Array;
    for (let k = 0; k < size; k++) out[k] = (sums[k] as number) / o.nSamples;
  }
  return outs;
}
