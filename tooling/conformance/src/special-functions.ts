// Accuracy of the special functions against scipy (float64 at float32-rounded inputs).
import { loadFixture } from '@vitae/fixtures/load';
import { describe, expect, it } from 'vitest';

/** |ours - scipy| <= TOL * max(1, |scipy|): the accuracy contract of the special functions. */
export const SPECIAL_FUNCTION_TOLERANCE = 1e-5;

interface TensorLikeResult {
  dataSync(): ArrayLike<number>;
  dispose(): void;
  shape: number[];
}
// Arguments are `never` so that any op signature is assignable (parameters are contravariant);
// the suite passes what api.tensor returned, or plain number arrays.
type Unary = (x: never) => TensorLikeResult;
type Binary = (a: never, b: never) => TensorLikeResult;

/** The ops under test (structurally typed so any implementation can be passed). */
export interface SpecialFunctionApi {
  tensor(values: number[] | number[][] | number[][][], shape?: number[]): unknown;
  lgamma: Unary;
  digamma: Unary;
  trigamma: Unary;
  polygamma(n: number, x: never): TensorLikeResult;
  log1pExp: Unary;
  softplus: Unary;
  logSigmoid: Unary;
  xlogy: Binary;
  logBeta: Binary;
  logSumExp(x: never, axis?: number | number[] | null, keepDims?: boolean): TensorLikeResult;
}

interface Fixture {
  unary: { x: number[]; lgamma: number[]; digamma: number[]; trigamma: number[]; polygamma2: number[]; polygamma3: number[] };
  logBeta: { a: number[]; b: number[]; value: number[] };
  xlogy: { x: number[]; y: number[]; value: number[] };
  log1pExp: { x: number[]; log1pExp: number[]; logSigmoid: number[] };
  logSumExp: { matrix: number[][]; rows: number[]; finiteRowsOfMatrix: number[]; colsOfFiniteRows: number[]; cube: number[][][]; cubeAxis02: number[]; cubeAll: number };
}

/** Indices where `actual` misses `expected` beyond the tolerance, with the worst error ratio. */
export function compareToReference(actual: ArrayLike<number>, expected: readonly number[], tol = SPECIAL_FUNCTION_TOLERANCE) {
  const bad: { index: number; actual: number; expected: number }[] = [];
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    const a = actual[i] as number;
    if (Number.isNaN(e) || !Number.isFinite(e)) {
      if (!Object.is(a, e) && !(Number.isNaN(e) && Number.isNaN(a))) bad.push({ index: i, actual: a, expected: e });
      continue;
    }
    const ratio = Math.abs(a - e) / (tol * Math.max(1, Math.abs(e)));
    if (!(ratio <= 1)) bad.push({ index: i, actual: a, expected: e });
    if (ratio > worst || Number.isNaN(ratio)) worst = ratio;
  }
  return { bad, worst };
}

function values(result: TensorLikeResult): Float32Array {
  const v = Float32Array.from(result.dataSync());
  result.dispose();
  return v;
}

