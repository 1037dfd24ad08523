import { loadFixture } from '@vitae/fixtures/load';
import { describe, expect, it } from 'vitest';

import { bayesFactors, DE_COLUMNS } from './bayes-factors.js';
import { fdrDePrediction } from './fdr.js';

import type { BayesFactorsOptions, BayesFactorsResult } from './bayes-factors.js';

interface Case {
  name: string;
  mode: 'vanilla' | 'change';
  delta?: number;
  pseudocounts?: number;
  testMode?: 'three' | 'two';
  pairs: boolean;
  nA?: number;
  [column: string]: unknown;
}
interface Fixture {
  nA: number;
  nB: number;
  nGenes: number;
  scalesA: number[];
  scalesB: number[];
  pairsA: number[];
  pairsB: number[];
  cases: Case[];
  fdr: { probaDe: number[]; fdrTarget: number; isDe: boolean[] }[];
  pseudocounts: { whereZeroA: boolean[]; whereZeroB: boolean[]; quantile: number; pseudocounts: number }[];
}

const fx = loadFixture<Fixture>('scvi-de');
const scalesA = Float32Array.from(fx.scalesA);
const scalesB = Float32Array.from(fx.scalesB);
const pairs = { a: Int32Array.from(fx.pairsA), b: Int32Array.from(fx.pairsB) };

function expectClose(actual: ArrayLike<number> | null, expected: number[], what: string): void {
  expect(actual, what).not.toBeNull();
  const a = actual as ArrayLike<number>;
  expect(a.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    const v = a[i] as number;
    expect(Math.abs(v - e), `${what}[${i}]: ${v} vs ${e}`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(e)));
  }
}

describe('bayesFactors against the numpy transcription of scvi-tools', () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      const nA = c.nA ?? fx.nA;
      const options: BayesFactorsOptions = { nGenes: fx.nGenes, mode: c.mode };
      if (c.delta !== undefined) options.delta = c.delta;
      if (c.pseudocounts !== undefined) options.pseudocounts = c.pseudocounts;
      if (c.testMode !== undefined) options.testMode = c.testMode;
      if (c.pairs) options.pairs = pairs;
      const res = bayesFactors(scalesA.subarray(0, nA * fx.nGenes), scalesB, options);
      const keys = c.mode === 'vanilla' ? (['probaM1', 'probaM2', 'bayesFactor', 'scale1', 'scale2'] as const) : (Object.keys(DE_COLUMNS) as (keyof typeof DE_COLUMNS)[]);
      for (const key of keys) expectClose(res[key], c[DE_COLUMNS[key]] as number[], `${c.name}: ${DE_COLUMNS[key]}`);
      if (c.mode === 'vanilla') expect(res.probaDe).toBeNull();
      else {
        expect(res.delta).toBe(c.delta);
        expect(res.pseudocounts).toBe(c.pseudocounts);
      }
    });
  }

  it('estimates the pseudocounts offset from the paired samples (pseudocounts = None)', () => {
    for (const c of fx.pseudocounts) {
      const res = bayesFactors(scalesA, scalesB, {
        nGenes: fx.nGenes, mode: 'change', pairs, pseudocounts: { whereZeroA: c.whereZeroA, whereZeroB: c.whereZeroB, quantile: c.quantile },
      });
      expectClose([res.pseudocounts as number], [c.pseudocounts], 'pseudocounts');
    }
  });

  it('fdrDePrediction matches _fdr_de_prediction', () => {
    for (const c of fx.fdr) expect(fdrDePrediction(c.probaDe, c.fdrTarget), `target ${c.fdrTarget}`).toEqual(c.isDe);
  });
});

/** nA × 3 and nB × 3 samples: gene 0 4× higher in A, gene 1 equal up to ±4 % noise, gene 2 the rest. */
function constructed(nA: number, nB: number): { a: Float32Array; b: Float32Array } {
  const a = new Float32Array(nA * 3);
  const b = new Float32Array(nB * 3);
  for (let i = 0; i < nA; i++) {
    const base = 0.02 + 0.01 * ((i * 7) % 5);
    a[i * 3] = 4 * base;
    a[i * 3 + 1] = 0.3 * (1 + 0.04 * Math.sin(i));
  }
  for (let i = 0; i < nB; i++) {
    b[i * 3] = 0.02 + 0.01 * ((i * 3) % 5);
    b[i * 3 + 1] = 0.3 * (1 + 0.04 * Math.cos(i));
  }
  for (const [s, n] of [[a, nA], [b, nB]] as const) for (let i = 0; i < n; i++) s[i * 3 + 2] = 1 - (s[i * 3] as number) - (s[i * 3 + 1] as number);
  return { a, b };
}

