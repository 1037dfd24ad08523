// The veloVI module: velovi's VELOVAE (YosefLab/velovi 0.4, = scvi.external.velovi) as pure computation.
//
//   inference(s, u)       q(z | s, u) = Normal(μ, σ) from the encoder on concat(s, u); z a
//                         reparameterized draw; the global rates
//                           γ, β, α = clamp(softplus(·), 0, 50)   per gene
//   generative(z)         decoder → ρ, τ [B, G], Dirichlet concentrations π_α [B, G, 4];
//                         π = Dirichlet(π_α).rsample();
//                         t_s = clamp(softplus(switch_time_unconstr), 0, t_max)
//                         component means of u and s for the four states:
//                           induction            (u, s)(t_s · ρ)                    kinetics.ts
//                           induction steady     (α/β, α/γ)
//                           repression           from (u₀, s₀) = induction at t_s,
//                                                after (t_max − t_s) · τ
//                           repression steady    (0, 0)
//                         p(u | z) = Σ_k π_k N(mean_k, σ_k), σ = √softplus(scale_unconstr[:G, 0])
//                         for the first three states and 0.1 σ for repression steady (the same
//                         for s with the rows G.. of scale_unconstr)
//   loss                  per cell: reconstruction = −Σ_g log p(u_g) − Σ_g log p(s_g),
//                         kl_z = KL(q(z) ‖ N(0, I)), kl_π = Σ_g KL(Dir(π_α) ‖ Dir(0.25, …));
//                         switch penalty = Σ_g (u₀ − switch_u)² + (s₀ − switch_s)²;
//                         loss = mean(reconstruction + klWeight · kl_z + kl_π)
//                                + penaltyScale · (1 − klWeight) · penalty
// Tensor names follow velovi's state dict (see velovi-names.ts for the exact mapping).
import { Categorical, Dirichlet, MixtureSameFamily, Normal, handOver } from '@vitae/distributions';
import { klDivergence } from '@vitae/kl';
import { Module, optionChecks } from '@vitae/layers';
import * as t from '@vitae/tensor';
import { DecoderVELOVI } from './decoder.js';
import { Encoder } from './encoder.js';
import { kineticMixtureLogProb, PROBS_EPS } from './kinetic-likelihood.js';
import { induction, repression } from './kinetics.js';
import { normalMixtureLogProb } from './mixture.js';
import { inDecoder, inEncoder, resolveModuleOptions } from './options.js';

import type { Tensor, Variable } from '@vitae/tensor';
import type { TimeDependentRate } from './kinetics.js';
import type { ResolvedVELOVIModuleOptions, VELOVIModuleOptions } from './options.js';

/** scvi-tools' Encoder adds this to the variance of q. */
export const VAR_EPS = 1e-4;
/** The rates are clamped to [0, RATE_MAX] after the softplus, as velovi. */
export const RATE_MAX = 50;

/** The per-gene rates, [G] each. */
export interface Rates {
  gamma: Tensor;
  beta: Tensor;
  alpha: Tensor;
  /** α₁ and λ of the time-dependent transcription rate: softplus-clamped when learned, else the raw (unused) parameters, as velovi returns them. */
  alpha1: Tensor;
  lambdaAlpha: Tensor;
}

export interface InferenceOptions {
  /** Seeds the draw of z and, in training mode, the dropout masks. */
  seed?: number;
  /** No draw: z is the mean of q(z | s, u) (its softmax for 'ln'). */
  giveMean?: boolean;
  /** Standard-normal noise for the draw, [B, nLatent]: z = μ + σ · noise (no seed needed for the draw). */
  noise?: Tensor;
}

export interface InferenceOutputs {
  /** q(z | s, u), batch shape [B, nLatent]. */
  qz: Normal;
  /** [B, nLatent]. */
  z: Tensor;
  rates: Rates;
}

export interface GenerativeOptions {
  /** Seeds the Dirichlet draw of π. */
  seed?: number;
  /** π = the Dirichlet mean π_α / Σ π_α instead of a draw (a vitae addition; velovi always draws). */
  giveMean?: boolean;
  /** Use this draw of π [B, G, 4] (rows on the simplex) instead of drawing one: for reference comparisons. */
  pi?: Tensor;
  /** Decode ρ and τ from this latent dimension alone (velovi's latent_dim: the others set to 0). */
  latentDim?: number;
}

