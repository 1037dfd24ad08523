// The KineticMixture kernels (the JS float64 implementation, or @vitae/wasm's where installed)
// against an independent float64 evaluation of the same formulas per cell and gene (veloVI's
// kinetics, torch's Categorical(probs) weights, the log-sum-exp over the four Normal components)
// and its central differences for the gradient kernel's every output, on both backends. Gene
// counts that are not a multiple of 4 and below 4; errors name the input or attribute.
// (@vitae/velovi's reference.test.ts compares the whole loss against velovi's torch code.)
import { describe, expect, it } from 'vitest';
import * as t from '../index.js';
import { LikelihoodKernel, runArrayKernel } from '../kernels/index.js';

import type { Tensor } from '../index.js';
import type { KineticMixtureAttrs } from '../kernels/index.js';

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);
const T_MAX = 20;
const EPS = 1e-6;
const PROBS_EPS = 1.1920928955078125e-7;
const ATTRS: KineticMixtureAttrs = { tMax: T_MAX, eps: EPS, lastScale: 0.1, probsEps: PROBS_EPS };
const GENE_NAMES = ['alpha', 'beta', 'gamma', 'switchTime', 'u0', 's0', 'sdU', 'sdS'] as const;

/** log p(u) + log p(s) of one cell and gene in float64: x = [ρ, τ, π₀..π₃, u, s], gene = [α, β, γ, t_s, u₀, s₀, σ_u, σ_s]. */
function cellLogProb(x: readonly number[], gene: readonly number[]): number {
  const [rho, tau, p0, p1, p2, p3, u, s] = x as [number, number, number, number, number, number, number, number];
  const [a, b, ga, ts, u0, s0, sdU, sdS] = gene as [number, number, number, number, number, number, number, number];
  const t1 = ts * rho;
  const t3 = (T_MAX - ts) * tau;
  const [eB1, eG1, eB3, eG3] = [Math.exp(-b * t1), Math.exp(-ga * t1), Math.exp(-b * t3), Math.exp(-ga * t3)];
  const meansU = [(a / b) * (1 - eB1), a / b, u0 * eB3, 0];
  const meansS = [(a / ga) * (1 - eG1) + (a / (ga - b + EPS)) * (eG1 - eB1), a / ga, s0 * eG3 - ((b * u0) / (ga - b + EPS)) * (eG3 - eB3), 0];
  const total = p0 + p1 + p2 + p3;
  const c = [p0, p1, p2, p3].map((p) => Math.min(Math.max(p / total, PROBS_EPS), 1 - PROBS_EPS));
  const cTotal = c.reduce((acc, v) => acc + v, 0);
  const mixture = (value: number, means: number[], sd: number) => {
    const l = means.map((m, k) => {
      const scale = k === 3 ? 0.1 * sd : sd;
      const z = (value - m) / scale;
      return Math.log((c[k] as number) / cTotal) - 0.5 * z * z - Math.log(scale) - HALF_LOG_2PI;
    });
    const top = Math.max(...l);
    return top + Math.log(l.reduce((acc, v) => acc + Math.exp(v - top), 0));
  };
  return mixture(u, meansU, sdU) + mixture(s, meansS, sdS);
}

/** veloVI-like inputs: rates with |γ − β| >= 0.15 (float32 cannot resolve the gradient at γ = β), some π below the clamp. */
function make(b: number, g: number) {
  const uniform = (shape: number[], seed: number, lo: number, hi: number) => t.add(t.mul(t.randomUniform(shape, { seed }), hi - lo), lo);
  const beta = uniform([g], 1, 0.2, 3);
  const offset = uniform([g], 2, 0.2, 1.2);
  const sign = t.sub(t.mul(t.cast(t.greater(t.randomUniform([g], { seed: 3 }), 0.5), 'float32'), 2), 1);
  const gamma = t.where(t.greater(sign, 0), t.add(beta, offset), t.maximum(t.sub(beta, offset), 0.05));
  const genes = [uniform([g], 4, 0.5, 5), beta, gamma,
    uniform([g], 5, 1, 15), uniform([g], 6, 0, 2), uniform([g], 7, 0, 3), uniform([g], 8, 0.05, 1), uniform([g], 9, 0.05, 1)];
  // states 0..2 (never all of a row's four) at 1e-9 with probability 0.1
  const tiny = t.mul(t.cast(t.greater(t.randomUniform([b, g, 4], { seed: 10 }), 0.9), 'float32'), t.tensor1d([1, 1, 1, 0]));
  const weights = t.softmax(t.mul(t.randomNormal([b, g, 4], { seed: 11 }), 2), -1);
  // below torch's clamp of π / Σπ
  const pi = t.add(t.mul(weights, t.sub(1, tiny)), t.mul(tiny, 1e-9));
  return { rho: uniform([b, g], 12, 0, 1), tau: uniform([b, g], 13, 0, 1), pi, u: uniform([b, g], 14, 0, 3), s: uniform([b, g], 15, 0, 4), genes };
}

