// SCVI: the scvi-tools model API in TypeScript, on an AnnData from @vitae/anndata.
//
//   const model = new SCVI(adata, { layer: 'counts', batchKey: 'batch' });
//   await model.train({ onProgress: (p) => console.log(p.epoch, p.elboValidation) });
//   adata.obsm.X_scVI = model.getLatentRepresentation();
//
// The model holds the checked data (sparse counts, batch / label codes) and an SCVIModule; every
// method works in minibatches of cells, in eval mode, with explicit seeds.
import { DenseArray } from '@vitae/anndata';
import { CONFIG_FILE, loadSafetensorsInto, moduleToSafetensors, optionChecks, readModelFiles, writeModelFiles } from '@vitae/layers';
import * as t from '@vitae/tensor';
import { libraryPrior } from '../library-prior.js';
import { SCVIModule } from '../module.js';
import { differentialExpression } from './differential-expression.js';
import { lossTerms, marginalLogLikelihood } from './evaluate.js';
import { latent, normalizedExpression } from './posterior.js';
import { posteriorPredictive } from './predictive.js';
import { setupAnnData } from './setup.js';
import { trainSCVI } from './train.js';

import type { AnnData, CsrMatrix, DataFrame } from '@vitae/anndata';
import type { DifferentialExpressionOptions } from './differential-expression.js';
import type { SCVIOptions, SCVIProgress, SCVITrainOptions, SCVITrainResult } from './options.js';
import type { SetupData } from './setup.js';

/** Which cells: indices into the AnnData (default: all). */
export interface CellsOption {
  indices?: ArrayLike<number>;
  /** Cells per forward pass. */
  batchSize?: number;
}

export interface SeededCellsOption extends CellsOption {
  /** Seeds the posterior draws (default 0). */
  seed?: number;
}

export interface NormalizedExpressionOptions extends SeededCellsOption {
  /** Genes to return, by name (default: all, in order). */
  geneList?: readonly string[];
  /** 1 (default): px_scale, frequencies summing to 1 per cell; a number scales them; 'latent': the cell's own library. */
  librarySize?: number | 'latent';
  /** Decode as if every cell came from this batch (or the mean over these batches), by category name. */
  transformBatch?: string | readonly string[];
  /** Posterior draws per cell (default 1). */
  nSamples?: number;
  /** Average the draws (default true); false with nSamples > 1 returns one matrix per draw. */
  returnMean?: boolean;
}

interface SavedConfig {
  model: 'SCVI';
  formatVersion: 1;
  options: SCVIOptions;
  varNames: string[];
  batchCategories: string[];
  labelCategories: string[];
  isTrained: boolean;
}

const SAVE_FORMAT_VERSION = 1;

export class SCVI {
  readonly module: SCVIModule;
  readonly adata: AnnData;
  /** The checked counts, batch and label codes the model trains on. */
  readonly data: SetupData;
  /** Every epoch of every train() call. */
  readonly history: SCVIProgress[] = [];
  private readonly userOptions: SCVIOptions;
  private trainCalls = 0;
  #isTrained = false;

  constructor(adata: AnnData, options: SCVIOptions = {}) {
    const fn = 'SCVI';
    if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new TypeError(`${fn}: argument 'options' must be an object, got ${t.describeValue(options)}`);
    const { layer, batchKey, labelsKey, seed, ...moduleOptions } = options;
    this.data = setupAnnData(fn, adata, {
      ...(layer === undefined ? {} : { layer }),
      ...(batchKey === undefined ? {} : { batchKey }),
      ...(labelsKey === undefined ? {} : { labelsKey }),
    });
    this.adata = adata;
    this.userOptions = { ...options };
    const nBatch = this.data.batch.categories.length;
    const learned = moduleOptions.useObservedLibSize === false;
    const prior = learned ? libraryPrior(this.data.counts, this.data.batch.codes, nBatch) : null;
    this.module = new SCVIModule({
      ...moduleOptions,
      nInput: this.data.counts.nCols,
      nBatch,
      nLabels: this.data.labels.categories.length,
      ...(prior === null ? {} : { libraryLogMeans: prior.logMeans, libraryLogVars: prior.logVars }),
      seed: seed ?? 0,
    });
    this.module.eval();
  }