/** Four tensors, one per state in the order of STATES. */
export type PerState = [Tensor, Tensor, Tensor, Tensor];

export interface GenerativeOutputs {
  /** Dirichlet concentrations π_α, [B, G, 4]. */
  piAlpha: Tensor;
  /** The state weights π, [B, G, 4]. */
  pi: Tensor;
  /** π by state: [B, G] each. */
  piStates: PerState;
  /**
   * By state, the log mixture weights of p(u | z) and p(s | z), [B, G] each: torch's
   * Categorical(probs = π) normalises π, clamps it to [ε, 1 − ε] (float32 ε) and takes the log;
   * MixtureSameFamily then log-softmaxes those logits. This is the result of both.
   */
  logWeights: PerState;
  /** [B, G]. */
  rho: Tensor;
  /** [B, G]. */
  tau: Tensor;
  /** softplus(scale_unconstr), [2G, 4] (only column 0 enters the likelihood). */
  scale: Tensor;
  /** By state, the means of u and of s, [B, G] each (the steady states broadcast to [B, G]). */
  meansU: PerState;
  meansS: PerState;
  /** The standard deviation σ per gene of u and of s, [G]; the repression steady state has 0.1 σ. */
  stdU: Tensor;
  stdS: Tensor;
  /** The switch times t_s = clamp(softplus(·), 0, t_max), [G]. */
  switchTime: Tensor;
  /** (u₀, s₀): the induction solution at t_s, [G] each. */
  u0: Tensor;
  s0: Tensor;
  /** Σ_g (u₀ − switch_u)² + (s₀ − switch_s)², a scalar. */
  endPenalty: Tensor;
  rates: Rates;
}

export interface LossOptions {
  /** Seeds dropout (training mode), the draw of z and the draw of π. */
  seed?: number;
  /** Weight of KL(z) (KL warm-up); the switch penalty gets (1 − klWeight) (default 1). */
  klWeight?: number;
  /** Standard-normal noise for z, [B, nLatent]. */
  noise?: Tensor;
  /** A fixed draw of π, [B, G, 4]. */
  pi?: Tensor;
}

/** velovi's LossOutput, per minibatch. */
export interface VELOVILossOutput {
  /** mean(reconstruction + klWeight · kl_z + kl_π) + penaltyScale · (1 − klWeight) · endPenalty; a scalar. */
  loss: Tensor;
  /** −log p(u | z) − log p(s | z), summed over genes, [B]. */
  reconstruction: Tensor;
  /** Per cell, [B] each: KL of z (summed over latent dimensions) and of π (summed over genes). */
  klLocal: { z: Tensor; pi: Tensor };
  /** The switch penalty (unweighted), a scalar. */
  endPenalty: Tensor;
  /** No global parameters with a prior: 0. */
  klGlobal: Tensor;
}

export class VELOVIModule extends Module {
  readonly options: ResolvedVELOVIModuleOptions;
  readonly zEncoder: Encoder;
  readonly decoder: DecoderVELOVI;
  /** softplus⁻¹ of the switch times, [G], initialised 7 + 0.5 · N(0, 1). */
  readonly switchTimeUnconstr: Variable;
  readonly gammaMeanUnconstr: Variable;
  readonly betaMeanUnconstr: Variable;
  readonly alphaUnconstr: Variable;
  /** Parameters with timeDepTranscriptionRate, else buffers (velovi: requires_grad false). */
  readonly alpha1Unconstr: Variable;
  readonly lambdaAlphaUnconstr: Variable;
  /** softplus⁻¹ of the likelihood variances, [2G, 4] (rows: u genes then s genes), initialised −1. */
  readonly scaleUnconstr: Variable;
  /** Buffers: the switch-penalty targets, [G]. */
  readonly switchUnspliced: Variable;
  readonly switchSpliced: Variable;

