// The veloVI module's constructor options: velovi's VELOVAE defaults and their checks, in one place.
import { optionChecks } from '@vitae/layers';
import { describeValue } from '@vitae/tensor';

export const NORM_PLACEMENTS = ['both', 'encoder', 'decoder', 'none'] as const;
/** Where a normalisation layer goes: encoder, decoder, both or neither. */
export type NormPlacement = (typeof NORM_PLACEMENTS)[number];

export const LATENT_DISTRIBUTIONS = ['normal', 'ln'] as const;
/** 'normal': z ~ q(z | s, u); 'ln': z = softmax of that draw (logistic normal). */
export type LatentDistribution = (typeof LATENT_DISTRIBUTIONS)[number];

export interface VELOVIModuleOptions {
  /** Number of genes G (the encoder sees 2G values: spliced then unspliced). */
  nInput: number;
  /**
   * Per gene, the median unspliced / spliced abundance over the cells in the top 1% by unspliced
   * abundance: the targets of the switch penalty (velovi's switch_unspliced / switch_spliced;
   * VELOVI computes them from the data). Required: velovi's loss cannot run without them.
   */
  switchUnspliced: ArrayLike<number>;
  switchSpliced: ArrayLike<number>;
  /** Width of the hidden layers (default 128 as VELOVAE; the VELOVI model uses 256). */
  nHidden?: number;
  /** Latent dimension (default 10). */
  nLatent?: number;
  /** Hidden layers of the encoder and of each decoder trunk (default 1). */
  nLayers?: number;
  /** Dropout in the encoder (default 0.1; the decoder has none, as in velovi). */
  dropoutRate?: number;
  /** The encoder sees log(0.01 + x) (default false). */
  logVariational?: boolean;
  /** Default 'normal'. */
  latentDistribution?: LatentDistribution;
  /** BatchNorm1d(momentum 0.01, eps 1e-3) placement (default 'both'). */
  useBatchNorm?: NormPlacement;
  /** LayerNorm (no affine) placement (default 'both', as velovi; after BatchNorm where both are on). */
  useLayerNorm?: NormPlacement;
  /** The end of the time axis: repression runs for (tMax − t_s) · τ (default 20). */
  tMax?: number;
  /** Weight of the switch penalty, scaled by (1 − klWeight) (default 0.2). */
  penaltyScale?: number;
  /** Concentration of the symmetric Dirichlet prior over the four states (default 0.25). */
  dirichletConcentration?: number;
  /** rho / tau from one bias-free linear layer (+ batch norm) of z instead of an MLP (default false). */
  linearDecoder?: boolean;
  /** α(t) = α₁ − (α₁ − α₀) e^{−λt} in induction, α₁ and λ learned (default false: constant α). */
  timeDepTranscriptionRate?: boolean;
  /** Initial softplus⁻¹(γ) per gene (default −1 for every gene). */
  gammaUnconstrInit?: ArrayLike<number>;
  /** Initial softplus⁻¹(α) per gene (default 0). */
  alphaUnconstrInit?: ArrayLike<number>;
  /** Initial softplus⁻¹(α₁) and softplus⁻¹(λ) per gene (default 0; learned only with timeDepTranscriptionRate). */
  alpha1UnconstrInit?: ArrayLike<number>;
  lambdaAlphaUnconstrInit?: ArrayLike<number>;
  /** Seeds the initial weights and switch times: the same seed, the same module. */
  seed: number;
}

/** The options with every default filled in and checked. */
export interface ResolvedVELOVIModuleOptions {
  nInput: number;
  nHidden: number;
  nLatent: number;
  nLayers: number;
  dropoutRate: number;
  logVariational: boolean;
  latentDistribution: LatentDistribution;
  useBatchNorm: NormPlacement;
  useLayerNorm: NormPlacement;
  tMax: number;
  penaltyScale: number;
  dirichletConcentration: number;
  linearDecoder: boolean;
  timeDepTranscriptionRate: boolean;
  switchUnspliced: Float32Array;
  switchSpliced: Float32Array;
  gammaUnconstrInit: Float32Array | null;
  alphaUnconstrInit: Float32Array | null;
  alpha1UnconstrInit: Float32Array | null;
  lambdaAlphaUnconstrInit: Float32Array | null;
  seed: number;
}

