// Posterior quantities of a trained scVI module over chosen cells, computed in minibatches of
// rows: each batch runs inside tidy and copies its numbers into a preallocated output, so no
// tensor outlives its batch and nothing but the result is ever dense over all cells.
import { forRowBatches } from '@vitae/layers';
import * as t from '@vitae/tensor';
import { sparseMinibatch } from '../minibatch.js';

import type { CsrMatrix } from '@vitae/anndata';
import type { Tensor } from '@vitae/tensor';
import type { SCVIModule } from '../module.js';
import type { SetupData } from './setup.js';

/**
 * A minibatch for rows: x as sparse CSR rows (the module's encoders never densify them), the
 * batch indices and the labels when the dispersion needs them (tensors the caller owns).
 */
export function batchTensors(module: SCVIModule, data: SetupData, rows: Int32Array): { x: CsrMatrix; batchIndex: Tensor; labels?: Tensor } {
  const needsLabels = module.options.dispersion === 'gene-label' && module.options.geneLikelihood !== 'poisson';
  const mb = sparseMinibatch(data.counts, rows, { batchIndex: data.batch.codes, ...(needsLabels ? { labels: data.labels.codes } : {}) });
  return mb.labels === undefined ? { x: mb.x, batchIndex: mb.batchIndex } : { x: mb.x, batchIndex: mb.batchIndex, labels: mb.labels };
}

export interface LatentOptions {
  giveMean: boolean;
  /** 'ln' with giveMean: the mean of softmax over this many draws (scvi-tools' mc_samples). */
  mcSamples: number;
  batchSize: number;
  seed: number;
}

/** [rows.length × nLatent] posterior means (or one draw each) of z. */
export function latent(module: SCVIModule, data: SetupData, rows: Int32Array, o: LatentOptions): Float32Array {
  const nLatent = module.options.nLatent;
  const out = new Float32Array(rows.length * nLatent);
  const seeds = new t.SeedSequence(o.seed);
  const ln = module.options.latentDistribution === 'ln';
  forRowBatches(rows, o.batchSize, (chunk, offset) => {
    t.tidy(() => {
      const { x, batchIndex } = batchTensors(module, data, chunk);
      let z: Tensor;
      if (o.giveMean && ln) {
        // E[softmax(u)], u ~ q(z | x): no closed form; Monte Carlo as scvi-tools does.
        const inf = module.inference(x, batchIndex, { seed: seeds.next(), nSamples: o.mcSamples });
        z = t.mean(inf.z, 0);
      } else {
        const inf = module.inference(x, batchIndex, o.giveMean ? { giveMean: true } : { seed: seeds.next() });
        z = inf.z;
      }
      out.set(z.dataSync() as Float32Array, offset * nLatent);
    });
  });
  return out;
}

export interface ExpressionOptions {
  /** Per output column, the gene index. */
  genes: Int32Array;
  /** 1 (or another constant): px_scale · librarySize; 'latent': px_rate = exp(ℓ) · px_scale. */
  librarySize: number | 'latent';
  /** Batches to decode as (averaged); null: each cell's own batch. */
  transformBatches: number[] | null;
  nSamples: number;
  /** Average the nSamples draws (true) or keep them (false: [nSamples × cells × genes]). */
  returnMean: boolean;
  batchSize: number;
  seed: number;
}

/**
 * Normalized expression of `rows`: [cells × genes] (returnMean or nSamples = 1) or
 * [nSamples × cells × genes], float32, as scvi-tools' get_normalized_expression.
 */
export function normalizedExpression(module: SCVIModule, data: SetupData, rows: Int32Array, o: ExpressionOptions): Float32Array {
  const nGenes = o.genes.length;
  const nCells = rows.length;
  const keepSamples = !o.returnMean && o.nSamples > 1;
  const out = new Float32Array((keepSamples ? o.nSamples : 1) * nCells * nGenes);
  const seeds = new t.SeedSequence(o.seed);
  const allGenes = nGenes === module.options.nInput && o.genes.every((g, i) => g === i);
  const geneIndex = allGenes ? null : t.tensor1d(o.genes, 'int32');
  const batches = o.transformBatches ?? [null];
  try {
    forRowBatches(rows, o.batchSize, (chunk, offset) => {
      t.tidy(() => {
        const { x, batchIndex, labels } = batchTensors(module, data, chunk);
        const inf = module.inference(x, batchIndex, { seed: seeds.next(), ...(o.nSamples > 1 ? { nSamples: o.nSamples } : {}) });
        // Mean over the transform batches of each draw's expression: [S?, B, G].
        const perBatch = batches.map((b) => {
          const gen = module.generative(inf.z, inf.library, batchIndex, { ...(b === null ? {} : { transformBatch: b }), ...(labels === undefined ? {} : { labels }) });
          const scale = o.librarySize === 'latent' ? t.mul(gen.pxScale, t.exp(inf.library)) : t.mul(gen.pxScale, o.librarySize);
          return geneIndex === null ? scale : t.gather(scale, geneIndex, scale.rank - 1);
        });
        let expr = perBatch.length === 1 ? (perBatch[0] as Tensor) : t.div(t.addN(perBatch), perBatch.length);
        if (o.nSamples > 1 && o.returnMean) expr = t.mean(expr, 0);
        const values = expr.dataSync() as Float32Array;
        if (!keepSamples) {
          out.set(values, offset * nGenes);
        } else {
          // [S, B, G] of this chunk into [S, nCells, G].
          const b = chunk.length;
          for (let s = 0; s < o.nSamples; s++) out.set(values.subarray(s * b * nGenes, (s + 1) * b * nGenes), (s * nCells + offset) * nGenes);
        }
      });
    });
  } finally {
    geneIndex?.dispose();
  }
  return out;
}