  constructor(options: VELOVIModuleOptions) {
    super();
    const o = resolveModuleOptions('VELOVIModule', options);
    this.options = o;
    const g = o.nInput;
    const [switchSeed, encSeed, decSeed] = t.splitSeed(o.seed, 3) as [number, number, number];
    const perGene = (init: Float32Array | null, value: number): Tensor => (init === null ? t.fill([g], value) : t.tensor1d(init));
    this.switchTimeUnconstr = this.addParameter('switch_time_unconstr', t.tidy(() => t.add(t.mul(t.randomNormal([g], { seed: switchSeed }), 0.5), 7)));
    this.gammaMeanUnconstr = this.addParameter('gamma_mean_unconstr', perGene(o.gammaUnconstrInit, -1));
    this.betaMeanUnconstr = this.addParameter('beta_mean_unconstr', t.fill([g], 0.5));
    this.alphaUnconstr = this.addParameter('alpha_unconstr', perGene(o.alphaUnconstrInit, 0));
    if (o.timeDepTranscriptionRate) {
      this.alpha1Unconstr = this.addParameter('alpha_1_unconstr', perGene(o.alpha1UnconstrInit, 0));
      this.lambdaAlphaUnconstr = this.addParameter('lambda_alpha_unconstr', perGene(o.lambdaAlphaUnconstrInit, 0));
    } else {
      this.alpha1Unconstr = this.addBuffer('alpha_1_unconstr', perGene(o.alpha1UnconstrInit, 0));
      this.lambdaAlphaUnconstr = this.addBuffer('lambda_alpha_unconstr', perGene(o.lambdaAlphaUnconstrInit, 0));
    }
    this.scaleUnconstr = this.addParameter('scale_unconstr', t.fill([2 * g, 4], -1));
    this.switchSpliced = this.addBuffer('switch_spliced', t.tensor1d(o.switchSpliced));
    this.switchUnspliced = this.addBuffer('switch_unspliced', t.tensor1d(o.switchUnspliced));
    this.zEncoder = this.addModule('z_encoder', new Encoder({
      nInput: 2 * g, nOutput: o.nLatent, nLayers: o.nLayers, nHidden: o.nHidden, dropoutRate: o.dropoutRate,
      useBatchNorm: inEncoder(o.useBatchNorm), useLayerNorm: inEncoder(o.useLayerNorm), varEps: VAR_EPS, seed: encSeed,
    }));
    this.decoder = this.addModule('decoder', new DecoderVELOVI({
      nLatent: o.nLatent, nOutput: g, nLayers: o.nLayers, nHidden: o.nHidden,
      useBatchNorm: inDecoder(o.useBatchNorm), useLayerNorm: inDecoder(o.useLayerNorm), linearDecoder: o.linearDecoder, seed: decSeed,
    }));
  }

  /** γ, β, α (and α₁, λ): clamp(softplus(·), 0, 50), [G] each; new tensors the caller owns. */
  rates(): Rates {
    this.checkAlive('rates');
    return t.tidy(() => {
      const constrain = (v: Variable): Tensor => t.clipByValue(t.softplus(v), 0, RATE_MAX);
      const timeDep = this.options.timeDepTranscriptionRate;
      return {
        gamma: constrain(this.gammaMeanUnconstr),
        beta: constrain(this.betaMeanUnconstr),
        alpha: constrain(this.alphaUnconstr),
        alpha1: timeDep ? constrain(this.alpha1Unconstr) : t.clone(this.alpha1Unconstr),
        lambdaAlpha: timeDep ? constrain(this.lambdaAlphaUnconstr) : t.clone(this.lambdaAlphaUnconstr),
      };
    });
  }

  /**
   * The switch times, [G]: clamp(softplus(switch_time_unconstr), 0, t_max) as the likelihood uses
   * them (default), or softplus(·) unclamped as velovi's get_latent_time / get_velocity use them.
   */
  switchTime(options: { clamp?: boolean } = {}): Tensor {
    this.checkAlive('switchTime');
    return t.tidy(() => {
      const ts = t.softplus(this.switchTimeUnconstr);
      return options.clamp === false ? ts : t.clipByValue(ts, 0, this.options.tMax);
    });
  }

  /** The time-dependent part of α, or null for veloVI's constant α. */
  timeDependence(rates: Rates): TimeDependentRate | null {
    return this.options.timeDepTranscriptionRate ? { alpha1: rates.alpha1, lambdaAlpha: rates.lambdaAlpha } : null;
  }

