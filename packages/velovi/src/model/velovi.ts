// VELOVI: velovi's model API in TypeScript, on an AnnData from @vitae/anndata.
//
//   const model = new VELOVI(adata, { splicedLayer: 'Ms', unsplicedLayer: 'Mu' });
//   await model.train({ onProgress: (p) => console.log(p.epoch, p.elboValidation) });
//   const velocity = model.getVelocity({ nSamples: 25 });
//   addVeloviOutputs(adata, model);
//
// The model holds the checked spliced / unspliced values (dense, cells × genes) and a
// VELOVIModule; every method works in minibatches of cells, in eval mode, with explicit seeds.
import { AnnData, DataFrame, DenseArray } from '@vitae/anndata';
import { CONFIG_FILE, forRowBatches, loadSafetensorsInto, moduleToSafetensors, optionChecks, readModelFiles, writeModelFiles } from '@vitae/layers';
import * as t from '@vitae/tensor';
import { STATES } from '../kinetics.js';
import { VELOVIModule, mixtureLogProb } from '../module.js';
import { STATISTICS, VELOCITY_MODES, expressionFitOf, latentTimeOf, linearLoadings, velocityOf } from '../outputs.js';
import { cellGeneValues, forPasses, rowsTensor } from './posterior.js';
import { dataInit, setupAnnData } from './setup.js';
import { DIRECTIONAL_COLUMNS, directionalStatistics, tTestStatistic } from './statistics.js';
import { trainVELOVI } from './train.js';

import type { State } from '../kinetics.js';
import type { Statistic, VelocityMode } from '../outputs.js';
import type { VELOVIOptions, VELOVIProgress, VELOVITrainOptions, VELOVITrainResult } from './options.js';
import type { PassOptions } from './posterior.js';
import type { SetupData, UpperQuantileMedians, VelocityData } from './setup.js';

/** Which cells: indices into the AnnData (default: all), and the cells per forward pass. */
export interface CellsOption {
  indices?: ArrayLike<number>;
  batchSize?: number;
}

/** Posterior passes: draws of z and π per cell, seeded; or their means. */
export interface SamplesOption extends CellsOption {
  /** Passes per cell (default 1, as velovi, unless a method says otherwise). */
  nSamples?: number;
  /** Average the passes (default true); false with nSamples > 1 returns one matrix per pass. */
  returnMean?: boolean;
  /** Decode the mean of q(z | s, u) with the Dirichlet mean of π instead of draws (deterministic; a vitae addition, default false). */
  giveMean?: boolean;
  /** Genes to return, by name (default: all, in order). */
  geneList?: readonly string[];
  /** Seeds the draws (default 0). */
  seed?: number;
}

export interface VelocityOptions extends SamplesOption {
  /** 'spliced' (ds/dt, default) or 'unspliced' (du/dt). */
  velocityMode?: VelocityMode;
  /** 'mean' (default): expectation over the states; 'max': the most probable state's velocity (velovi's velo_statistic). */
  statistic?: Statistic;
  /** Clip at −s, the spliced value of the cell (default true, as velovi, in both modes). */
  clip?: boolean;
}

export interface LatentTimeOptions extends SamplesOption {
  /** 'mean' (default): π-weighted state times; 'max': the most probable state's time (velovi's time_statistic). */
  statistic?: Statistic;
}

export interface StateAssignmentOptions extends Omit<SamplesOption, 'returnMean'> {
  /** The most probable state per cell and gene instead of the probabilities (default false). */
  hard?: boolean;
}

/** Cells × genes × 4 state probabilities (row-major, the state axis last), averaged over the passes. */
export interface StateProbabilities {
  states: typeof STATES;
  nCells: number;
  nGenes: number;
  probabilities: Float32Array;
}

/** Cells × genes state indices into `states` (the argmax of the averaged probabilities), and their names. */
export interface StateLabels {
  states: typeof STATES;
  nCells: number;
  nGenes: number;
  assignment: Int32Array;
  /** assignment as names, cells × genes row-major. */
  label(cell: number, gene: number): State;
}

