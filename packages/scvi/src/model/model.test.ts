// The SCVI model on a small AnnData drawn from a known count model (test/synthetic.ts): input
// checks before training, seeded and reproducible training with scvi-tools' schedule, the
// posterior quantities against their definitions, differential expression on a gene with a
// known answer, save / load, and no leaked tensors. Runs on both backends.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnnData, Categorical, CsrMatrix, DataFrame, DenseArray } from '@vitae/anndata';
import * as t from '@vitae/tensor';
import { syntheticAnnData } from '../../test/synthetic.js';
import { SCVI, defaultMaxEpochs } from '../index.js';
import { checkTrainOptions } from './train.js';

import type { SCVIOptions, SCVIProgress } from '../index.js';

const total = (values: ArrayLike<number>): number => Array.from(values).reduce((s, v) => s + v, 0);

const SMALL: SCVIOptions = { nHidden: 32, nLatent: 4, seed: 3 };

function withX(adata: AnnData, edit: (values: Float32Array) => void): AnnData {
  const x = adata.X as CsrMatrix;
  const values = x.toDense();
  edit(values);
  return new AnnData({ X: CsrMatrix.fromDense(values, x.nRows, x.nCols), obs: adata.obs, var: adata.var });
}

describe('SCVI: input checks before training', () => {
  const adata = syntheticAnnData();
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['a non-integer count', () => new SCVI(withX(adata, (v) => (v[5 * 40 + 2] = 1.5))), /raw counts \(integers >= 0\).*non-integer value \(1\.5\) at cell 5 \('cell5'\), gene 2 \('gene2'\)/],
    ['a negative count', () => new SCVI(withX(adata, (v) => (v[7] = -1))), /negative value \(-1\) at cell 0 \('cell0'\), gene 7/],
    ['NaN', () => new SCVI(withX(adata, (v) => (v[40 + 3] = Number.NaN))), /NaN \(NaN\) at cell 1 \('cell1'\), gene 3/],
    ['a cell with zero total counts', () => new SCVI(withX(adata, (v) => v.fill(0, 9 * 40, 10 * 40))), /zero total counts: cell 9 \('cell9'\)/],
    ['a batchKey that does not exist', () => new SCVI(adata, { batchKey: 'sample' }), /option 'batchKey' names obs column 'sample', which does not exist; the obs columns are \["cell_type","batch"\]/],
    ['a layer that does not exist', () => new SCVI(adata, { layer: 'counts' }), /option 'layer' must name a layer.*no layer 'counts'/],
    ['a bad option', () => new SCVI(adata, { dispersion: 'gene-gene' as never }), /option 'dispersion' must be one of/],
  ];
  for (const [what, build, message] of cases) {
    it(`${what}: a clear error`, () => {
      expect(build).toThrow(message);
    });
  }

  it('a missing batch value: a clear error', () => {
    const obs = adata.obs.clone();
    const codes = Int32Array.from((adata.obs.get('batch') as Categorical).codes);
    codes[4] = -1;
    obs.set('batch', new Categorical(codes, ['batch0', 'batch1']));
    expect(() => new SCVI(new AnnData({ X: adata.X as CsrMatrix, obs, var: adata.var }), { batchKey: 'batch' })).toThrow(/missing value at cell 4 \('cell4'\)/);
  });

  it('string and numeric obs columns become categories (numbers sorted as numbers)', () => {
    const obs = new DataFrame(adata.obsNames, { site: Int32Array.from({ length: adata.nObs }, (_, i) => (i % 2 === 0 ? 10 : 2)) });
    const model = new SCVI(new AnnData({ X: adata.X as CsrMatrix, obs, var: adata.var }), { ...SMALL, batchKey: 'site' });
    expect(model.data.batch.categories).toEqual(['2', '10']);
    expect(model.data.batch.codes[0]).toBe(1);
    model.dispose();
  });

  it('bad train options name the option', async () => {
    const model = new SCVI(adata, SMALL);
    await expect(model.train({ maxEpochs: 0 })).rejects.toThrow(/option 'maxEpochs' must be an integer >= 1, got 0/);
    await expect(model.train({ trainSize: 1.5 })).rejects.toThrow(/option 'trainSize' must be a finite number in \(0, 1\], got 1.5/);
    await expect(model.train({ trainSize: 1, earlyStopping: true })).rejects.toThrow(/needs trainSize < 1/);
    model.dispose();
  });
});