  /** q(z | s, u), z and the rates for spliced / unspliced abundances [B, G]. */
  inference(spliced: Tensor, unspliced: Tensor, options: InferenceOptions = {}): InferenceOutputs {
    this.checkAlive('inference');
    const fn = 'VELOVIModule.inference';
    const cells = this.checkPair(fn, spliced, unspliced);
    return this.infer(fn, spliced, unspliced, cells, options);
  }

  /** ρ, τ, π and the state means and weights of the mixtures p(u | z), p(s | z) for z [B, nLatent]; free them with disposeGenerative. */
  generative(z: Tensor, options: GenerativeOptions = {}): GenerativeOutputs {
    this.checkAlive('generative');
    const fn = 'VELOVIModule.generative';
    const o = this.options;
    if (!(z instanceof t.Tensor) || z.isDisposed || z.rank !== 2 || z.shape[1] !== o.nLatent || z.shape[0] === 0) {
      throw new RangeError(`${fn}: argument 'z' must have shape [batch, ${o.nLatent}] (nLatent = ${o.nLatent}), got ${t.describeValue(z)}`);
    }
    return this.generate(fn, z, checkObject(fn, options));
  }

  /** The loss of a minibatch: one pass of inference and generative, velovi's LossOutput. */
  loss(spliced: Tensor, unspliced: Tensor, options: LossOptions = {}): VELOVILossOutput {
    this.checkAlive('loss');
    const fn = 'VELOVIModule.loss';
    const cells = this.checkPair(fn, spliced, unspliced);
    const opts = checkObject(fn, options);
    const klWeight = optionChecks(fn).number(opts.klWeight ?? 1, 'klWeight', 0, Infinity);
    const seed = opts.seed === undefined ? undefined : optionChecks(fn).integer(opts.seed, 'seed', 0);
    const [infSeed, genSeed] = seed === undefined ? [undefined, undefined] : (t.splitSeed(seed, 2) as [number, number]);
    return t.tidy(() => {
      const inf = this.infer(fn, spliced, unspliced, cells, { ...(infSeed === undefined ? {} : { seed: infSeed }), ...(opts.noise === undefined ? {} : { noise: opts.noise }) });
      const genOptions = { ...(genSeed === undefined ? {} : { seed: genSeed }), ...(opts.pi === undefined ? {} : { pi: opts.pi }) };
      let reconstruction: Tensor;
      let endPenalty: Tensor;
      let piAlpha: Tensor;
      if (this.options.timeDepTranscriptionRate) {
        // α(t): the composed kinetics and mixtures
        const gen = this.generate(fn, inf.z, genOptions);
        reconstruction = t.neg(t.add(t.sum(mixtureLogProb(gen, 'u', unspliced), -1), t.sum(mixtureLogProb(gen, 's', spliced), -1)));
        ({ endPenalty, piAlpha } = gen);
      } else {
        // constant α: the whole likelihood in the KineticMixture kernels (kinetic-likelihood.ts)
        const draw = this.decodeAndDraw(fn, inf.z, genOptions);
        const genes = this.geneState(inf.rates);
        const logProb = kineticMixtureLogProb(draw.rho, draw.tau, draw.pi, unspliced, spliced, {
          alpha: inf.rates.alpha, beta: inf.rates.beta, gamma: inf.rates.gamma, switchTime: genes.switchTime, u0: genes.u0, s0: genes.s0, sdU: genes.stdU, sdS: genes.stdS,
        }, this.options.tMax);
        reconstruction = t.neg(t.sum(logProb, -1));
        ({ endPenalty } = genes);
        ({ piAlpha } = draw);
      }
      const pz = new Normal(t.zerosLike(inf.z), t.onesLike(inf.z), { validateArgs: false });
      const klZ = t.sum(klDivergence(inf.qz, pz), -1);
      const qpi = new Dirichlet(piAlpha, { validateArgs: false });
      const ppi = new Dirichlet(t.fill(piAlpha.shape, this.options.dirichletConcentration), { validateArgs: false });
      const klPi = t.sum(klDivergence(qpi, ppi), -1);
      const local = t.mean(t.add(t.add(reconstruction, t.mul(klZ, klWeight)), klPi));
      const loss = t.add(local, t.mul(endPenalty, this.options.penaltyScale * (1 - klWeight)));
      return { loss, reconstruction, klLocal: { z: klZ, pi: klPi }, endPenalty, klGlobal: t.scalar(0) };
    });
  }

