import { AnnData, CsrMatrix, DenseArray, toDenseValues } from '@vitae/anndata';
import { describe, expect, it } from 'vitest';

import { preprocessVelocityData } from './preprocess-velocity.js';
import { minMaxScale, minMaxScaleMatrix } from './scale.js';
import { percentileSorted as percentileOfSorted } from '../util/stats.js';
import { fitSteadyState, steadyStateVelocity } from './velocity.js';

const f32 = Math.fround;

/** cells × genes row-major float32 from columns. */
function fromColumns(cols: number[][]): DenseArray {
  const n = (cols[0] as number[]).length;
  const v = new Float32Array(n * cols.length);
  cols.forEach((c, j) => c.forEach((x, i) => (v[i * cols.length + j] = x)));
  return new DenseArray(v, n, cols.length);
}

const ramp = Array.from({ length: 40 }, (_, i) => f32((i + 1) / 7));

describe('minMaxScale (sklearn MinMaxScaler)', () => {
  it('maps each gene to [0, 1] with float32 steps; constant genes become 0', () => {
    const m = fromColumns([
      [2, 4, 3, 10],
      [5, 5, 5, 5],
      [0.1, 0.3, 0.2, 0.7],
      [1, 1 + 1e-7, 1, 1],
    ]);
    const out = minMaxScaleMatrix(m);
    const col = (j: number): number[] => Array.from({ length: 4 }, (_, i) => out.get(i, j));
    expect(col(0)).toEqual([0, f32(2 * f32(1 / 8)), f32(1 / 8), 1]);
    expect(col(1)).toEqual([0, 0, 0, 0]);
    const lo = f32(0.1);
    const scale = f32(1 / f32(f32(0.7) - lo));
    const shift = f32(0 - f32(lo * scale));
    expect(col(2)).toEqual([f32(0.1), f32(0.3), f32(0.2), f32(0.7)].map((x) => f32(f32(x * scale) + shift)));
    // range below 10 float32 epsilons: scale 1, values only shifted
    expect(col(3)).toEqual([0, f32(f32(1 + 1e-7) - 1), 0, 0]);
    expect(out.values).toBeInstanceOf(Float32Array);
  });

  it('keeps float64 layers in float64 and scales the named layers of an AnnData', () => {
    const m = new DenseArray(new Float64Array([1, 3, 2, 5]), 2, 2);
    expect(Array.from(minMaxScaleMatrix(m).values)).toEqual([0, 0, 1, 1]);
    const ad = new AnnData({ layers: { Ms: m, Mu: CsrMatrix.fromDense([0, 2, 4, 1], 2, 2) } });
    const out = minMaxScale(ad);
    expect(Array.from(toDenseValues(out.layer('Mu')))).toEqual([0, 1, 1, 0]);
    expect(ad.layers.Mu).toBeInstanceOf(CsrMatrix); // input unchanged
    expect(() => minMaxScale(ad, { layers: ['Ms', 'Xs'] })).toThrow(/minMaxScale: argument 'layers' names layer 'Xs', which is not there; the layers are \["Ms","Mu"\]/);
  });
});

