// The VELOVI model on a small AnnData simulated from veloVI's kinetics (test/simulate.ts): input
// checks before training, velovi's initialisation from the data, seeded and reproducible training
// with velovi's schedule, every output against its definition, the AnnData outputs scVelo reads,
// save / load, and no leaked tensors. Runs on both backends.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnnData, Categorical, DataFrame, DenseArray, readH5ad, writeH5ad } from '@vitae/anndata';
import * as t from '@vitae/tensor';
import { simulate } from '../../test/simulate.js';
import { STATES, VELOVI, addVeloviOutputs, directionalStatistics, softplusInverse } from '../index.js';

import type { VELOVIOptions, VELOVIProgress } from '../index.js';

const SMALL: VELOVIOptions = { nHidden: 16, nLatent: 3, seed: 3 };

function small(seed = 1): AnnData {
  const { adata } = simulate({ nCells: 120, nGenes: 6, seed });
  const time = adata.obs.get('true_t') as Float64Array;
  const labels = Array.from(time, (x) => (x < 7 ? 'early' : x < 14 ? 'mid' : 'late'));
  adata.obs.set('clusters', Categorical.fromValues(labels));
  return adata;
}

function withLayer(adata: AnnData, name: string, edit: (values: Float32Array) => void): AnnData {
  const m = adata.layers[name] as DenseArray;
  const values = Float32Array.from(m.values);
  edit(values);
  return new AnnData({ obs: adata.obs, var: adata.var, layers: { ...adata.layers, [name]: new DenseArray(values, m.nRows, m.nCols) } });
}

describe('VELOVI: input checks before training', () => {
  const adata = small();
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['a missing spliced layer', () => new VELOVI(adata, { splicedLayer: 'spliced' }), /option 'splicedLayer' names layer 'spliced', which the AnnData does not have; its layers are \["Ms","Mu"\]/],
    ['a missing unspliced layer', () => new VELOVI(adata, { unsplicedLayer: 'unspliced' }), /option 'unsplicedLayer' names layer 'unspliced'/],
    ['a negative value', () => new VELOVI(withLayer(adata, 'Ms', (v) => (v[2 * 6 + 4] = -0.5))), /layer 'Ms' \(option 'splicedLayer'\) must hold finite abundances >= 0, got a negative value \(-0.5\) at cell 2 \('cell2'\), gene 4 \('gene4'\)/],
    ['NaN', () => new VELOVI(withLayer(adata, 'Mu', (v) => (v[7] = Number.NaN))), /layer 'Mu' \(option 'unsplicedLayer'\) must hold finite abundances >= 0, got NaN \(NaN\) at cell 1 \('cell1'\), gene 1 \('gene1'\)/],
    ['Infinity', () => new VELOVI(withLayer(adata, 'Mu', (v) => (v[0] = Infinity))), /got an infinite value \(Infinity\) at cell 0/],
    ['a gene without unspliced signal', () => new VELOVI(withLayer(adata, 'Mu', (v) => { for (let i = 0; i < 120; i++) v[i * 6 + 3] = 0; })), /gene 3 \('gene3'\) has unspliced abundance 0 in the median of its top 2 cells \(layer 'Mu'\)/],
    ['a bad option', () => new VELOVI(adata, { nLatent: 0 }), /VELOVIModule: option 'nLatent' must be an integer >= 1, got 0/],
    ['a bad gammaInitData', () => new VELOVI(adata, { gammaInitData: 'yes' as never }), /VELOVI: option 'gammaInitData' must be a boolean, got 'yes'/],
  ];
  for (const [what, build, message] of cases) {
    it(`${what}: a clear error`, () => {
      expect(build).toThrow(message);
    });
  }

  it('layers of different shapes: a clear error', () => {
    const other = new AnnData({ obs: adata.obs, var: adata.var, layers: { ...adata.layers } });
    other.layers.Mu = new DenseArray(new Float32Array(120 * 5), 120, 5); // assigned past AnnData's own check
    expect(() => new VELOVI(other)).toThrow(/layer 'Mu' \(option 'unsplicedLayer'\) must have shape \[120, 6\] \(cells × genes\), got \[120, 5\]/);
  });

  it('zero genes or zero cells: a clear error', () => {
    const noGenes = new AnnData({ obs: adata.obsNames, var: [], layers: { Ms: new DenseArray(new Float32Array(0), 120, 0), Mu: new DenseArray(new Float32Array(0), 120, 0) } });
    expect(() => new VELOVI(noGenes)).toThrow("VELOVI: argument 'adata' must hold at least one gene, got 0");
    const noCells = new AnnData({ obs: [], var: adata.varNames, layers: { Ms: new DenseArray(new Float32Array(0), 0, 6), Mu: new DenseArray(new Float32Array(0), 0, 6) } });
    expect(() => new VELOVI(noCells)).toThrow("VELOVI: argument 'adata' must hold at least one cell, got 0");
    expect(() => new VELOVI({} as AnnData)).toThrow("VELOVI: argument 'adata' must be an AnnData (from @vitae/anndata), got");
  });

  it('bad train options name the option', async () => {
    const model = new VELOVI(adata, SMALL);
    await expect(model.train({ maxEpochs: 0 })).rejects.toThrow(/option 'maxEpochs' must be an integer >= 1, got 0/);
    await expect(model.train({ trainSize: 1.5 })).rejects.toThrow(/option 'trainSize' must be a finite number in \(0, 1\], got 1.5/);
    await expect(model.train({ trainSize: 1, earlyStopping: true })).rejects.toThrow(/needs trainSize < 1, got trainSize 1 \(pass earlyStopping: false/);
    await expect(model.train({ gradientClipVal: -1 })).rejects.toThrow(/option 'gradientClipVal' must be a finite number >= 0, got -1/);
    model.dispose();
  });
});

