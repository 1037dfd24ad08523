// Goodness of fit of a trained scVI module on chosen cells (eval mode, seeded draws):
//   ELBO                  E_q[log p(x | z, ℓ)] - KL(q(z | x) ‖ p(z)) - KL(q(ℓ | x) ‖ p(ℓ))   (one draw)
//   reconstruction error  -E_q[log p(x | z, ℓ)]                                               (one draw)
//   marginal LL           log p(x) ≈ logsumexp_s [log p(x | z_s, ℓ_s) + log p(z_s) + log p(ℓ_s)
//                                    - log q(z_s | x) - log q(ℓ_s | x)] - log S,  z_s, ℓ_s ~ q
// each returned per cell; the model averages. For the logistic-normal latent space the importance
// weights are taken on the Gaussian variable u (z = softmax(u)), whose prior is N(0, I).
import { Normal } from '@vitae/distributions';
import { forRowBatches } from '@vitae/layers';
import * as t from '@vitae/tensor';
import { batchTensors } from './posterior.js';

import type { Tensor } from '@vitae/tensor';
import type { SCVIModule } from '../module.js';
import type { SetupData } from './setup.js';

export interface EvaluateOptions {
  batchSize: number;
  seed: number;
}

/** Per cell, [reconstruction loss, KL(z) + KL(ℓ)] from one draw, in eval mode. */
export function lossTerms(module: SCVIModule, data: SetupData, rows: Int32Array, o: EvaluateOptions): { reconstruction: Float64Array; klLocal: Float64Array } {
  const reconstruction = new Float64Array(rows.length);
  const klLocal = new Float64Array(rows.length);
  const seeds = new t.SeedSequence(o.seed);
  forRowBatches(rows, o.batchSize, (chunk, offset) => {
    t.tidy(() => {
      const { x, batchIndex, labels } = batchTensors(module, data, chunk);
      const out = module.loss(x, batchIndex, { seed: seeds.next(), ...(labels === undefined ? {} : { labels }) });
      reconstruction.set(out.reconstruction.dataSync(), offset);
      klLocal.set(t.add(out.klLocal.z, out.klLocal.l).dataSync(), offset);
    });
  });
  return { reconstruction, klLocal };
}

export interface MarginalOptions extends EvaluateOptions {
  nMcSamples: number;
  /** Draws per forward pass (memory: samplesPerPass × batchSize × genes floats per tensor). */
  samplesPerPass: number;
}

/** Per cell, the importance-sampled log p(x). */
export function marginalLogLikelihood(module: SCVIModule, data: SetupData, rows: Int32Array, o: MarginalOptions): Float64Array {
  const out = new Float64Array(rows.length);
  const seeds = new t.SeedSequence(o.seed);
  const learned = !module.options.useObservedLibSize;
  const nLatent = module.options.nLatent;
  forRowBatches(rows, o.batchSize, (chunk, offset) => {
    const b = chunk.length;
    // Running log-sum-exp per cell over all passes, in float64.
    const max = new Float64Array(b).fill(-Infinity);
    const sum = new Float64Array(b);
    // The chunk is densified once, for the likelihood; every pass draws new noise for it.
    const { x: rows, batchIndex, labels } = batchTensors(module, data, chunk);
    const x = t.csrToDense(rows);
    try {
      for (let done = 0; done < o.nMcSamples; done += o.samplesPerPass) {
        const s = Math.min(o.samplesPerPass, o.nMcSamples - done);
        const logWeights = t.tidy(() => {
          const [zSeed, lSeed] = t.splitSeed(seeds.next(), 2) as [number, number];
          const epsZ = t.randomNormal([s, b, nLatent], { seed: zSeed });
          const epsL = learned ? t.randomNormal([s, b, 1], { seed: lSeed }) : undefined;
          const inf = module.inference(rows, batchIndex, { nSamples: s, noise: { z: epsZ, ...(epsL === undefined ? {} : { library: epsL }) } });
          const gen = module.generative(inf.z, inf.library, batchIndex, labels === undefined ? {} : { labels });
          // The Gaussian variable u = μ + σ ε: z itself for 'normal', softmax(u) = z for 'ln'.
          const u = t.add(inf.qz.loc, t.mul(inf.qz.scale, epsZ));
          const logPz = t.sum(new Normal(t.zerosLike(u), t.onesLike(u), { validateArgs: false }).logProb(u), -1);
          const logQz = t.sum(inf.qz.logProb(u), -1);
          const logPx = t.sum(gen.px.logProb(x), -1);
          let w: Tensor = t.sub(t.add(logPx, logPz), logQz);
          if (inf.ql && gen.pl) w = t.add(w, t.sub(t.sum(gen.pl.logProb(inf.library), -1), t.sum(inf.ql.logProb(inf.library), -1)));
          return w; // [s, b]
        });
        const values = logWeights.dataSync();
        logWeights.dispose();
        for (let k = 0; k < s; k++) {
          for (let i = 0; i < b; i++) {
            const v = values[k * b + i] as number;
            if (v > (max[i] as number)) {
              sum[i] = (sum[i] as number) * Math.exp((max[i] as number) - v) + 1;
              max[i] = v;
            } else {
              sum[i] = (sum[i] as number) + Math.exp(v - (max[i] as number));
            }
          }
        }
      }
    } finally {
      t.dispose([x, batchIndex, ...(labels === undefined ? [] : [labels])]);
    }
    for (let i = 0; i < b; i++) out[offset + i] = (max[i] as number) + Math.log(sum[i] as number) - Math.log(o.nMcSamples);
  });
  return out;
}
