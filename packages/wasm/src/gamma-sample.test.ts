// randomGamma's draws in WASM (assembly/gamma-sample.ts) against @vitae/tensor's JavaScript
// loop: the same float32 bits, along the same Prng stream. On the wasm backend the kernel runs
// in place on tfjs' heap, on the cpu backend it copies through the module's own memory in chunks
// (the suite runs on both). The module's log and pow are fdlibm's, as V8's Math.log / Math.pow:
// checked bit for bit on the sampler's argument ranges.
import * as t from '@vitae/tensor';
import { RandomKernel, arrayKernelProvider, setArrayKernelImpl, standardGammaSampleJs } from '@vitae/tensor/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { GammaSampleModule } from './gamma-sample-module.js';
import { WASM_SIMD_PROVIDER, installWasmKernels } from './index.js';

import type { StandardGammaSampleAttrs } from '@vitae/tensor/kernels';

let gamma: GammaSampleModule;
beforeAll(async () => {
  await installWasmKernels();
  gamma = await GammaSampleModule.load();
});

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : a.length;
}

/** Concentrations from 1e-30 to 1e4 (log-uniform), with the edges of the two branches (alpha < 1, >= 1). */
function concentrations(n: number, seed: number): Float32Array {
  const prng = new t.Prng(seed);
  const edges = [1e-30, 1e-10, 4e-10, 0.01, 0.5, Math.fround(1 - 2 ** -24), 1, 1 + 2 ** -23, 2, 1e4];
  return Float32Array.from({ length: n }, (_, i) => edges[i] ?? Math.exp(-69 + 78 * prng.nextDouble()));
}

describe(`randomGamma's draws in WASM (${process.env.VITAE_BACKEND} backend)`, () => {
  it('log and pow give the bits of Math.log and Math.pow', () => {
    const prng = new t.Prng(3);
    let badLog = -1;
    let badPow = -1;
    for (let i = 0; i < 200_000 && badLog < 0 && badPow < 0; i++) {
      const u = prng.nextDouble();
      // log: uniforms (the polar method's s, the rejection test's u), cubes near 1 (v), subnormals, wide
      const x = [u, Math.pow(1 + (u - 0.5) * 0.1, 3), u * 1e-310, Math.exp((u - 0.5) * 1400)][i % 4] as number;
      if (!Object.is(gamma.log(x), Math.log(x))) badLog = x;
      // pow: U^(1/alpha) for alpha in (0, 1) (down to float32's smallest), and a few other exponents
      const y = i % 8 === 7 ? (prng.nextDouble() - 0.5) * 40 : 1 / Math.fround(Math.exp(-100 * prng.nextDouble() ** 2));
      if (!Object.is(gamma.pow(u, y), Math.pow(u, y))) badPow = u;
    }
    expect(badLog, `log(${badLog})`).toBe(-1);
    expect(badPow, `pow(${badPow}, …)`).toBe(-1);
    for (const [x, y] of [[0, 2.5], [1, 1e9], [0.5, 0], [0.5, Infinity], [2, -Infinity], [Infinity, 0.5], [0.25, 0.5], [3, -1], [1e-300, 1e10], [0.999999, 3e9]] as const) {
      expect(Object.is(gamma.pow(x, y), Math.pow(x, y)), `pow(${x}, ${y})`).toBe(true);
    }
    for (const x of [0, -1, Infinity, NaN, 1, 5e-324, 1.7976931348623157e308]) expect(Object.is(gamma.log(x), Math.log(x)), `log(${x})`).toBe(true);
  });

  it('draws the bits of the JavaScript loop, across chunks of the copying path', () => {
    const alphas = concentrations(40_000, 1);
    for (const seed of [0, 7, 2 ** 40 + 3]) {
      const state = new t.Prng(seed).state();
      const want = new Float32Array(alphas.length);
      standardGammaSampleJs(state, alphas, want);
      const got = new Float32Array(alphas.length);
      gamma.draws(state, alphas, got);
      const i = firstDifference(got, want);
      expect(i, `seed ${seed}, index ${i}: alpha ${alphas[i]}, ${got[i]} vs ${want[i]}`).toBe(-1);
    }
  });

  it('is the StandardGammaSample kernel: randomGamma gives the JavaScript draws, no tensors left', () => {
    expect(arrayKernelProvider(RandomKernel.StandardGammaSample)).toBe(WASM_SIMD_PROVIDER);
    const alpha = t.tensor(concentrations(20_000, 2), [100, 200]);
    const before = t.memory().numTensors;
    const wasmDraws = t.randomGamma([2, 100, 200], alpha, { seed: 5 });
    const fromWasm = wasmDraws.dataSync().slice();
    wasmDraws.dispose();
    expect(t.memory().numTensors).toBe(before);
    const restore = setArrayKernelImpl<StandardGammaSampleAttrs>(
      RandomKernel.StandardGammaSample,
      ({ inputs, outputs, attrs }) => standardGammaSampleJs(attrs.state, inputs[0] as Float32Array, outputs[0] as Float32Array),
      'js',
    );
    try {
      const jsDraws = t.randomGamma([2, 100, 200], alpha, { seed: 5 });
      const i = firstDifference(fromWasm, jsDraws.dataSync());
      expect(i, `index ${i}`).toBe(-1);
      jsDraws.dispose();
    } finally {
      restore();
      alpha.dispose();
    }
  });

  it('names the argument it rejects', () => {
    const a = new Float32Array(3).fill(1);
    expect(() => gamma.draws([1, 2, 3], a, new Float32Array(3))).toThrow(/argument 'state' must be four integer words/);
    expect(() => gamma.draws([1, 2, 3, 4], a, new Float32Array(2))).toThrow(/argument 'out' must have the length of 'alphas' \(3\), got 2/);
  });
});