describe('bayesFactors on a constructed case', () => {
  // Sample i of A is exactly 4× sample i of B in gene 0 when paired element-wise with matching bases.
  it('element-wise pairs, gene 0 exactly 4× in every pair: lfc 2, proba_de 1, DE at FDR 0.05', () => {
    const n = 25;
    const a = new Float32Array(n * 2);
    const b = new Float32Array(n * 2);
    for (let i = 0; i < n; i++) {
      const base = 0.01 + 0.002 * i;
      b[i * 2] = base;
      a[i * 2] = 4 * base;
      a[i * 2 + 1] = 0.5;
      b[i * 2 + 1] = 0.5;
    }
    const res = bayesFactors(a, b, { nGenes: 2, mode: 'change' });
    expectClose(res.lfcMean, [2, 0], 'lfc_mean');
    expectClose(res.lfcMedian, [2, 0], 'lfc_median');
    expectClose(res.lfcStd, [0, 0], 'lfc_std');
    expect(Array.from(res.probaDe as Float64Array)).toEqual([1, 0]);
    expect(res.bayesFactor[0]).toBeGreaterThan(15);
    expect(fdrDePrediction(res.probaDe as Float64Array)).toEqual([true, false]);
  });

  it('random pairs: gene 0 up in A (proba_de ≈ 1, lfc ≈ 2), gene 1 unchanged (lfc ≈ 0, proba_de 0)', () => {
    const { a, b } = constructed(40, 30);
    const res = bayesFactors(a, b, { nGenes: 3, mode: 'change', mPermutation: 5000, seed: 7 });
    expect(res.probaDe?.[0]).toBe(1);
    expect(res.probaM1[0]).toBe(1);
    expect(Math.abs((res.lfcMean?.[0] as number) - 2)).toBeLessThan(0.15);
    expect(Math.abs(res.lfcMean?.[1] as number)).toBeLessThan(0.05);
    expect(res.probaDe?.[1]).toBe(0);
    expect(fdrDePrediction(res.probaDe as Float64Array, 0.05).slice(0, 2)).toEqual([true, false]);
    const vanilla = bayesFactors(a, b, { nGenes: 3, mode: 'vanilla', mPermutation: 5000, seed: 7 });
    expect(vanilla.probaM1[0]).toBe(1);
    expect(vanilla.bayesFactor[0]).toBeCloseTo(Math.log(1 + 1e-8) - Math.log(1e-8), 6);
    expect(Math.abs((vanilla.probaM1[1] as number) - 0.5)).toBeLessThan(0.15);
  });

  it('the same seed gives the same pairs and statistics; another seed other pairs', () => {
    const { a, b } = constructed(40, 30);
    const opts: BayesFactorsOptions = { nGenes: 3, mode: 'change', mPermutation: 1000, seed: 123 };
    const r1 = bayesFactors(a, b, opts);
    const r2 = bayesFactors(a, b, opts);
    expect(r2.pairs).toEqual(r1.pairs);
    for (const key of Object.keys(DE_COLUMNS) as (keyof BayesFactorsResult & keyof typeof DE_COLUMNS)[]) expect(r2[key]).toEqual(r1[key]);
    const r3 = bayesFactors(a, b, { ...opts, seed: 124 });
    expect(r3.pairs.a).not.toEqual(r1.pairs.a);
    for (let k = 0; k < 1000; k++) {
      expect(r1.pairs.a[k]).toBeLessThan(40);
      expect(r1.pairs.b[k]).toBeLessThan(30);
    }
    // The draw covers every sample of both groups.
    expect(new Set(r1.pairs.a).size).toBe(40);
    expect(new Set(r1.pairs.b).size).toBe(30);
  });

  it('explicit pairs override mPermutation / seed', () => {
    const { a, b } = constructed(4, 3);
    const p = { a: Int32Array.from([0, 1, 3]), b: Int32Array.from([2, 2, 0]) };
    const res = bayesFactors(a, b, { nGenes: 3, mode: 'vanilla', pairs: p, mPermutation: 50, seed: 1 });
    expect(res.pairs.a).toEqual(p.a);
    expect(res.probaM1.length).toBe(3);
  });
});

