// Part of `pnpm bench`: the ZINB log-likelihood of one scVI minibatch, [128 cells, 2005 genes]
// (theta per gene, mu and pi per element, counts ~70 % zeros), on the wasm backend, side by side
// in one process (round-robin, medians of 21 rounds):
//   value + gradient   Σ log p under variableGrads in mu, theta, pi: one training step's work
//   value              the same sum, no gradient tape (evaluation)
// for the fused op with the SIMD kernel, the fused op with the portable JS kernel, and scvi-tools'
// formula composed of ops (composedLogZinb of @vitae/tensor/kernels, what @vitae/distributions ran before). One more
// row passes theta already broadcast to [128, 2005] (as the distribution classes hold it): the
// difference is the cost of tfjs' broadcastTo and its gradient, not of the kernel.
import { compare, printTable } from '@vitae/bench-harness';
import * as vt from '@vitae/tensor';
import { LikelihoodKernel, countLikelihoodJs, setArrayKernelImpl } from '@vitae/tensor/kernels';
import { scviLike } from '../test/count-likelihood-grid.js';
import { installWasmKernels } from '../src/index.js';
import { composedLogZinb } from '@vitae/tensor/kernels';

const ROWS = 128;
const GENES = 2005;
await vt.setBackend('wasm');
await installWasmKernels();

const data = scviLike(ROWS, GENES);
const x = vt.tensor(data.x, [ROWS, GENES]);
const mu = vt.variable(vt.tensor(data.mu, [ROWS, GENES]));
const theta = vt.variable(vt.tensor(data.theta));
const pi = vt.variable(vt.tensor(data.pi, [ROWS, GENES]));
const zeros = data.x.filter((v) => v === 0).length / data.x.length;

type Loglik = () => vt.Tensor;
const fused: Loglik = () => vt.logZinb(x, mu, theta, pi);
const fusedBroadcast: Loglik = () => vt.logZinb(x, mu, vt.broadcastTo(theta, [ROWS, GENES]), pi);
const composed: Loglik = () => composedLogZinb(x, mu, theta, pi);

function valueAndGradient(f: Loglik) {
  return () => {
    const { value, grads } = vt.variableGrads(() => vt.sum(f()) as vt.Scalar, [mu, theta, pi]);
    value.dataSync();
    for (const g of Object.values(grads)) g.dataSync();
    vt.dispose([value, ...Object.values(grads)]);
  };
}

function valueOnly(f: Loglik) {
  return () => {
    const v = vt.tidy(() => vt.sum(f()));
    v.dataSync();
    v.dispose();
  };
}

/** `run` with the portable JS kernel in place of the SIMD one. */
function withJsKernel(run: () => void) {
  return () => {
    const restore = setArrayKernelImpl(LikelihoodKernel.LogZinb, countLikelihoodJs, 'js');
    try {
      run();
    } finally {
      restore();
    }
  };
}

const times = compare(
  {
    fusedGrad: valueAndGradient(fused),
    jsGrad: withJsKernel(valueAndGradient(fused)),
    broadcastGrad: valueAndGradient(fusedBroadcast),
    composedGrad: valueAndGradient(composed),
    fusedValue: valueOnly(fused),
    jsValue: withJsKernel(valueOnly(fused)),
    composedValue: valueOnly(composed),
  },
  { warmup: 3, rounds: 21 },
);
const label = {
  fusedGrad: ['value + gradient', 'fused op, WASM-SIMD kernel'],
  jsGrad: ['value + gradient', 'fused op, JS kernel (float64)'],
  broadcastGrad: ['value + gradient', 'fused op (SIMD), theta broadcastTo [128, 2005] first'],
  composedGrad: ['value + gradient', 'composed stock ops'],
  fusedValue: ['value', 'fused op, WASM-SIMD kernel'],
  jsValue: ['value', 'fused op, JS kernel (float64)'],
  composedValue: ['value', 'composed stock ops'],
} as const;
const rows = (Object.keys(label) as (keyof typeof label)[]).map((key) => ({
  work: label[key][0],
  implementation: label[key][1],
  'median ms': (times[key] * 1e3).toFixed(2),
  'vs composed': ((key.endsWith('Grad') ? times.composedGrad : times.composedValue) / times[key]).toFixed(2) + 'x',
}));

console.log(`ZINB log-likelihood, [${ROWS}, ${GENES}] (theta [${GENES}]), ${(zeros * 100).toFixed(0)} % zero counts, wasm backend, median of 21 round-robin rounds`);
printTable(rows);
console.log('');
console.log(`value + gradient: fused ${(times.composedGrad / times.fusedGrad).toFixed(2)}x faster than composed ops; value: ${(times.composedValue / times.fusedValue).toFixed(2)}x`);
vt.dispose([x, mu, theta, pi]);
