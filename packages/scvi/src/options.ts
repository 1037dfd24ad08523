// The scVI module's constructor options: scvi-tools' VAE defaults and the checks, in one place.
import { optionChecks } from '@vitae/layers';
import { describeValue } from '@vitae/tensor';

export const DISPERSIONS = ['gene', 'gene-batch', 'gene-label', 'gene-cell'] as const;
/** How the inverse dispersion θ varies: per gene, per gene and batch, per gene and label, or per gene and cell (a decoder head). */
export type Dispersion = (typeof DISPERSIONS)[number];

export const GENE_LIKELIHOODS = ['zinb', 'nb', 'poisson'] as const;
export type GeneLikelihood = (typeof GENE_LIKELIHOODS)[number];

export const LATENT_DISTRIBUTIONS = ['normal', 'ln'] as const;
/** 'normal': z ~ q(z | x); 'ln': z = softmax of that sample (logistic normal). */
export type LatentDistribution = (typeof LATENT_DISTRIBUTIONS)[number];

export const NORM_PLACEMENTS = ['both', 'encoder', 'decoder', 'none'] as const;
/** Where a normalisation layer goes: encoder(s), decoder, both or neither. */
export type NormPlacement = (typeof NORM_PLACEMENTS)[number];

export interface SCVIModuleOptions {
  /** Number of genes. */
  nInput: number;
  /** Number of batches (default 1: no batch covariate; a single category adds no columns). */
  nBatch?: number;
  /** Number of labels (default 1); only the 'gene-label' dispersion uses labels. */
  nLabels?: number;
  /** Width of the hidden layers (default 128). */
  nHidden?: number;
  /** Latent dimension (default 10). */
  nLatent?: number;
  /** Hidden layers of the encoder and of the decoder (default 1). */
  nLayers?: number;
  /** Dropout in the encoder(s) (default 0.1; the decoder has none). */
  dropoutRate?: number;
  /** Default 'gene'. */
  dispersion?: Dispersion;
  /** Default 'zinb'. */
  geneLikelihood?: GeneLikelihood;
  /** Default 'normal'. */
  latentDistribution?: LatentDistribution;
  /** The encoders see log1p(x) (default true). */
  logVariational?: boolean;
  /**
   * true (default): the library is the log of the observed total count. false: a learned
   * log-library with its own encoder and a Normal prior per batch, whose means and variances
   * (`libraryLogMeans` / `libraryLogVars`, see `libraryPrior`) are then required.
   */
  useObservedLibSize?: boolean;
  /** Per batch, the mean of log total counts (nBatch values). */
  libraryLogMeans?: ArrayLike<number>;
  /** Per batch, the variance of log total counts (nBatch values, each > 0). */
  libraryLogVars?: ArrayLike<number>;
  /** Give the batch to the encoder(s) too (default false: only the decoder sees it). */
  encodeCovariates?: boolean;
  /** Concatenate the batch to every hidden layer's input, not only the first (default true). */
  deeplyInjectCovariates?: boolean;
  /** BatchNorm1d(momentum 0.01, eps 1e-3) placement (default 'both'). */
  useBatchNorm?: NormPlacement;
  /** LayerNorm (no affine) placement (default 'none'); applied after BatchNorm where both are on. */
  useLayerNorm?: NormPlacement;
  /** Seeds the initial weights: the same seed, the same module. */
  seed: number;
}

/** The options with every default filled in and checked. */
export interface ResolvedSCVIModuleOptions {
  nInput: number;
  nBatch: number;
  nLabels: number;
  nHidden: number;
  nLatent: number;
  nLayers: number;
  dropoutRate: number;
  dispersion: Dispersion;
  geneLikelihood: GeneLikelihood;
  latentDistribution: LatentDistribution;
  logVariational: boolean;
  useObservedLibSize: boolean;
  /** [nBatch] when the library is learned, else null. */
  libraryLogMeans: Float32Array | null;
  libraryLogVars: Float32Array | null;
  encodeCovariates: boolean;
  deeplyInjectCovariates: boolean;
  useBatchNorm: NormPlacement;
  useLayerNorm: NormPlacement;
  seed: number;
}

