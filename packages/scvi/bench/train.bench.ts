// `pnpm bench` for @vitae/scvi: scVI training throughput on real data (pbmc3k, 2,000 highly
// variable genes, batches of 128 cells from the sparse counts), on the wasm backend:
//   vitae        SCVIModule (scvi-tools' default architecture, ZINB) + @vitae/inference's Adam,
//                given the minibatch as sparse rows (sparseMinibatch), as SCVI.train does: the
//                encoder multiplies them directly, the loss densifies them for the likelihood
//   vitae, dense the same with the minibatch densified first (minibatch()), as before the
//                sparse input: the ratio of the two is the sparse input's gain
//   stock tfjs   the same model and step in stock tfjs ops (bench/stock-scvi.ts): no vitae kernels
//                (tfjs-backend-wasm's own matrix products too, not @vitae/wasm's GEMM),
//                dense minibatch
//   PyTorch      bench/scvi_torch.py on the same CPU, at torch's thread count and at one thread,
//                when a python with torch and h5py exists (Debian: python3-torch, python3-h5py);
//                the bench installs nothing and leaves the column out otherwise
// vitae, vitae dense and stock steps run round-robin in one process (medians over the rounds); PyTorch runs
// right after, on the same rows' data. Peak memory: the maximum resident set of a vitae training
// run on its own (bench/train-rss.ts in a child process: data, model, optimizer, the same number
// of steps), against that of the PyTorch process; and of this process (data, all three models).
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnnData, writeH5ad } from '@vitae/anndata';
import { compare, printTable } from '@vitae/bench-harness';
import { pbmc3k } from '@vitae/datasets';
import { Adam } from '@vitae/inference';
import * as t from '@vitae/tensor';
import { setDenseMatMulImpl } from '@vitae/tensor/kernels';
import '@vitae/wasm/register';
import { SCVIModule, minibatch, sparseMinibatch } from '../src/index.js';
import { StockSCVI } from './stock-scvi.js';

import type { CsrMatrix } from '@vitae/anndata';

const BATCH = 128;
const ROUNDS = Number(process.env.VITAE_BENCH_ROUNDS ?? 25);

await t.setBackend('wasm');
await t.ready();
const adata = await pbmc3k({ hvgOnly: true });
const counts = adata.X as CsrMatrix;
const nGenes = counts.nCols;
console.log(`scVI training step: pbmc3k ${counts.nRows} cells × ${nGenes} genes, batch ${BATCH}, wasm backend, ${ROUNDS} rounds (Node ${process.version})`);

// The same sequence of random minibatches for both candidates.
const prng = new t.Prng(1);
const batches = Array.from({ length: ROUNDS + 3 }, () => Int32Array.from({ length: BATCH }, () => Math.floor(prng.nextDouble() * counts.nRows)));
let stockCall = 0;

/** A vitae training step on its own module and optimizer; `batchOf` makes the minibatch. */
function vitaeTrainer(batchOf: (rows: Int32Array) => ReturnType<typeof minibatch> | ReturnType<typeof sparseMinibatch>) {
  const module = new SCVIModule({ nInput: nGenes, seed: 0 }).train();
  const optimizer = new Adam(module.parameters(), { lr: 1e-3, eps: 0.01, weightDecay: 1e-6 });
  let call = 0;
  const step = (): void => {
    const rows = batches[call % batches.length] as Int32Array;
    call += 1;
    t.tidy(() => {
      const mb = batchOf(rows);
      const { value, grads } = t.variableGrads(() => module.loss(mb.x, mb.batchIndex, { seed: call, klWeight: 0.5 }).loss as t.Scalar, module.parameters());
      optimizer.step(grads);
      value.dataSync();
    });
  };
  return { step, dispose: () => (module.dispose(), optimizer.dispose()) };
}
const vitae = vitaeTrainer((rows) => sparseMinibatch(counts, rows));
const vitaeDense = vitaeTrainer((rows) => minibatch(counts, rows));

