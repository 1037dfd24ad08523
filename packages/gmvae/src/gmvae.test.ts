// The GMM-VAE: the loss terms against independent closed forms, both ways of handling k, the
// hierarchical prior, clustering on separated data, save / load, errors and tensor hygiene.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Independent, Normal } from '@vitae/distributions';
import { klDivergence } from '@vitae/kl';
import * as t from '@vitae/tensor';
import { GMVAE, clusteringAccuracy, gaussianMixture } from './index.js';

/** n points around K centers (spread 8 apart) in d dimensions, with their labels. */
function blobs(n: number, k: number, d: number, seed: number): { rows: number[][]; labels: number[] } {
  const noise = t.randomNormal([n, d], { seed }).dataSync();
  const labels = Array.from({ length: n }, (_, i) => i % k);
  const rows = labels.map((c, i) => Array.from({ length: d }, (_, j) => (j === c % d ? 8 : 0) + (c >= d ? -8 : 0) + 0.5 * (noise[i * d + j] as number)));
  return { rows, labels };
}

describe('GMVAE loss terms', () => {
  it('KL(q(z|x) || N(μ_k, σ_k)) per component equals the registered closed form; the marginal klLocal is Σ_k q_k KL_k + KL(q || π)', () => {
    const { rows } = blobs(6, 3, 4, 1);
    const model = new GMVAE(rows, { nComponents: 3, nLatent: 2, nHidden: 8, seed: 2 });
    t.tidy(() => {
      const x = t.tensor2d(rows);
      const enc = model.module.inference(x, 0);
      const mine = model.module.prior.klToComponents(enc.qz.loc, enc.qz.scale).arraySync() as number[][];
      const q = new Independent(new Normal(t.expandDims(enc.qz.loc, 1), t.expandDims(enc.qz.scale, 1)), 1);
      const p = new Independent(new Normal(model.module.prior.means, model.module.prior.scales()), 1);
      const reference = (klDivergence(q, p) as t.Tensor).arraySync() as number[][];
      mine.flat().forEach((v, i) => expect(v).toBeCloseTo(reference.flat()[i] as number, 4));

      // klLocal from the module against the same sum written out (one seed: the same z draw).
      const parts = model.module.loss(x, { seed: 9, mode: 'marginal' });
      const [encSeed, zSeed] = t.splitSeed(9, 4) as [number, number];
      const again = model.module.inference(x, encSeed);
      const z = again.qz.rsample({ seed: zSeed });
      const logQ = model.module.clusterLogProbs(z);
      const qk = t.exp(logQ);
      const expected = t.add(t.sum(t.mul(qk, model.module.prior.klToComponents(again.qz.loc, again.qz.scale)), -1), t.sum(t.mul(qk, t.sub(logQ, model.module.prior.logWeights())), -1));
      Array.from(parts.klLocal.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected.dataSync()[i] as number, 4));
      q.dispose();
      p.dispose();
      enc.qz.dispose();
      again.qz.dispose();
    });
    model.dispose();
  });

  it('denoising (inputDropout p): the encoder sees x with entries zeroed at rate p and the rest scaled by 1 / (1 - p); the reconstruction scores the clean x', () => {
    const { rows } = blobs(200, 3, 4, 5);
    const model = new GMVAE(rows, { nComponents: 3, nLatent: 2, nHidden: 8, seed: 2 });
    const p = 0.3;
    t.tidy(() => {
      const x = t.tensor2d(rows);
      const parts = model.module.loss(x, { seed: 9, inputDropout: p });
      const [encSeed, zSeed, decSeed, , noiseSeed] = t.splitSeed(9, 5) as [number, number, number, number, number];
      const keep = t.cast(t.greaterEqual(t.randomUniform(x.shape, { seed: noiseSeed }), p), 'float32');
      expect(1 - t.mean(keep).dataSync()[0]!).toBeCloseTo(p, 1); // 800 entries: within 0.05
      const corrupted = t.div(t.mul(x, keep), 1 - p);
      const z = model.module.inference(corrupted, encSeed).qz.rsample({ seed: zSeed });
      const expected = t.neg(t.sum(model.module.generative(z, decSeed).logProb(x), -1));
      Array.from(parts.reconstruction.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected.dataSync()[i] as number, 3));
      // Without it, the same seed encodes the clean x: a different loss.
      expect(model.module.loss(x, { seed: 9 }).loss.dataSync()[0]).not.toBeCloseTo(parts.loss.dataSync()[0] as number, 3);
    });
    model.dispose();
  });

  it('the hierarchy penalty is Σ_pairs ‖μ_a - μ_b‖² / (4τ²), its parents are the pair averages, and its gradient pulls siblings together', () => {
    const { rows } = blobs(8, 4, 4, 3);
    const model = new GMVAE(rows, { nComponents: 4, nLatent: 3, nHidden: 8, hierarchy: { pairs: [[0, 1], [2, 3]], scale: 0.5 }, seed: 4 });
    const prior = model.module.prior;
    const mu = prior.means.arraySync() as number[][];
    const d2 = (a: number[], b: number[]): number => a.reduce((s, v, j) => s + (v - (b[j] as number)) ** 2, 0);
    const expected = (d2(mu[0] as number[], mu[1] as number[]) + d2(mu[2] as number[], mu[3] as number[])) / (4 * 0.25);
    t.tidy(() => {
      expect(prior.hierarchyPenalty().dataSync()[0]).toBeCloseTo(expected, 4);
      const parents = prior.parentMeans().arraySync() as number[][];
      parents[0]?.forEach((v, j) => expect(v).toBeCloseTo(((mu[0]?.[j] as number) + (mu[1]?.[j] as number)) / 2, 5));
      const g = t.grad(() => prior.hierarchyPenalty())(prior.means).arraySync() as number[][];
      // d/dμ_0 = (μ_0 - μ_1) / (2τ²): gradient descent moves μ_0 towards μ_1.
      g[0]?.forEach((v, j) => expect(v).toBeCloseTo(((mu[0]?.[j] as number) - (mu[1]?.[j] as number)) / 0.5, 4));
    });
    model.dispose();
  });
});

