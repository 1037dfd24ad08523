// The VAE's user API: likelihoods, save / load, bounds, errors and tensor hygiene.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Laplace } from '@vitae/distributions';
import * as t from '@vitae/tensor';
import { VAE, gaussianLikelihood, likelihood } from './index.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** 64 binary rows with two prototypes (first half / second half of the features on) and noise. */
function binaryData(n = 64, d = 12, seed = 1): number[][] {
  const u = t.randomUniform([n, d], { seed }).dataSync();
  return Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, j) => {
    const on = (i % 2 === 0) === (j < d / 2);
    return (u[i * d + j] as number) < (on ? 0.9 : 0.1) ? 1 : 0;
  }));
}

describe('VAE', () => {
  it('Bernoulli likelihood: training raises the ELBO; ELBO <= IWAE_10 <= IWAE_100', async () => {
    const data = binaryData();
    const vae = new VAE(data, { nLatent: 2, nHidden: 16, likelihood: 'bernoulli', seed: 1 });
    const before = vae.getElbo({ nSamples: 8, seed: 1 });
    const result = await vae.train({ epochs: 40, batchSize: 16, lr: 1e-2, seed: 2 });
    expect(result.history).toHaveLength(40);
    expect(result.history[0]?.metrics.train).toHaveProperty('reconstruction');
    const elbo = vae.getElbo({ nSamples: 8, seed: 1 });
    expect(elbo).toBeGreaterThan(before + 1);
    const iwae10 = vae.getMarginalLL({ nSamples: 10, seed: 3 });
    const iwae100 = vae.getMarginalLL({ nSamples: 100, seed: 3 });
    expect(iwae10).toBeGreaterThan(elbo);
    expect(iwae100).toBeGreaterThan(iwae10 - 0.05);
    vae.dispose();
  });

  it('continuous Bernoulli likelihood on grey levels: trains, round-trips through save / load, rejects data outside [0, 1]', async () => {
    // grey levels: the binary prototypes blurred into (0, 1), with exact 0s and 1s kept
    const data = binaryData(48, 10, 3).map((row, i) => row.map((v, j) => (j === 0 ? v : Math.abs(v - ((i * 7 + j * 3) % 10) / 25))));
    const vae = new VAE(data, { nLatent: 2, nHidden: 16, likelihood: 'continuous-bernoulli', seed: 2 });
    const before = vae.getElbo({ nSamples: 8, seed: 1 });
    await vae.train({ epochs: 30, batchSize: 16, lr: 1e-2, validationFraction: 0, seed: 2 });
    const elbo = vae.getElbo({ nSamples: 8, seed: 1 });
    expect(elbo).toBeGreaterThan(before + 1);
    // the clamp of λ bounds log p(x) by log C(15.94) ≈ 2.77 nats per value
    expect(elbo).toBeLessThan(10 * 2.77);
    const dir = mkdtempSync(join(tmpdir(), 'vitae-vae-cb-'));
    dirs.push(dir);
    await vae.save(dir);
    const again = await VAE.load(dir, data);
    expect(again.likelihood.name).toBe('continuous_bernoulli');
    expect(again.getElbo({ nSamples: 8, seed: 1 })).toBe(elbo);
    again.dispose();
    vae.dispose();
    expect(() => new VAE([[0, 1.5]], { likelihood: 'continuous-bernoulli', seed: 1 })).toThrow(/continuous Bernoulli likelihood needs data in \[0, 1\], got 1\.5 at flat index 1/);
  });

  it('any @vitae/distributions family as likelihood (Laplace), beta weight and KL warm-up', async () => {
    const laplace = likelihood({
      name: 'laplace',
      heads: { loc: 'real' },
      globals: { scale: { constraint: 'positive', init: 0.5 } },
      distribution: (p) => new Laplace(p.loc as t.Tensor, p.scale as t.Tensor, { validateArgs: false }),
    });
    const data = binaryData(32, 6, 2);
    const vae = new VAE(data, { nLatent: 2, nHidden: 8, likelihood: laplace, beta: 0.5, seed: 4 });
    const seen: number[] = [];
    await vae.train({ epochs: 4, batchSize: 8, klWarmup: { nEpochsKlWarmup: 4 }, validationFraction: 0, seed: 1, onEpoch: (r) => void seen.push(r.metrics.train.klWeight as number) });
    expect(seen).toEqual([0, 0.125, 0.25, 0.375]);
    expect(vae.module.namedParameters().map(([n]) => n)).toContain('decoder.globals.scale');
    const { x, z } = vae.sample(5, { seed: 1 });
    expect(x.shape).toEqual([5, 6]);
    expect(z.shape).toEqual([5, 2]);
    t.dispose([x, z]);
    vae.dispose();
  });

  it('save / load: identical outputs in eval mode; the weights file parses with an independent reader', async () => {
    const data = binaryData();
    const vae = new VAE(data, { nLatent: 3, nHidden: 8, nLayers: 2, useBatchNorm: true, dropoutRate: 0.1, likelihood: 'bernoulli', seed: 5 });
    await vae.train({ epochs: 3, batchSize: 16, seed: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'vitae-vae-'));
    dirs.push(dir);
    await vae.save(dir);
    const loaded = await VAE.load(dir, data);
    const [a, b] = [vae, loaded].map((m) => m.getLatent().values);
    expect(Array.from(b ?? [])).toEqual(Array.from(a ?? []));
    expect(loaded.getElbo({ seed: 3 })).toBe(vae.getElbo({ seed: 3 }));

    // An independent reader: u64 header length, JSON header, contiguous little-endian float32 data.
    const bytes = readFileSync(join(dir, 'model.safetensors'));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = Number(view.getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
    const names = Object.keys(header).filter((k) => k !== '__metadata__');
    expect(names.sort()).toEqual(vae.module.namedParameters().concat(vae.module.namedBuffers()).map(([k]) => k).sort());
    const entry = header['decoder.heads.logits.bias'] as { dtype: string; shape: number[]; data_offsets: [number, number] };
    expect(entry.dtype).toBe('F32');
    const values = Array.from({ length: entry.shape[0] as number }, (_, i) => view.getFloat32(8 + n + entry.data_offsets[0] + 4 * i, true));
    const state = vae.module.stateDict();
    expect(values).toEqual(Array.from(state['decoder.heads.logits.bias']?.dataSync() ?? []));
    t.dispose(Object.values(state));
    await expect(VAE.load(dir, binaryData(8, 5))).rejects.toThrow(/VAE\.load: argument 'data' must have 12 features \(columns\), as the saved model, got 5/);
    vae.dispose();
    loaded.dispose();
  });

  it('bad input gets clear errors', () => {
    expect(() => new VAE([[0, Number.NaN]], { seed: 1 })).toThrow(/VAE: argument 'data' must hold finite values, got NaN at row 0, column 1/);
    expect(() => new VAE([[0, 1], [1]], { seed: 1 })).toThrow(/rectangular/);
    expect(() => new VAE([[0, 0.5]], { likelihood: 'bernoulli', seed: 1 })).toThrow(/Bernoulli likelihood needs data in \{0, 1\}.*got 0\.5 at flat index 1/);
    expect(() => new VAE([[0, 1]], { nLatent: 0, seed: 1 })).toThrow(/VAE: option 'nLatent' must be an integer >= 1, got 0/);
    expect(() => new VAE([[0, 1]], {} as never)).toThrow(/VAE: option 'seed' must be an integer/);
    const vae = new VAE([[0, 1], [1, 0]], { nLatent: 1, nHidden: 4, seed: 1 });
    expect(() => vae.encode([[1, 2, 3]])).toThrow(/VAE\.encode: argument 'data' must have 2 features \(columns\), as the model was built for, got 3/);
    expect(() => vae.getElbo({ data: [[1, Infinity]] })).toThrow(/must hold finite values, got Infinity at row 0, column 1/);
    vae.dispose();
  });

  it('no tensor leaks across 100 training steps and the evaluation methods', async () => {
    const data = binaryData(40, 6, 3);
    const before = t.numTensors();
    const vae = new VAE(data, { nLatent: 2, nHidden: 8, useBatchNorm: true, dropoutRate: 0.2, likelihood: 'bernoulli', seed: 6 });
    const params = t.numTensors() - before;
    const result = await vae.train({ epochs: 25, batchSize: 10, validationFraction: 0.1, seed: 1 });
    expect(result.steps).toBe(100);
    vae.getElbo();
    vae.getMarginalLL({ nSamples: 5 });
    vae.getLatent();
    const z = t.zeros([2, 2]);
    t.dispose([vae.encode(data), vae.decode(z), z]);
    expect(t.numTensors()).toBe(before + params);
    vae.dispose();
    expect(t.numTensors()).toBe(before);
  });
});

describe('VAE built-in likelihoods', () => {
  it.each([
    ['gaussian, per-feature variance', { likelihood: 'gaussian' as const }, ['decoder.globals.scale']],
    ['gaussian, per-item variance', { likelihood: gaussianLikelihood({ variance: 'item' }) }, ['decoder.heads.scale.weight']],
    ['gaussian, fixed variance', { likelihood: gaussianLikelihood({ variance: 0.5 }) }, []],
    ['poisson', { likelihood: 'poisson' as const }, ['decoder.heads.rate.weight']],
  ] as const)('%s: trains, and a saved model rebuilds the same likelihood', async (_name, options, names) => {
    const counts = binaryData(32, 5, 4).map((row, i) => row.map((v) => v * (1 + (i % 3))));
    const vae = new VAE(counts, { nLatent: 2, nHidden: 8, ...options, seed: 7 });
    const before = vae.getElbo({ seed: 1 });
    await vae.train({ epochs: 15, batchSize: 8, lr: 1e-2, validationFraction: 0, seed: 1 });
    expect(vae.getElbo({ seed: 1 })).toBeGreaterThan(before);
    const params = vae.module.namedParameters().map(([n]) => n);
    names.forEach((n) => expect(params).toContain(n));
    const dir = mkdtempSync(join(tmpdir(), 'vitae-vae-lik-'));
    dirs.push(dir);
    await vae.save(dir);
    const loaded = await VAE.load(dir, counts);
    expect(loaded.likelihood.builtin).toEqual(vae.likelihood.builtin);
    expect(loaded.getElbo({ seed: 2 })).toBe(vae.getElbo({ seed: 2 }));
    vae.dispose();
    loaded.dispose();
  });

  it('a custom likelihood must be passed again to load', async () => {
    const custom = likelihood({ name: 'laplace', heads: { loc: 'real' }, distribution: (p) => new Laplace(p.loc as t.Tensor, 1, { validateArgs: false }) });
    const vae = new VAE(binaryData(8, 3, 5), { nLatent: 1, nHidden: 4, likelihood: custom, seed: 1 });
    const dir = mkdtempSync(join(tmpdir(), 'vitae-vae-custom-'));
    dirs.push(dir);
    await vae.save(dir);
    await expect(VAE.load(dir, binaryData(8, 3, 5))).rejects.toThrow(/VAE\.load: the model was saved with a custom likelihood \('laplace'\); pass it as options\.likelihood/);
    const loaded = await VAE.load(dir, binaryData(8, 3, 5), { likelihood: custom });
    expect(loaded.getElbo({ seed: 1 })).toBe(vae.getElbo({ seed: 1 }));
    vae.dispose();
    loaded.dispose();
  });
});
