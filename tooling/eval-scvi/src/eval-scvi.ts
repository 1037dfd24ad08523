// pnpm eval:scvi — scVI on the real PBMC 3k data of @vitae/datasets (2,700 cells × 2,000
// seurat_v3 highly variable genes, raw counts, Seurat cell-type labels on 2,638 of them).
//
//   quality   SCVI with its defaults (scvi-tools' defaults, 400 epochs at most for 2,700 cells,
//             plus vitae's early stopping on the validation ELBO; --early-stopping off gives
//             scvi-tools' defaults exactly) on the wasm backend: the validation ELBO per epoch,
//             and the 5-fold kNN (k = 15) cell-type accuracy of its latent means; next to PCA
//             (normalize_total 1e4, log1p, scale max 10, 50 components: the standard scanpy
//             pipeline) scored the same way, and next to the PyTorch scVI of
//             packages/scvi/bench/scvi_torch.py trained for as many epochs as vitae's run on the
//             same train / validation cells (skipped when no python with torch is found)
//   batch     a two-batch input: the cells split at random in halves, and in one half every
//             gene's counts redrawn as Poisson(count · f_g) with f_g = exp(N(0, 1)); PCA,
//             SCVI without batchKey and SCVI with batchKey, each scored by batch mixing (the
//             normalised entropy of batches among 50 nearest neighbours; 1 = mixed) and the
//             cell-type kNN accuracy
//   trajectory  (only when asked) SCVI trained for all the epochs (no early stopping), scoring
//             the kNN accuracy of the latent means every 25 epochs next to the validation ELBO:
//             how the accuracy moves while the model overfits (the validation ELBO's minimum is
//             near epoch 80 of 400)
//
// Usage: pnpm eval:scvi [--part quality|batch|all|trajectory] [--epochs N] [--seed S] [--require-torch]
//                      [--early-stopping on|off (default: SCVI's default, on)]
//                      [--torch-threads N (default: every core)] [--out results.json]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnnData, Categorical, CsrMatrix, DataFrame, DenseArray, writeH5ad } from '@vitae/anndata';
import { pbmc3k } from '@vitae/datasets';
import { log1p, normalizeTotal, pca, scale } from '@vitae/preprocess';
import { SCVI, batchEntropy, defaultMaxEpochs, knnAccuracy } from '@vitae/scvi';
import { Prng, ready, setBackend } from '@vitae/tensor';
import '@vitae/wasm/register';
import { findTorchPython, runTorch } from './torch.js';

import type { SCVIOptions } from '@vitae/scvi';
import type { TorchTrainResult } from './torch.js';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const part = argValue('part') ?? 'all';
const seed = Number(argValue('seed') ?? 0);
const requireTorch = process.argv.includes('--require-torch');
const torchThreads = Number(argValue('torch-threads') ?? 0);
if (!Number.isInteger(torchThreads) || torchThreads < 0) throw new RangeError(`eval:scvi: --torch-threads must be an integer >= 0, got ${argValue('torch-threads')}`);
const out = argValue('out');
const earlyStoppingArg = argValue('early-stopping');
if (earlyStoppingArg !== undefined && earlyStoppingArg !== 'on' && earlyStoppingArg !== 'off') throw new RangeError(`eval:scvi: --early-stopping must be 'on' or 'off', got ${earlyStoppingArg}`);
/** undefined: SCVI.train's default. */
const earlyStopping = earlyStoppingArg === undefined ? undefined : earlyStoppingArg === 'on';
const fmt = (x: number, digits = 3): string => x.toFixed(digits);
const results: Record<string, unknown> = {};

setBackend('wasm');
await ready();
const adata = await pbmc3k({ hvgOnly: true });
const labels = (adata.obs.get('cell_type') as Categorical).codes;
const epochs = Number(argValue('epochs') ?? defaultMaxEpochs(adata.nObs));
console.log(`eval:scvi — pbmc3k ${adata.nObs} cells × ${adata.nVars} genes, ${labels.filter((l) => l >= 0).length} labelled; at most ${epochs} epochs; early stopping ${earlyStoppingArg ?? 'default (on)'}; seed ${seed}; backend wasm`);

/** The standard scanpy pipeline's 50 principal components of log-normalized counts. */
function pcaEmbedding(data: AnnData): DenseArray {
  const scaled = scale(log1p(normalizeTotal(data, { targetSum: 1e4 })), { maxValue: 10 });
  return pca(scaled, { nComps: 50, useHighlyVariable: false }).obsm.X_pca as DenseArray;
}