describe('GMVAE training', () => {
  it.each([
    ['marginal', false],
    ['gumbel', false],
    ['gumbel', true],
  ] as const)('k %s (hard %s): recovers 4 separated clusters; the temperature anneals from 1 to 0.5', async (categorical, hard) => {
    const { rows, labels } = blobs(200, 4, 4, 5);
    const model = new GMVAE(rows, { nComponents: 4, nLatent: 2, nHidden: 16, categorical, hard, seed: 6 });
    await model.train({ epochs: 15, batchSize: 50, lr: 1e-2, klWarmup: { minWeight: 0, maxWeight: 0 }, validationFraction: 0, seed: 1 });
    model.initializePriorFromKMeans({ seed: 1 });
    const temps: number[] = [];
    await model.train({ epochs: 25, batchSize: 50, lr: 5e-3, validationFraction: 0, seed: 2, onEpoch: (r) => void temps.push(r.metrics.train.temperature as number) });
    expect(temps[0]).toBe(1);
    expect(temps.at(-1)).toBeCloseTo(0.5, 10);
    expect(clusteringAccuracy(model.predictClusters(), labels).accuracy).toBeGreaterThanOrEqual(0.95);
    const elbo = model.getElbo({ nSamples: 1, seed: 3 });
    expect(Number.isFinite(elbo)).toBe(true);
    expect(model.getMarginalLL({ nSamples: 50, seed: 4 })).toBeGreaterThan(elbo - 0.05);
    model.dispose();
  }, 60_000);

  it('the hierarchical prior pulls sibling components together', async () => {
    const { rows } = blobs(160, 4, 4, 7);
    const distance = async (hierarchy: boolean): Promise<number> => {
      const model = new GMVAE(rows, { nComponents: 4, nLatent: 2, nHidden: 16, seed: 8, ...(hierarchy ? { hierarchy: { pairs: [[0, 1]], scale: 0.1 } } : {}) });
      await model.train({ epochs: 20, batchSize: 40, lr: 1e-2, validationFraction: 0, seed: 1 });
      const mu = model.module.prior.means.arraySync() as number[][];
      model.dispose();
      return Math.hypot(...(mu[0] as number[]).map((v, j) => v - (mu[1]?.[j] as number)));
    };
    const free = await distance(false);
    const tied = await distance(true);
    expect(tied).toBeLessThan(0.5 * free);
  }, 60_000);
});