export function describeSpecialFunctionAccuracy(api: SpecialFunctionApi, label = 'special functions'): void {
  const fx = loadFixture<Fixture>('special-functions');
  const T = (v: number[] | number[][] | number[][][], shape?: number[]) => api.tensor(v, shape) as never;
  const expectClose = (name: string, actual: Float32Array, expected: number[], inputs?: readonly number[]) => {
    const { bad, worst } = compareToReference(actual, expected);
    const detail = bad.slice(0, 5).map((b) => `${inputs ? `x=${inputs[b.index]} ` : `#${b.index} `}got ${b.actual} want ${b.expected}`);
    expect(detail, `${name}: ${bad.length} of ${expected.length} outside 1e-5·max(1,|ref|) (worst ratio ${worst.toFixed(3)})`).toEqual([]);
  };

  describe(`${label}: accuracy against scipy`, () => {
    const x = fx.unary.x;
    it(`lgamma on ${x.length} points in [1e-6, 1e7]`, () => expectClose('lgamma', values(api.lgamma(T(x))), fx.unary.lgamma, x));
    it('digamma', () => expectClose('digamma', values(api.digamma(T(x))), fx.unary.digamma, x));
    it('trigamma', () => expectClose('trigamma', values(api.trigamma(T(x))), fx.unary.trigamma, x));
    it('polygamma(1) equals trigamma, polygamma(0) equals digamma', () => {
      expectClose('polygamma(1)', values(api.polygamma(1, T(x))), fx.unary.trigamma, x);
      expectClose('polygamma(0)', values(api.polygamma(0, T(x))), fx.unary.digamma, x);
    });
    it('polygamma(2) and polygamma(3) (where finite in float32)', () => {
      const finite = (ref: number[]) => ref.map((v) => (Math.abs(v) < 3e38 ? v : Math.sign(v) * Infinity));
      expectClose('polygamma(2)', values(api.polygamma(2, T(x))), finite(fx.unary.polygamma2), x);
      expectClose('polygamma(3)', values(api.polygamma(3, T(x))), finite(fx.unary.polygamma3), x);
    });
    it(`logBeta on a ${fx.logBeta.a.length}-point grid of (a, b) in [1e-6, 1e7]^2`, () =>
      expectClose('logBeta', values(api.logBeta(T(fx.logBeta.a), T(fx.logBeta.b))), fx.logBeta.value));
    it('xlogy, including x = 0 with y = 0 or Infinity', () =>
      expectClose('xlogy', values(api.xlogy(T(fx.xlogy.x), T(fx.xlogy.y))), fx.xlogy.value));
    it('log1pExp / softplus and logSigmoid from -1e3 to 1e30', () => {
      const t = fx.log1pExp;
      expectClose('log1pExp', values(api.log1pExp(T(t.x))), t.log1pExp, t.x);
      expectClose('softplus', values(api.softplus(T(t.x))), t.log1pExp, t.x);
      expectClose('logSigmoid', values(api.logSigmoid(T(t.x))), t.logSigmoid, t.x);
    });
    it('logSumExp over rows (with a row of -Infinity), columns, several axes and all axes', () => {
      const t = fx.logSumExp;
      expectClose('logSumExp rows', values(api.logSumExp(T(t.matrix), 1)), t.rows);
      const finite = t.finiteRowsOfMatrix.map((r) => t.matrix[r] as number[]);
      expectClose('logSumExp cols', values(api.logSumExp(T(finite), 0)), t.colsOfFiniteRows);
      expectClose('logSumExp axes [0, 2]', values(api.logSumExp(T(t.cube), [0, 2])), t.cubeAxis02);
      expectClose('logSumExp all', values(api.logSumExp(T(t.cube))), [t.cubeAll]);
      const kept = api.logSumExp(T(t.cube), [0, 2], true);
      expect(kept.shape).toEqual([1, 4, 1]);
      kept.dispose();
    });
  });

  describe(`${label}: documented special values`, () => {
    it('x <= 0 gives NaN for lgamma, digamma, trigamma, polygamma (domain x > 0)', () => {
      for (const f of [api.lgamma, api.digamma, api.trigamma, (v: never) => api.polygamma(2, v)]) {
        const out = values(f(T([0, -0, -1, -2.5, -1e7, Number.NaN])));
        expect(Array.from(out).every(Number.isNaN)).toBe(true);
      }
    });
    it('x = +Infinity: lgamma and digamma give +Infinity, polygamma(n >= 1) gives 0', () => {
      expect(values(api.lgamma(T([Infinity])))[0]).toBe(Infinity);
      expect(values(api.digamma(T([Infinity])))[0]).toBe(Infinity);
      expect(values(api.trigamma(T([Infinity])))[0]).toBe(0);
      expect(values(api.polygamma(3, T([Infinity])))[0]).toBe(0);
    });
    it('softplus and logSigmoid saturate exactly and never overflow', () => {
      const sp = values(api.softplus(T([-1e4, 1e4, 3e38])));
      expect(sp[0]).toBe(0);
      expect(sp[1]).toBe(1e4);
      expect(sp[2]).toBeCloseTo(3e38, -32);
      const ls = values(api.logSigmoid(T([1e4, -1e4])));
      expect(ls[0]).toBeCloseTo(0, 10);
      expect(ls[1]).toBe(-1e4);
    });
    it('empty tensors pass through', () => {
      expect(values(api.lgamma(T([]))).length).toBe(0);
      expect(values(api.logSumExp(T([], [0, 3]), 1)).length).toBe(0);
    });
  });
}
