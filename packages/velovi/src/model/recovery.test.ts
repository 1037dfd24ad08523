// Parameter recovery: data simulated from veloVI's kinetic model (test/simulate.ts, seeded: known
// per-gene α, β, γ, switch times and cell times, 5% noise), a short training run, and the latent
// time against the true cell time. A smaller version of bench/recovery.ts (1,000 cells × 50 genes,
// velovi's defaults; results in the README), sized to train in well under a minute per backend:
// 256 cells × 8 genes, 32 hidden units, batch 32, 100 epochs with the KL warm-up over 60.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as t from '@vitae/tensor';
import { median, simulate, spearman } from '../../test/simulate.js';
import { VELOVI } from '../index.js';

import type { DenseArray } from '@vitae/anndata';

const N_CELLS = 256;
const N_GENES = 8;

/** Per gene, Spearman's ρ of the gene's latent time with the true time; and of the shared (mean over genes of each gene's time scaled to [0, 20]) time. */
function recovery(model: VELOVI, truth: Float64Array): { perGene: number[]; shared: number } {
  const latent = model.getLatentTime({ nSamples: 10, seed: 1 }) as DenseArray;
  const perGene: number[] = [];
  const shared = new Float64Array(N_CELLS);
  const column = new Float64Array(N_CELLS);
  for (let g = 0; g < N_GENES; g++) {
    let max = 0;
    for (let i = 0; i < N_CELLS; i++) {
      column[i] = latent.get(i, g);
      max = Math.max(max, column[i] as number);
    }
    perGene.push(spearman(column, truth));
    for (let i = 0; i < N_CELLS; i++) shared[i] = (shared[i] as number) + ((column[i] as number) * (20 / max)) / N_GENES;
  }
  return { perGene, shared: spearman(shared, truth) };
}

describe('VELOVI recovers the latent time of data simulated from its kinetics', () => {
  const sim = simulate({ nCells: N_CELLS, nGenes: N_GENES, seed: 0 });
  let model: VELOVI;
  let before: { perGene: number[]; shared: number };
  let after: { perGene: number[]; shared: number };
  let seconds = 0;
  let tensors = 0;

  beforeAll(async () => {
    model = new VELOVI(sim.adata, { nHidden: 32, seed: 0 });
    before = recovery(model, sim.time);
    tensors = t.numTensors();
    const started = performance.now();
    await model.train({ maxEpochs: 100, batchSize: 32, nEpochsKlWarmup: 60, earlyStopping: false, seed: 0 });
    seconds = (performance.now() - started) / 1000;
    after = recovery(model, sim.time);
  }, 180_000);
  afterAll(() => model.dispose());

  it('per gene and overall, the latent time correlates with the truth (median gene-wise Spearman >= 0.7, shared time >= 0.8)', () => {
    console.log(
      `[${t.getBackend()}] ${seconds.toFixed(1)} s training; latent-time Spearman per gene ${after.perGene.map((r) => r.toFixed(3)).join(' ')}; ` +
        `median ${median(after.perGene).toFixed(3)} (untrained ${median(before.perGene).toFixed(3)}); shared time ${after.shared.toFixed(3)} (untrained ${before.shared.toFixed(3)})`,
    );
    expect(median(after.perGene)).toBeGreaterThanOrEqual(0.7);
    expect(after.shared).toBeGreaterThanOrEqual(0.8);
    // Training made the difference: the untrained model orders the cells no better than chance.
    expect(median(after.perGene)).toBeGreaterThan(median(before.perGene) + 0.3);
    expect(t.numTensors()).toBe(tensors);
  });
});