async function trainScvi(data: AnnData, options: SCVIOptions, label: string): Promise<{ model: SCVI; seconds: number; trainIndices: Int32Array; validationIndices: Int32Array }> {
  const model = new SCVI(data, { ...options, seed });
  const result = await model.train({
    maxEpochs: epochs,
    seed: seed + 1,
    ...(earlyStopping === undefined ? {} : { earlyStopping }),
    onProgress: (p) => {
      if (p.epoch % 25 === 0 || p.epoch === p.maxEpochs - 1) {
        console.log(`  [${label}] epoch ${String(p.epoch + 1).padStart(3)}/${p.maxEpochs}  elbo_train ${fmt(p.elboTrain, 2)}  elbo_validation ${fmt(p.elboValidation as number, 2)}  kl_weight ${fmt(p.klWeight, 3)}  ${fmt(p.elapsedSeconds, 0)} s`);
      }
    },
  });
  console.log(`  [${label}] ${result.stopReason === 'earlyStopping' ? 'stopped early' : 'completed'} after ${model.history.length} epochs`);
  return { model, seconds: result.seconds, trainIndices: result.trainIndices, validationIndices: result.validationIndices };
}

async function quality(): Promise<void> {
  console.log('\n== quality: scVI latent space vs PCA, validation ELBO vs PyTorch ==');
  let started = performance.now();
  const pcs = pcaEmbedding(adata);
  const pcaAccuracy = knnAccuracy(pcs, labels, { seed });
  console.log(`PCA (50 comps): 5-fold kNN accuracy ${fmt(pcaAccuracy)} (${fmt((performance.now() - started) / 1000, 1)} s)`);

  const run = await trainScvi(adata, {}, 'vitae');
  const z = run.model.getLatentRepresentation();
  const scviAccuracy = knnAccuracy(z, labels, { seed });
  const history = run.model.history;
  const elboValidation = history.at(-1)?.elboValidation as number;
  console.log(`vitae scVI: validation ELBO ${fmt(elboValidation, 2)} after ${history.length} epochs, kNN accuracy ${fmt(scviAccuracy)}, ${fmt(run.seconds, 0)} s training`);
  results.quality = {
    epochs: history.length,
    earlyStopping: earlyStoppingArg ?? 'default',
    pcaAccuracy,
    scvi: { accuracy: scviAccuracy, elboValidation, seconds: run.seconds, elboValidationByEpoch: history.map((p) => p.elboValidation) },
  };

  const python = findTorchPython();
  if (python === null) {
    if (requireTorch) throw new Error('eval:scvi: --require-torch given, but no python imports torch, numpy and h5py (Debian: apt-get install python3-torch python3-h5py)');
    console.log('PyTorch: skipped (no python with torch, numpy and h5py)');
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'vitae-eval-scvi-'));
    try {
      await writeH5ad(new AnnData({ X: adata.X as CsrMatrix, obs: adata.obsNames, var: adata.varNames }), join(dir, 'pbmc3k.h5ad'));
      await writeFile(join(dir, 'split.json'), JSON.stringify({ train: Array.from(run.trainIndices), validation: Array.from(run.validationIndices) }));
      started = performance.now();
      const torch = runTorch<TorchTrainResult>(python, ['train', '--data', join(dir, 'pbmc3k.h5ad'), '--split', join(dir, 'split.json'), '--epochs', String(history.length), '--seed', String(seed), '--threads', String(torchThreads)]);
      const torchElbo = torch.history.at(-1)?.validationElbo as number;
      const torchAccuracy = knnAccuracy(new DenseArray(Float32Array.from(torch.latent.flat()), adata.nObs, z.nCols), labels, { seed });
      const relative = (elboValidation - torchElbo) / Math.abs(torchElbo);
      console.log(`PyTorch scVI (torch ${torch.torch}, ${torch.threads} threads): validation ELBO ${fmt(torchElbo, 2)}, kNN accuracy ${fmt(torchAccuracy)}, ${fmt(torch.seconds, 0)} s training`);
      console.log(`validation ELBO, vitae vs PyTorch: ${fmt(100 * relative, 2)}% (target: within ±1%)`);
      (results.quality as Record<string, unknown>).torch = { accuracy: torchAccuracy, elboValidation: torchElbo, seconds: torch.seconds, threads: torch.threads, elboValidationByEpoch: torch.history.map((h) => h.validationElbo) };
      (results.quality as Record<string, unknown>).elboRelativeDifference = relative;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  console.log(`scVI accuracy - PCA accuracy: ${fmt(scviAccuracy - pcaAccuracy)} (target: >= -0.02)`);
  run.model.dispose();
}

