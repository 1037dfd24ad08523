// Part of `pnpm bench`: one Adam step (scvi-tools' settings: lr 1e-3, eps 0.01, L2 1e-6) over
// scVI's parameters (2,000 genes, default architecture: 17 tensors, 778,628 floats), side by side
// in one process (round-robin, medians of 21 rounds), on each backend:
//   simd               the kernel as installed: on the wasm backend it runs in place on tfjs'
//                      heap, on the cpu backend it copies through its own memory
//   simd, copying      the same kernel given no heap, so it copies on both backends
//   js                 the kernel's portable JS implementation (a Math.fround loop)
//   composed           composedAdamUpdate: the ~10 stock ops per parameter Adam ran before
// Each step assigns the results to the parameter and its moment variables, as Adam.step does.
import { compare, printTable } from '@vitae/bench-harness';
import * as vt from '@vitae/tensor';
import { OptimizerKernel, adamUpdateJs, composedAdamUpdate, runArrayKernel, setArrayKernelImpl } from '@vitae/tensor/kernels';
import { AdamModule } from '../src/adam-module.js';
import { installWasmKernels } from '../src/index.js';

import type { AdamUpdateAttrs, ArrayKernelImpl } from '@vitae/tensor/kernels';

const SHAPES = [[2000], [2000, 128], [128], [128], [128], [128, 10], [10], [128, 10], [10], [10, 128], [128], [128], [128], [128, 2000], [2000], [128, 2000], [2000]];
const ROUNDS = Number(process.env.VITAE_BENCH_ROUNDS ?? 21);

/** `run` with `impl` as the kernel's implementation (restored afterwards). */
function withImpl(impl: ArrayKernelImpl<AdamUpdateAttrs>, provider: string, run: () => void) {
  return () => {
    const restore = setArrayKernelImpl(OptimizerKernel.AdamUpdate, impl, provider);
    try {
      run();
    } finally {
      restore();
    }
  };
}

async function bench(backend: 'wasm' | 'cpu') {
  await vt.setBackend(backend);
  await installWasmKernels();
  const params = SHAPES.map((s, i) => vt.variable(vt.tidy(() => vt.mul(vt.randomNormal(s, { seed: i }), 0.1))));
  const grads = SHAPES.map((s, i) => vt.tidy(() => vt.mul(vt.randomNormal(s, { seed: 100 + i }), 0.01)));
  const ms = params.map((p) => vt.variable(vt.zerosLike(p)));
  const vs = params.map((p) => vt.variable(vt.zerosLike(p)));
  let step = 0;
  const optimizerStep = (update: (i: number, attrs: AdamUpdateAttrs) => vt.Tensor[]) => () => {
    step += 1;
    const attrs = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 0.01, weightDecay: 1e-6, decoupled: false, step };
    vt.tidy(() => {
      params.forEach((p, i) => {
        const [p1, m1, v1] = update(i, attrs) as [vt.Tensor, vt.Tensor, vt.Tensor];
        (ms[i] as vt.Variable).assign(m1);
        (vs[i] as vt.Variable).assign(v1);
        p.assign(p1);
      });
    });
    params[0]?.dataSync(); // synchronous on both backends; this makes sure
  };
  const kernel = optimizerStep((i, attrs) => runArrayKernel(OptimizerKernel.AdamUpdate, { param: params[i] as vt.Tensor, grad: grads[i] as vt.Tensor, expAvg: ms[i] as vt.Tensor, expAvgSq: vs[i] as vt.Tensor }, attrs) as vt.Tensor[]);
  const composed = optimizerStep((i, attrs) => composedAdamUpdate(params[i] as vt.Tensor, grads[i] as vt.Tensor, ms[i] as vt.Tensor, vs[i] as vt.Tensor, undefined, attrs));
  const times = compare(
    {
      simd: kernel,
      'simd, copying': withImpl(copying, 'wasm-simd, copying', kernel),
      js: withImpl(adamUpdateJs, 'js', kernel),
      composed,
    },
    { warmup: 3, rounds: ROUNDS },
  );
  vt.dispose([...params, ...grads, ...ms, ...vs]);
  return times;
}

// the SIMD kernel given no heap: it copies the arrays through its own memory
const adam = await AdamModule.load();
const copying: ArrayKernelImpl<AdamUpdateAttrs> = ({ inputs, outputs, attrs }) => adam.update(inputs as Float32Array[], outputs as Float32Array[], attrs);

const n = SHAPES.reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0);
console.log(`Adam step over scVI's ${SHAPES.length} parameter tensors (${n} floats), median ms of ${ROUNDS} round-robin rounds`);
for (const backend of ['wasm', 'cpu'] as const) {
  const t = await bench(backend);
  printTable(
    (Object.keys(t) as (keyof typeof t)[]).map((k) => ({ backend, implementation: k, 'median ms': (t[k] * 1e3).toFixed(2), 'vs composed': (t.composed / t[k]).toFixed(2) + 'x' })),
  );
}