  private infer(fn: string, spliced: Tensor, unspliced: Tensor, cells: number, options: InferenceOptions): InferenceOutputs {
    const o = this.options;
    const opts = checkObject(fn, options);
    const giveMean = opts.giveMean === undefined ? false : optionChecks(fn).flag(opts.giveMean, 'giveMean');
    const dropout = this.training && o.dropoutRate > 0;
    const draws = !giveMean && opts.noise === undefined;
    if ((dropout || draws) && opts.seed === undefined) {
      const why = dropout ? `in training mode (dropout ${o.dropoutRate})` : 'to draw z (pass giveMean or noise otherwise)';
      throw new TypeError(`${fn}: option 'seed' is required ${why}, got undefined`);
    }
    const seed = opts.seed === undefined ? undefined : optionChecks(fn).integer(opts.seed, 'seed', 0);
    const [trunkSeed, drawSeed] = seed === undefined ? [undefined, undefined] : (t.splitSeed(seed, 2) as [number, number]);
    if (!giveMean && opts.noise !== undefined) {
      const noise = opts.noise;
      const ok = noise instanceof t.Tensor && !noise.isDisposed && noise.rank === 2 && noise.shape[0] === cells && noise.shape[1] === o.nLatent;
      if (!ok) throw new RangeError(`${fn}: option 'noise' must be a Tensor of shape [${cells}, ${o.nLatent}], got ${t.describeValue(noise)}`);
    }
    const input = t.tidy(() => (o.logVariational ? t.concat([t.log(t.add(spliced, 0.01)), t.log(t.add(unspliced, 0.01))], -1) : t.concat([spliced, unspliced], -1)));
    try {
      const qz = this.zEncoder.forward(input, trunkSeed);
      const z = t.tidy(() => {
        let draw: Tensor;
        if (giveMean) draw = qz.loc;
        else if (opts.noise !== undefined) draw = t.add(qz.loc, t.mul(qz.scale, opts.noise));
        else draw = qz.rsample([], { seed: drawSeed as number });
        return o.latentDistribution === 'ln' ? t.softmax(draw, -1) : t.clone(draw);
      });
      return { qz, z, rates: this.rates() };
    } finally {
      input.dispose();
    }
  }

  /** Checks generative's options; decodes ρ, τ, π_α from z and draws π (or takes the given / mean π). */
  private decodeAndDraw(fn: string, z: Tensor, opts: Partial<GenerativeOptions>): { piAlpha: Tensor; rho: Tensor; tau: Tensor; pi: Tensor } {
    const o = this.options;
    const g = o.nInput;
    const cells = z.shape[0] as number;
    const giveMean = opts.giveMean === undefined ? false : optionChecks(fn).flag(opts.giveMean, 'giveMean');
    if (opts.pi !== undefined) {
      const p = opts.pi;
      const ok = p instanceof t.Tensor && !p.isDisposed && p.rank === 3 && p.shape[0] === cells && p.shape[1] === g && p.shape[2] === 4;
      if (!ok) throw new RangeError(`${fn}: option 'pi' must be a Tensor of shape [${cells}, ${g}, 4], got ${t.describeValue(p)}`);
    } else if (!giveMean && opts.seed === undefined) {
      throw new TypeError(`${fn}: option 'seed' is required to draw pi from Dirichlet(piAlpha) (pass giveMean or pi otherwise), got undefined`);
    }
    const seed = opts.seed === undefined ? undefined : optionChecks(fn).integer(opts.seed, 'seed', 0);
    const latentDim = opts.latentDim === undefined ? undefined : optionChecks(fn).integer(opts.latentDim, 'latentDim', 0);
    if (latentDim !== undefined && latentDim >= o.nLatent) throw new RangeError(`${fn}: option 'latentDim' must be a latent dimension in [0, ${o.nLatent}), got ${latentDim}`);
    return t.tidy(() => {
      const { piAlpha, rho, tau } = this.decoder.forward(z, latentDim);
      let pi: Tensor;
      if (opts.pi !== undefined) pi = t.clone(opts.pi);
      else if (giveMean) pi = t.div(piAlpha, t.sum(piAlpha, -1, true));
      else pi = new Dirichlet(piAlpha, { validateArgs: false }).rsample([], { seed: seed as number });
      return { piAlpha, rho, tau, pi };
    });
  }