describe('steady-state velocity (scv.tl.velocity, deterministic)', () => {
  it('fits gamma 0.5 and r2 1 for u = 0.5 s', () => {
    const ms = fromColumns([ramp]);
    const mu = fromColumns([ramp.map((s) => s * 0.5)]);
    const fit = fitSteadyState(ms.values, mu.values, 40, 1);
    expect(fit.gamma[0]).toBeCloseTo(0.5, 7);
    expect(fit.r2[0]).toBeCloseTo(1, 6);
    expect(fit.nUsed[0]).toBe(2); // cells at or above the 95th percentile of 40: ranks 38, 39
    for (const v of fit.velocity) expect(Math.abs(v)).toBeLessThan(1e-6);
  });

  it('uses only the extreme upper quantile without an offset, both with one', () => {
    // u = 0.5 s for the top cells, u = 0.1 s below: gamma comes from the top cells only
    const s = ramp;
    const u = s.map((x, i) => (i >= 38 ? 0.5 * x : 0.1 * x));
    const fit = fitSteadyState(fromColumns([s]).values, fromColumns([u]).values, 40, 1);
    const top = [38, 39];
    const gamma = top.reduce((a, i) => a + (s[i] as number) * f32(u[i] as number), 0) / top.reduce((a, i) => a + (s[i] as number) ** 2, 0);
    expect(fit.gamma[0]).toBeCloseTo(gamma, 12);
    const vel = u.map((x, i) => f32(x) - gamma * (s[i] as number));
    const mean = u.reduce((a, b) => a + f32(b), 0) / 40;
    const r2 = 1 - vel.reduce((a, v) => a + v * v, 0) / u.reduce((a, x) => a + (f32(x) - mean) ** 2, 0);
    expect(fit.r2[0]).toBeCloseTo(r2, 10);
    // with an offset: u = 0.5 s + 0.2 exactly -> gamma 0.5, offset 0.2
    const u2 = s.map((x) => 0.5 * x + 0.2);
    const fo = fitSteadyState(fromColumns([s]).values, fromColumns([u2]).values, 40, 1, { fitOffset: true });
    expect(fo.gamma[0]).toBeCloseTo(0.5, 5);
    expect(fo.offset[0]).toBeCloseTo(0.2, 5);
    expect(fo.nUsed[0]).toBe(4); // 2 at the bottom (<= 5th percentile), 2 at the top
    // a negative offset falls back to the fit through the origin, offset 0
    const u3 = s.map((x) => Math.max(0.5 * x - 0.3, 0.01));
    const fn = fitSteadyState(fromColumns([s]).values, fromColumns([u3]).values, 40, 1, { fitOffset: true, perc: null });
    expect(fn.offset[0]).toBe(0);
    const su = s.reduce((a, x, i) => a + x * f32(u3[i] as number), 0);
    const ss = s.reduce((a, x) => a + x * x, 0);
    expect(fn.gamma[0]).toBeCloseTo(su / ss, 10);
  });

  it('interpolates the percentile as numpy does on float32 data', () => {
    const sorted = Float32Array.from([0, 1, 2, 3]);
    expect(percentileOfSorted(sorted, 95)).toBeCloseTo(2.85, 12);
    expect(percentileOfSorted(sorted, 5)).toBeCloseTo(0.15, 12);
    expect(percentileOfSorted(Float32Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), 95)).toBe(0);
  });

  it('fits a mostly-zero gene on every cell (the 95th percentile is 0) and sets gamma 0 for an all-zero gene', () => {
    // one cell detected: 39 zeros, so the 95th percentile (between sorted ranks 37 and 38) is 0
    const s = Array.from({ length: 40 }, (_, i) => (i === 3 ? 2 : 0));
    const u = Array.from({ length: 40 }, (_, i) => (i === 3 ? 1 : 0));
    const fit = fitSteadyState(fromColumns([s, new Array<number>(40).fill(0)]).values, fromColumns([u, new Array<number>(40).fill(0)]).values, 40, 2);
    expect(fit.nUsed[0]).toBe(40);
    expect(fit.gamma[0]).toBeCloseTo(0.5, 12);
    expect(fit.gamma[1]).toBe(0);
    expect(fit.r2[1]).toBe(0); // 0 / 0 -> 0
    expect(fit.velocityGenes[1]).toBe(false);
  });

  it('chooses velocity genes by r2, gamma, detection and highly_variable, and writes scVelo\'s columns', () => {
    const s = ramp;
    const cols = {
      good: s.map((x) => 0.5 * x),
      lowRatio: s.map((x) => 0.005 * x),
      noisy: s.map((x, i) => (i % 2 ? 0.9 * x : 0.05)),
      alsoGood: s.map((x) => 0.3 * x),
    };
    const ms = fromColumns([s, s, s, s]);
    const mu = fromColumns(Object.values(cols));
    const ad = new AnnData({ layers: { Ms: ms, Mu: mu }, var: Object.keys(cols) });
    ad.var.set('highly_variable', [true, true, true, false]);
    const out = steadyStateVelocity(ad);
    expect(out.var.get('velocity_genes')).toEqual([true, false, false, false]);
    expect(out.var.columnNames).toEqual(['highly_variable', 'velocity_gamma', 'velocity_qreg_ratio', 'velocity_r2', 'velocity_genes']);
    expect((out.var.get('velocity_gamma') as Float64Array)[3]).toBeCloseTo(0.3, 6);
    expect(out.layer('velocity')).toBeInstanceOf(DenseArray);
    expect(out.uns.velocity_params).toEqual({ mode: 'deterministic', fit_offset: false, perc: [5, 95] });
    const noHv = steadyStateVelocity(ad, { useHighlyVariable: false, minR2: 0.5 });
    expect(noHv.var.get('velocity_genes')).toEqual([true, false, false, true]);
  });

  it('falls back to r2 above its 80th percentile when fewer than 2 genes qualify', () => {
    const s = ramp;
    const mu = fromColumns([s.map((x) => 0.5 * x), s.map((x, i) => (i % 3 ? 0.001 * x : 0.002)), s.map((x, i) => (i % 2 ? 0.004 * x : 0.003 * x)), s.map(() => 0.001)]);
    const fit = fitSteadyState(fromColumns([s, s, s, s]).values, mu.values, 40, 4);
    const sorted = Array.from(fit.r2).sort((a, b) => a - b);
    const q = sorted[2]! + (sorted[3]! - sorted[2]!) * 0.4; // 80th percentile of 4 values
    expect(fit.velocityGenes).toEqual(Array.from(fit.r2, (r) => r > q));
  });
});

