// `pnpm bench` for @vitae/scvi: scVI training throughput on real data (pbmc3k, 2,000 highly
// variable genes, batches of 128 cells from the sparse counts), on the wasm backend:
//   vitae        SCVIModule (scvi-tools' default architecture, ZINB) + @vitae/inference's Adam,
//                given the minibatch as sparse rows (sparseMinibatch), as SCVI.train does: the
//                encoder multiplies them directly, the loss densifies them for the likelihood
//   vitae, dense the same with the minibatch densified first (minibatch()), as before the
//                sparse input: the ratio of the two is the sparse input's gain
//   stock tfjs   the same model and step in stock tfjs ops (bench/stock-scvi.ts), run with tfjs'
//                own kernels and gradients (withTfjsKernels: none of @vitae/tensor's replacements,
//                XNNPACK's products rather than @vitae/wasm's GEMM), no vitae kernels,
//                dense minibatch
//   PyTorch      bench/scvi_torch.py on the same CPU, at torch's thread count and at one thread,
//                when a python with torch and h5py exists (Debian: python3-torch, python3-h5py);
//                the bench installs nothing and leaves the column out otherwise
// vitae, vitae dense and stock steps run round-robin in one process; PyTorch runs on the same
// rows' data. The machine's load drifts over minutes, so the run is cut into SEGMENTS (default 3,
// VITAE_BENCH_SEGMENTS) that alternate vitae's rounds and a PyTorch run; every figure is the median
// of its segments' medians, and the ratios are also printed per segment. Peak memory: the maximum resident set of a vitae training
// run on its own (bench/train-rss.ts in a child process: data, model, optimizer, the same number
// of steps), against that of the PyTorch process; and of this process (data, all three models).
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnnData, writeH5ad } from '@vitae/anndata';
import { compare, median, printTable } from '@vitae/bench-harness';
import { pbmc3k } from '@vitae/datasets';
import { Adam } from '@vitae/inference';
import * as t from '@vitae/tensor';
import { withTfjsKernels } from '@vitae/tensor/kernels';
import '@vitae/wasm/register';
import { SCVIModule, minibatch, sparseMinibatch } from '../src/index.js';
import { StockSCVI } from './stock-scvi.js';

import type { CsrMatrix } from '@vitae/anndata';

const BATCH = 128;
const ROUNDS = Number(process.env.VITAE_BENCH_ROUNDS ?? 25);
const SEGMENTS = Number(process.env.VITAE_BENCH_SEGMENTS ?? 3);

await t.setBackend('wasm');
await t.ready();
const adata = await pbmc3k({ hvgOnly: true });
const counts = adata.X as CsrMatrix;
const nGenes = counts.nCols;
console.log(`scVI training step: pbmc3k ${counts.nRows} cells × ${nGenes} genes, batch ${BATCH}, wasm backend, ${ROUNDS} rounds in ${SEGMENTS} segments alternating with PyTorch (Node ${process.version})`);

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
  // the minibatch as vitae builds it; the step with tfjs' own kernels and gradients (XNNPACK's
  // products, tfjs' Tile, Sum, Mean, clone), none of @vitae/tensor's replacements
  t.tidy(() => {
    const mb = minibatch(counts, rows);
    withTfjsKernels(() => stock.step(mb.x, 0.5, stockCall));
  });
};

function torchPython(): string | null {
  for (const python of ['python3', '/usr/bin/python3']) if (spawnSync(python, ['-c', 'import torch, numpy, h5py'], { encoding: 'utf8' }).status === 0) return python;
  return null;
}