function perBatch(fn: string, name: string, value: unknown, nBatch: number, positive: boolean): Float32Array {
  const ok = value instanceof Float32Array || value instanceof Float64Array || Array.isArray(value);
  if (!ok) throw new TypeError(`${fn}: option '${name}' must be an array of ${nBatch} numbers (one per batch), got ${describeValue(value)}`);
  const values = value as ArrayLike<unknown>;
  if (values.length !== nBatch) throw new RangeError(`${fn}: option '${name}' must hold ${nBatch} values (nBatch), got ${values.length}`);
  for (let b = 0; b < nBatch; b++) {
    const v = values[b];
    if (typeof v !== 'number' || !Number.isFinite(v) || (positive && !(v > 0))) {
      throw new RangeError(`${fn}: option '${name}' must hold finite numbers${positive ? ' > 0' : ''}, got ${describeValue(v)} at index ${b}`);
    }
  }
  return Float32Array.from(values as ArrayLike<number>);
}

/** Checks `options` and fills in scvi-tools' defaults. */
export function resolveModuleOptions(fn: string, options: SCVIModuleOptions): ResolvedSCVIModuleOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${fn}: argument 'options' must be an object with at least { nInput, seed }, got ${describeValue(options)}`);
  }
  const check = optionChecks(fn);
  const nBatch = check.integer(options.nBatch ?? 1, 'nBatch', 1);
  const useObservedLibSize = check.flag(options.useObservedLibSize ?? true, 'useObservedLibSize');
  let libraryLogMeans: Float32Array | null = null;
  let libraryLogVars: Float32Array | null = null;
  if (!useObservedLibSize) {
    if (options.libraryLogMeans === undefined || options.libraryLogVars === undefined) {
      throw new TypeError(`${fn}: options 'libraryLogMeans' and 'libraryLogVars' are required when useObservedLibSize is false (compute them with libraryPrior(counts, batchIndex, nBatch))`);
    }
    libraryLogMeans = perBatch(fn, 'libraryLogMeans', options.libraryLogMeans, nBatch, false);
    libraryLogVars = perBatch(fn, 'libraryLogVars', options.libraryLogVars, nBatch, true);
  }
  return {
    nInput: check.integer(options.nInput, 'nInput', 1),
    nBatch,
    nLabels: check.integer(options.nLabels ?? 1, 'nLabels', 1),
    nHidden: check.integer(options.nHidden ?? 128, 'nHidden', 1),
    nLatent: check.integer(options.nLatent ?? 10, 'nLatent', 1),
    nLayers: check.integer(options.nLayers ?? 1, 'nLayers', 1),
    dropoutRate: check.number(options.dropoutRate ?? 0.1, 'dropoutRate', 0, 1),
    dispersion: check.choice(options.dispersion ?? 'gene', 'dispersion', DISPERSIONS),
    geneLikelihood: check.choice(options.geneLikelihood ?? 'zinb', 'geneLikelihood', GENE_LIKELIHOODS),
    latentDistribution: check.choice(options.latentDistribution ?? 'normal', 'latentDistribution', LATENT_DISTRIBUTIONS),
    logVariational: check.flag(options.logVariational ?? true, 'logVariational'),
    useObservedLibSize,
    libraryLogMeans,
    libraryLogVars,
    encodeCovariates: check.flag(options.encodeCovariates ?? false, 'encodeCovariates'),
    deeplyInjectCovariates: check.flag(options.deeplyInjectCovariates ?? true, 'deeplyInjectCovariates'),
    useBatchNorm: check.choice(options.useBatchNorm ?? 'both', 'useBatchNorm', NORM_PLACEMENTS),
    useLayerNorm: check.choice(options.useLayerNorm ?? 'none', 'useLayerNorm', NORM_PLACEMENTS),
    seed: check.integer(options.seed, 'seed', 0),
  };
}

/** Whether a placement puts the layer in the encoder(s) / in the decoder. */
export function inEncoder(p: NormPlacement): boolean {
  return p === 'encoder' || p === 'both';
}

export function inDecoder(p: NormPlacement): boolean {
  return p === 'decoder' || p === 'both';
}