  get isTrained(): boolean {
    return this.#isTrained;
  }

  get nLatent(): number {
    return this.module.options.nLatent;
  }

  /** A one-paragraph description, like printing an scvi-tools model. */
  summary(): string {
    const o = this.module.options;
    return `SCVI model with the following parameters: nHidden ${o.nHidden}, nLatent ${o.nLatent}, nLayers ${o.nLayers}, dropoutRate ${o.dropoutRate}, dispersion ${o.dispersion}, geneLikelihood ${o.geneLikelihood}, latentDistribution ${o.latentDistribution}; ${this.data.counts.nRows} cells × ${this.data.counts.nCols} genes, ${o.nBatch} batch${o.nBatch === 1 ? '' : 'es'}, ${o.nLabels} label${o.nLabels === 1 ? '' : 's'}; training status: ${this.#isTrained ? 'trained' : 'not trained'}`;
  }

  /** Trains with scvi-tools' defaults (see SCVITrainOptions); resolves when training ends. */
  async train(options: SCVITrainOptions = {}): Promise<SCVITrainResult> {
    const seed = t.splitSeed(this.module.options.seed, this.trainCalls + 2)[this.trainCalls + 1] as number;
    this.trainCalls += 1;
    const result = await trainSCVI(this.module, this.data, options, seed);
    this.history.push(...result.history);
    this.#isTrained = true;
    return result;
  }