const stock = new StockSCVI(nGenes);
const stockStep = (): void => {
  const rows = batches[stockCall % batches.length] as Int32Array;
  stockCall += 1;
  // tfjs-backend-wasm's own matrix products (XNNPACK), not @vitae/wasm's GEMM
  const restoreGemm = setDenseMatMulImpl(null);
  try {
    t.tidy(() => {
      const mb = minibatch(counts, rows);
      stock.step(mb.x, 0.5, stockCall);
    });
  } finally {
    restoreGemm();
  }
};

const seconds = compare({ vitae: vitae.step, vitaeDense: vitaeDense.step, stock: stockStep }, { warmup: 3, rounds: ROUNDS });
const peakRssMb = process.resourceUsage().maxRSS / 1024;
vitae.dispose();
vitaeDense.dispose();
stock.dispose();

const rows: Array<Record<string, string | number>> = [
  { implementation: 'vitae (wasm, vitae kernels, sparse rows)', 'ms / step': (seconds.vitae * 1e3).toFixed(1), 'cells / s': Math.round(BATCH / seconds.vitae), 'vs vitae': '1.00x' },
  { implementation: 'vitae, dense minibatch', 'ms / step': (seconds.vitaeDense * 1e3).toFixed(1), 'cells / s': Math.round(BATCH / seconds.vitaeDense), 'vs vitae': `${(seconds.vitae / seconds.vitaeDense).toFixed(2)}x` },
  { implementation: 'stock tfjs ops (wasm)', 'ms / step': (seconds.stock * 1e3).toFixed(1), 'cells / s': Math.round(BATCH / seconds.stock), 'vs vitae': `${(seconds.vitae / seconds.stock).toFixed(2)}x` },
];

function torchPython(): string | null {
  for (const python of ['python3', '/usr/bin/python3']) if (spawnSync(python, ['-c', 'import torch, numpy, h5py'], { encoding: 'utf8' }).status === 0) return python;
  return null;
}

const python = torchPython();
let torchNote = 'PyTorch: skipped (no python with torch, numpy and h5py; Debian: apt-get install python3-torch python3-h5py)';
if (python !== null) {
  const dir = await mkdtemp(join(tmpdir(), 'vitae-bench-scvi-'));
  try {
    const path = join(dir, 'pbmc3k-hvg.h5ad');
    await writeH5ad(new AnnData({ X: counts, obs: adata.obsNames, var: adata.varNames }), path);
    const script = fileURLToPath(new URL('./scvi_torch.py', import.meta.url));
    const r = spawnSync(python, [script, 'throughput', '--data', path, '--steps', String(ROUNDS)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`scvi_torch.py failed: ${r.stderr}`);
    const torch = JSON.parse(r.stdout) as Record<string, number | string>;
    for (const threads of [...new Set([torch.cpu_count, 1])]) {
      const s = torch[`step_s_threads${threads}`] as number;
      rows.push({ implementation: `PyTorch ${torch.torch}, ${threads} thread${threads === 1 ? '' : 's'}`, 'ms / step': (s * 1e3).toFixed(1), 'cells / s': Math.round(BATCH / s), 'vs vitae': `${(seconds.vitae / s).toFixed(2)}x` });
    }
    const best = Math.min(...[...new Set([torch.cpu_count, 1])].map((n) => torch[`step_s_threads${n}`] as number));
    torchNote = `vitae throughput / PyTorch's best: ${(best / seconds.vitae).toFixed(2)}x (targets: issue 6 >= 0.5x, issue 8 >= 1.0x); PyTorch peak RSS ${Math.round(Number(torch.peak_rss_mb))} MB`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
// vitae's training run alone, in a child process, for the memory comparison
const rssRun = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./train-rss.ts', import.meta.url)), '--steps', String(ROUNDS + 3)], { encoding: 'utf8' });
if (rssRun.status !== 0) throw new Error(`train-rss.ts failed: ${rssRun.stderr}`);
const vitaeRssMb = (JSON.parse(rssRun.stdout.trim().split('\n').at(-1) as string) as { peakRssMb: number }).peakRssMb;

printTable(rows);
console.log(torchNote);
console.log(`peak RSS of a vitae training run on its own (bench/train-rss.ts, ${ROUNDS + 3} steps): ${Math.round(vitaeRssMb)} MB; of this process (data, two vitae models and the stock one): ${Math.round(peakRssMb)} MB`);