describe("VELOVI: velovi's initialisation from the data", () => {
  it('alpha starts at softplus⁻¹ of the median u over the top 1% cells by u; those medians of u and s are the switch targets', () => {
    const adata = small();
    const model = new VELOVI(adata, SMALL);
    const u = (adata.layers.Mu as DenseArray).values;
    const s = (adata.layers.Ms as DenseArray).values;
    // 120 cells: ⌊0.99 · 120⌋ = 118, so the top 2 cells; the median of two values is their mean.
    const alpha = model.module.alphaUnconstr.dataSync();
    const su = model.module.switchUnspliced.dataSync();
    const ss = model.module.switchSpliced.dataSync();
    for (let g = 0; g < 6; g++) {
      const cells = Array.from({ length: 120 }, (_, i) => i).sort((a, b) => (u[a * 6 + g] as number) - (u[b * 6 + g] as number)).slice(118);
      const mu = cells.reduce((acc, i) => acc + (u[i * 6 + g] as number), 0) / 2;
      const ms = cells.reduce((acc, i) => acc + (s[i * 6 + g] as number), 0) / 2;
      expect(su[g]).toBeCloseTo(mu, 6);
      expect(ss[g]).toBeCloseTo(ms, 6);
      expect(alpha[g]).toBeCloseTo(Math.log(Math.expm1(mu)), 5);
    }
    expect(model.upperQuantiles.nTop).toBe(2);
    // gamma: −1 by default; min(softplus⁻¹(us / ms), 10) with gammaInitData.
    expect(Array.from(model.module.gammaMeanUnconstr.dataSync())).toEqual(new Array(6).fill(-1));
    const withGamma = new VELOVI(adata, { ...SMALL, gammaInitData: true });
    const gamma = withGamma.module.gammaMeanUnconstr.dataSync();
    for (let g = 0; g < 6; g++) expect(gamma[g]).toBeCloseTo(Math.min(softplusInverse((su[g] as number) / (ss[g] as number)), 10), 4);
    expect(softplusInverse(25)).toBe(25);
    // The linear decoder has loadings: genes × nLatent.
    const linear = new VELOVI(adata, { ...SMALL, linearDecoder: true });
    expect(linear.getLoadings().shape).toEqual([6, 3]);
    model.dispose();
    withGamma.dispose();
    linear.dispose();
  });
});

