// Part of `pnpm bench`: how far the fused NB / ZINB ops (value and gradients in mu, theta, pi)
// are from scvi-tools' formula composed of ops (what they replace) and from the same formula in
// float64, for the portable JS kernel and the SIMD kernel, on both backends. Inputs: the
// edge-case grid of the tests (x = 0 … 1e4, theta 1e-4 … 1e5, mu = 0 … 3e3, pi = ±30) and
// scVI-like data [128, 2005]. Errors: the largest |fused − reference| and the largest
// |fused − reference| / max(1, |reference|).
import { printTable } from '@vitae/bench-harness';
import * as vt from '@vitae/tensor';
import { LikelihoodKernel, countLikelihoodJs, countLikelihoodScalar, setArrayKernelImpl } from '@vitae/tensor/kernels';
import { edgeGrid, scviLike } from '../test/count-likelihood-grid.js';
import { installWasmKernels } from '../src/index.js';
import { composedLogNb, composedLogZinb } from '@vitae/tensor/kernels';

import type { CountInputs } from '../test/count-likelihood-grid.js';

const KEYS = ['value', 'd/dmu', 'd/dtheta', 'd/dpi'] as const;

/** Value and gradients of Σ f in mu, theta, pi, as arrays (theta [G] gets its own full-shape copy, so gradients are per element). */
function evaluate(inp: CountInputs, shape: number[], zi: boolean, fused: boolean): Float32Array[] {
  const full = (a: Float32Array) => vt.tidy(() => vt.broadcastTo(vt.reshape(vt.tensor(a), a.length === inp.x.length ? shape : [a.length]), shape));
  const [x, mu, theta, pi] = [inp.x, inp.mu, inp.theta, inp.pi].map(full) as [vt.Tensor, vt.Tensor, vt.Tensor, vt.Tensor];
  const f = (m: vt.Tensor, t: vt.Tensor, p: vt.Tensor) => {
    if (zi) return fused ? vt.logZinb(x, m, t, p) : composedLogZinb(x, m, t, p);
    return vt.add(fused ? vt.logNb(x, m, t) : composedLogNb(x, m, t), vt.mul(p, 0));
  };
  const value = vt.tidy(() => f(mu, theta, pi));
  const grads = vt.grads((m: vt.Tensor, t: vt.Tensor, p: vt.Tensor) => f(m, t, p))([mu, theta, pi]);
  const out = [value, ...grads].map((t) => t.dataSync() as Float32Array);
  vt.dispose([x, mu, theta, pi, value, ...grads]);
  return zi ? out : out.slice(0, 3);
}

function float64(inp: CountInputs, zi: boolean): Float64Array[] {
  const n = inp.x.length;
  const out = [0, 1, 2, 3].map(() => new Float64Array(n));
  const r = new Float64Array(4);
  const at = (a: Float32Array, i: number) => a[i % a.length] as number;
  for (let i = 0; i < n; i++) {
    countLikelihoodScalar(r, true, at(inp.x, i), at(inp.mu, i), at(inp.theta, i), zi ? at(inp.pi, i) : null, 1e-8);
    out.forEach((o, k) => (o[i] = r[k] as number));
  }
  return out;
}

function errors(got: Float32Array, want: ArrayLike<number>): [number, number] {
  let abs = 0;
  let rel = 0;
  for (let i = 0; i < got.length; i++) {
    const d = Math.abs((got[i] as number) - (want[i] as number));
    abs = Math.max(abs, d);
    rel = Math.max(rel, d / Math.max(1, Math.abs(want[i] as number)));
  }
  return [abs, rel];
}

const fmt = ([abs, rel]: [number, number]) => `${abs.toExponential(1)} / ${rel.toExponential(1)}`;
const inputs: [string, CountInputs, number[]][] = [
  ['edge grid (625)', edgeGrid(), [625]],
  ['scVI-like [128, 2005]', scviLike(128, 2005), [128, 2005]],
];

const rows: Record<string, string>[] = [];
for (const provider of ['js', 'wasm-simd'] as const) {
  const restore = provider === 'js' ? [setArrayKernelImpl(LikelihoodKernel.LogNb, countLikelihoodJs, 'js'), setArrayKernelImpl(LikelihoodKernel.LogZinb, countLikelihoodJs, 'js')] : [];
  for (const backend of ['wasm', 'cpu'] as const) {
    await vt.setBackend(backend);
    if (provider === 'wasm-simd') await installWasmKernels();
    for (const [name, inp, shape] of inputs) {
      for (const zi of [false, true]) {
        const fused = evaluate(inp, shape, zi, true);
        const composed = evaluate(inp, shape, zi, false);
        const exact = float64(inp, zi);
        fused.forEach((g, k) => {
          rows.push({
            kernel: `${provider} on ${backend}`,
            inputs: name,
            op: zi ? 'logZinb' : 'logNb',
            output: KEYS[k] as string,
            'vs composed (abs / rel)': fmt(errors(g, composed[k] as Float32Array)),
            'vs float64 (abs / rel)': fmt(errors(g, exact[k] as Float64Array)),
            'composed vs float64': fmt(errors(composed[k] as Float32Array, exact[k] as Float64Array)),
          });
        });
      }
    }
  }
  for (const r of restore) r();
}
console.log('count likelihoods: largest |error| and largest |error| / max(1, |reference|), fused ops against the composed ops and float64');
printTable(rows);