  /**
   * Per gene: the clamped switch times, (u₀, s₀) = induction at t_s, the switch penalty, the
   * likelihood scales softplus(scale_unconstr) and σ of u and s (column 0 of the u rows, then
   * of the s rows).
   */
  private geneState(rates: Rates) {
    const o = this.options;
    const g = o.nInput;
    return t.tidy(() => {
      const { gamma, beta, alpha } = rates;
      const switchTime = this.switchTime();
      const at = induction(alpha, beta, gamma, switchTime, this.timeDependence(rates));
      const endPenalty = t.add(t.sum(t.square(t.sub(at.u, this.switchUnspliced))), t.sum(t.square(t.sub(at.s, this.switchSpliced))));
      const scale = t.softplus(this.scaleUnconstr);
      const stdU = t.sqrt(t.reshape(t.slice(scale, [0, 0], [g, 1]), [g]));
      const stdS = t.sqrt(t.reshape(t.slice(scale, [g, 0], [g, 1]), [g]));
      return { switchTime, u0: at.u, s0: at.s, endPenalty, scale, stdU, stdS };
    });
  }

  private generate(fn: string, z: Tensor, opts: Partial<GenerativeOptions>): GenerativeOutputs {
    const o = this.options;
    const g = o.nInput;
    const cells = z.shape[0] as number;
    const draw = this.decodeAndDraw(fn, z, opts);
    const out = t.tidy(() => {
      const { piAlpha, rho, tau, pi } = draw;
      // By state, [B, G] each: a transpose to [4, B, G] and contiguous slices (slicing the last
      // axis of [B, G, 4] directly is several times slower on the wasm backend).
      const piStates = t.unstack(t.transpose(pi, [2, 0, 1]), 0) as PerState;
      const rates = this.rates();
      const timeDep = this.timeDependence(rates);
      const { gamma, beta, alpha } = rates;
      const { switchTime, u0, s0, endPenalty, scale, stdU, stdS } = this.geneState(rates);
      // Induction up to t_s · ρ; the induction steady state; repression from the state at t_s.
      const ind = induction(alpha, beta, gamma, t.mul(switchTime, rho), timeDep);
      const steadyAlpha = timeDep === null ? alpha : timeDep.alpha1;
      const rep = repression(u0, s0, beta, gamma, t.mul(t.sub(o.tMax, switchTime), tau));
      const zeros = t.zeros([cells, g]);
      const meansU: PerState = [ind.u, t.broadcastTo(t.div(steadyAlpha, beta), [cells, g]), rep.u, zeros];
      const meansS: PerState = [ind.s, t.broadcastTo(t.div(steadyAlpha, gamma), [cells, g]), rep.s, t.clone(zeros)];
      // torch's Categorical(probs = π): π / Σπ clamped to [eps, 1 − eps], log; then log-softmax.
      const total = t.addN(piStates);
      const clamped = piStates.map((p) => t.clipByValue(t.div(p, total), PROBS_EPS, 1 - PROBS_EPS));
      const logTotal = t.log(t.addN(clamped));
      const logWeights = clamped.map((c) => t.sub(t.log(c), logTotal)) as PerState;
      return { piAlpha, pi, piStates, logWeights, rho, tau, scale, meansU, meansS, stdU, stdS, switchTime, u0, s0, endPenalty, ...rates };
    });
    const { gamma, beta, alpha, alpha1, lambdaAlpha, ...rest } = out;
    return { ...rest, rates: { gamma, beta, alpha, alpha1, lambdaAlpha } };
  }

  /** spliced and unspliced must be float32 [B, G] tensors of the same shape; returns B. */
  private checkPair(fn: string, spliced: Tensor, unspliced: Tensor): number {
    const g = this.options.nInput;
    for (const [name, x] of [['spliced', spliced], ['unspliced', unspliced]] as const) {
      if (!(x instanceof t.Tensor) || x.isDisposed || x.rank !== 2 || x.shape[1] !== g || x.dtype !== 'float32' || x.shape[0] === 0) {
        throw new RangeError(`${fn}: argument '${name}' must be a float32 Tensor with shape [cells, ${g}] (nInput = ${g} genes), got ${t.describeValue(x)}`);
      }
    }
    if (spliced.shape[0] !== unspliced.shape[0]) {
      throw new RangeError(`${fn}: arguments 'spliced' and 'unspliced' must hold the same cells, got ${spliced.shape[0]} and ${unspliced.shape[0]} rows`);
    }
    return spliced.shape[0] as number;
  }
}