interface Arrays {
  cells: Float64Array[]; // ρ, τ, π₀..π₃, u, s: [B·G] each
  genes: Float64Array[]; // [G] each
  weight: Float64Array;
}

/** log p and the central differences of Σ weight · log p in every input (per element for the cell inputs, per gene summed over cells). */
function reference(arr: Arrays, b: number, g: number) {
  const x = (i: number) => arr.cells.map((a) => a[i] as number);
  const gene = (j: number) => arr.genes.map((a) => a[j] as number);
  const value = new Float64Array(b * g);
  const dCells = arr.cells.slice(0, 6).map(() => new Float64Array(b * g));
  const dGenes = arr.genes.map(() => new Float64Array(g));
  // fourth-order central differences: (−f(v + 2h) + 8 f(v + h) − 8 f(v − h) + f(v − 2h)) / 12h
  const derivative = (f: (v: number) => number, v: number, h: number) => {
    return (-f(v + 2 * h) + 8 * f(v + h) - 8 * f(v - h) + f(v - 2 * h)) / (12 * h);
  };
  const replaced = (xs: readonly number[], k: number, v: number) => xs.map((x, q) => (q === k ? v : x));
  for (let i = 0; i < b * g; i++) {
    const j = i % g;
    const xi = x(i);
    const gj = gene(j);
    const w = arr.weight[i] as number;
    value[i] = cellLogProb(xi, gj);
    const piTotal = (xi[2] as number) + (xi[3] as number) + (xi[4] as number) + (xi[5] as number);
    for (let k = 0; k < 6; k++) {
      // π_k moves the weights through Σπ: a step of the row's scale even where π_k is tiny, but
      // within a quarter of π_k (not across 0, nor across the clamp from a clamped π_k)
      const v = xi[k] as number;
      const h = k < 2 ? 1e-5 * Math.max(v, 1e-6) : Math.min(1e-5 * Math.max(v, 1e-3 * piTotal), v / 4);
      (dCells[k] as Float64Array)[i] = w * derivative((y) => cellLogProb(replaced(xi, k, y), gj), v, h);
    }
    for (let k = 0; k < 8; k++) {
      const d = dGenes[k] as Float64Array;
      const v = gj[k] as number;
      d[j] = (d[j] as number) + w * derivative((y) => cellLogProb(xi, replaced(gj, k, y)), v, 1e-5 * Math.max(Math.abs(v), 1e-6));
    }
  }
  return { value, dCells, dGenes };
}

/** max (|got − want| − abs) / (|want| + 1e-3 · max |want|): relative, with an absolute allowance for central differences' noise. */
function maxRelative(got: ArrayLike<number>, want: ArrayLike<number>, abs = 0): number {
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i] as number));
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    worst = Math.max(worst, (Math.abs((got[i] as number) - (want[i] as number)) - abs) / (Math.abs(want[i] as number) + 1e-3 * scale));
  }
  return worst;
}

