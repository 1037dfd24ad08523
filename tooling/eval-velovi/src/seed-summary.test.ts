import { describe, expect, it } from 'vitest';
import { pairedUmap, summarize, summarizeRuns } from './seed-summary.js';

import type { RunResult } from './seed-summary.js';

function run(seed: number, source: string, umap: number, pca: number, spearman: number): RunResult {
  return {
    seed,
    training: { source },
    crossBoundaryDirection: { 'A → B': { cbdir: umap, geneSpace: umap + 1 } },
    crossBoundaryDirectionOtherEmbeddings: { 'PCA 2-D': { 'A → B': pca } },
    latentTimeStageSpearman: spearman,
  };
}

describe('summarize', () => {
  it('gives the mean, the standard error of the mean, the range and the count above 0', () => {
    // values −1, 0, 1, 4: mean 1, sample variance (4 + 1 + 0 + 9) / 3 = 14 / 3, se = √(14 / 12).
    const s = summarize([-1, 0, 1, 4]);
    expect(s.n).toBe(4);
    expect(s.mean).toBe(1);
    expect(s.standardError).toBeCloseTo(Math.sqrt(14 / 12), 14);
    expect([s.min, s.max, s.positive]).toEqual([-1, 4, 2]);
  });

  it('has no standard error for one value and refuses none', () => {
    expect(summarize([0.5]).standardError).toBeNaN();
    expect(() => summarize([])).toThrow(/'values' must hold at least one number/);
  });
});

describe('summarizeRuns', () => {
  it('groups runs by trainer and pools every embedding, the gene-space score and the latent time', () => {
    const groups = summarizeRuns([
      run(4, 'PyTorch (/tmp/w4.safetensors)', -0.2, 0.1, 0.8),
      run(4, 'vitae VELOVI.train()', 0.2, 0.3, 0.9),
      run(5, 'vitae VELOVI.train()', -0.1, 0.1, 0.7),
    ]);
    expect(groups.map((g) => g.trainer)).toEqual(['vitae', 'PyTorch']);
    const [vitae, torch] = groups as [NonNullable<(typeof groups)[0]>, NonNullable<(typeof groups)[1]>];
    expect(vitae.seeds).toEqual([4, 5]);
    expect(vitae.cbdir['UMAP']?.['A → B']?.mean).toBeCloseTo(0.05, 15);
    expect(vitae.cbdir['UMAP']?.['A → B']?.positive).toBe(1);
    expect(vitae.cbdir['gene space']?.['A → B']?.mean).toBeCloseTo(1.05, 15);
    expect(vitae.cbdir['PCA 2-D']?.['A → B']?.min).toBeCloseTo(0.1, 15);
    expect(vitae.latentTimeSpearman.mean).toBeCloseTo(0.8, 15);
    expect(torch.seeds).toEqual([4]);
    expect(torch.cbdir['UMAP']?.['A → B']?.max).toBe(-0.2);
  });
});

describe('pairedUmap', () => {
  it('pairs the two trainers by seed and summarizes vitae − PyTorch', () => {
    const runs = [
      run(5, 'vitae VELOVI.train()', 0.3, 0, 0),
      run(4, 'vitae VELOVI.train()', -0.1, 0, 0),
      run(6, 'vitae VELOVI.train()', 0.9, 0, 0), // no PyTorch run on seed 6: left out
      run(4, 'PyTorch (w4)', -0.2, 0, 0),
      run(5, 'PyTorch (w5)', -0.1, 0, 0),
    ];
    const paired = pairedUmap(runs, 'A → B');
    expect(paired?.seeds).toEqual([4, 5]);
    expect(paired?.vitae).toEqual([-0.1, 0.3]);
    expect(paired?.pytorch).toEqual([-0.2, -0.1]);
    expect(paired?.difference.mean).toBeCloseTo(0.25, 15);
    expect(paired?.sameSign).toBe(1);
    expect(pairedUmap(runs, 'C → D')).toBeNull();
    expect(pairedUmap(runs.slice(0, 3), 'A → B')).toBeNull();
  });
});