describe('GMVAE API', () => {
  it('initializePriorFromGaussianMixture sets the prior to the EM fit of the latent means', async () => {
    const { rows, labels } = blobs(120, 3, 4, 12);
    const model = new GMVAE(rows, { nComponents: 3, nLatent: 2, nHidden: 16, seed: 4 });
    await model.train({ epochs: 10, batchSize: 40, lr: 1e-2, validationFraction: 0, klWarmup: { minWeight: 0, maxWeight: 0 }, seed: 1 });
    const latent = model.getLatent();
    const fit = gaussianMixture(latent.values, latent.nRows, 2, 3, { seed: 5 });
    model.initializePriorFromGaussianMixture({ seed: 5 });
    const prior = model.module.prior;
    Array.from(prior.means.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(fit.means[i] as number, 4));
    Array.from(t.tidy(() => prior.scales()).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(Math.max(0.05, Math.sqrt(fit.variances[i] as number)), 4));
    Array.from(t.tidy(() => t.exp(prior.logWeights())).dataSync()).forEach((v, i) => expect(v).toBeCloseTo(fit.weights[i] as number, 4));
    // The prior's responsibilities at the latent means are the mixture's labels.
    expect(clusteringAccuracy(model.predictClusters(), fit.labels).accuracy).toBe(1);
    expect(clusteringAccuracy(model.predictClusters(), labels).accuracy).toBeGreaterThanOrEqual(0.95);
    model.dispose();
  }, 60_000);

  it('save / load: identical cluster probabilities and ELBO in eval mode', async () => {
    const { rows } = blobs(40, 3, 4, 9);
    const model = new GMVAE(rows, { nComponents: 3, nLatent: 2, nHidden: 8, useBatchNorm: true, seed: 10 });
    await model.train({ epochs: 3, batchSize: 10, seed: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'vitae-gmvae-'));
    try {
      await model.save(dir);
      const loaded = await GMVAE.load(dir, rows);
      expect(Array.from(loaded.getClusterProbabilities().values)).toEqual(Array.from(model.getClusterProbabilities().values));
      expect(loaded.getElbo({ seed: 2 })).toBe(model.getElbo({ seed: 2 }));
      const { k, z, x } = loaded.sample(4, { seed: 1, component: 2 });
      expect(Array.from(k.dataSync())).toEqual([2, 2, 2, 2]);
      expect(x.shape).toEqual([4, 4]);
      t.dispose([k, z, x]);
      loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    model.dispose();
  });

  it('bad input gets clear errors', async () => {
    const { rows } = blobs(10, 2, 3, 11);
    expect(() => new GMVAE(rows, { nComponents: 1, seed: 1 })).toThrow(/GMVAE: option 'nComponents' must be an integer >= 2, got 1/);
    expect(() => new GMVAE([[1, Number.NaN]], { seed: 1 })).toThrow(/GMVAE: argument 'data' must hold finite values, got NaN at row 0, column 1/);
    expect(() => new GMVAE(rows, { nComponents: 3, hierarchy: { pairs: [[0, 3]] }, seed: 1 })).toThrow(/hierarchy\.pairs\[0\]' must be two different component indices in \[0, 3\)/);
    expect(() => new GMVAE(rows, { categorical: 'sampled' as never, seed: 1 })).toThrow(/option 'categorical' must be one of 'marginal', 'gumbel'/);
    const model = new GMVAE(rows, { nComponents: 2, nHidden: 4, seed: 1 });
    expect(() => model.predictClusters({ data: [[1, 2]] })).toThrow(/GMVAE\.getClusterProbabilities: argument 'data' must have 3 features \(columns\), as the model was built for, got 2/);
    expect(() => model.sample(2, { seed: 1, component: 2 })).toThrow(/option 'component' must be an integer in \[0, 2\)/);
    await expect(model.train({ epochs: 1, inputDropout: 1 })).rejects.toThrow(/GMVAE\.train: option 'inputDropout' must be a number in \[0, 1\), got 1/);
    model.dispose();
  });

  it('no tensor leaks across 100 training steps (both ways of handling k) and the evaluation methods', async () => {
    const { rows } = blobs(40, 2, 3, 12);
    const before = t.numTensors();
    const model = new GMVAE(rows, { nComponents: 3, nLatent: 2, nHidden: 8, useBatchNorm: true, dropoutRate: 0.1, categorical: 'gumbel', hard: true, hierarchy: { pairs: [[0, 1]] }, seed: 13 });
    const params = t.numTensors() - before;
    const a = await model.train({ epochs: 13, batchSize: 10, seed: 1 });
    const marginal = new GMVAE(rows, { nComponents: 3, nLatent: 2, nHidden: 8, seed: 14 });
    const params2 = t.numTensors() - before - params;
    const b = await marginal.train({ epochs: 12, batchSize: 10, seed: 1 });
    expect(a.steps + b.steps).toBe(100);
    model.initializePriorFromKMeans({ seed: 1 });
    model.getElbo();
    model.getMarginalLL({ nSamples: 4 });
    model.predictClusters();
    const z = t.zeros([2, 2]);
    t.dispose([model.encode(rows), model.decode(z), z]);
    const s = model.sample(3, { seed: 1 });
    t.dispose([s.k, s.z, s.x]);
    expect(t.numTensors()).toBe(before + params + params2);
    model.dispose();
    marginal.dispose();
    expect(t.numTensors()).toBe(before);
  });
});
