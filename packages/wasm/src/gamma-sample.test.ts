// randomGamma's draws in WASM (assembly/gamma-sample.ts) against @vitae/tensor's JavaScript
// loop: the same float32 bits, along the same Prng stream. On the wasm backend the kernel runs
// in place on tfjs' heap, on the cpu backend it copies through the module's own memory in chunks
// (the suite runs on both). The module's log and exp are fdlibm's, as V8's Math.log / Math.exp:
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
  it('log and exp give the bits of Math.log and Math.exp', () => {
    const prng = new t.Prng(3);
    let badLog = -1;
    let badExp = -1;
    for (let i = 0; i < 200_000 && badLog < 0 && badExp < 0; i++) {
      const u = prng.nextDouble();
      // log: uniforms (the polar method's s, the rejection test's u), cubes near 1 (v), subnormals, wide
      const x = [u, Math.pow(1 + (u - 0.5) * 0.1, 3), u * 1e-310, Math.exp((u - 0.5) * 1400)][i % 4] as number;
      if (!Object.is(gamma.log(x), Math.log(x))) badLog = x;
      // exp: log(U) / alpha for alpha in (0, 1) (down to float32's smallest), which reaches underflow, and both signs over the whole range
      const alpha = Math.fround(Math.exp(-100 * prng.nextDouble() ** 2));
      const y = i % 8 === 7 ? (prng.nextDouble() - 0.5) * 1500 : Math.log(u) / alpha;
      if (!Object.is(gamma.exp(y), Math.exp(y))) badExp = y;
    }
    expect(badLog, `log(${badLog})`).toBe(-1);
    expect(badExp, `exp(${badExp})`).toBe(-1);
    const edges = [0, -0, 1, -1, 0.5 * Math.LN2, 1.5 * Math.LN2, -1.5 * Math.LN2, 2 ** -28, -(2 ** -30), 709.782712893384, 709.79, -745.1332191019411, -745.2, -708.5, -1022 * Math.LN2, Infinity, -Infinity, NaN];
    for (const x of edges) expect(Object.is(gamma.exp(x), Math.exp(x)), `exp(${x})`).toBe(true);
    for (const x of [0, -1, Infinity, NaN, 1, 5e-324, 1.7976931348623157e308]) expect(Object.is(gamma.log(x), Math.log(x)), `log(${x})`).toBe(true);
  });

  it('draws the same bits on two threads as on one (through the own memory), also when a worker stops answering', async () => {
    // 70,000 elements: above the threaded size, 18 substreams, the last one short
    const alphas = concentrations(70_000, 4);
    const state = new t.Prng(12).state();
    const want = new Float32Array(alphas.length);
    standardGammaSampleJs(state, alphas, want);
    const single = await GammaSampleModule.load(1);
    const two = await GammaSampleModule.load(2);
    try {
      expect(single.threads).toBe(1);
      expect(two.threads).toBe(2);
      for (const module of [single, two]) {
        const got = new Float32Array(alphas.length);
        module.draws(state, alphas, got);
        const i = firstDifference(got, want);
        expect(i, `${module.threads} threads, index ${i}: alpha ${alphas[i]}, ${got[i]} vs ${want[i]}`).toBe(-1);
      }
      // a worker that stops answering: its substreams are drawn here, with the same bits
      const set = (two as unknown as { pool: { workers: { workers: Array<{ terminate(): void }> } } }).pool.workers;
      (set.workers[0] as { terminate(): void }).terminate();
      await new Promise((resolve) => setTimeout(resolve, 200));
      (two as unknown as { pool: { workers: { jobTimeoutMs: number } } }).pool.workers.jobTimeoutMs = 300;
      const got = new Float32Array(alphas.length);
      two.draws(state, alphas, got);
      expect(firstDifference(got, want)).toBe(-1);
      expect(two.threads).toBe(1);
    } finally {
      await two.setThreads(1);
    }
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

  it('is the StandardGammaSample kernel: randomGamma gives the JavaScript draws (80,000: on all threads, in place on the wasm backend), no tensors left', () => {
    expect(arrayKernelProvider(RandomKernel.StandardGammaSample)).toBe(WASM_SIMD_PROVIDER);
    const alpha = t.tensor(concentrations(40_000, 2), [200, 200]);
    const before = t.memory().numTensors;
    const wasmDraws = t.randomGamma([2, 200, 200], alpha, { seed: 5 });
    const fromWasm = wasmDraws.dataSync().slice();
    wasmDraws.dispose();
    expect(t.memory().numTensors).toBe(before);
    const restore = setArrayKernelImpl<StandardGammaSampleAttrs>(
      RandomKernel.StandardGammaSample,
      ({ inputs, outputs, attrs }) => standardGammaSampleJs(attrs.state, inputs[0] as Float32Array, outputs[0] as Float32Array),
      'js',
    );
    try {
      const jsDraws = t.randomGamma([2, 200, 200], alpha, { seed: 5 });
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