/** Poisson(mean): inversion for small means, a rounded normal for large ones. */
function poisson(prng: Prng, mean: number): number {
  if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * prng.nextNormal()));
  let k = 0;
  let p = Math.exp(-mean);
  let cdf = p;
  const u = prng.nextDouble();
  while (u > cdf) {
    k += 1;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

/** pbmc3k with cells split into two batches, batch 'b' with per-gene scaled, redrawn counts. */
function twoBatchData(): { data: AnnData; batches: Int32Array } {
  const prng = new Prng(seed + 17);
  const n = adata.nObs;
  // Batch 'b': a seeded random half of the cells.
  const keys = Float64Array.from({ length: n }, () => prng.nextDouble());
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((i, j) => (keys[i] as number) - (keys[j] as number));
  const batches = new Int32Array(n);
  for (let p = 0; p < n / 2; p++) batches[order[p] as number] = 1;
  const factors = Float64Array.from({ length: adata.nVars }, () => Math.exp(prng.nextNormal()));
  const x = adata.X as CsrMatrix;
  const values = x.toDense();
  for (let i = 0; i < n; i++) {
    if (batches[i] === 0) continue;
    for (let g = 0; g < adata.nVars; g++) {
      const at = i * adata.nVars + g;
      values[at] = poisson(prng, (values[at] as number) * (factors[g] as number));
    }
    // Keep every cell non-empty (scVI needs a library size).
    if (values.subarray(i * adata.nVars, (i + 1) * adata.nVars).every((v) => v === 0)) values[i * adata.nVars] = 1;
  }
  const obs = new DataFrame(adata.obsNames, { cell_type: adata.obs.get('cell_type'), batch: Categorical.fromValues(Array.from(batches, (b) => (b === 0 ? 'a' : 'b'))) });
  return { data: new AnnData({ X: CsrMatrix.fromDense(values, n, adata.nVars), obs, var: adata.var }), batches };
}

async function batch(): Promise<void> {
  console.log('\n== batch correction: pbmc3k split into two batches, one with per-gene scaling ==');
  const { data, batches } = twoBatchData();
  const score = (name: string, embedding: DenseArray): { mixing: number; accuracy: number } => {
    const s = { mixing: batchEntropy(embedding, batches), accuracy: knnAccuracy(embedding, labels, { seed }) };
    console.log(`${name.padEnd(26)} batch mixing ${fmt(s.mixing)}  kNN accuracy ${fmt(s.accuracy)}`);
    return s;
  };
  const pcs = pcaEmbedding(data);
  const pcaScore = score('PCA (50 comps)', pcs);
  const without = await trainScvi(data, {}, 'no batchKey');
  const zWithout = without.model.getLatentRepresentation();
  without.model.dispose();
  const withKey = await trainScvi(data, { batchKey: 'batch' }, "batchKey 'batch'");
  const zWith = withKey.model.getLatentRepresentation();
  withKey.model.dispose();
  results.batch = {
    pca: pcaScore,
    scviWithoutBatchKey: score('scVI without batchKey', zWithout),
    scviWithBatchKey: score("scVI with batchKey 'batch'", zWith),
  };
}

/** The latent space's kNN accuracy every 25 epochs of one default training run. */
async function trajectory(): Promise<void> {
  console.log('\n== trajectory: kNN accuracy of the latent means during training ==');
  const pcaAccuracy = knnAccuracy(pcaEmbedding(adata), labels, { seed });
  console.log(`PCA (50 comps): 5-fold kNN accuracy ${fmt(pcaAccuracy)}`);
  const model = new SCVI(adata, { seed });
  const points: { epoch: number; accuracy: number; elboValidation: number }[] = [];
  await model.train({
    maxEpochs: epochs,
    seed: seed + 1,
    earlyStopping: false,
    onProgress: (p) => {
      const epoch = p.epoch + 1;
      if (epoch % 25 !== 0 && epoch !== 10 && epoch !== p.maxEpochs) return;
      const accuracy = knnAccuracy(model.getLatentRepresentation(), labels, { seed });
      points.push({ epoch, accuracy, elboValidation: p.elboValidation as number });
      console.log(`  epoch ${String(epoch).padStart(3)}  elbo_validation ${fmt(p.elboValidation as number, 2)}  kNN accuracy ${fmt(accuracy)}  (PCA ${fmt(pcaAccuracy)})`);
    },
  });
  model.dispose();
  results.trajectory = { pcaAccuracy, points };
}

if (part === 'trajectory') await trajectory();
if (part === 'quality' || part === 'all') await quality();
if (part === 'batch' || part === 'all') await batch();
if (out !== undefined) {
  await writeFile(out, `${JSON.stringify({ date: new Date().toISOString(), epochs, seed, ...results }, null, 2)}\n`);
  console.log(`\nresults written to ${out}`);
}