function checkObject<T extends object>(fn: string, value: T, arg = 'options'): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new TypeError(`${fn}: argument '${arg}' must be an object, got ${t.describeValue(value)}`);
  return value;
}

/**
 * log p(x | z) per cell and gene [B, G] for x = u or s [B, G]: log Σ_k w_k N(x; mean_k, σ_k)
 * with σ_k = σ for the first three states and 0.1 σ for the repression steady state, computed as
 * a log-sum-exp over the four states (what torch's MixtureSameFamily(Categorical(probs = π),
 * Normal).log_prob computes), by one fused kernel with its gradients (mixture.ts).
 */
export function mixtureLogProb(gen: GenerativeOutputs, which: 'u' | 's', x: Tensor): Tensor {
  const fn = 'mixtureLogProb';
  if (which !== 'u' && which !== 's') throw new TypeError(`${fn}: argument 'which' must be 'u' or 's', got ${t.describeValue(which)}`);
  const shape = gen.rho.shape;
  if (!(x instanceof t.Tensor) || x.isDisposed || x.rank !== 2 || x.shape[0] !== shape[0] || x.shape[1] !== shape[1]) {
    throw new RangeError(`${fn}: argument 'x' must be a Tensor of shape [${shape.join(', ')}] (cells × genes of the pass), got ${t.describeValue(x)}`);
  }
  return normalMixtureLogProb(x, which === 'u' ? gen.meansU : gen.meansS, gen.logWeights, which === 'u' ? gen.stdU : gen.stdS);
}

/** The state means stacked, [B, G, 4] each for u and s (states in the order of STATES). */
export function stateMeans(gen: GenerativeOutputs): { u: Tensor; s: Tensor } {
  return t.tidy(() => ({ u: t.stack(gen.meansU, 2), s: t.stack(gen.meansS, 2) }));
}

/**
 * p(u | z) and p(s | z) as distribution objects (MixtureSameFamily of Normals over the four
 * states, batch shape [B, G]), e.g. to sample or for their cdf; new objects the caller disposes.
 */
export function mixtures(gen: GenerativeOutputs): { pxU: MixtureSameFamily<Normal>; pxS: MixtureSameFamily<Normal> } {
  const build = (which: 'u' | 's'): MixtureSameFamily<Normal> => {
    const [logits, loc, scale] = t.tidy(() => {
      const sd = which === 'u' ? gen.stdU : gen.stdS;
      const means = which === 'u' ? gen.meansU : gen.meansS;
      const cells = gen.rho.shape[0] as number;
      const g = sd.shape[0] as number;
      return [t.stack(gen.logWeights, 2), t.stack(means, 2), t.broadcastTo(t.stack([sd, sd, sd, t.mul(sd, 0.1)], 1), [cells, g, 4])];
    }) as [Tensor, Tensor, Tensor];
    const mixture = handOver(new Categorical({ logits }, { validateArgs: false }), [logits]);
    const components = handOver(new Normal(loc, scale, { validateArgs: false }), [loc, scale]);
    return new MixtureSameFamily(mixture, components, { validateArgs: false });
  };
  return { pxU: build('u'), pxS: build('s') };
}

/** Frees every tensor of a generative pass. */
export function disposeGenerative(gen: GenerativeOutputs): void {
  t.dispose([gen.piAlpha, gen.pi, ...gen.piStates, ...gen.logWeights, gen.rho, gen.tau, gen.scale, ...gen.meansU, ...gen.meansS, gen.stdU, gen.stdS, gen.switchTime, gen.u0, gen.s0, gen.endPenalty, ...Object.values(gen.rates)]);
}

/** Frees every tensor of an inference pass. */
export function disposeInference(inf: InferenceOutputs): void {
  inf.qz.dispose();
  t.dispose([inf.z, ...Object.values(inf.rates)]);
}
