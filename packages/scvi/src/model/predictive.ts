// Posterior predictive counts: z ~ q(z | x) (and ℓ, when learned), then x̃ ~ p(x | z, ℓ), built
// straight into sparse rows (draws of count data are mostly zeros).
import { CsrMatrix } from '@vitae/anndata';
import { forRowBatches } from '@vitae/layers';
import * as t from '@vitae/tensor';
import { batchTensors } from './posterior.js';

import type { SCVIModule } from '../module.js';
import type { SetupData } from './setup.js';

export interface PredictiveOptions {
  genes: Int32Array;
  nSamples: number;
  batchSize: number;
  seed: number;
}

/** One [cells × genes] CSR matrix of drawn counts per posterior draw. */
export function posteriorPredictive(module: SCVIModule, data: SetupData, rows: Int32Array, o: PredictiveOptions): CsrMatrix[] {
  const nGenes = o.genes.length;
  const builders = Array.from({ length: o.nSamples }, () => ({ data: [] as number[], indices: [] as number[], indptr: [0] }));
  const seeds = new t.SeedSequence(o.seed);
  forRowBatches(rows, o.batchSize, (chunk) => {
    const drawn = t.tidy(() => {
      const { x, batchIndex, labels } = batchTensors(module, data, chunk);
      const [zSeed, xSeed] = t.splitSeed(seeds.next(), 2) as [number, number];
      const inf = module.inference(x, batchIndex, { seed: zSeed, ...(o.nSamples > 1 ? { nSamples: o.nSamples } : {}) });
      const gen = module.generative(inf.z, inf.library, batchIndex, labels === undefined ? {} : { labels });
      return gen.px.sample({ seed: xSeed }); // [S?, B, G]
    });
    const values = drawn.dataSync();
    drawn.dispose();
    const b = chunk.length;
    const g = module.options.nInput;
    for (let s = 0; s < o.nSamples; s++) {
      const out = builders[s] as { data: number[]; indices: number[]; indptr: number[] };
      for (let i = 0; i < b; i++) {
        const base = (s * b + i) * g;
        for (let k = 0; k < nGenes; k++) {
          const v = values[base + (o.genes[k] as number)] as number;
          if (v !== 0) {
            out.data.push(v);
            out.indices.push(k);
          }
        }
        out.indptr.push(out.data.length);
      }
    }
  });
  return builders.map((bd) => new CsrMatrix({ nRows: rows.length, nCols: nGenes, data: Float32Array.from(bd.data), indices: Int32Array.from(bd.indices), indptr: Int32Array.from(bd.indptr) }));
}