describe(`KineticMixture kernels (${t.getBackend()} backend)`, () => {
  for (const [b, g] of [[37, 23], [5, 3]] as const) {
    it(`value and partials agree with float64 and its central differences (${b} cells × ${g} genes), no tensors left`, () => {
      const inputs = t.tidy(() => make(b, g));
      const weight = t.randomUniform([b, g], { seed: 40 });
      const { rho, tau, pi, u, s, genes } = inputs;
      const piData = pi.dataSync();
      const arrays: Arrays = {
        cells: [rho.dataSync(), tau.dataSync(), ...[0, 1, 2, 3].map((k) => Float32Array.from({ length: b * g }, (_, i) => piData[4 * i + k] as number)), u.dataSync(), s.dataSync()].map((a) => Float64Array.from(a)),
        genes: genes.map((a) => Float64Array.from(a.dataSync())),
        weight: Float64Array.from(weight.dataSync()),
      };
      const want = reference(arrays, b, g);
      const before = t.memory().numTensors;
      t.tidy(() => {
        const named = { rho, tau, pi, u, s, ...Object.fromEntries(GENE_NAMES.map((n, k) => [n, genes[k] as Tensor])) };
        const value = runArrayKernel<KineticMixtureAttrs>(LikelihoodKernel.KineticMixture, named, ATTRS) as Tensor;
        expect(value.shape).toEqual([b, g]);
        expect(maxRelative(value.dataSync(), want.value), 'value').toBeLessThan(1e-6);
        const [dRho, dTau, dPi, dGenes] = runArrayKernel<KineticMixtureAttrs>(LikelihoodKernel.KineticMixtureGrad, { ...named, dy: weight }, ATTRS) as Tensor[] as [Tensor, Tensor, Tensor, Tensor];
        expect([dRho.shape, dTau.shape, dPi.shape, dGenes.shape]).toEqual([[b, g], [b, g], [b, g, 4], [8, g]]);
        expect(maxRelative(dRho.dataSync(), want.dCells[0] as Float64Array), 'rho').toBeLessThan(1e-6);
        expect(maxRelative(dTau.dataSync(), want.dCells[1] as Float64Array), 'tau').toBeLessThan(1e-6);
        const dPiData = dPi.dataSync();
        for (let k = 0; k < 4; k++) {
          const got = Float32Array.from({ length: b * g }, (_, i) => dPiData[4 * i + k] as number);
          // a clamped π_k (1e-9) is stepped by at most a quarter of itself: ~1e-6 absolute noise there
          expect(maxRelative(got, want.dCells[2 + k] as Float64Array, 1e-5), `pi, state ${k}`).toBeLessThan(1e-6);
        }
        const dGeneData = dGenes.dataSync();
        GENE_NAMES.forEach((name, k) => expect(maxRelative(dGeneData.subarray(k * g, (k + 1) * g), want.dGenes[k] as Float64Array), name).toBeLessThan(1e-6));
      });
      expect(t.memory().numTensors).toBe(before);
      t.dispose([rho, tau, pi, u, s, ...genes, weight]);
    });
  }

  it('names the input or attribute it rejects', () => {
    t.tidy(() => {
      const cell = t.ones([2, 5]);
      const gene = t.ones([5]);
      const named = { rho: cell, tau: cell, pi: t.ones([2, 5, 4]), u: cell, s: cell, ...Object.fromEntries(GENE_NAMES.map((n) => [n, gene])) };
      const call = (over: Record<string, Tensor>, attrs: Partial<KineticMixtureAttrs> = {}, kernel: string = LikelihoodKernel.KineticMixture) =>
        runArrayKernel<KineticMixtureAttrs>(kernel, { ...named, ...over }, { ...ATTRS, ...attrs });
      expect(() => call({ pi: t.ones([2, 5, 3]) })).toThrow(/VitaeKineticMixture: input 'pi' must have shape \[2, 5, 4\], got \[2, 5, 3\]/);
      expect(() => call({ rho: t.ones([10]) })).toThrow(/input 'rho' must have shape \[cells, genes\], got \[10\]/);
      expect(() => call({ sdS: t.ones([4]) })).toThrow(/input 'sdS' must have shape \[5\] \(one value per gene\), got \[4\]/);
      expect(() => call({ dy: t.ones([2, 4]) }, {}, LikelihoodKernel.KineticMixtureGrad)).toThrow(/VitaeKineticMixtureGrad: input 'dy' must have shape \[2, 5\], got \[2, 4\]/);
      expect(() => call({}, { lastScale: 0 })).toThrow(/attribute 'lastScale' must be finite and > 0, got 0/);
      expect(() => call({}, { probsEps: 0.5 })).toThrow(/attribute 'probsEps' must be finite and in \(0, 0.5\), got 0.5/);
      expect(() => call({}, { tMax: Number.NaN })).toThrow(/attribute 'tMax' must be finite and >= 0, got NaN/);
    });
  });
});
