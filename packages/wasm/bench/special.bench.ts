// `pnpm bench` for @vitae/wasm: throughput of the special-function kernels on 1M float32 elements,
// side by side in one process (round-robin timing, medians of 21 rounds):
//   WASM-SIMD kernel          KernelModule on Float32Arrays (copy in, compute, copy out)
//   SIMD via tfjs op          vt.lgamma on the wasm backend (tensor allocation included)
//   JS kernel via tfjs op     the portable float64 JS kernel of @vitae/tensor, same op
//   composed stock tfjs ops   the function written with tfjs ops (bench/composed-ops.ts)
//   scalar JS loop            lgammaScalar over the array
//   PyTorch CPU               torch.lgamma / torch.digamma, when a python3 with torch is found
//                             (tooling/bench/torch_special.py; Debian: apt-get install python3-torch)
// Targets (issue 2): SIMD >= 4x composed ops, and >= 100 M elements/s.
import { execFileSync } from 'node:child_process';
import { compare, printTable } from '@vitae/bench-harness';
import * as vt from '@vitae/tensor';
import { SpecialKernel, digammaScalar, lgammaScalar, listArrayKernels, setArrayKernelImpl } from '@vitae/tensor/kernels';
import { installWasmKernels } from '../src/index.js';
import { digammaComposed, lgammaComposed } from './composed-ops.js';

import type { ArrayKernelImpl } from '@vitae/tensor/kernels';

const N = 1 << 20;
await vt.setBackend('wasm');
const kernels = await installWasmKernels();

// Inputs log-uniform in [1e-3, 1e3] (seeded).
const x = vt.tidy(() => vt.exp(vt.randomUniform([N], { seed: 1, low: Math.log(1e-3), high: Math.log(1e3) })));
const xs = x.dataSync() as Float32Array;
const out = new Float32Array(N);

const jsKernel = (f: (v: number) => number): ArrayKernelImpl => ({ inputs, outputs }) => {
  const a = inputs[0] as Float32Array;
  const o = outputs[0] as Float32Array;
  for (let i = 0; i < a.length; i++) o[i] = f(a[i] as number);
};

function run(op: (t: vt.Tensor) => vt.Tensor) {
  return () => {
    const y = op(x);
    y.dataSync();
    y.dispose();
  };
}

interface TorchTimes {
  torch: string;
  default_threads: number;
  [key: string]: number | string;
}
function torchReference(): TorchTimes | string {
  const script = new URL('../../../tooling/bench/torch_special.py', import.meta.url).pathname;
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      return JSON.parse(execFileSync(python, [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 120_000 })) as TorchTimes;
    } catch {
      // try the next interpreter
    }
  }
  return 'not measured: no python3 with torch found (Debian: apt-get install python3-torch)';
}
const torch = torchReference();

const rows: Record<string, string | number>[] = [];
const summary: string[] = [];
for (const [name, kernelName, scalar, composed, simdName] of [
  ['lgamma', SpecialKernel.Lgamma, lgammaScalar, lgammaComposed, 'lgamma'],
  ['digamma', SpecialKernel.Digamma, digammaScalar, digammaComposed, 'digamma'],
] as const) {
  const viaOp = name === 'lgamma' ? (t: vt.Tensor) => vt.lgamma(t) : (t: vt.Tensor) => vt.digamma(t);
  const jsThroughOp = () => {
    const restore = setArrayKernelImpl(kernelName, jsKernel(scalar), 'js');
    try {
      run(viaOp)();
    } finally {
      restore();
    }
  };
  const times = compare(
    {
      simdKernel: () => kernels.unary(simdName, xs, out),
      simdOp: run(viaOp),
      jsKernelOp: jsThroughOp,
      composed: run(composed),
      scalarLoop: () => {
        for (let i = 0; i < N; i++) out[i] = scalar(xs[i] as number);
      },
    },
    { warmup: 2, rounds: 21 },
  );
  const rate = (s: number) => (N / s / 1e6).toFixed(1);
  const label = {
    simdKernel: 'WASM-SIMD kernel (typed arrays)',
    simdOp: 'WASM-SIMD kernel via tfjs op',
    jsKernelOp: 'JS kernel via tfjs op',
    composed: 'composed stock tfjs ops',
    scalarLoop: 'scalar JS loop',
  } as const;
  for (const key of Object.keys(label) as (keyof typeof label)[]) {
    rows.push({ function: name, implementation: label[key], 'median ms': (times[key] * 1e3).toFixed(2), 'M elem/s': rate(times[key]), 'vs composed': (times.composed / times[key]).toFixed(2) + 'x' });
  }
  if (typeof torch === 'object') {
    const threads = torch.default_threads;
    const t = torch[`${name}_s_threads${threads}`] as number;
    rows.push({ function: name, implementation: `PyTorch ${torch.torch} CPU (${threads} thread${threads > 1 ? 's' : ''})`, 'median ms': (t * 1e3).toFixed(2), 'M elem/s': rate(t), 'vs composed': (times.composed / t).toFixed(2) + 'x' });
    summary.push(`${name}: SIMD kernel ${(t / times.simdKernel).toFixed(2)}x PyTorch CPU, SIMD op ${(t / times.simdOp).toFixed(2)}x PyTorch CPU`);
  }
  const speedup = times.composed / times.simdOp;
  const mps = N / times.simdKernel / 1e6;
  summary.push(`${name}: SIMD op ${speedup.toFixed(1)}x composed stock ops (target >= 4x: ${speedup >= 4 ? 'met' : 'MISSED'}); SIMD kernel ${mps.toFixed(0)} M elem/s (target >= 100: ${mps >= 100 ? 'met' : 'MISSED'})`);
}

console.log(`special-function throughput, ${N} float32 elements, inputs log-uniform in [1e-3, 1e3], wasm backend, median of 21 round-robin rounds`);
if (typeof torch === 'string') console.log(`PyTorch: ${torch}`);
console.log(`kernel providers: ${[...new Set(listArrayKernels().map((k) => k.provider))].join(', ')}`);
printTable(rows);
console.log('');
for (const line of summary) console.log(line);
x.dispose();