describe('VELOVI: training and outputs', () => {
  let adata: AnnData;
  let model: VELOVI;
  let progress: VELOVIProgress[];
  let elboBefore: number;
  let tensorsBefore: number;

  beforeAll(async () => {
    adata = small();
    model = new VELOVI(adata, SMALL);
    tensorsBefore = t.numTensors();
    elboBefore = model.getElbo();
    progress = [];
    await model.train({ maxEpochs: 40, batchSize: 32, nEpochsKlWarmup: 20, earlyStopping: false, seed: 11, onProgress: (p) => void progress.push(p) });
  });
  afterAll(() => model.dispose());

  it('reports every epoch: losses, the KL warm-up weight, the switch penalty weighted by 0.2 · (1 − klWeight)', () => {
    expect(progress).toHaveLength(40);
    expect(model.history).toEqual(progress);
    progress.forEach((p, e) => {
      expect(p.epoch).toBe(e);
      expect(p.klWeight).toBeCloseTo(Math.min(1, e / 20), 12);
      const klPi = p.klLocalTrain - p.klZTrain;
      expect(p.trainLoss).toBeCloseTo(p.reconstructionLossTrain + p.klWeight * p.klZTrain + klPi + 0.2 * (1 - p.klWeight) * p.switchPenalty, 3);
      expect(p.elboTrain).toBeCloseTo(p.reconstructionLossTrain + p.klLocalTrain, 3);
      expect(p.elboValidation).toBeCloseTo((p.reconstructionLossValidation as number) + (p.klLocalValidation as number), 3);
      expect(p.switchPenalty).toBeGreaterThan(0);
    });
    expect(model.isTrained).toBe(true);
  });

  it('training raises the ELBO, and leaks no tensors', () => {
    expect(model.getElbo()).toBeGreaterThan(elboBefore + 1);
    expect((progress[39] as VELOVIProgress).elboValidation).toBeLessThan((progress[0] as VELOVIProgress).elboValidation as number);
    expect(t.numTensors()).toBe(tensorsBefore);
  });

  it('is reproducible: the same seeds give the same history and latent space; early stopping (on by default) stops on the validation ELBO', async () => {
    const a = new VELOVI(adata, SMALL);
    const b = new VELOVI(adata, SMALL);
    const ra = await a.train({ maxEpochs: 3, batchSize: 32, seed: 5 });
    const rb = await b.train({ maxEpochs: 3, batchSize: 32, seed: 5 });
    const strip = (h: VELOVIProgress[]) => h.map(({ seconds: _s, elapsedSeconds: _e, ...rest }) => rest);
    expect(strip(ra.history)).toEqual(strip(rb.history));
    expect(Array.from(ra.validationIndices)).toEqual(Array.from(rb.validationIndices));
    expect(ra.validationIndices).toHaveLength(12); // 10% of 120 cells
    expect(a.getLatentRepresentation().values).toEqual(b.getLatentRepresentation().values);
    const c = new VELOVI(adata, SMALL);
    const rc = await c.train({ maxEpochs: 200, batchSize: 32, seed: 5, earlyStopping: { patience: 2 } });
    expect(rc.stopReason).toBe('earlyStopping');
    expect(rc.epochs).toBeLessThan(200);
    const best = Math.min(...rc.history.map((h) => h.elboValidation as number));
    const last = rc.history.slice(-2).map((h) => h.elboValidation as number);
    last.forEach((v) => expect(v).toBeGreaterThanOrEqual(best));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('latent representation: posterior means, or draws with a seed', () => {
    const mean = model.getLatentRepresentation();
    expect(mean.shape).toEqual([120, 3]);
    expect(model.getLatentRepresentation().values).toEqual(mean.values);
    const d1 = model.getLatentRepresentation({ giveMean: false, seed: 1 });
    const d2 = model.getLatentRepresentation({ giveMean: false, seed: 1 });
    const d3 = model.getLatentRepresentation({ giveMean: false, seed: 2 });
    expect(d1.values).toEqual(d2.values);
    expect(d1.values).not.toEqual(d3.values);
    expect(model.getLatentRepresentation({ indices: [5, 0] }).row(1)).toEqual(mean.row(0));
  });

  it('velocity: clipped at −s, seeded, the mean of the passes, both modes and statistics', () => {
    const s = (adata.layers.Ms as DenseArray).values;
    const v = model.getVelocity({ nSamples: 4, seed: 3 }) as DenseArray;
    expect(v.shape).toEqual([120, 6]);
    v.values.forEach((x, k) => expect(x).toBeGreaterThanOrEqual(-(s[k] as number) - 1e-7));
    expect((model.getVelocity({ nSamples: 4, seed: 3 }) as DenseArray).values).toEqual(v.values);
    const draws = model.getVelocity({ nSamples: 4, seed: 3, returnMean: false, clip: false }) as DenseArray[];
    expect(draws).toHaveLength(4);
    const unclipped = model.getVelocity({ nSamples: 4, seed: 3, clip: false }) as DenseArray;
    unclipped.values.forEach((x, k) => expect(x).toBeCloseTo(draws.reduce((acc, d) => acc + (d.values[k] as number), 0) / 4, 5));
    v.values.forEach((x, k) => expect(x).toBeCloseTo(Math.max(unclipped.values[k] as number, -(s[k] as number)), 6));
    const du = model.getVelocity({ velocityMode: 'unspliced', statistic: 'max', geneList: ['gene2', 'gene0'], indices: [0, 1, 2] }) as DenseArray;
    expect(du.shape).toEqual([3, 2]);
    // giveMean: deterministic whatever the seed.
    const m1 = model.getVelocity({ giveMean: true, seed: 1 }) as DenseArray;
    const m2 = model.getVelocity({ giveMean: true, seed: 2 }) as DenseArray;
    expect(m1.values).toEqual(m2.values);
    expect(() => model.getVelocity({ velocityMode: 'total' as never })).toThrow("VELOVI.getVelocity: option 'velocityMode' must be one of 'spliced', 'unspliced', got 'total'");
    expect(() => model.getVelocity({ geneList: ['gene9'] })).toThrow(/option 'geneList' must hold genes of the model's data, got 'gene9'/);
    expect(() => model.getVelocity({ indices: [120] })).toThrow(/option 'indices' must hold cell indices in \[0, 120\), got number 120 at position 0/);
    expect(() => model.getVelocity({ nSamples: 0 })).toThrow(/option 'nSamples' must be an integer >= 1, got 0/);
  });

  it('latent time, state assignment, rates, switch times, expression fit, gene likelihood', () => {
    const time = model.getLatentTime({ nSamples: 3 }) as DenseArray;
    expect(time.shape).toEqual([120, 6]);
    time.values.forEach((x) => expect(x).toBeGreaterThanOrEqual(0));
    const ts = model.getSwitchTime();
    // Each state's time is at most max(t_s, t_max), so the π-weighted time is too.
    time.values.forEach((x, k) => expect(x).toBeLessThanOrEqual(Math.max(ts[k % 6] as number, 20) + 1e-4));
    const soft = model.getStateAssignment({ nSamples: 5 });
    expect(soft.states).toEqual(STATES);
    expect(soft.probabilities).toHaveLength(120 * 6 * 4);
    for (let k = 0; k < 120 * 6; k++) expect(soft.probabilities.subarray(4 * k, 4 * k + 4).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const hard = model.getStateAssignment({ nSamples: 5, hard: true });
    for (let k = 0; k < 120 * 6; k++) {
      const p = soft.probabilities.subarray(4 * k, 4 * k + 4);
      expect(p[hard.assignment[k] as number]).toBe(Math.max(...p));
    }
    expect(STATES).toContain(hard.label(3, 2));
    const rates = model.getRates();
    for (const r of [rates.alpha, rates.beta, rates.gamma]) r.forEach((x) => expect(x > 0 && x <= 50).toBe(true));
    const fit = model.getExpressionFit({ nSamples: 2 });
    expect((fit.spliced as DenseArray).shape).toEqual([120, 6]);
    const ll = model.getGeneLikelihood({ giveMean: true }) as DenseArray;
    expect(ll.values.every(Number.isFinite)).toBe(true);
    // restrict_to_latent_dim changes ρ and τ only; a dimension out of range is an error.
    const full = model.getExpressionFit({ giveMean: true }).spliced as DenseArray;
    const dim0 = model.getExpressionFit({ giveMean: true, restrictToLatentDim: 0 }).spliced as DenseArray;
    expect(dim0.values).not.toEqual(full.values);
    expect(() => model.getExpressionFit({ restrictToLatentDim: 3 })).toThrow("VELOVI.getExpressionFit: option 'restrictToLatentDim' must be an integer in [0, 3) (nLatent), got number 3");
    expect(() => model.getLoadings()).toThrow('linearLoadings: the module was not built with linearDecoder: true');
  });

  it('directional uncertainty: per cell the spread of the sampled velocities, from the same draws as getVelocity', () => {
    const { table, cosineSimilarities } = model.getDirectionalUncertainty({ nSamples: 6, seed: 4, indices: [0, 7, 9] });
    expect(table.index).toEqual(['cell0', 'cell7', 'cell9']);
    expect(table.columnNames).toEqual(['directional_variance', 'directional_difference', 'directional_cosine_sim_variance', 'directional_cosine_sim_difference', 'directional_cosine_sim_mean']);
    expect(cosineSimilarities.shape).toEqual([3, 6]);
    cosineSimilarities.values.forEach((c) => expect(c >= -1 && c <= 1).toBe(true));
    const draws = model.getVelocity({ nSamples: 6, seed: 4, indices: [0, 7, 9], returnMean: false }) as DenseArray[];
    const samples = new Float64Array(6 * 6);
    draws.forEach((d, s) => samples.set(d.row(1), s * 6));
    const want = directionalStatistics(samples, 6, 6);
    expect((table.get('directional_cosine_sim_mean') as Float64Array)[1]).toBeCloseTo(want.statistics.directional_cosine_sim_mean, 10);
    expect((table.get('directional_variance') as Float64Array)[1]).toBeCloseTo(want.statistics.directional_variance, 10);
    expect(() => model.getDirectionalUncertainty({ nSamples: 1 })).toThrow(/option 'nSamples' must be an integer >= 2/);
  });

  it('permutation scores: a t statistic per gene and cell type; the shuffle keeps each type-gene multiset', () => {
    const { scores, permuted } = model.getPermutationScores({ labelsKey: 'clusters', nSamples: 2 });
    expect(scores.index).toEqual(adata.varNames);
    expect(scores.columnNames).toEqual(['early', 'late', 'mid']);
    const labels = adata.obs.strings('clusters');
    for (const layer of ['Ms', 'Mu']) {
      const a = (adata.layers[layer] as DenseArray).values;
      const b = (permuted.layers[layer] as DenseArray).values;
      expect(b).not.toEqual(a);
      for (const ty of ['early', 'mid', 'late']) {
        for (let g = 0; g < 6; g++) {
          const pick = (v: Float32Array | Float64Array) => labels.flatMap((l, i) => (l === ty ? [v[i * 6 + g] as number] : [])).sort((x, y) => x - y);
          expect(pick(b)).toEqual(pick(a));
        }
      }
    }
    for (const ty of scores.columnNames) (scores.get(ty) as Float64Array).forEach((x) => expect(Number.isFinite(x)).toBe(true));
    expect(() => model.getPermutationScores({ labelsKey: 'cell_type' })).toThrow(/option 'labelsKey' names obs column 'cell_type', which does not exist; the obs columns are \["true_t","clusters"\]/);
  });

  it("addVeloviOutputs writes velovi's tutorial outputs under scVelo's names; they survive writeH5ad / readH5ad", async () => {
    const target = new AnnData({ obs: adata.obs.clone(), var: adata.var.clone(), layers: { ...adata.layers } });
    addVeloviOutputs(target, model, { nSamples: 3 });
    const fitT = target.layers.fit_t as DenseArray;
    const latent = target.layers.latent_time_velovi as DenseArray;
    // Each gene's time scaled to end at 20.
    for (let g = 0; g < 6; g++) {
      let max = 0;
      for (let i = 0; i < 120; i++) max = Math.max(max, fitT.get(i, g));
      expect(max).toBeCloseTo(20, 4);
    }
    const scaling = Array.from({ length: 6 }, (_, g) => fitT.get(0, g) / latent.get(0, g));
    const rates = model.getRates();
    (target.var.get('fit_alpha') as Float64Array).forEach((a, g) => expect(a).toBeCloseTo((rates.alpha[g] as number) / (scaling[g] as number), 4));
    const lt = target.obs.get('latent_time') as Float64Array;
    expect(Math.min(...lt)).toBe(0);
    expect(Math.max(...lt)).toBe(1);
    const back = await readH5ad(await writeH5ad(target));
    for (const layer of ['velocity', 'fit_t', 'latent_time_velovi', 'Ms', 'Mu']) expect(Object.keys(back.layers)).toContain(layer);
    for (const col of ['fit_alpha', 'fit_beta', 'fit_gamma', 'fit_t_', 'fit_scaling', 'velocity_genes']) expect(back.var.columnNames).toContain(col);
    expect(back.obs.columnNames).toContain('latent_time');
    expect(() => addVeloviOutputs(small(2).subset({ var: [0, 1] }), model)).toThrow(/argument 'adata' must hold the model's 120 cells × 6 genes/);
  });

  it('save / load: the same latent means; other genes or a foreign directory are errors', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'velovi-'));
    try {
      await model.save(dir);
      const loaded = await VELOVI.load(dir, adata);
      expect(loaded.isTrained).toBe(true);
      expect(loaded.getLatentRepresentation().values).toEqual(model.getLatentRepresentation().values);
      expect((loaded.getVelocity({ seed: 2 }) as DenseArray).values).toEqual((model.getVelocity({ seed: 2 }) as DenseArray).values);
      expect(loaded.getRates()).toEqual(model.getRates());
      loaded.dispose();
      const renamed = new AnnData({ obs: adata.obs, var: new DataFrame(['gene0', 'gene1', 'geneX', 'gene3', 'gene4', 'gene5']), layers: adata.layers });
      await expect(VELOVI.load(dir, renamed)).rejects.toThrow("VELOVI.load: argument 'adata' must have the genes the model was trained on, in the same order (var names); gene 2 is 'geneX', the model's is 'gene2'");
      await expect(VELOVI.load(dir, adata.subset({ var: [0, 1, 2] }))).rejects.toThrow(/it has 3 genes, the model 6/);
      await writeFile(join(dir, 'config.json'), JSON.stringify({ model: 'SCVI' }));
      await expect(VELOVI.load(dir, adata)).rejects.toThrow(/config.json in '.*' was not written by VELOVI.save \(model: 'SCVI'\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('no method leaks tensors', () => {
    const before = t.numTensors();
    model.getLatentRepresentation();
    model.getVelocity({ nSamples: 2 });
    model.getLatentTime();
    model.getStateAssignment({ nSamples: 2 });
    model.getRates();
    model.getSwitchTime();
    model.getExpressionFit();
    model.getGeneLikelihood();
    model.getElbo();
    model.getDirectionalUncertainty({ nSamples: 3 });
    model.getPermutationScores({ labelsKey: 'clusters', nSamples: 1 });
    expect(() => model.getVelocity({ indices: [-1] })).toThrow();
    expect(t.numTensors()).toBe(before);
  });
});
