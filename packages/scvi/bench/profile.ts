// `pnpm bench:profile` for @vitae/scvi: where one scVI training step's time goes (pbmc3k, 2,000
// HVGs, batch 128, wasm backend, scvi-tools' default architecture, ZINB).
//
// The minibatch goes in as SCVI.train passes it: sparse CSR rows (sparseMinibatch; the encoder
// multiplies them directly, the loss densifies them for the likelihood). VITAE_SCVI_INPUT=dense
// profiles the densified minibatch instead (minibatch(), as before the sparse input).
//
// Phases, each a median over the rounds, measured separately on the same minibatches:
//   data       the minibatch gathered from the sparse counts (densified and made a tensor when dense)
//   forward    the loss without a gradient tape
//   backward   (forward + gradients under the tape) − forward
//   optimizer  Adam's update of every parameter
// Kernels: tfjs' profiler over a few plain training steps, each kernel's time summed per name and input shapes.
// Ops that run other kernels inside one tape node (the fused likelihood's op) are listed apart,
// since their time includes the kernels they run.
import { pbmc3k } from '@vitae/datasets';
import { median, printTable } from '@vitae/bench-harness';
import { Adam } from '@vitae/inference';
import * as t from '@vitae/tensor';
import '@vitae/wasm/register';
import { SCVIModule, minibatch, sparseMinibatch } from '../src/index.js';

import type { CsrMatrix } from '@vitae/anndata';

const BATCH = 128;
const ROUNDS = Number(process.env.VITAE_BENCH_ROUNDS ?? 20);
const PROFILED_STEPS = 5;
const INPUT = process.env.VITAE_SCVI_INPUT ?? 'sparse';
if (INPUT !== 'sparse' && INPUT !== 'dense') throw new Error(`VITAE_SCVI_INPUT must be 'sparse' or 'dense', got '${INPUT}'`);

await t.setBackend('wasm');
await t.ready();
const adata = await pbmc3k({ hvgOnly: true });
const counts = adata.X as CsrMatrix;
console.log(`scVI step profile: pbmc3k ${counts.nRows} cells × ${counts.nCols} genes (${(100 * counts.density).toFixed(1)} % stored), batch ${BATCH}, ${INPUT} input, wasm backend, ${ROUNDS} rounds`);

const prng = new t.Prng(1);
const nextRows = () => Int32Array.from({ length: BATCH }, () => Math.floor(prng.nextDouble() * counts.nRows));
const module = new SCVIModule({ nInput: counts.nCols, seed: 0 }).train();
const optimizer = new Adam(module.parameters(), { lr: 1e-3, eps: 0.01, weightDecay: 1e-6 });
let call = 0;

const now = () => performance.now();
type Batch = ReturnType<typeof minibatch> | ReturnType<typeof sparseMinibatch>;
const batchOf = (rows: Int32Array): Batch => (INPUT === 'dense' ? minibatch(counts, rows) : sparseMinibatch(counts, rows));
const lossOf = (mb: Batch) => module.loss(mb.x, mb.batchIndex, { seed: call, klWeight: 0.5 }).loss as t.Scalar;

/** One training step, timing its phases (ms). */
function timedStep(): Record<'data' | 'forward' | 'forwardBackward' | 'optimizer' | 'step', number> {
  call += 1;
  const rows = nextRows();
  return t.tidy(() => {
    const t0 = now();
    const mb = batchOf(rows);
    mb.batchIndex.dataSync(); // the minibatch is on the backend
    const t1 = now();
    t.tidy(() => lossOf(mb).dataSync());
    const t2 = now();
    const { value, grads } = t.variableGrads(() => lossOf(mb), module.parameters());
    value.dataSync();
    const t3 = now();
    optimizer.step(grads);
    // the update is synchronous on the wasm backend; reading one parameter makes sure
    module.parameters()[0]?.dataSync();
    const t4 = now();
    return { data: t1 - t0, forward: t2 - t1, forwardBackward: t3 - t2, optimizer: t4 - t3, step: t1 - t0 + (t4 - t2) };
  });
}

/** A training step as `pnpm bench` times it (one forward pass, under the tape). */
function plainStep(): void {
  call += 1;
  const rows = nextRows();
  t.tidy(() => {
    const { value, grads } = t.variableGrads(() => lossOf(batchOf(rows)), module.parameters());
    optimizer.step(grads);
    value.dataSync();
  });
}

for (let i = 0; i < 3; i++) timedStep();
const samples = Array.from({ length: ROUNDS }, timedStep);
const med = (k: keyof (typeof samples)[number]) => median(samples.map((s) => s[k]));
const phases = { data: med('data'), forward: med('forward'), backward: med('forwardBackward') - med('forward'), optimizer: med('optimizer') };
const step = med('step');
printTable(
  Object.entries(phases).map(([phase, ms]) => ({ phase, 'ms / step': ms.toFixed(1), share: `${((100 * ms) / step).toFixed(0)}%` })).concat([{ phase: 'step (data + forward/backward + optimizer)', 'ms / step': step.toFixed(1), share: '100%' }]),
);

// Per kernel: tfjs' profiler. An op run as one tape node (tfjs names its scope '<op>__op')
// wraps kernels that are listed themselves.
const isKernel = (name: string) => !name.endsWith('__op');
const perKernel = new Map<string, { ms: number; calls: number; wrapper: boolean }>();
for (let i = 0; i < PROFILED_STEPS; i++) {
  const info = await t.profile(() => {
    plainStep();
  });
  for (const k of info.kernels) {
    const key = `${k.name} ${k.inputShapes.map((s) => `[${(s ?? []).join(',')}]`).join(' ')}`;
    const entry = perKernel.get(key) ?? { ms: 0, calls: 0, wrapper: !isKernel(k.name) };
    entry.ms += Number(k.kernelTimeMs) / PROFILED_STEPS;
    entry.calls += 1 / PROFILED_STEPS;
    perKernel.set(key, entry);
  }
}
const sorted = [...perKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
const kernelTotal = sorted.filter(([, v]) => !v.wrapper).reduce((a, [, v]) => a + v.ms, 0);
console.log(`\nkernels (tfjs profiler, ${PROFILED_STEPS} steps): ${kernelTotal.toFixed(1)} ms / step in kernels; the 25 largest:`);
printTable(
  sorted.slice(0, 25).map(([key, v]) => ({ 'kernel [input shapes]': v.wrapper ? `${key} (op; includes its kernels)` : key, 'ms / step': v.ms.toFixed(2), 'calls / step': Math.round(v.calls) })),
);
const byName = new Map<string, number>();
for (const [key, v] of sorted) if (!v.wrapper) byName.set(key.split(' ')[0] as string, (byName.get(key.split(' ')[0] as string) ?? 0) + v.ms);
console.log('\nby kernel name:');
printTable([...byName.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([name, ms]) => ({ kernel: name, 'ms / step': ms.toFixed(2), share: `${((100 * ms) / kernelTotal).toFixed(0)}%` })));
module.dispose();
optimizer.dispose();