  private rows(fn: string, indices: ArrayLike<number> | undefined): Int32Array {
    const n = this.data.counts.nRows;
    if (indices === undefined) return Int32Array.from({ length: n }, (_, i) => i);
    if (typeof indices !== 'object' || indices === null || typeof indices.length !== 'number') throw new TypeError(`${fn}: option 'indices' must be an array of cell indices, got ${t.describeValue(indices)}`);
    if (indices.length === 0) throw new RangeError(`${fn}: option 'indices' must hold at least one cell index, got an empty array`);
    return Int32Array.from({ length: indices.length }, (_, k) => {
      const i = indices[k] as number;
      if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`${fn}: option 'indices' must hold cell indices in [0, ${n}), got ${t.describeValue(i)} at position ${k}`);
      return i;
    });
  }

  private common(fn: string, o: SeededCellsOption, defaultBatch: number): { rows: Int32Array; batchSize: number; seed: number } {
    if (typeof o !== 'object' || o === null) throw new TypeError(`${fn}: argument 'options' must be an object, got ${t.describeValue(o)}`);
    const c = optionChecks(fn);
    return { rows: this.rows(fn, o.indices), batchSize: c.integer(o.batchSize ?? defaultBatch, 'batchSize', 1), seed: c.integer(o.seed ?? 0, 'seed', 0) };
  }

  /** The latent representation, [cells × nLatent]: posterior means (giveMean, default) or one draw per cell. */
  getLatentRepresentation(options: SeededCellsOption & { giveMean?: boolean; mcSamples?: number } = {}): DenseArray {
    const fn = 'SCVI.getLatentRepresentation';
    const { rows, batchSize, seed } = this.common(fn, options, 512);
    const c = optionChecks(fn);
    const giveMean = c.flag(options.giveMean ?? true, 'giveMean');
    const mcSamples = c.integer(options.mcSamples ?? 5000, 'mcSamples', 1);
    // 'ln' means hold mcSamples draws per cell at once: keep the pass near 1M numbers.
    const lnBatch = Math.max(1, Math.min(batchSize, Math.floor(1_000_000 / (mcSamples * this.nLatent))));
    const values = latent(this.module, this.data, rows, { giveMean, mcSamples, batchSize: this.module.options.latentDistribution === 'ln' && giveMean ? lnBatch : batchSize, seed });
    return new DenseArray(values, rows.length, this.nLatent);
  }

  /**
   * Batch-corrected, denoised expression, [cells × genes] (one matrix per draw when
   * returnMean is false and nSamples > 1), as scvi-tools' get_normalized_expression.
   */
  getNormalizedExpression(options: NormalizedExpressionOptions = {}): DenseArray | DenseArray[] {
    const fn = 'SCVI.getNormalizedExpression';
    const { rows, batchSize, seed } = this.common(fn, options, 128);
    const c = optionChecks(fn);
    const nSamples = c.integer(options.nSamples ?? 1, 'nSamples', 1);
    const returnMean = c.flag(options.returnMean ?? true, 'returnMean');
    const librarySize = options.librarySize ?? 1;
    if (librarySize !== 'latent' && (typeof librarySize !== 'number' || !(librarySize > 0) || !Number.isFinite(librarySize))) {
      throw new RangeError(`${fn}: option 'librarySize' must be a number > 0 or 'latent', got ${t.describeValue(librarySize)}`);
    }
    const genes = this.geneIndices(fn, options.geneList);
    const transformBatches = this.batchCodes(fn, options.transformBatch);
    const values = normalizedExpression(this.module, this.data, rows, { genes, librarySize, transformBatches, nSamples, returnMean, batchSize, seed });
    const size = rows.length * genes.length;
    if (returnMean || nSamples === 1) return new DenseArray(values, rows.length, genes.length);
    return Array.from({ length: nSamples }, (_, s) => new DenseArray(values.slice(s * size, (s + 1) * size), rows.length, genes.length));
  }

  private geneIndices(fn: string, geneList: readonly string[] | undefined): Int32Array {
    const nGenes = this.data.counts.nCols;
    if (geneList === undefined) return Int32Array.from({ length: nGenes }, (_, j) => j);
    if (!Array.isArray(geneList) || geneList.length === 0) throw new TypeError(`${fn}: option 'geneList' must be a non-empty array of gene names, got ${t.describeValue(geneList)}`);
    const position = new Map(this.data.varNames.map((g, j) => [g, j]));
    return Int32Array.from(geneList, (g) => {
      const j = position.get(g);
      if (j === undefined) throw new RangeError(`${fn}: option 'geneList' must hold genes of the model's data, got '${String(g)}', which is not among its ${nGenes} var names`);
      return j;
    });
  }

  private batchCodes(fn: string, transformBatch: string | readonly string[] | undefined): number[] | null {
    if (transformBatch === undefined) return null;
    const names = typeof transformBatch === 'string' ? [transformBatch] : transformBatch;
    const categories = this.data.batch.categories;
    if (!Array.isArray(names) || names.length === 0) throw new TypeError(`${fn}: option 'transformBatch' must be a batch category or a non-empty array of them, got ${t.describeValue(transformBatch)}`);
    return names.map((name) => {
      const b = categories.indexOf(name);
      if (b < 0) throw new RangeError(`${fn}: option 'transformBatch' must name batch categories, got '${String(name)}'; the batches are ${JSON.stringify(categories)}`);
      return b;
    });
  }

  /** scvi-tools' differential_expression: a table of per-gene statistics (see DifferentialExpressionOptions). */
  differentialExpression(options: DifferentialExpressionOptions): DataFrame {
    this.module.eval();
    return differentialExpression(this.module, this.data, this.adata, options);
  }

  /** The ELBO per cell, averaged (scvi-tools' get_elbo: higher is better). */
  getElbo(options: SeededCellsOption = {}): number {
    const { rows, batchSize, seed } = this.common('SCVI.getElbo', options, 256);
    const { reconstruction, klLocal } = lossTerms(this.module, this.data, rows, { batchSize, seed });
    let sum = 0;
    for (let i = 0; i < rows.length; i++) sum += (reconstruction[i] as number) + (klLocal[i] as number);
    return -sum / rows.length;
  }

  /** Mean -log p(x | z, ℓ) per cell (scvi-tools' get_reconstruction_error: lower is better). */
  getReconstructionError(options: SeededCellsOption = {}): { reconstructionLoss: number } {
    const { rows, batchSize, seed } = this.common('SCVI.getReconstructionError', options, 256);
    const { reconstruction } = lossTerms(this.module, this.data, rows, { batchSize, seed });
    return { reconstructionLoss: reconstruction.reduce((s, v) => s + v, 0) / rows.length };
  }

  /** Importance-sampled log p(x) per cell with nMcSamples draws (default 1000), averaged (higher is better). */
  getMarginalLL(options: SeededCellsOption & { nMcSamples?: number; samplesPerPass?: number } = {}): number {
    const fn = 'SCVI.getMarginalLL';
    const { rows, batchSize, seed } = this.common(fn, options, 128);
    const c = optionChecks(fn);
    const nMcSamples = c.integer(options.nMcSamples ?? 1000, 'nMcSamples', 1);
    const samplesPerPass = c.integer(options.samplesPerPass ?? Math.max(1, Math.floor(4_000_000 / (batchSize * this.data.counts.nCols))), 'samplesPerPass', 1);
    const perCell = marginalLogLikelihood(this.module, this.data, rows, { batchSize, seed, nMcSamples, samplesPerPass });
    return perCell.reduce((s, v) => s + v, 0) / rows.length;
  }

  /** Counts drawn from the posterior predictive p(x̃ | x): one sparse [cells × genes] matrix per draw (nSamples, default 1). */
  posteriorPredictiveSample(options: SeededCellsOption & { nSamples?: number; geneList?: readonly string[] } = {}): CsrMatrix[] {
    const fn = 'SCVI.posteriorPredictiveSample';
    const { rows, batchSize, seed } = this.common(fn, options, 128);
    const nSamples = optionChecks(fn).integer(options.nSamples ?? 1, 'nSamples', 1);
    return posteriorPredictive(this.module, this.data, rows, { genes: this.geneIndices(fn, options.geneList), nSamples, batchSize, seed });
  }

  /** Writes model.safetensors (weights and buffers) and config.json (options, var names, categories) into `dir`. */
  async save(dir: string): Promise<void> {
    const config: SavedConfig = {
      model: 'SCVI',
      formatVersion: SAVE_FORMAT_VERSION,
      options: this.userOptions,
      varNames: [...this.data.varNames],
      batchCategories: [...this.data.batch.categories],
      labelCategories: [...this.data.labels.categories],
      isTrained: this.#isTrained,
    };
    await writeModelFiles(dir, { weights: moduleToSafetensors(this.module, { model: 'SCVI' }), config: config as unknown as Record<string, unknown> });
  }

  /**
   * Rebuilds a saved SCVI on `adata`, which must have the saved genes in the saved order and
   * the same batch (and label) categories.
   */
  static async load(dir: string, adata: AnnData): Promise<SCVI> {
    const fn = 'SCVI.load';
    const { weights, config } = await readModelFiles(dir);
    const saved = config as unknown as Partial<SavedConfig>;
    if (saved.model !== 'SCVI' || saved.options === undefined || !Array.isArray(saved.varNames)) {
      throw new Error(`${fn}: ${CONFIG_FILE} in '${dir}' was not written by SCVI.save (model: ${t.describeValue(saved.model)})`);
    }
    const vars = adata?.varNames;
    if (vars !== undefined && (vars.length !== saved.varNames.length || vars.some((g, j) => g !== saved.varNames?.[j]))) {
      const j = vars.findIndex((g, k) => g !== saved.varNames?.[k]);
      const where = vars.length !== saved.varNames.length ? `it has ${vars.length} genes, the model ${saved.varNames.length}` : `gene ${j} is '${vars[j]}', the model's is '${saved.varNames[j]}'`;
      throw new RangeError(`${fn}: argument 'adata' must have the genes the model was trained on, in the same order (var names); ${where}`);
    }
    const model = new SCVI(adata, saved.options);
    const check = (what: string, got: readonly string[], want: string[] | undefined): void => {
      if (want !== undefined && (got.length !== want.length || got.some((c, i) => c !== want[i]))) {
        model.dispose();
        throw new RangeError(`${fn}: argument 'adata' must have the ${what} categories the model was trained with, ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
      }
    };
    check('batch', model.data.batch.categories, saved.batchCategories);
    check('label', model.data.labels.categories, saved.labelCategories);
    loadSafetensorsInto(model.module, weights);
    model.#isTrained = saved.isTrained === true;
    return model;
  }

  /** Frees the module's weights. */
  dispose(): void {
    this.module.dispose();
  }
}