/** A per-gene array option: `nInput` finite numbers (>= 0 when `nonNegative`). */
function perGene(fn: string, name: string, value: unknown, nInput: number, nonNegative: boolean): Float32Array {
  const ok = value instanceof Float32Array || value instanceof Float64Array || Array.isArray(value);
  if (!ok) throw new TypeError(`${fn}: option '${name}' must be an array of ${nInput} numbers (one per gene), got ${describeValue(value)}`);
  const values = value as ArrayLike<unknown>;
  if (values.length !== nInput) throw new RangeError(`${fn}: option '${name}' must hold ${nInput} values (nInput), got ${values.length}`);
  for (let g = 0; g < nInput; g++) {
    const v = values[g];
    if (typeof v !== 'number' || !Number.isFinite(v) || (nonNegative && v < 0)) {
      throw new RangeError(`${fn}: option '${name}' must hold finite numbers${nonNegative ? ' >= 0' : ''}, got ${describeValue(v)} at index ${g}`);
    }
  }
  return Float32Array.from(values as ArrayLike<number>);
}

/** Checks `options` and fills in velovi's VELOVAE defaults. */
export function resolveModuleOptions(fn: string, options: VELOVIModuleOptions): ResolvedVELOVIModuleOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${fn}: argument 'options' must be an object with at least { nInput, switchUnspliced, switchSpliced, seed }, got ${describeValue(options)}`);
  }
  const check = optionChecks(fn);
  const nInput = check.integer(options.nInput, 'nInput', 1);
  if (options.switchUnspliced === undefined || options.switchSpliced === undefined) {
    throw new TypeError(`${fn}: options 'switchUnspliced' and 'switchSpliced' are required (the switch-penalty targets, ${nInput} values each; VELOVI computes them from the data)`);
  }
  const optional = (name: keyof VELOVIModuleOptions): Float32Array | null => (options[name] === undefined ? null : perGene(fn, name, options[name], nInput, false));
  const tMax = check.number(options.tMax ?? 20, 'tMax', 0, Infinity);
  if (tMax === 0) throw new RangeError(`${fn}: option 'tMax' must be a finite number > 0, got 0`);
  const dirichletConcentration = check.number(options.dirichletConcentration ?? 0.25, 'dirichletConcentration', 0, Infinity);
  if (dirichletConcentration === 0) throw new RangeError(`${fn}: option 'dirichletConcentration' must be a finite number > 0, got 0`);
  return {
    nInput,
    nHidden: check.integer(options.nHidden ?? 128, 'nHidden', 1),
    nLatent: check.integer(options.nLatent ?? 10, 'nLatent', 1),
    nLayers: check.integer(options.nLayers ?? 1, 'nLayers', 1),
    dropoutRate: check.number(options.dropoutRate ?? 0.1, 'dropoutRate', 0, 1),
    logVariational: check.flag(options.logVariational ?? false, 'logVariational'),
    latentDistribution: check.choice(options.latentDistribution ?? 'normal', 'latentDistribution', LATENT_DISTRIBUTIONS),
    useBatchNorm: check.choice(options.useBatchNorm ?? 'both', 'useBatchNorm', NORM_PLACEMENTS),
    useLayerNorm: check.choice(options.useLayerNorm ?? 'both', 'useLayerNorm', NORM_PLACEMENTS),
    tMax,
    penaltyScale: check.number(options.penaltyScale ?? 0.2, 'penaltyScale', 0, Infinity),
    dirichletConcentration,
    linearDecoder: check.flag(options.linearDecoder ?? false, 'linearDecoder'),
    timeDepTranscriptionRate: check.flag(options.timeDepTranscriptionRate ?? false, 'timeDepTranscriptionRate'),
    switchUnspliced: perGene(fn, 'switchUnspliced', options.switchUnspliced, nInput, false),
    switchSpliced: perGene(fn, 'switchSpliced', options.switchSpliced, nInput, false),
    gammaUnconstrInit: optional('gammaUnconstrInit'),
    alphaUnconstrInit: optional('alphaUnconstrInit'),
    alpha1UnconstrInit: optional('alpha1UnconstrInit'),
    lambdaAlphaUnconstrInit: optional('lambdaAlphaUnconstrInit'),
    seed: check.integer(options.seed, 'seed', 0),
  };
}

/** Whether a placement puts the layer in the encoder / in the decoder. */
export function inEncoder(p: NormPlacement): boolean {
  return p === 'encoder' || p === 'both';
}

export function inDecoder(p: NormPlacement): boolean {
  return p === 'decoder' || p === 'both';
}
