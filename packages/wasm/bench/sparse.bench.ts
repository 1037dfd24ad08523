// Part of `pnpm bench`: scVI's first encoder layer on one minibatch, log1p(x) · W with x
// [128 cells, 2000 genes] at pbmc3k's density (9.3 % stored) and W [2000, 128], side by side in
// one process (round-robin, medians of 21 rounds), on each backend:
//   dense              x densified (a tensor from the dense rows), log1p, matMul — what scVI ran
//                      before; the gradient in W is tfjs' (explicitly transposed) xᵀ · dy
//   csrMatMul simd     the CSR rows' values log1p'd in JS, csrMatMul with the SIMD kernels as
//                      installed (in place on tfjs' heap on the wasm backend, copying on cpu)
//   csrMatMul js       the same op with @vitae/tensor's portable JS kernels
// 'forward' is the product alone; 'forward + gradient' adds the gradient in W under
// variableGrads, with the gradient of the rest of the network stood in for by a fixed dy.
import { compare, printTable } from '@vitae/bench-harness';
import * as vt from '@vitae/tensor';
import { SparseKernel, csrMatMulJs, csrTransposeMatMulJs, setArrayKernelImpl } from '@vitae/tensor/kernels';
import { installWasmKernels } from '../src/index.js';

import type { CsrInput } from '@vitae/tensor';

const ROUNDS = Number(process.env.VITAE_BENCH_ROUNDS ?? 21);
const [ROWS, GENES, HIDDEN, DENSITY] = [128, 2000, 128, 0.093];

/** A count-like CSR minibatch: each entry stored with probability DENSITY, counts 1–30. */
function minibatch(seed: number): CsrInput & { data: Float32Array } {
  let s = seed;
  const u = () => (s = (s * 48271) % 2147483647) / 2147483647;
  const data: number[] = [];
  const indices: number[] = [];
  const indptr = [0];
  for (let i = 0; i < ROWS; i++) {
    for (let j = 0; j < GENES; j++) {
      if (u() >= DENSITY) continue;
      indices.push(j);
      data.push(1 + Math.floor(30 * u() * u()));
    }
    indptr.push(indices.length);
  }
  return { nRows: ROWS, nCols: GENES, data: Float32Array.from(data), indices: Int32Array.from(indices), indptr: Int32Array.from(indptr) };
}

/** `run` with the JS kernels as the implementations (restored afterwards). */
function withJsKernels(run: () => void) {
  return () => {
    const restore = [setArrayKernelImpl(SparseKernel.CsrMatMul, csrMatMulJs, 'js'), setArrayKernelImpl(SparseKernel.CsrTransposeMatMul, csrTransposeMatMulJs, 'js')];
    try {
      run();
    } finally {
      restore.forEach((r) => r());
    }
  };
}

async function bench(backend: 'wasm' | 'cpu') {
  await vt.setBackend(backend);
  await installWasmKernels();
  const x = minibatch(7);
  const w = vt.variable(vt.tidy(() => vt.mul(vt.randomNormal([GENES, HIDDEN], { seed: 1 }), 0.02)));
  const dy = vt.randomNormal([ROWS, HIDDEN], { seed: 2 });
  const denseLayer = () => vt.matMul(vt.log1p(vt.csrToDense(x)), w);
  const sparseLayer = () => vt.csrMatMul({ ...x, data: x.data.map(Math.log1p) }, w);
  const forward = (layer: () => vt.Tensor) => () => vt.tidy(() => layer().dataSync());
  const withGradient = (layer: () => vt.Tensor) => () =>
    vt.tidy(() => {
      const { grads } = vt.variableGrads(() => vt.sum(vt.mul(layer(), dy)) as vt.Scalar, [w]);
      (grads[w.name] as vt.Tensor).dataSync();
    });
  const times = compare(
    {
      'dense, forward': forward(denseLayer),
      'csrMatMul simd, forward': forward(sparseLayer),
      'csrMatMul js, forward': withJsKernels(forward(sparseLayer)),
      'dense, forward + gradient': withGradient(denseLayer),
      'csrMatMul simd, forward + gradient': withGradient(sparseLayer),
      'csrMatMul js, forward + gradient': withJsKernels(withGradient(sparseLayer)),
    },
    { warmup: 3, rounds: ROUNDS },
  );
  vt.dispose([w, dy]);
  return times;
}

console.log(`log1p(x) · W, x [${ROWS}, ${GENES}] at ${DENSITY * 100} % stored, W [${GENES}, ${HIDDEN}]: median ms of ${ROUNDS} round-robin rounds`);
for (const backend of ['wasm', 'cpu'] as const) {
  const t = await bench(backend);
  printTable(
    (Object.keys(t) as (keyof typeof t)[]).map((k) => {
      const dense = k.endsWith('forward') ? t['dense, forward'] : t['dense, forward + gradient'];
      return { backend, implementation: k, 'median ms': (t[k] * 1e3).toFixed(2), 'vs dense': `${(dense / t[k]).toFixed(2)}x` };
    }),
  );
}