export interface RatesResult {
  alpha: Float32Array;
  beta: Float32Array;
  gamma: Float32Array;
  /** The time-dependent transcription parameters (softplus-clamped when learned; the raw buffers otherwise, as velovi). */
  alpha1: Float32Array;
  lambdaAlpha: Float32Array;
}

export interface DirectionalUncertainty {
  /** Indexed by cell: directional_variance, directional_difference, directional_cosine_sim_variance, directional_cosine_sim_difference, directional_cosine_sim_mean. */
  table: DataFrame;
  /** Cells × nSamples: each sampled velocity's centred cosine similarity with the cell's mean velocity. */
  cosineSimilarities: DenseArray;
}

export interface PermutationScores {
  /** Indexed by gene, one column per cell type (sorted): t statistics of the fit error on shuffled against original data. */
  scores: DataFrame;
  /** The AnnData with both layers shuffled within cell types, gene by gene. */
  permuted: AnnData;
}

interface SavedConfig {
  model: 'VELOVI';
  formatVersion: 1;
  options: VELOVIOptions;
  varNames: string[];
  isTrained: boolean;
}

const SAVE_FORMAT_VERSION = 1;

export class VELOVI {
  readonly module: VELOVIModule;
  readonly adata: AnnData;
  /** The checked spliced / unspliced values the model trains on. */
  readonly data: SetupData;
  /** The per-gene medians over the top-1% cells by u: alpha's start and the switch-penalty targets. */
  readonly upperQuantiles: UpperQuantileMedians;
  /** Every epoch of every train() call. */
  readonly history: VELOVIProgress[] = [];
  private readonly userOptions: VELOVIOptions;
  private trainCalls = 0;
  #isTrained = false;

