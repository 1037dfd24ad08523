// Data simulated from veloVI's own kinetic model, for parameter-recovery checks: every cell sits
// at a time t on one trajectory; every gene g is induced from (0, 0) with rate α_g until its
// switch time t_s,g, then repressed (α = 0):
//   t < t_s:  (u, s) = induction(α, β, γ, t)
//   t ≥ t_s:  (u, s) = repression(u₀, s₀, β, γ, t − t_s), (u₀, s₀) = induction at t_s
// (the closed forms of kinetics.ts, here in float64), plus Gaussian noise (a fraction of each
// gene's range), clipped at 0. Each gene's u and s are divided by one common factor
// c = max(max u, max s), which keeps the model exact (α becomes α / c; β, γ and the times stay).
import { AnnData, DataFrame, DenseArray } from '@vitae/anndata';
import { Prng } from '@vitae/tensor';

export interface SimulationOptions {
  nCells?: number;
  nGenes?: number;
  /** Noise sd as a fraction of each gene's largest u (s) value (default 0.05). */
  noise?: number;
  /** Cell times are uniform on [0, tEnd] (default 20). */
  tEnd?: number;
  seed?: number;
}

export interface Simulation {
  /** layers Ms (spliced) and Mu (unspliced), obs `true_t`, var `true_alpha` (after scaling), `true_beta`, `true_gamma`, `true_t_` (switch time). */
  adata: AnnData;
  time: Float64Array;
  alpha: Float64Array;
  beta: Float64Array;
  gamma: Float64Array;
  switchTime: Float64Array;
}

/** (u, s) of the induction phase at time t, float64. */
export function inductionAt(alpha: number, beta: number, gamma: number, t: number, eps = 1e-6): [number, number] {
  const eb = Math.exp(-beta * t);
  const eg = Math.exp(-gamma * t);
  return [(alpha / beta) * (1 - eb), (alpha / gamma) * (1 - eg) + (alpha / (gamma - beta + eps)) * (eg - eb)];
}

/** (u, s) of the repression phase, t after the switch from (u0, s0), float64. */
export function repressionAt(u0: number, s0: number, beta: number, gamma: number, t: number, eps = 1e-6): [number, number] {
  const eb = Math.exp(-beta * t);
  const eg = Math.exp(-gamma * t);
  return [u0 * eb, s0 * eg - ((beta * u0) / (gamma - beta + eps)) * (eg - eb)];
}

export function simulate(options: SimulationOptions = {}): Simulation {
  const nCells = options.nCells ?? 300;
  const nGenes = options.nGenes ?? 12;
  const noise = options.noise ?? 0.05;
  const tEnd = options.tEnd ?? 20;
  const prng = new Prng(options.seed ?? 0);
  const uniform = (lo: number, hi: number): number => lo + (hi - lo) * prng.nextDouble();
  const alpha = Float64Array.from({ length: nGenes }, () => uniform(0.5, 2));
  const beta = Float64Array.from({ length: nGenes }, () => uniform(0.4, 1.2));
  const gamma = Float64Array.from({ length: nGenes }, () => uniform(0.1, 0.35));
  const switchTime = Float64Array.from({ length: nGenes }, () => uniform(6, 12));
  const time = Float64Array.from({ length: nCells }, () => uniform(0, tEnd));
  const u = new Float64Array(nCells * nGenes);
  const s = new Float64Array(nCells * nGenes);
  for (let g = 0; g < nGenes; g++) {
    const [a, b, c, ts] = [alpha[g] as number, beta[g] as number, gamma[g] as number, switchTime[g] as number];
    const [u0, s0] = inductionAt(a, b, c, ts);
    for (let i = 0; i < nCells; i++) {
      const ti = time[i] as number;
      const [ui, si] = ti < ts ? inductionAt(a, b, c, ti) : repressionAt(u0, s0, b, c, ti - ts);
      u[i * nGenes + g] = ui;
      s[i * nGenes + g] = si;
    }
  }
  const Mu = new Float32Array(nCells * nGenes);
  const Ms = new Float32Array(nCells * nGenes);
  const scaledAlpha = new Float64Array(nGenes);
  for (let g = 0; g < nGenes; g++) {
    let maxU = 0;
    let maxS = 0;
    for (let i = 0; i < nCells; i++) {
      maxU = Math.max(maxU, u[i * nGenes + g] as number);
      maxS = Math.max(maxS, s[i * nGenes + g] as number);
    }
    const scale = Math.max(maxU, maxS);
    scaledAlpha[g] = (alpha[g] as number) / scale;
    for (let i = 0; i < nCells; i++) {
      const k = i * nGenes + g;
      Mu[k] = Math.max(0, ((u[k] as number) + noise * maxU * prng.nextNormal()) / scale);
      Ms[k] = Math.max(0, ((s[k] as number) + noise * maxS * prng.nextNormal()) / scale);
    }
  }
  const obs = new DataFrame(Array.from({ length: nCells }, (_, i) => `cell${i}`), { true_t: time });
  const varFrame = new DataFrame(Array.from({ length: nGenes }, (_, g) => `gene${g}`), {
    true_alpha: scaledAlpha,
    true_beta: beta,
    true_gamma: gamma,
    true_t_: switchTime,
  });
  const adata = new AnnData({ obs, var: varFrame, layers: { Ms: new DenseArray(Ms, nCells, nGenes), Mu: new DenseArray(Mu, nCells, nGenes) } });
  return { adata, time, alpha: scaledAlpha, beta, gamma, switchTime };
}

/** Ranks (1-based), ties given their average rank. */
export function ranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const out = new Float64Array(n);
  for (let k = 0; k < n; ) {
    let end = k;
    while (end + 1 < n && values[order[end + 1] as number] === values[order[k] as number]) end++;
    const rank = (k + end) / 2 + 1;
    for (let m = k; m <= end; m++) out[order[m] as number] = rank;
    k = end + 1;
  }
  return out;
}

/** Pearson correlation. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += (x[i] as number) / n;
    my += (y[i] as number) / n;
  }
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - mx;
    const dy = (y[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Spearman's rank correlation (Pearson of the tie-averaged ranks). */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearson(ranks(x), ranks(y));
}

/** The median of a list. */
export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  return n % 2 === 1 ? (sorted[(n - 1) / 2] as number) : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
}