describe('bad input', () => {
  const { a, b } = constructed(4, 3);
  const ok: BayesFactorsOptions = { nGenes: 3, mode: 'change', mPermutation: 10, seed: 0 };

  it('names the argument, the constraint and the value', () => {
    expect(() => bayesFactors(a, new Float32Array(10), ok)).toThrow(/argument 'scalesB' must be \[nSamples × nGenes\] with nGenes = 3 \(a multiple of 3 values\), got 10 values/);
    expect(() => bayesFactors(new Float32Array(0), b, ok)).toThrow(/argument 'scalesA' must hold at least one sample .*got 0 values/);
    expect(() => bayesFactors(a, new Float32Array(0), ok)).toThrow(/argument 'scalesB' must hold at least one sample/);
    expect(() => bayesFactors(Array.from(a) as unknown as Float32Array, b, ok)).toThrow(/argument 'scalesA' must be a Float32Array .*got an array of length 12/);
    expect(() => bayesFactors(a, b, { ...ok, delta: 0 })).toThrow(/option 'delta' must be a finite number > 0 .*got number 0/);
    expect(() => bayesFactors(a, b, { ...ok, delta: -0.5 })).toThrow(/option 'delta' must be a finite number > 0 .*got number -0.5/);
    expect(() => bayesFactors(a, b, { ...ok, pseudocounts: -1 })).toThrow(/option 'pseudocounts' must be a finite number >= 0, got number -1/);
    expect(() => bayesFactors(a, b, { ...ok, mode: 'other' as 'change' })).toThrow(/option 'mode' must be 'vanilla' or 'change', got 'other'/);
    expect(() => bayesFactors(a, b, { ...ok, mPermutation: 0 })).toThrow(/option 'mPermutation' must be an integer >= 1, got number 0/);
    expect(() => bayesFactors(a, b, { nGenes: 3, mode: 'change', mPermutation: 10 })).toThrow(/option 'seed' must be an integer in \[0, 2\^53\) when 'mPermutation' is given, got undefined/);
    expect(() => bayesFactors(a, b, { nGenes: 3, mode: 'change' })).toThrow(/needs as many samples in scalesA as in scalesB, got 4 and 3/);
    expect(() => bayesFactors(a, b, { ...ok, pairs: { a: Int32Array.from([0, 4]), b: Int32Array.from([0, 0]) } })).toThrow(/option 'pairs.a' must hold sample indices in \[0, 4\), got 4 at index 1/);
    expect(() => bayesFactors(a, b, { ...ok, pairs: { a: Int32Array.from([0]), b: Int32Array.from([0, 0]) } })).toThrow(/option 'pairs' must have a and b of the same length >= 1, got 1 and 2/);
    const nan = a.slice();
    nan[5] = NaN;
    expect(() => bayesFactors(nan, b, ok)).toThrow(/argument 'scalesA' must hold finite values >= 0, got NaN at sample 1, gene 2/);
    expect(() => bayesFactors(a, b, { ...ok, pseudocounts: { whereZeroA: [true], whereZeroB: [false, false, false] } })).toThrow(/option 'pseudocounts.whereZeroA' must hold 3 booleans/);
  });

  it('fdrDePrediction: fdrTarget outside (0, 1), probabilities outside [0, 1]', () => {
    expect(() => fdrDePrediction([0.9], 0)).toThrow(/argument 'fdrTarget' must be a number in \(0, 1\), got number 0/);
    expect(() => fdrDePrediction([0.9], 1)).toThrow(/argument 'fdrTarget' must be a number in \(0, 1\), got number 1/);
    expect(() => fdrDePrediction([0.9], -0.1)).toThrow(/got number -0.1/);
    expect(() => fdrDePrediction([0.9, 1.2])).toThrow(/argument 'probaDe' must hold probabilities in \[0, 1\], got number 1.2 at index 1/);
    expect(fdrDePrediction([])).toEqual([]);
  });
});
