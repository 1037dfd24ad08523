// randomGamma as a reparameterized sample: unchanged draws, pathwise gradients in alpha.
import { describe, expect, it } from 'vitest';
import * as vt from '../index.js';
import { standardGammaGradScalar } from './gamma-grad.js';
import { GAMMA_STREAM_CHUNK, standardGammaScalar } from './gamma-sample.js';

function values(t: vt.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}
const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sdOf = (v: number[]) => {
  const m = meanOf(v);
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
};

const backend = process.env.VITAE_BACKEND;

describe(`randomGamma is differentiable in alpha (${backend} backend)`, () => {
  it('draws the same numbers as before it had a gradient (pinned)', () => {
    // Values of the sampler before this change, for the same seeds.
    expect(values(vt.randomGamma([6], vt.tensor([0.05, 0.5, 1, 3, 50, 2000]), { seed: 11 }))).toEqual([
      3.537965653777064e-8, 0.16933830082416534, 0.9432389736175537, 3.2543435096740723, 42.74137878417969, 2050.433349609375,
    ]);
    expect(values(vt.randomGamma([2, 3], [[0.3], [7]], { seed: 12 }))).toEqual([
      0.0011299630859866738, 0.0003709388547576964, 0.030613362789154053, 6.19382381439209, 8.21704387664795, 3.821953296661377,
    ]);
  });

  it('its StandardGammaSample kernel draws standardGammaScalar along one stream', () => {
    const alpha = [0.2, 1, 3.5, 0.9, 700, 1e-20];
    const prng = new vt.Prng(21);
    const want = alpha.map((a) => Math.fround(standardGammaScalar(prng, Math.fround(a)))); // alpha as float32, as the kernel reads it
    expect(values(vt.randomGamma([6], alpha, { seed: 21 }))).toEqual(want);
  });

  it('beyond GAMMA_STREAM_CHUNK elements, chunk c draws along the stream advanced by c jumps', () => {
    const n = 2 * GAMMA_STREAM_CHUNK + 100;
    const alpha = Array.from({ length: n }, (_, i) => [0.3, 1, 2.5, 0.05][i % 4] as number);
    const draws = values(vt.randomGamma([n], alpha, { seed: 8 }));
    const prng = new vt.Prng(8);
    const want: number[] = [];
    for (let c = 0; c < 3; c++) {
      const stream = vt.Prng.fromState(prng.state());
      for (let i = c * GAMMA_STREAM_CHUNK; i < Math.min(n, (c + 1) * GAMMA_STREAM_CHUNK); i++) want.push(Math.fround(standardGammaScalar(stream, Math.fround(alpha[i] as number))));
      prng.jump();
    }
    expect(draws).toEqual(want);
    // the first chunk is the stream itself: a shorter draw is a prefix
    expect(values(vt.randomGamma([GAMMA_STREAM_CHUNK], alpha.slice(0, GAMMA_STREAM_CHUNK), { seed: 8 }))).toEqual(draws.slice(0, GAMMA_STREAM_CHUNK));
  });

  it('a gradient pass returns the same draws as a plain call', () => {
    const alpha = vt.tensor([0.3, 2, 40]);
    const plain = values(vt.randomGamma([4, 3], alpha, { seed: 5 }));
    let inGradient: number[] = [];
    vt.grad((a: vt.Tensor) => {
      const draws = vt.randomGamma([4, 3], a, { seed: 5 });
      inGradient = Array.from(draws.dataSync());
      return vt.sum(draws);
    })(alpha).dispose();
    expect(inGradient).toEqual(plain);
    alpha.dispose();
  });

  it('the gradient is dy · dx/dalpha, summed over the draws each alpha produced', () => {
    const alpha = vt.tensor([0.4, 3]);
    const draws = values(vt.randomGamma([5, 2], alpha, { seed: 9 }));
    const weights = vt.tensor([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]);
    const g = values(vt.grad((a: vt.Tensor) => vt.sum(vt.mul(weights, vt.randomGamma([5, 2], a, { seed: 9 }))))(alpha));
    const expected = [0, 1].map((j) =>
      [0, 1, 2, 3, 4].reduce((s, i) => s + (2 * i + j + 1) * Math.fround(standardGammaGradScalar(draws[2 * i + j] as number, j === 0 ? 0.4 : 3)), 0),
    );
    expect(g[0]).toBeCloseTo(expected[0] as number, 4);
    expect(g[1]).toBeCloseTo(expected[1] as number, 4);
    vt.dispose([alpha, weights]);
  });

  it('reduces the gradient to the shape of alpha when alpha broadcasts', () => {
    const cases: [number[], number[]][] = [
      [[], [7]],
      [[2], [3, 2]],
      [[3, 1], [3, 4]],
      [[1, 4], [2, 3, 4]],
      [[2, 3], [2, 3]],
      [[2], [0, 2]],
      [[], [0]],
    ];
    for (const [alphaShape, shape] of cases) {
      const alpha = vt.add(vt.ones(alphaShape), 1);
      const g = vt.grad((a: vt.Tensor) => vt.sum(vt.randomGamma(shape, a, { seed: 1 })))(alpha);
      expect(g.shape).toEqual(alphaShape);
      const empty = shape.includes(0);
      expect(values(g).every((v) => (empty ? v === 0 : Number.isFinite(v) && v > 0))).toBe(true);
      alpha.dispose();
    }
  });

  it('works with a Variable and an optimizer step (variableGrads)', () => {
    const alpha = vt.variable(vt.tensor([1.5, 4]));
    const { value, grads } = vt.variableGrads(() => vt.mean(vt.randomGamma([1000, 2], alpha, { seed: 2 })) as vt.Scalar, [alpha]);
    const g = values(grads[alpha.name] as vt.Tensor);
    // d/dalpha_j mean over 2,000 draws = (1/2000) Σ_i dx_ij/dalpha_j ≈ 1000/2000
    expect(g[0]).toBeCloseTo(0.5, 1);
    expect(g[1]).toBeCloseTo(0.5, 1);
    value.dispose();
    alpha.dispose();
  });

  // Pathwise Monte Carlo checks with n = 200,000 draws at a fixed seed: E[x] = alpha and
  // E[x²] = alpha (alpha + 1), so d/dalpha E[x] = 1 and d/dalpha E[x²] = 2 alpha + 1. The
  // estimates are means of per-draw gradients; the tolerance is 5 standard errors of that mean.
  const n = 200_000;
  it.each([0.1, 1, 5, 50])('alpha = %s: d/dalpha E[x] = 1 and d/dalpha E[x^2] = 2 alpha + 1', (alpha) => {
    const alphas = vt.fill([n], alpha);
    const [g1, g2] = [1, 2].map((power) =>
      values(vt.grad((a: vt.Tensor) => vt.sum(vt.pow(vt.randomGamma([n], a, { seed: 21 }), power)))(alphas)),
    ) as [number[], number[]];
    const d1 = meanOf(g1);
    const d2 = meanOf(g2);
    expect(Math.abs(d1 - 1)).toBeLessThan((5 * sdOf(g1)) / Math.sqrt(n));
    expect(Math.abs(d2 - (2 * alpha + 1))).toBeLessThan((5 * sdOf(g2)) / Math.sqrt(n));
    // The same through a scalar alpha: the gradient of the mean is the mean of the gradients
    // (up to float32 summation over 200,000 terms).
    const scalar = vt.scalar(alpha);
    const [gs] = values(vt.grad((a: vt.Tensor) => vt.mean(vt.randomGamma([n], a, { seed: 21 })))(scalar));
    expect(Math.abs((gs as number) - d1)).toBeLessThan(1e-3);
    vt.dispose([alphas, scalar]);
  });

  it('a bad alpha still gets a clear error, also inside a gradient, and leaks nothing', () => {
    const before = vt.numTensors();
    expect(() => vt.randomGamma([3], [1, -1, 2], { seed: 1 })).toThrow(/randomGamma: argument 'alpha' must be finite and > 0, got -1 at index 1/);
    expect(() => vt.randomGamma([2], [1, 2, 3], { seed: 1 })).toThrow(/randomGamma: argument 'alpha' of shape \[3\] cannot be broadcast to \[2\]/);
    const alpha = vt.tensor([1, 0]);
    expect(() => vt.grad((a: vt.Tensor) => vt.sum(vt.randomGamma([2], a, { seed: 1 })))(alpha)).toThrow(/got 0 at index 1/);
    alpha.dispose();
    expect(vt.numTensors()).toBe(before);
  });

  it('second derivatives are refused with a clear error', () => {
    // (tfjs leaves the tensors of an aborted backward pass alive, so no leak check here.)
    const alpha = vt.scalar(2);
    expect(() => vt.grad(vt.grad((a: vt.Tensor) => vt.sum(vt.randomGamma([3], a, { seed: 1 }))))(alpha)).toThrow(
      /gradient function not found for VitaeStandardGammaGrad/,
    );
    alpha.dispose();
  });

  it('repeated draws and gradients leak no tensors', () => {
    const alpha = vt.tensor([[0.2], [2], [30]]);
    const before = vt.numTensors();
    const g = vt.grad((a: vt.Tensor) => vt.sum(vt.square(vt.randomGamma([3, 4], a, { seed: 3 }))));
    const vg = vt.valueAndGrad((a: vt.Tensor) => vt.mean(vt.randomGamma([3, 4], a, { seed: 4 })));
    for (let i = 0; i < 300; i++) {
      vt.randomGamma([3, 4], alpha, { seed: i }).dispose();
      vt.randomGamma([5], 1.5, { seed: i }).dispose();
      g(alpha).dispose();
      const { value, grad } = vg(alpha);
      vt.dispose([value, grad]);
    }
    expect(vt.numTensors()).toBe(before);
    alpha.dispose();
  });
});