  constructor(adata: AnnData, options: VELOVIOptions = {}) {
    const fn = 'VELOVI';
    if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new TypeError(`${fn}: argument 'options' must be an object, got ${t.describeValue(options)}`);
    const { splicedLayer, unsplicedLayer, gammaInitData, seed, nHidden, ...moduleOptions } = options;
    this.data = setupAnnData(fn, adata, {
      ...(splicedLayer === undefined ? {} : { splicedLayer }),
      ...(unsplicedLayer === undefined ? {} : { unsplicedLayer }),
    });
    const init = dataInit(fn, this.data, optionChecks(fn).flag(gammaInitData ?? false, 'gammaInitData'));
    this.upperQuantiles = init.medians;
    this.adata = adata;
    this.userOptions = { ...options };
    this.module = new VELOVIModule({
      ...moduleOptions,
      nHidden: nHidden ?? 256,
      nInput: this.data.nGenes,
      switchUnspliced: init.medians.unspliced,
      switchSpliced: init.medians.spliced,
      alphaUnconstrInit: init.alphaUnconstr,
      ...(init.gammaUnconstr === null ? {} : { gammaUnconstrInit: init.gammaUnconstr }),
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

  /** A one-paragraph description, like printing a velovi model. */
  summary(): string {
    const o = this.module.options;
    return `VELOVI model with the following params: nHidden ${o.nHidden}, nLatent ${o.nLatent}, nLayers ${o.nLayers}, dropoutRate ${o.dropoutRate}; ${this.data.nCells} cells × ${this.data.nGenes} genes (layers '${this.data.splicedLayer}', '${this.data.unsplicedLayer}'); training status: ${this.#isTrained ? 'trained' : 'not trained'}`;
  }

  /** Trains with velovi's defaults (see VELOVITrainOptions); resolves when training ends. */
  async train(options: VELOVITrainOptions = {}): Promise<VELOVITrainResult> {
    const seed = t.splitSeed(this.module.options.seed, this.trainCalls + 2)[this.trainCalls + 1] as number;
    this.trainCalls += 1;
    const result = await trainVELOVI(this.module, this.data, options, seed);
    this.history.push(...result.history);
    this.#isTrained = true;
    return result;
  }

  // --- option handling ----------------------------------------------------------------------

  private checkOptions(fn: string, o: unknown): void {
    if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new TypeError(`${fn}: argument 'options' must be an object, got ${t.describeValue(o)}`);
  }

  private rows(fn: string, indices: ArrayLike<number> | undefined): Int32Array {
    const n = this.data.nCells;
    if (indices === undefined) return Int32Array.from({ length: n }, (_, i) => i);
    if (typeof indices !== 'object' || indices === null || typeof indices.length !== 'number') throw new TypeError(`${fn}: option 'indices' must be an array of cell indices, got ${t.describeValue(indices)}`);
    if (indices.length === 0) throw new RangeError(`${fn}: option 'indices' must hold at least one cell index, got an empty array`);
    return Int32Array.from({ length: indices.length }, (_, k) => {
      const i = indices[k] as number;
      if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`${fn}: option 'indices' must hold cell indices in [0, ${n}), got ${t.describeValue(i)} at position ${k}`);
      return i;
    });
  }

  private geneIndices(fn: string, geneList: readonly string[] | undefined): Int32Array | null {
    if (geneList === undefined) return null;
    if (!Array.isArray(geneList) || geneList.length === 0) throw new TypeError(`${fn}: option 'geneList' must be a non-empty array of gene names, got ${t.describeValue(geneList)}`);
    const position = new Map(this.data.varNames.map((g, j) => [g, j]));
    return Int32Array.from(geneList, (g) => {
      const j = position.get(g);
      if (j === undefined) throw new RangeError(`${fn}: option 'geneList' must hold genes of the model's data, got '${String(g)}', which is not among its ${this.data.nGenes} var names`);
      return j;
    });
  }

  private passOptions(fn: string, o: SamplesOption, defaults: { nSamples: number; batchSize: number }): PassOptions & { rows: Int32Array; returnMean: boolean; genes: Int32Array | null } {
    this.checkOptions(fn, o);
    const c = optionChecks(fn);
    return {
      rows: this.rows(fn, o.indices),
      batchSize: c.integer(o.batchSize ?? defaults.batchSize, 'batchSize', 1),
      nSamples: c.integer(o.nSamples ?? defaults.nSamples, 'nSamples', 1),
      returnMean: c.flag(o.returnMean ?? true, 'returnMean'),
      giveMean: c.flag(o.giveMean ?? false, 'giveMean'),
      seed: c.integer(o.seed ?? 0, 'seed', 0),
      genes: this.geneIndices(fn, o.geneList),
    };
  }

  /** Selects gene columns of a rows × G array (or returns it as is). */
  private matrix(values: Float32Array, nRows: number, genes: Int32Array | null): DenseArray {
    const g = this.data.nGenes;
    if (genes === null) return new DenseArray(values, nRows, g);
    const out = new Float32Array(nRows * genes.length);
    for (let i = 0; i < nRows; i++) for (let k = 0; k < genes.length; k++) out[i * genes.length + k] = values[i * g + (genes[k] as number)] as number;
    return new DenseArray(out, nRows, genes.length);
  }

  private results(arrays: Float32Array[], nRows: number, genes: Int32Array | null, returnMean: boolean, nSamples: number): DenseArray | DenseArray[] {
    const mats = arrays.map((a) => this.matrix(a, nRows, genes));
    return returnMean || nSamples === 1 ? (mats[0] as DenseArray) : mats;
  }

  // --- posterior quantities -----------------------------------------------------------------

  /** The latent representation, [cells × nLatent]: posterior means (giveMean, default) or one draw per cell. */
  getLatentRepresentation(options: CellsOption & { giveMean?: boolean; mcSamples?: number; seed?: number } = {}): DenseArray {
    const fn = 'VELOVI.getLatentRepresentation';
    this.checkOptions(fn, options);
    const c = optionChecks(fn);
    const rows = this.rows(fn, options.indices);
    const batchSize = c.integer(options.batchSize ?? 256, 'batchSize', 1);
    const giveMean = c.flag(options.giveMean ?? true, 'giveMean');
    const mcSamples = c.integer(options.mcSamples ?? 5000, 'mcSamples', 1);
    const seeds = new t.SeedSequence(c.integer(options.seed ?? 0, 'seed', 0));
    const nLatent = this.nLatent;
    const ln = this.module.options.latentDistribution === 'ln';
    const out = new Float32Array(rows.length * nLatent);
    this.module.eval();
    forRowBatches(rows, batchSize, (chunk, offset) => {
      t.tidy(() => {
        const s = rowsTensor(this.data.spliced, this.data.nGenes, chunk);
        const u = rowsTensor(this.data.unspliced, this.data.nGenes, chunk);
        let z: t.Tensor;
        if (giveMean && ln) {
          // E[softmax(w)], w ~ q(z | s, u): Monte Carlo, as scvi-tools' get_latent_representation.
          const inf = this.module.inference(s, u, { giveMean: true });
          const draws = inf.qz.sample([mcSamples], { seed: seeds.next() });
          z = t.mean(t.softmax(draws, -1), 0);
        } else {
          z = this.module.inference(s, u, giveMean ? { giveMean: true } : { seed: seeds.next() }).z;
        }
        out.set(z.dataSync() as Float32Array, offset * nLatent);
      });
    });
    return new DenseArray(out, rows.length, nLatent);
  }

  /**
   * velovi's get_velocity: cells × genes velocities (one matrix per pass when returnMean is false
   * and nSamples > 1), clipped at −s unless clip is false.
   */
  getVelocity(options: VelocityOptions = {}): DenseArray | DenseArray[] {
    const fn = 'VELOVI.getVelocity';
    const o = this.passOptions(fn, options, { nSamples: 1, batchSize: 256 });
    const c = optionChecks(fn);
    const mode = c.choice(options.velocityMode ?? 'spliced', 'velocityMode', VELOCITY_MODES);
    const statistic = c.choice(options.statistic ?? 'mean', 'statistic', STATISTICS);
    const clip = c.flag(options.clip ?? true, 'clip');
    const arrays = cellGeneValues(this.module, this.data, o.rows, o, (p) => velocityOf(this.module, p.gen, mode, statistic));
    if (clip) {
      const g = this.data.nGenes;
      for (const a of arrays) {
        for (let k = 0; k < o.rows.length; k++) {
          const base = (o.rows[k] as number) * g;
          for (let j = 0; j < g; j++) a[k * g + j] = Math.max(a[k * g + j] as number, -(this.data.spliced[base + j] as number));
        }
      }
    }
    return this.results(arrays, o.rows.length, o.genes, o.returnMean, o.nSamples);
  }

  /** velovi's get_latent_time: cells × genes latent times on [0, t_max] (one matrix per pass when returnMean is false and nSamples > 1). */
  getLatentTime(options: LatentTimeOptions = {}): DenseArray | DenseArray[] {
    const fn = 'VELOVI.getLatentTime';
    const o = this.passOptions(fn, options, { nSamples: 1, batchSize: 256 });
    const statistic = optionChecks(fn).choice(options.statistic ?? 'mean', 'statistic', STATISTICS);
    const arrays = cellGeneValues(this.module, this.data, o.rows, o, (p) => latentTimeOf(this.module, p.gen, statistic));
    return this.results(arrays, o.rows.length, o.genes, o.returnMean, o.nSamples);
  }

  /**
   * velovi's get_expression_fit: the fitted s(t) and u(t) (the means of p(s | z), p(u | z)),
   * cells × genes; with restrictToLatentDim, ρ and τ decoded from that latent dimension alone.
   */
  getExpressionFit(options: SamplesOption & { restrictToLatentDim?: number } = {}): { spliced: DenseArray | DenseArray[]; unspliced: DenseArray | DenseArray[] } {
    const fn = 'VELOVI.getExpressionFit';
    const o = this.passOptions(fn, options, { nSamples: 1, batchSize: 256 });
    if (options.restrictToLatentDim !== undefined) {
      const d = options.restrictToLatentDim;
      if (typeof d !== 'number' || !Number.isInteger(d) || d < 0 || d >= this.nLatent) throw new RangeError(`${fn}: option 'restrictToLatentDim' must be an integer in [0, ${this.nLatent}) (nLatent), got ${t.describeValue(d)}`);
    }
    const fits = expressionFit(this.module, this.data, o.rows, { ...o, ...(options.restrictToLatentDim === undefined ? {} : { latentDim: options.restrictToLatentDim }) });
    return { spliced: this.results(fits.spliced, o.rows.length, o.genes, o.returnMean, o.nSamples), unspliced: this.results(fits.unspliced, o.rows.length, o.genes, o.returnMean, o.nSamples) };
  }

  /** velovi's get_gene_likelihood: log p(u | z) + log p(s | z) per cell and gene (higher is better). */
  getGeneLikelihood(options: SamplesOption = {}): DenseArray | DenseArray[] {
    const o = this.passOptions('VELOVI.getGeneLikelihood', options, { nSamples: 1, batchSize: 256 });
    const arrays = cellGeneValues(this.module, this.data, o.rows, o, (p) => t.add(mixtureLogProb(p.gen, 'u', p.unspliced), mixtureLogProb(p.gen, 's', p.spliced)));
    return this.results(arrays, o.rows.length, o.genes, o.returnMean, o.nSamples);
  }

  /**
   * velovi's get_state_assignment: per cell and gene the probabilities of the four states
   * (induction, induction_steady, repression, repression_steady) averaged over nSamples passes
   * (default 20), or with `hard` the most probable state.
   */
  getStateAssignment(options: StateAssignmentOptions & { hard: true }): StateLabels;
  getStateAssignment(options?: StateAssignmentOptions & { hard?: false }): StateProbabilities;
  getStateAssignment(options: StateAssignmentOptions = {}): StateProbabilities | StateLabels {
    const fn = 'VELOVI.getStateAssignment';
    const o = this.passOptions(fn, { ...options, returnMean: true }, { nSamples: 20, batchSize: 256 });
    const hard = optionChecks(fn).flag(options.hard ?? false, 'hard');
    const g = this.data.nGenes;
    const genes = o.genes ?? Int32Array.from({ length: g }, (_, j) => j);
    const nCells = o.rows.length;
    const sums = new Float64Array(nCells * g * 4);
    forPasses(this.module, this.data, o.rows, o, (p) => {
      const pi = p.gen.pi.dataSync();
      const at = p.offset * g * 4;
      for (let k = 0; k < pi.length; k++) sums[at + k] = (sums[at + k] as number) + (pi[k] as number);
    });
    const probabilities = new Float32Array(nCells * genes.length * 4);
    for (let i = 0; i < nCells; i++) {
      for (let k = 0; k < genes.length; k++) {
        for (let s = 0; s < 4; s++) probabilities[(i * genes.length + k) * 4 + s] = (sums[(i * g + (genes[k] as number)) * 4 + s] as number) / o.nSamples;
      }
    }
    if (!hard) return { states: STATES, nCells, nGenes: genes.length, probabilities };
    const assignment = new Int32Array(nCells * genes.length);
    for (let k = 0; k < assignment.length; k++) {
      let best = 0;
      for (let s = 1; s < 4; s++) if ((probabilities[k * 4 + s] as number) > (probabilities[k * 4 + best] as number)) best = s;
      assignment[k] = best;
    }
    const nGenes = genes.length;
    return { states: STATES, nCells, nGenes, assignment, label: (cell, gene) => STATES[assignment[cell * nGenes + gene] as number] as State };
  }

  /**
   * velovi's get_loadings (linear decoder only): per gene the weights of the latent dimensions in
   * ρ's linear layer with the batch norm folded in, genes × nLatent: diag(w / √(running_var + eps)) W.
   */
  getLoadings(): DenseArray {
    return new DenseArray(linearLoadings(this.module), this.data.nGenes, this.nLatent);
  }

  /** velovi's get_rates: per gene α, β, γ (and α₁, λ). */
  getRates(): RatesResult {
    const r = this.module.rates();
    try {
      const read = (x: t.Tensor): Float32Array => Float32Array.from(x.dataSync() as Float32Array);
      return { alpha: read(r.alpha), beta: read(r.beta), gamma: read(r.gamma), alpha1: read(r.alpha1), lambdaAlpha: read(r.lambdaAlpha) };
    } finally {
      t.dispose(Object.values(r));
    }
  }

  /** The switch times per gene: softplus(switch_time_unconstr) (velovi's fit_t_), clamped at t_max when `clamp` is true (as the likelihood uses them; default false). */
  getSwitchTime(options: { clamp?: boolean } = {}): Float32Array {
    const clamp = optionChecks('VELOVI.getSwitchTime').flag(options.clamp ?? false, 'clamp');
    const ts = this.module.switchTime({ clamp });
    try {
      return Float32Array.from(ts.dataSync() as Float32Array);
    } finally {
      ts.dispose();
    }
  }

  /** The ELBO per cell, averaged: −mean(reconstruction + KL(z) + KL(π)) (scvi-tools' get_elbo; higher is better). */
  getElbo(options: CellsOption & { seed?: number } = {}): number {
    const fn = 'VELOVI.getElbo';
    const o = this.passOptions(fn, { ...options, nSamples: 1 }, { nSamples: 1, batchSize: 256 });
    this.module.eval();
    const seeds = new t.SeedSequence(o.seed);
    let sum = 0;
    forRowBatches(o.rows, o.batchSize, (chunk) => {
      t.tidy(() => {
        const s = rowsTensor(this.data.spliced, this.data.nGenes, chunk);
        const u = rowsTensor(this.data.unspliced, this.data.nGenes, chunk);
        const out = this.module.loss(s, u, { seed: seeds.next() });
        sum += t.sum(t.add(out.reconstruction, t.add(out.klLocal.z, out.klLocal.pi))).dataSync()[0] as number;
      });
    });
    return -sum / o.rows.length;
  }

  /**
   * velovi's get_directional_uncertainty: nSamples (default 50) velocity draws per cell; per cell
   * the spread of their centred cosine similarities with the mean velocity and of the angles.
   */
  getDirectionalUncertainty(options: Omit<SamplesOption, 'returnMean' | 'giveMean'> = {}): DirectionalUncertainty {
    const fn = 'VELOVI.getDirectionalUncertainty';
    const o = this.passOptions(fn, { ...options, returnMean: false, giveMean: false }, { nSamples: 50, batchSize: 256 });
    if (o.nSamples < 2) throw new RangeError(`${fn}: option 'nSamples' must be an integer >= 2 (a spread needs draws), got ${o.nSamples}`);
    const velocities = this.getVelocity({ ...options, nSamples: o.nSamples, returnMean: false }) as DenseArray[];
    const nCells = o.rows.length;
    const nGenes = (velocities[0] as DenseArray).nCols;
    const columns = Object.fromEntries(DIRECTIONAL_COLUMNS.map((c) => [c, new Float64Array(nCells)])) as Record<(typeof DIRECTIONAL_COLUMNS)[number], Float64Array>;
    const cosines = new Float32Array(nCells * o.nSamples);
    const samples = new Float64Array(o.nSamples * nGenes);
    for (let i = 0; i < nCells; i++) {
      velocities.forEach((v, s) => samples.set(v.values.subarray(i * nGenes, (i + 1) * nGenes), s * nGenes));
      const stats = directionalStatistics(samples, o.nSamples, nGenes);
      for (const c of DIRECTIONAL_COLUMNS) columns[c][i] = stats.statistics[c];
      cosines.set(stats.cosineSims, i * o.nSamples);
    }
    const index = Array.from(o.rows, (i) => this.data.obsNames[i] as string);
    return { table: new DataFrame(index, columns), cosineSimilarities: new DenseArray(cosines, nCells, o.nSamples) };
  }

  /**
   * velovi's get_permutation_scores: shuffle the spliced and unspliced values within each cell
   * type (obs column `labelsKey`), gene by gene; fit both data sets (10 passes each); per gene and
   * cell type, the t statistic of the absolute fit error |ŝ − s| + |û − u| on the shuffled against
   * the original data over the cell type's first 200 cells. High scores: genes whose dynamics the
   * model explains in that cell type.
   */
  getPermutationScores(options: { labelsKey: string; nSamples?: number; batchSize?: number; seed?: number }): PermutationScores {
    const fn = 'VELOVI.getPermutationScores';
    this.checkOptions(fn, options);
    const c = optionChecks(fn);
    const key = options.labelsKey;
    const adata = this.adata;
    if (typeof key !== 'string' || key === '') throw new TypeError(`${fn}: option 'labelsKey' must be the name of an obs column, got ${t.describeValue(key)}`);
    if (!adata.obs.has(key)) throw new RangeError(`${fn}: option 'labelsKey' names obs column '${key}', which does not exist; the obs columns are ${JSON.stringify(adata.obs.columnNames)}`);
    const labels = adata.obs.strings(key);
    const missing = labels.indexOf(null);
    if (missing >= 0) throw new RangeError(`${fn}: obs column '${key}' must have a label for every cell, got a missing value at cell ${missing} ('${adata.obsNames[missing]}')`);
    const nSamples = c.integer(options.nSamples ?? 10, 'nSamples', 1);
    const batchSize = c.integer(options.batchSize ?? 256, 'batchSize', 1);
    const seed = c.integer(options.seed ?? 0, 'seed', 0);
    const [shuffleSeed, fitSeed, fitPermutedSeed] = t.splitSeed(seed, 3) as [number, number, number];
    const { nCells, nGenes } = this.data;
    const types = [...new Set(labels as string[])].sort();
    const members = types.map((ty) => Int32Array.from(labels.flatMap((l, i) => (l === ty ? [i] : []))));
    // Shuffle spliced, then unspliced: within each cell type, each gene's column on its own.
    const prng = new t.Prng(shuffleSeed);
    const shuffle = (values: Float32Array): Float32Array => {
      const out = values.slice();
      for (const cells of members) {
        for (let g = 0; g < nGenes; g++) {
          for (let k = cells.length - 1; k > 0; k--) {
            const j = prng.nextBelow(k + 1);
            const a = (cells[k] as number) * nGenes + g;
            const b = (cells[j] as number) * nGenes + g;
            const tmp = out[a] as number;
            out[a] = out[b] as number;
            out[b] = tmp;
          }
        }
      }
      return out;
    };
    const permutedData: VelocityData = { spliced: shuffle(this.data.spliced), unspliced: shuffle(this.data.unspliced), nCells, nGenes };
    const all = Int32Array.from({ length: nCells }, (_, i) => i);
    const error = (data: VelocityData, fitSeedValue: number): Float32Array => {
      const fit = expressionFit(this.module, data, all, { batchSize, nSamples, giveMean: false, seed: fitSeedValue, returnMean: true });
      const s = fit.spliced[0] as Float32Array;
      const u = fit.unspliced[0] as Float32Array;
      return s.map((v, k) => Math.abs(v - (data.spliced[k] as number)) + Math.abs((u[k] as number) - (data.unspliced[k] as number)));
    };
    const original = error(this.data, fitSeed);
    const permuted = error(permutedData, fitPermutedSeed);
    const N = 200;
    const columns: Record<string, Float64Array> = {};
    types.forEach((ty, k) => {
      const cells = (members[k] as Int32Array).subarray(0, N);
      const col = new Float64Array(nGenes);
      const x = new Float64Array(cells.length);
      const y = new Float64Array(cells.length);
      for (let g = 0; g < nGenes; g++) {
        cells.forEach((i, m) => {
          x[m] = permuted[i * nGenes + g] as number;
          y[m] = original[i * nGenes + g] as number;
        });
        col[g] = tTestStatistic(x, y);
      }
      columns[ty] = col;
    });
    const layers = { ...adata.layers, [this.data.splicedLayer]: new DenseArray(permutedData.spliced, nCells, nGenes), [this.data.unsplicedLayer]: new DenseArray(permutedData.unspliced, nCells, nGenes) };
    const permutedAnnData = new AnnData({ ...(adata.X === undefined ? {} : { X: adata.X }), obs: adata.obs.clone(), var: adata.var.clone(), layers, obsm: { ...adata.obsm }, varm: { ...adata.varm }, uns: { ...adata.uns } });
    return { scores: new DataFrame([...this.data.varNames], columns), permuted: permutedAnnData };
  }

  // --- save / load --------------------------------------------------------------------------

  /** Writes model.safetensors (weights and buffers) and config.json (options, var names) into `dir`. */
  async save(dir: string): Promise<void> {
    const config: SavedConfig = { model: 'VELOVI', formatVersion: SAVE_FORMAT_VERSION, options: this.userOptions, varNames: [...this.data.varNames], isTrained: this.#isTrained };
    await writeModelFiles(dir, { weights: moduleToSafetensors(this.module, { model: 'VELOVI' }), config: config as unknown as Record<string, unknown> });
  }

  /** Rebuilds a saved VELOVI on `adata`, which must have the saved genes in the saved order. */
  static async load(dir: string, adata: AnnData): Promise<VELOVI> {
    const fn = 'VELOVI.load';
    const { weights, config } = await readModelFiles(dir);
    const saved = config as unknown as Partial<SavedConfig>;
    if (saved.model !== 'VELOVI' || saved.options === undefined || !Array.isArray(saved.varNames)) {
      throw new Error(`${fn}: ${CONFIG_FILE} in '${dir}' was not written by VELOVI.save (model: ${t.describeValue(saved.model)})`);
    }
    if (saved.formatVersion !== SAVE_FORMAT_VERSION) throw new Error(`${fn}: ${CONFIG_FILE} in '${dir}' has format version ${t.describeValue(saved.formatVersion)}; this version reads ${SAVE_FORMAT_VERSION}`);
    if (!(adata instanceof AnnData)) throw new TypeError(`${fn}: argument 'adata' must be an AnnData (from @vitae/anndata), got ${t.describeValue(adata)}`);
    const vars = adata.varNames;
    const want = saved.varNames;
    if (vars.length !== want.length || vars.some((g, j) => g !== want[j])) {
      const j = vars.findIndex((g, k) => g !== want[k]);
      const where = vars.length !== want.length ? `it has ${vars.length} genes, the model ${want.length}` : `gene ${j} is '${vars[j]}', the model's is '${want[j]}'`;
      throw new RangeError(`${fn}: argument 'adata' must have the genes the model was trained on, in the same order (var names); ${where}`);
    }
    const model = new VELOVI(adata, saved.options);
    try {
      loadSafetensorsInto(model.module, weights);
    } catch (error) {
      model.dispose();
      throw error;
    }
    model.#isTrained = saved.isTrained === true;
    return model;
  }

  /** Frees the module's weights. */
  dispose(): void {
    this.module.dispose();
  }
}

/** The expression fit (spliced, unspliced) of `data` under `module`, rows × G per array (one per pass unless returnMean). */
function expressionFit(module: VELOVIModule, data: VelocityData, rows: Int32Array, o: PassOptions & { returnMean: boolean }): { spliced: Float32Array[]; unspliced: Float32Array[] } {
  const g = data.nGenes;
  const size = rows.length * g;
  const n = o.returnMean ? 1 : o.nSamples;
  const spliced = Array.from({ length: n }, () => new Float32Array(size));
  const unspliced = Array.from({ length: n }, () => new Float32Array(size));
  const sumS = new Float64Array(o.returnMean ? size : 0);
  const sumU = new Float64Array(o.returnMean ? size : 0);
  forPasses(module, data, rows, o, (p) => {
    const fit = expressionFitOf(p.gen);
    const s = fit.s.dataSync();
    const u = fit.u.dataSync();
    const at = p.offset * g;
    if (o.returnMean) {
      for (let k = 0; k < s.length; k++) {
        sumS[at + k] = (sumS[at + k] as number) + (s[k] as number);
        sumU[at + k] = (sumU[at + k] as number) + (u[k] as number);
      }
    } else {
      (spliced[p.sample] as Float32Array).set(s, at);
      (unspliced[p.sample] as Float32Array).set(u, at);
    }
  });
  if (o.returnMean) {
    for (let k = 0; k < size; k++) {
      (spliced[0] as Float32Array)[k] = (sumS[k] as number) / o.nSamples;
      (unspliced[0] as Float32Array)[k] = (sumU[k] as number) / o.nSamples;
    }
  }
  return { spliced, unspliced };
}