// PyTorch reads the same cells from an h5ad written once
const python = torchPython();
const torchDir = python === null ? null : await mkdtemp(join(tmpdir(), 'vitae-bench-scvi-'));
const torchData = torchDir === null ? null : join(torchDir, 'pbmc3k-hvg.h5ad');
if (torchData !== null) await writeH5ad(new AnnData({ X: counts, obs: adata.obsNames, var: adata.varNames }), torchData);
/** One run of scvi_torch.py's throughput mode: median seconds per step at each thread count. */
function torchSegment(steps: number): Record<string, number | string> {
  const script = fileURLToPath(new URL('./scvi_torch.py', import.meta.url));
  const r = spawnSync(python as string, [script, 'throughput', '--data', torchData as string, '--steps', String(steps)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scvi_torch.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, number | string>;
}

// The machine's load drifts over minutes, so vitae's rounds and PyTorch's runs alternate in
// SEGMENTS segments; each figure is the median of its segments' medians.
const perSegment = Math.ceil(ROUNDS / SEGMENTS);
const vitaeSegments: Array<Record<string, number>> = [];
const torchSegments: Array<Record<string, number | string>> = [];
for (let segment = 0; segment < SEGMENTS; segment++) {
  vitaeSegments.push(compare({ vitae: vitae.step, vitaeDense: vitaeDense.step, stock: stockStep }, { warmup: segment === 0 ? 3 : 1, rounds: perSegment }));
  if (python !== null) torchSegments.push(torchSegment(perSegment));
}
const seconds = { vitae: median(vitaeSegments.map((x) => x.vitae as number)), vitaeDense: median(vitaeSegments.map((x) => x.vitaeDense as number)), stock: median(vitaeSegments.map((x) => x.stock as number)) };
const peakRssMb = process.resourceUsage().maxRSS / 1024;
vitae.dispose();
vitaeDense.dispose();
stock.dispose();

const rows: Array<Record<string, string | number>> = [
  { implementation: 'vitae (wasm, vitae kernels, sparse rows)', 'ms / step': (seconds.vitae * 1e3).toFixed(1), 'cells / s': Math.round(BATCH / seconds.vitae), 'vs vitae': '1.00x' },
  { implementation: 'vitae, dense minibatch', 'ms / step': (seconds.vitaeDense * 1e3).toFixed(1), 'cells / s': Math.round(BATCH / seconds.vitaeDense), 'vs vitae': `${(seconds.vitae / seconds.vitaeDense).toFixed(2)}x` },
  { implementation: 'stock tfjs ops (wasm)', 'ms / step': (seconds.stock * 1e3).toFixed(1), 'cells / s': Math.round(BATCH / seconds.stock), 'vs vitae': `${(seconds.vitae / seconds.stock).toFixed(2)}x` },
];
const segmentRatios = (f: (i: number) => number) => vitaeSegments.map((_, i) => `${f(i).toFixed(2)}x`).join(' / ');
let torchNote = 'PyTorch: skipped (no python with torch, numpy and h5py; Debian: apt-get install python3-torch python3-h5py)';
if (python !== null) {
  const torch = torchSegments[0] as Record<string, number | string>;
  const threadCounts = [...new Set([torch.cpu_count as number, 1])];
  const torchSeconds = (threads: number, i: number) => (torchSegments[i] as Record<string, number | string>)[`step_s_threads${threads}`] as number;
  for (const threads of threadCounts) {
    const s = median(torchSegments.map((_, i) => torchSeconds(threads, i)));
    rows.push({ implementation: `PyTorch ${torch.torch}, ${threads} thread${threads === 1 ? '' : 's'}`, 'ms / step': (s * 1e3).toFixed(1), 'cells / s': Math.round(BATCH / s), 'vs vitae': `${(seconds.vitae / s).toFixed(2)}x` });
  }
  const best = Math.min(...threadCounts.map((n) => median(torchSegments.map((_, i) => torchSeconds(n, i)))));
  const perSegmentBest = (i: number) => Math.min(...threadCounts.map((n) => torchSeconds(n, i)));
  torchNote =
    `vitae throughput / PyTorch's best: ${(best / seconds.vitae).toFixed(2)}x (targets: issue 6 >= 0.5x, issue 8 >= 1.0x); ` +
    `in each segment: ${segmentRatios((i) => perSegmentBest(i) / ((vitaeSegments[i] as Record<string, number>).vitae as number))}; ` +
    `PyTorch peak RSS ${Math.round(Math.max(...torchSegments.map((t) => Number(t.peak_rss_mb))))} MB`;
}
if (torchDir !== null) await rm(torchDir, { recursive: true, force: true });
const stockNote = `vitae / stock tfjs ops: ${(seconds.stock / seconds.vitae).toFixed(1)}x (issue 8: >= 10x); in each segment: ${segmentRatios((i) => ((vitaeSegments[i] as Record<string, number>).stock as number) / ((vitaeSegments[i] as Record<string, number>).vitae as number))}`;
// vitae's training run alone, in a child process, for the memory comparison
const rssRun = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./train-rss.ts', import.meta.url)), '--steps', String(ROUNDS + 3)], { encoding: 'utf8' });
if (rssRun.status !== 0) throw new Error(`train-rss.ts failed: ${rssRun.stderr}`);
const vitaeRssMb = (JSON.parse(rssRun.stdout.trim().split('\n').at(-1) as string) as { peakRssMb: number }).peakRssMb;

printTable(rows);
console.log(torchNote);
console.log(stockNote);
console.log(`peak RSS of a vitae training run on its own (bench/train-rss.ts, ${ROUNDS + 3} steps): ${Math.round(vitaeRssMb)} MB; of this process (data, three models, and the h5ad written for PyTorch): ${Math.round(peakRssMb)} MB`);