describe('SCVI: training', () => {
  let adata: AnnData;
  let model: SCVI;
  let progress: SCVIProgress[];
  let elboBefore: number;

  beforeAll(async () => {
    adata = syntheticAnnData();
    model = new SCVI(adata, { ...SMALL, batchKey: 'batch' });
    elboBefore = model.getElbo();
    progress = [];
    await model.train({ maxEpochs: 30, batchSize: 32, lr: 5e-3, nEpochsKlWarmup: 10, seed: 11, onProgress: (p) => void progress.push(p) });
  });
  afterAll(() => model.dispose());

  it("scvi-tools' default epochs: min(round(20000 / n · 400), 400)", () => {
    expect(defaultMaxEpochs(2700)).toBe(400);
    expect(defaultMaxEpochs(20000)).toBe(400);
    expect(defaultMaxEpochs(50000)).toBe(160);
    expect(defaultMaxEpochs(1_000_000)).toBe(8);
  });

  it('reports every epoch: losses, the KL warm-up weight min(1, epoch / nEpochsKlWarmup), times', () => {
    expect(progress).toHaveLength(30);
    expect(model.history).toEqual(progress);
    progress.forEach((p, e) => {
      expect(p.epoch).toBe(e);
      expect(p.maxEpochs).toBe(30);
      expect(p.klWeight).toBeCloseTo(Math.min(1, e / 10), 12);
      // trainLoss = reconstruction + klWeight · KL(z) (observed library: no KL(ℓ)); the ELBO terms unweighted.
      expect(p.trainLoss).toBeCloseTo(p.reconstructionLossTrain + p.klWeight * p.klLocalTrain, 3);
      expect(p.elboTrain).toBeCloseTo(p.reconstructionLossTrain + p.klLocalTrain, 3);
      expect(p.elboValidation).toBeCloseTo((p.reconstructionLossValidation as number) + (p.klLocalValidation as number), 3);
      expect(p.seconds).toBeGreaterThan(0);
    });
    expect(progress[29]?.elapsedSeconds).toBeGreaterThanOrEqual(progress[0]?.elapsedSeconds as number);
  });

  it('training raises the ELBO', () => {
    const after = model.getElbo();
    expect(after).toBeGreaterThan(elboBefore + 10);
    expect(progress[29]?.elboValidation).toBeLessThan(progress[0]?.elboValidation as number);
    expect(model.isTrained).toBe(true);
  });

  it('is reproducible: the same seeds give the same history and latent space', async () => {
    const a = new SCVI(adata, { ...SMALL, batchKey: 'batch' });
    const b = new SCVI(adata, { ...SMALL, batchKey: 'batch' });
    const ra = await a.train({ maxEpochs: 3, batchSize: 32, seed: 5 });
    const rb = await b.train({ maxEpochs: 3, batchSize: 32, seed: 5 });
    const strip = (h: SCVIProgress[]) => h.map(({ seconds: _s, elapsedSeconds: _e, ...rest }) => rest);
    expect(strip(ra.history)).toEqual(strip(rb.history));
    expect(Array.from(ra.validationIndices)).toEqual(Array.from(rb.validationIndices));
    expect(ra.validationIndices).toHaveLength(15); // floor(0.1 · 150)
    expect(a.getLatentRepresentation().values).toEqual(b.getLatentRepresentation().values);
    a.dispose();
    b.dispose();
  });

  it('KL warm-up options: min / max weight over epochs, or over steps (the epoch reports its mean)', async () => {
    const m = new SCVI(adata, SMALL);
    const byEpoch = await m.train({ maxEpochs: 4, batchSize: 45, nEpochsKlWarmup: 2, minKlWeight: 0.2, maxKlWeight: 0.6 });
    expect(byEpoch.history.map((p) => p.klWeight)).toEqual([0.2, expect.closeTo(0.4, 12), 0.6, 0.6]);
    // 135 training cells in batches of 45: 3 steps per epoch, weight = step / 6 over steps 0-5.
    const bySteps = await m.train({ maxEpochs: 3, batchSize: 45, nEpochsKlWarmup: null, nStepsKlWarmup: 6 });
    expect(bySteps.history.map((p) => p.klWeight)).toEqual([expect.closeTo(1 / 6, 12), expect.closeTo(4 / 6, 12), 1]);
    m.dispose();
  });

  it("early stopping on the validation ELBO, and 'stop' from onProgress", async () => {
    const m = new SCVI(adata, SMALL);
    // lr 0 never improves after epoch 0: patience 2 stops after epoch 2.
    const stopped = await m.train({ maxEpochs: 20, batchSize: 32, lr: 0, earlyStopping: { patience: 2 } });
    expect(stopped.stopReason).toBe('earlyStopping');
    expect(stopped.epochs).toBe(3);
    const called = await m.train({ maxEpochs: 20, batchSize: 32, onProgress: (p) => (p.epoch === 1 ? 'stop' : undefined) });
    expect(called.stopReason).toBe('callback');
    expect(called.epochs).toBe(2);
    m.dispose();
  });

  it('early stopping is on by default (patience 45 on the validation ELBO) when there is a validation set', () => {
    const watch = { patience: 45, monitor: 'validation' };
    expect(checkTrainOptions({}, 100).earlyStopping).toEqual(watch);
    expect(checkTrainOptions({ earlyStopping: true }, 100).earlyStopping).toEqual(watch);
    expect(checkTrainOptions({ earlyStopping: false }, 100).earlyStopping).toBeUndefined();
    expect(checkTrainOptions({ earlyStopping: { patience: 5 } }, 100).earlyStopping).toEqual({ patience: 5, monitor: 'validation' });
    // No validation set: nothing to watch, so the default is off (true is an error, tested above).
    expect(checkTrainOptions({ trainSize: 1 }, 100).earlyStopping).toBeUndefined();
  });

  it('latent representation: posterior means (deterministic) or draws', () => {
    const mean = model.getLatentRepresentation();
    expect(mean).toBeInstanceOf(DenseArray);
    expect(mean.shape).toEqual([150, 4]);
    expect(model.getLatentRepresentation().values).toEqual(mean.values);
    const draw = model.getLatentRepresentation({ giveMean: false, seed: 1 });
    expect(draw.values).not.toEqual(mean.values);
    const some = model.getLatentRepresentation({ indices: [3, 0] });
    expect(Array.from(some.row(1))).toEqual(Array.from(mean.row(0)));
  });

  it('latent means separate the cell types (nearest-centroid accuracy > 0.9)', () => {
    const z = model.getLatentRepresentation();
    const types = (adata.obs.get('cell_type') as Categorical).codes;
    const centroids = [0, 1, 2].map((k) => {
      const rows = Array.from(types.keys()).filter((i) => types[i] === k);
      return [0, 1, 2, 3].map((d) => rows.reduce((s, i) => s + z.get(i, d), 0) / rows.length);
    });
    let correct = 0;
    for (let i = 0; i < 150; i++) {
      const dist = centroids.map((c) => c.reduce((s, v, d) => s + (z.get(i, d) - v) ** 2, 0));
      if (dist.indexOf(Math.min(...dist)) === types[i]) correct++;
    }
    expect(correct / 150).toBeGreaterThan(0.9);
  });

  it("normalized expression: frequencies summing to 1; librarySize 'latent' gives back each cell's total count", () => {
    const scale = model.getNormalizedExpression() as DenseArray;
    expect(scale.shape).toEqual([150, 40]);
    for (let i = 0; i < 150; i += 17) expect(total(scale.row(i))).toBeCloseTo(1, 5);
    const rate = model.getNormalizedExpression({ librarySize: 'latent', indices: [0, 1, 2] }) as DenseArray;
    const totals = (adata.X as CsrMatrix).rowSums();
    for (let i = 0; i < 3; i++) expect(total(rate.row(i)) / (totals[i] as number)).toBeCloseTo(1, 4);
    const tenK = model.getNormalizedExpression({ librarySize: 1e4, indices: [0] }) as DenseArray;
    expect(tenK.get(0, 5) / scale.get(0, 5)).toBeCloseTo(1e4, 0);
  });

  it('normalized expression: gene subsets, transform batches, several draws', () => {
    const full = model.getNormalizedExpression({ indices: [0, 1] }) as DenseArray;
    const sub = model.getNormalizedExpression({ indices: [0, 1], geneList: ['gene5', 'marker'] }) as DenseArray;
    expect(sub.shape).toEqual([2, 2]);
    expect(sub.get(1, 0)).toBeCloseTo(full.get(1, 5), 6);
    expect(sub.get(1, 1)).toBeCloseTo(full.get(1, 0), 6);
    // Cell 3 is in batch 1: decoded as batch 0 it changes; the mean over both batches lies between.
    const own = model.getNormalizedExpression({ indices: [3] }) as DenseArray;
    const as0 = model.getNormalizedExpression({ indices: [3], transformBatch: 'batch0' }) as DenseArray;
    const as1 = model.getNormalizedExpression({ indices: [3], transformBatch: 'batch1' }) as DenseArray;
    const both = model.getNormalizedExpression({ indices: [3], transformBatch: ['batch0', 'batch1'] }) as DenseArray;
    expect(Array.from(as1.values)).toEqual(Array.from(own.values));
    expect(as0.values).not.toEqual(own.values);
    for (let g = 0; g < 40; g++) expect(both.get(0, g)).toBeCloseTo((as0.get(0, g) + as1.get(0, g)) / 2, 6);
    const draws = model.getNormalizedExpression({ indices: [0, 1], nSamples: 3, returnMean: false }) as DenseArray[];
    expect(draws).toHaveLength(3);
    expect(draws[0]?.values).not.toEqual(draws[1]?.values);
    expect(() => model.getNormalizedExpression({ transformBatch: 'batch7' })).toThrow(/option 'transformBatch' must name batch categories, got 'batch7'; the batches are \["batch0","batch1"\]/);
    expect(() => model.getNormalizedExpression({ geneList: ['CD3E'] })).toThrow(/option 'geneList' must hold genes of the model's data, got 'CD3E'/);
    expect(() => model.getNormalizedExpression({ indices: [150] })).toThrow(/option 'indices' must hold cell indices in \[0, 150\), got number 150 at position 0/);
  });

  it('ELBO, reconstruction error and marginal log-likelihood: consistent with each other', () => {
    const elbo = model.getElbo({ seed: 2 });
    const { reconstructionLoss } = model.getReconstructionError({ seed: 2 });
    // The same draw: -ELBO = reconstruction + KL, KL >= 0.
    expect(-elbo).toBeGreaterThan(reconstructionLoss);
    // Importance sampling tightens the bound: log p(x) >= ELBO (in expectation; by a margin here).
    const mll = model.getMarginalLL({ nMcSamples: 60, samplesPerPass: 25 });
    expect(mll).toBeGreaterThan(elbo);
    expect(mll).toBeLessThan(0);
    // Chunking the draws differently draws other noise but estimates the same quantity.
    expect(model.getMarginalLL({ nMcSamples: 60, samplesPerPass: 60 })).toBeCloseTo(mll, -0.5);
  });

  it('posterior predictive draws: integer counts, one sparse matrix per draw, near the data on average', () => {
    const draws = model.posteriorPredictiveSample({ nSamples: 40, seed: 4 });
    expect(draws).toHaveLength(40);
    expect(draws[0]).toBeInstanceOf(CsrMatrix);
    expect(draws[0]?.shape).toEqual([150, 40]);
    expect(draws.every((d) => Array.from(d.data).every((v) => Number.isInteger(v) && v > 0))).toBe(true);
    const observed = (adata.X as CsrMatrix).rowSums();
    const drawn = new Float64Array(150);
    for (const d of draws) d.rowSums().forEach((v, i) => (drawn[i] = (drawn[i] as number) + v / 40));
    const ratio = total(drawn) / total(observed);
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.2);
    const genes = model.posteriorPredictiveSample({ geneList: ['marker'], indices: [0, 1, 2] });
    expect(genes[0]?.shape).toEqual([3, 1]);
  });

  it("differential expression: the planted marker is type A's top DE gene, up-regulated, FDR-controlled", () => {
    const de = model.differentialExpression({ groupby: 'cell_type', group1: 'A', mode: 'change', nSamples: 500, seed: 1 });
    expect(de.nRows).toBe(40);
    expect(de.index[0]).toBe('marker');
    expect((de.get('proba_de') as Float64Array)[0]).toBeGreaterThan(0.95);
    expect((de.get('lfc_mean') as Float64Array)[0]).toBeGreaterThan(2);
    expect((de.get('is_de_fdr_0.05') as boolean[])[0]).toBe(true);
    expect((de.get('raw_mean1') as Float64Array)[0]).toBeGreaterThan(5 * ((de.get('raw_mean2') as Float64Array)[0] as number));
    expect(de.strings('comparison')[0]).toBe('A vs Rest');
    // Sorted by proba_de, descending.
    const p = de.get('proba_de') as Float64Array;
    for (let k = 1; k < 40; k++) expect(p[k]).toBeLessThanOrEqual(p[k - 1] as number);
    // Seeded: the same table again.
    const again = model.differentialExpression({ groupby: 'cell_type', group1: 'A', mode: 'change', nSamples: 500, seed: 1 });
    expect(Array.from(again.get('bayes_factor') as Float64Array)).toEqual(Array.from(de.get('bayes_factor') as Float64Array));
  });

  it('differential expression: vanilla one-vs-rest over every group, and batch correction', () => {
    const de = model.differentialExpression({ groupby: 'cell_type', nSamples: 200 });
    expect(de.nRows).toBe(120);
    expect(new Set(de.strings('comparison'))).toEqual(new Set(['A vs Rest', 'B vs Rest', 'C vs Rest']));
    expect(de.columnNames).not.toContain('proba_de');
    const ab = model.differentialExpression({ groupby: 'cell_type', group1: 'A', group2: 'B', batchCorrection: true, nSamples: 200 });
    expect(ab.index[0]).toBe('marker');
    expect(ab.strings('group2')[0]).toBe('B');
    expect(() => model.differentialExpression({ groupby: 'cell_type', group1: 'D' })).toThrow(/option 'group1' must be a category of obs column 'cell_type' with cells, got 'D'; the categories are \["A","B","C"\]/);
    expect(() => model.differentialExpression({ groupby: 'tissue' })).toThrow(/option 'groupby' names obs column 'tissue', which does not exist/);
  });

  it('save / load: identical latent means; other genes or batches are a clear error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vitae-scvi-'));
    try {
      await model.save(dir);
      const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
      expect(config.model).toBe('SCVI');
      expect(config.varNames).toHaveLength(40);
      expect(config.batchCategories).toEqual(['batch0', 'batch1']);
      const loaded = await SCVI.load(dir, adata);
      expect(loaded.isTrained).toBe(true);
      expect(loaded.getLatentRepresentation().values).toEqual(model.getLatentRepresentation().values);
      loaded.dispose();
      const fewer = adata.subset({ var: { start: 0, end: 39 } });
      await expect(SCVI.load(dir, fewer)).rejects.toThrow(/must have the genes the model was trained on, in the same order \(var names\); it has 39 genes, the model 40/);
      const renamed = new AnnData({ X: adata.X as CsrMatrix, obs: adata.obs, var: ['marker', 'CD3E', ...adata.varNames.slice(2)] });
      await expect(SCVI.load(dir, renamed)).rejects.toThrow(/gene 1 is 'CD3E', the model's is 'gene1'/);
      const obs = new DataFrame(adata.obsNames, { batch: Categorical.fromValues(adata.obs.strings('batch').map((b) => (b === 'batch0' ? 'site0' : 'site1'))) });
      const oneBatch = new AnnData({ X: adata.X as CsrMatrix, obs, var: adata.var });
      await expect(SCVI.load(dir, oneBatch)).rejects.toThrow(/batch categories the model was trained with/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('SCVI: other configurations train', () => {
  const configs: Array<[string, SCVIOptions]> = [
    ['nb, gene-batch, learned library, encoded covariates', { geneLikelihood: 'nb', dispersion: 'gene-batch', useObservedLibSize: false, encodeCovariates: true, batchKey: 'batch' }],
    ['poisson, logistic-normal latent space', { geneLikelihood: 'poisson', latentDistribution: 'ln' }],
    ['zinb, gene-label dispersion, layer norm', { dispersion: 'gene-label', labelsKey: 'cell_type', useLayerNorm: 'both', useBatchNorm: 'none' }],
  ];
  for (const [name, options] of configs) {
    it(`${name}: loss falls, every method runs, no tensor leaks`, async () => {
      const adata = syntheticAnnData({ nCells: 60, nGenes: 20 });
      const before = t.numTensors();
      const model = new SCVI(adata, { ...SMALL, ...options });
      const owned = t.numTensors() - before;
      const result = await model.train({ maxEpochs: 6, batchSize: 16, lr: 1e-2, seed: 2 });
      expect(result.history[5]?.elboTrain).toBeLessThan(result.history[0]?.elboTrain as number);
      const z = model.getLatentRepresentation({ mcSamples: 50 });
      if (options.latentDistribution === 'ln') for (let i = 0; i < 60; i += 7) expect(total(z.row(i))).toBeCloseTo(1, 5);
      expect(Number.isFinite(model.getElbo())).toBe(true);
      expect(Number.isFinite(model.getMarginalLL({ nMcSamples: 4, indices: [0, 1, 2] }))).toBe(true);
      model.getNormalizedExpression({ librarySize: 'latent' });
      model.posteriorPredictiveSample({ indices: [0, 1] });
      model.differentialExpression({ groupby: 'cell_type', group1: 'A', nSamples: 50 });
      expect(t.numTensors()).toBe(before + owned);
      model.dispose();
      expect(t.numTensors()).toBe(before);
    });
  }
});
