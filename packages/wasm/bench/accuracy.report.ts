// Part of `pnpm bench`: the accuracy margin of each special function, as the worst
// |ours - scipy| / (1e-5 · max(1, |scipy|)) over the fixture grids (1 = at the tolerance),
// for the portable JS kernels and the SIMD kernels, on both backends.
import { printTable } from '@vitae/bench-harness';
import { loadFixture } from '@vitae/fixtures/load';
import * as vt from '@vitae/tensor';
import { listArrayKernels } from '@vitae/tensor/kernels';
import { installWasmKernels } from '../src/index.js';

interface Fixture {
  unary: { x: number[]; lgamma: number[]; digamma: number[]; trigamma: number[]; polygamma2: number[] };
  logBeta: { a: number[]; b: number[]; value: number[] };
  xlogy: { x: number[]; y: number[]; value: number[] };
  log1pExp: { x: number[]; log1pExp: number[]; logSigmoid: number[] };
}
const fx = loadFixture<Fixture>('special-functions');

function worst(t: vt.Tensor, ref: number[]): number {
  const a = t.dataSync();
  t.dispose();
  let w = 0;
  ref.forEach((e, i) => {
    if (Number.isFinite(e)) w = Math.max(w, Math.abs((a[i] as number) - e) / (1e-5 * Math.max(1, Math.abs(e))));
    else if (!Object.is(a[i], e) && !(Number.isNaN(e) && Number.isNaN(a[i] as number))) w = Infinity;
  });
  return w;
}

const cases: [string, () => vt.Tensor, number[]][] = [
  ['lgamma', () => vt.lgamma(fx.unary.x), fx.unary.lgamma],
  ['digamma', () => vt.digamma(fx.unary.x), fx.unary.digamma],
  ['trigamma', () => vt.trigamma(fx.unary.x), fx.unary.trigamma],
  ['polygamma(2)', () => vt.polygamma(2, fx.unary.x), fx.unary.polygamma2.map((v) => (Math.abs(v) < 3e38 ? v : Math.sign(v) * Infinity))],
  ['logBeta', () => vt.logBeta(fx.logBeta.a, fx.logBeta.b), fx.logBeta.value],
  ['xlogy', () => vt.xlogy(fx.xlogy.x, fx.xlogy.y), fx.xlogy.value],
  ['softplus', () => vt.softplus(fx.log1pExp.x), fx.log1pExp.log1pExp],
  ['logSigmoid', () => vt.logSigmoid(fx.log1pExp.x), fx.log1pExp.logSigmoid],
];

// The JS kernels first (they are the implementations until the SIMD ones are installed), then
// the SIMD kernels, each on both backends.
const rows: Record<string, string>[] = cases.map(([name]) => ({ function: name }));
for (const provider of ['js', 'wasm-simd'] as const) {
  if (provider === 'wasm-simd') await installWasmKernels();
  for (const backend of ['wasm', 'cpu'] as const) {
    await vt.setBackend(backend);
    cases.forEach(([, run, ref], i) => {
      (rows[i] as Record<string, string>)[`${provider} on ${backend}`] = worst(run(), ref).toFixed(3);
    });
  }
}
console.log(`accuracy: worst |error| / (1e-5 · max(1, |scipy|)) over ${fx.unary.x.length} points in [1e-6, 1e7] (and the logBeta / xlogy / softplus grids); <= 1 passes`);
console.log(`providers now: ${[...new Set(listArrayKernels().map((k) => k.provider))].join(', ')}`);
printTable(rows);