describe('preprocessVelocityData (velovi.preprocess_data)', () => {
  const s = ramp;
  function make(): AnnData {
    const ms = fromColumns([s.map((x) => 3 * x + 1), s, s]);
    const mu = fromColumns([s.map((x) => 1.5 * x + 0.5), s.map((x, i) => (i % 2 ? x : 0)), s.map(() => 0.2)]);
    return new AnnData({ layers: { Ms: ms, Mu: mu }, var: ['a', 'b', 'c'] });
  }

  it('min-max scales, fits and keeps r2 > 0, gamma > 0 velocity genes', () => {
    const out = preprocessVelocityData(make());
    expect(out.varNames).toEqual(['a']);
    // after scaling both layers of gene a are the same ramp in [0, 1]: gamma 1, r2 1
    expect((out.var.get('velocity_gamma') as Float64Array)[0]).toBeCloseTo(1, 6);
    expect((out.var.get('velocity_r2') as Float64Array)[0]).toBeCloseTo(1, 6);
    const ms = toDenseValues(out.layer('Ms'));
    expect(Math.min(...ms)).toBe(0);
    expect(Math.max(...ms)).toBe(1);
    const raw = preprocessVelocityData(make(), { minMaxScale: false, filterOnR2: false });
    expect(raw.nVars).toBe(3);
  });

  it('names the missing layer, the shape, the negative value and the empty result', () => {
    const ad = make();
    expect(() => preprocessVelocityData(ad, { splicedLayer: 'spliced' })).toThrow(/preprocessVelocityData: option 'splicedLayer' names layer 'spliced', which adata does not have; its layers are \["Ms","Mu"\]/);
    expect(() => preprocessVelocityData(new AnnData({ var: ['a'], obs: ['x'] }))).toThrow(/option 'splicedLayer' names layer 'Ms'.*its layers are \[\]/);
    const bad = make();
    bad.layers.Mu = new DenseArray(new Float32Array(80), 40, 2);
    expect(() => preprocessVelocityData(bad)).toThrow(/layers 'Ms' \(splicedLayer\) and 'Mu' \(unsplicedLayer\) must have the same shape, got \[40, 3\] and \[40, 2\]/);
    const neg = make();
    (neg.layers.Mu as DenseArray).values[7] = -0.25;
    expect(() => preprocessVelocityData(neg)).toThrow(/layer 'Mu' \(unsplicedLayer\) must be finite and >= 0, got -0.25 at cell 2, gene 1/);
    const nan = make();
    (nan.layers.Ms as DenseArray).values[0] = NaN;
    expect(() => preprocessVelocityData(nan)).toThrow(/layer 'Ms' \(splicedLayer\) must be finite and >= 0, got NaN at cell 0, gene 0/);
    const flat = new AnnData({ layers: { Ms: fromColumns([s]), Mu: fromColumns([s.map(() => 1)]) } });
    expect(() => preprocessVelocityData(flat)).toThrow(/no gene passes the filter velocity_r2 > 0, velocity_gamma > 0 and velocity_genes \(r2 > minR2 = 0.01, gamma > minRatio = 0.01\) among 1 genes: 0 have r2 > 0 and gamma > 0, the largest r2 is 0/);
  });
});
