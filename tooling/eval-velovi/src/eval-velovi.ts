// pnpm eval:velovi — veloVI on the real pancreas endocrinogenesis subset of @vitae/datasets (739
// cells), through velovi's tutorial pipeline (packages/velovi/bench/pancreas.ts):
// filterAndNormalize(minSharedCounts 30, nTopGenes 2000) → moments(30 PCs, 30 neighbours) →
// preprocessVelocityData → VELOVI(adata).train() with velovi's defaults → addVeloviOutputs. Reports:
//
//   (a) cross-boundary direction correctness (CBDir, VeloAE / UniTVelo) of the projected velocity
//       along the known transitions Ductal → Ngn3 low EP → Ngn3 high EP → Pre-endocrine → Alpha /
//       Beta / Delta / Epsilon, on a 2-D embedding: scVelo's velocity_graph on Ms and the velocity
//       layer, its transition matrix and velocity_embedding (see src/velocity-*.ts); the
//       neighbours of each cell are those of the moments kNN graph (obsp distances). The judged
//       embedding is a UMAP: obsm X_umap when the data has one, else a seeded 2-D UMAP of moments'
//       X_pca (umap-js; what scanpy's sc.tl.umap gives scVelo's pancreas). UMAP because it is
//       scVelo's own choice (velocity_embedding with no basis takes X_umap over X_pca) and the
//       basis VeloAE and UniTVelo score CBDir on; this was fixed before the seeds 2+ runs, after
//       seeds 0 and 1 had been scored on PCA 2-D. Beside it the gene-space direction score of
//       bench/pancreas.ts, and the CBDir of the same projection on the first two components of
//       X_pca and on all of X_pca's components.
//   (b) Spearman of obs latent_time with the cluster's stage (the four endocrine fates share the last);
//   (c) the per-gene mean squared error of getExpressionFit() against the min-max scaled Ms and Mu.
//
// Targets: CBDir > 0 on every transition; latent-time Spearman >= 0.7.
//
// Usage: pnpm eval:velovi [--seed 0] [--max-epochs N (default: velovi's 500 with early stopping)]
//                        [--backend wasm|cpu] [--out results/….json] [--h5ad outputs.h5ad]
//                        [--torch-weights F.safetensors] [--extra-embedding F.json ...]
// --torch-weights: no training; the weights of velovi's module trained in PyTorch by
// reference/velovi_train_torch.py (velovi's state dict names) are loaded into vitae's VELOVI, and
// the same outputs and scores are computed from them.
// --extra-embedding (repeatable): an embedding of the same cells made elsewhere (e.g. by
// reference/scanpy_umap.py: umap-learn as scanpy's sc.tl.umap), scored beside PCA 2-D and all PCs;
// a JSON { name, obsNames, nRows, nCols, values (row-major) }.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DenseArray, writeH5ad } from '@vitae/anndata';
import { PANCREAS_CLUSTER_ORDER, PANCREAS_TRANSITIONS, pancreas } from '@vitae/datasets';
import { decodeSafetensors } from '@vitae/layers';
import { filterAndNormalize, moments, preprocessVelocityData } from '@vitae/preprocess';
import { ready, setBackend, tensor } from '@vitae/tensor';
import { VELOVI, addVeloviOutputs, loadVeloviStateDict } from '@vitae/velovi';
import '@vitae/wasm/register';
import { crossBoundaryCorrectness, geneSpaceDirection } from './cbdir.js';
import { readEmbeddingFile } from './embedding-file.js';
import { perGeneMse, quartiles, spearman } from './stats.js';
import { umapEmbedding } from './umap-embedding.js';
import { velocityEmbedding } from './velocity-embedding.js';
import { neighborIndicesFromDistances, velocityGraph } from './velocity-graph.js';

import type { AnnData, CsrMatrix } from '@vitae/anndata';
import type { BackendName } from '@vitae/tensor';
import type { TransitionScore } from './cbdir.js';
import type { QuartileSummary } from './stats.js';
import type { Matrix2D } from './velocity-graph.js';

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const seed = Number(argValue('seed') ?? 0);
if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`eval:velovi: --seed must be an integer >= 0, got ${argValue('seed')}`);
const maxEpochsArg = argValue('max-epochs');
const maxEpochs = maxEpochsArg === undefined ? undefined : Number(maxEpochsArg);
if (maxEpochs !== undefined && (!Number.isInteger(maxEpochs) || maxEpochs < 1)) throw new RangeError(`eval:velovi: --max-epochs must be a positive integer, got ${maxEpochsArg}`);
const backend = (argValue('backend') ?? 'wasm') as BackendName;
if (backend !== 'wasm' && backend !== 'cpu') throw new RangeError(`eval:velovi: --backend must be wasm or cpu, got ${backend}`);
const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
const out = argValue('out') ?? join(resultsDir, `pancreas-seed${seed}${maxEpochs === undefined ? '' : `-epochs${maxEpochs}`}.json`);
const h5ad = argValue('h5ad');
const torchWeights = argValue('torch-weights');
const extraEmbeddingFiles = process.argv.flatMap((a, i) => (a === '--extra-embedding' && process.argv[i + 1] !== undefined ? [process.argv[i + 1] as string] : []));
const fmt = (x: number, digits = 3): string => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
const round = (x: number, digits = 4): number => Number(x.toFixed(digits));

await setBackend(backend);
await ready();
console.log(`eval:velovi — pancreas, seed ${seed}, backend ${backend}, max epochs ${maxEpochs ?? '500 (velovi default)'}, early stopping on`);

// ---- pipeline (bench/pancreas.ts) ------------------------------------------------------------
let started = performance.now();
const raw = await pancreas();
const adata = preprocessVelocityData(moments(filterAndNormalize(raw, { minSharedCounts: 30, nTopGenes: 2000 }), { nPcs: 30, nNeighbors: 30 }));
const preprocessSeconds = (performance.now() - started) / 1000;
console.log(`preprocessed in ${fmt(preprocessSeconds, 1)} s: ${adata.nObs} cells × ${adata.nVars} genes`);

const model = new VELOVI(adata, { seed });
started = performance.now();
interface TrainingSummary {
  epochs: number;
  stopReason: string;
  finalElboValidation: number;
  source: string;
}
async function trainOrLoad(): Promise<TrainingSummary> {
  if (torchWeights !== undefined) {
    const { tensors, metadata } = decodeSafetensors(await readFile(torchWeights));
    const dict = Object.fromEntries(Object.entries(tensors).map(([name, t]) => [name, tensor(t.data as Float32Array, t.shape, 'float32')]));
    try {
      loadVeloviStateDict(model.module, dict);
    } finally {
      Object.values(dict).forEach((t) => t.dispose());
    }
    model.module.eval();
    console.log(`loaded velovi weights trained in PyTorch from ${torchWeights} (${metadata.epochs ?? '?'} epochs)`);
    return { epochs: Number(metadata.epochs ?? Number.NaN), stopReason: 'PyTorch run', finalElboValidation: Number.NaN, source: `PyTorch (${torchWeights})` };
  }
  const train = await model.train({
    ...(maxEpochs === undefined ? {} : { maxEpochs }),
    seed,
    onProgress: (p) => {
      if (p.epoch % 10 === 0 || p.epoch === p.maxEpochs - 1) {
        console.log(`  epoch ${String(p.epoch + 1).padStart(3)}/${p.maxEpochs}  train ${fmt(p.trainLoss, 1)}  elbo_validation ${fmt(p.elboValidation ?? Number.NaN, 1)}  kl_weight ${fmt(p.klWeight)}  penalty ${fmt(p.switchPenalty, 2)}  ${fmt(p.seconds, 2)} s/epoch`);
      }
    },
  });
  return { epochs: train.epochs, stopReason: train.stopReason, finalElboValidation: train.history.at(-1)?.elboValidation ?? Number.NaN, source: 'vitae VELOVI.train()' };
}
const train = await trainOrLoad();
const trainSeconds = (performance.now() - started) / 1000;
console.log(`trained ${train.epochs} epochs (${train.stopReason}) in ${fmt(trainSeconds, 0)} s`);
addVeloviOutputs(adata, model, { nSamples: 25, seed: 1 });

// ---- (a) CBDir on a 2-D embedding with scVelo's projected velocities -------------------------
const clusters = adata.obs.strings('clusters') as string[];
const dense = (m: unknown, what: string): DenseArray => {
  if (!(m instanceof DenseArray)) throw new TypeError(`eval:velovi: ${what} must be a dense array`);
  return m;
};
const ms = dense(adata.layers.Ms, "layer 'Ms'");
const mu = dense(adata.layers.Mu, "layer 'Mu'");
const velocity = dense(adata.layers.velocity, "layer 'velocity'");

/** scVelo's velocity genes: var velocity_genes (when set) and no NaN in the velocity column. */
function velocityGenes(data: AnnData, v: DenseArray): Int32Array {
  const flags = data.var.has('velocity_genes') ? (data.var.get('velocity_genes') as boolean[]) : null;
  const keep: number[] = [];
  for (let g = 0; g < v.nCols; g++) {
    if (flags !== null && flags[g] !== true) continue;
    let finite = true;
    for (let i = 0; i < v.nRows && finite; i++) finite = Number.isFinite(v.values[i * v.nCols + g] as number);
    if (finite) keep.push(g);
  }
  return Int32Array.from(keep);
}
function columns(m: DenseArray, cols: Int32Array): Matrix2D {
  const values = new Float64Array(m.nRows * cols.length);
  for (let i = 0; i < m.nRows; i++) cols.forEach((c, k) => (values[i * cols.length + k] = m.values[i * m.nCols + c] as number));
  return { values, nRows: m.nRows, nCols: cols.length };
}
const vGenes = velocityGenes(adata, velocity);
const msV = columns(ms, vGenes);
const vV = columns(velocity, vGenes);

const pcaAll = dense(adata.obsm.X_pca, "obsm 'X_pca'");
const pcaAllMatrix = columns(pcaAll, Int32Array.from({ length: pcaAll.nCols }, (_, c) => c));
const storedUmap = adata.obsm.X_umap !== undefined;
const embeddingKey = 'X_umap';
const embeddingSource = storedUmap ? 'obsm X_umap stored in the dataset' : "UMAP 2-D of moments' X_pca (umap-js, n_neighbors 30, min_dist 0.5, seeded with --seed); the dataset has no X_umap";
const embedding = storedUmap ? columns(dense(adata.obsm.X_umap, "obsm 'X_umap'"), Int32Array.from([0, 1])) : umapEmbedding(pcaAllMatrix, { seed });
const neighbors = neighborIndicesFromDistances(adata.obsp.distances as CsrMatrix);
started = performance.now();
const vgraph = velocityGraph(msV, vV, neighbors);
const vEmb: Matrix2D = { values: velocityEmbedding(vgraph, embedding), nRows: adata.nObs, nCols: 2 };
const graphSeconds = (performance.now() - started) / 1000;
// The same projection on two more embeddings, reported beside the judged one: the first two
// components of X_pca (the judged embedding of seeds 0 and 1) and all of X_pca's components.
const extraEmbeddings: { name: string; coords: Matrix2D }[] = [
  { name: 'PCA 2-D', coords: columns(pcaAll, Int32Array.from([0, 1])) },
  { name: `all ${pcaAll.nCols} PCs`, coords: pcaAllMatrix },
  ...(await Promise.all(extraEmbeddingFiles.map((f) => readEmbeddingFile(f, adata.obsNames)))),
];
const extraScores = extraEmbeddings.map(({ name, coords }) => {
  const v: Matrix2D = { values: velocityEmbedding(vgraph, coords), nRows: adata.nObs, nCols: coords.nCols };
  return { name, v, scores: PANCREAS_TRANSITIONS.map(([a, b]) => crossBoundaryCorrectness(coords, v, clusters, neighbors, a, b).score) };
});
const candidates = Array.from(vgraph.nCandidates);
console.log(
  `velocity graph on ${vGenes.length} velocity genes: ${fmt(candidates.reduce((a, b) => a + b, 0) / candidates.length, 1)} candidate neighbours per cell (${neighbors[0]?.length} kNN, 2 recursions), ${vgraph.graph.values.length} non-zero cosines; ${fmt(graphSeconds, 1)} s`,
);
console.log(`embedding: ${embeddingSource}`);

interface TransitionRow {
  transition: string;
  cbdir: number;
  cells: number;
  pairs: number;
  geneSpace: number;
  met: boolean;
}
const rows: TransitionRow[] = PANCREAS_TRANSITIONS.map(([a, b]) => {
  const emb: TransitionScore = crossBoundaryCorrectness(embedding, vEmb, clusters, neighbors, a, b);
  const gene: TransitionScore = geneSpaceDirection(msV, vV, clusters, neighbors, a, b);
  return { transition: `${a} → ${b}`, cbdir: emb.score, cells: emb.nCells, pairs: emb.nPairs, geneSpace: gene.score, met: emb.score > 0 };
});
const meanCbdir = rows.reduce((s, r) => s + r.cbdir, 0) / rows.length;

// ---- (b) latent time against the stage ------------------------------------------------------
const stage = clusters.map((c) => Math.min(PANCREAS_CLUSTER_ORDER.indexOf(c as (typeof PANCREAS_CLUSTER_ORDER)[number]), 4));
const latentTime = adata.obs.get('latent_time') as Float64Array;
const latentSpearman = spearman(latentTime, stage);
const meanLatentTimeByCluster = Object.fromEntries(
  PANCREAS_CLUSTER_ORDER.map((c) => {
    const ts = clusters.flatMap((x, i) => (x === c ? [latentTime[i] as number] : []));
    return [c, round(ts.reduce((a, b) => a + b, 0) / ts.length, 3)];
  }),
);

// ---- (c) per-gene fit error -----------------------------------------------------------------
const fit = model.getExpressionFit();
const fitS = dense(fit.spliced, 'getExpressionFit().spliced');
const fitU = dense(fit.unspliced, 'getExpressionFit().unspliced');
const mseS = perGeneMse(fitS, ms);
const mseU = perGeneMse(fitU, mu);
const mseBoth = mseS.map((s, g) => (s + (mseU[g] as number)) / 2);
const q = (x: QuartileSummary): Record<string, number> => ({ q25: round(x.q25, 5), median: round(x.median, 5), q75: round(x.q75, 5), mean: round(x.mean, 5) });
const fitError = { spliced: q(quartiles(mseS)), unspliced: q(quartiles(mseU)), mean: q(quartiles(mseBoth)) };

// ---- report ---------------------------------------------------------------------------------
const allPositive = rows.every((r) => r.met);
const spearmanMet = latentSpearman >= 0.7;
console.log(`\n(a) cross-boundary direction correctness (CBDir) on UMAP 2-D, neighbours: the moments kNN graph (${neighbors[0]?.length} per cell)`);
console.table(
  Object.fromEntries(
    rows.map((r) => [r.transition, { CBDir: round(r.cbdir), 'cells in A at the boundary': r.cells, 'A–B neighbour pairs': r.pairs, 'gene-space cos (bench)': round(r.geneSpace), 'CBDir > 0': r.met ? 'met' : 'NOT met' }]),
  ),
);
console.log(`mean CBDir ${fmt(meanCbdir, 4)}; target CBDir > 0 on every transition: ${allPositive ? 'met' : 'NOT met'}`);
console.log('\n(a, other embeddings) CBDir of the same projection');
console.table(Object.fromEntries(rows.map((r, k) => [r.transition, Object.fromEntries([['UMAP 2-D', round(r.cbdir)], ...extraScores.map((e) => [e.name, round(e.scores[k] as number)])])])));
for (const e of extraScores) console.log(`${e.name}: CBDir > 0 on every transition: ${e.scores.every((x) => x > 0) ? 'met' : 'NOT met'} (mean ${fmt(e.scores.reduce((a, b) => a + b, 0) / e.scores.length, 4)})`);
console.log(`\n(b) Spearman(latent_time, stage) ${fmt(latentSpearman, 4)}; target >= 0.7: ${spearmanMet ? 'met' : 'NOT met'}`);
console.table(meanLatentTimeByCluster);
console.log(`\n(c) per-gene MSE of getExpressionFit() against the min-max scaled moments (${adata.nVars} genes)`);
console.table(fitError);

const summary = {
  dataset: 'pancreas (739 cells, @vitae/datasets)',
  seed,
  backend,
  nCells: adata.nObs,
  nGenes: adata.nVars,
  preprocessSeconds: round(preprocessSeconds, 1),
  training: {
    maxEpochs: maxEpochs ?? 500,
    epochs: train.epochs,
    stopReason: train.stopReason,
    seconds: round(trainSeconds, 1),
    secondsPerEpoch: round(trainSeconds / train.epochs, 3),
    finalElboValidation: round(train.finalElboValidation, 2),
    source: train.source,
  },
  velocityGraph: {
    genes: vGenes.length,
    xkey: 'Ms',
    vkey: 'velocity',
    kNN: neighbors[0]?.length,
    nRecurseNeighbors: 2,
    meanCandidates: round(candidates.reduce((a, b) => a + b, 0) / candidates.length, 1),
    nonZeroCosines: vgraph.graph.values.length,
    transitionScale: 10,
    seconds: round(graphSeconds, 2),
  },
  embedding: { key: embeddingKey, columns: [0, 1], source: embeddingSource },
  cbdirNeighbors: 'moments kNN graph (obsp distances, the 29 nearest cells besides the cell itself)',
  crossBoundaryDirection: Object.fromEntries(rows.map((r) => [r.transition, { cbdir: round(r.cbdir), cells: r.cells, pairs: r.pairs, geneSpace: round(r.geneSpace) }])),
  meanCrossBoundaryDirection: round(meanCbdir),
  crossBoundaryDirectionOtherEmbeddings: Object.fromEntries(extraScores.map((e) => [e.name, Object.fromEntries(rows.map((r, k) => [r.transition, round(e.scores[k] as number)]))])),
  latentTimeStageSpearman: round(latentSpearman),
  meanLatentTimeByCluster,
  fitErrorPerGene: fitError,
  targets: { cbdirPositiveOnEveryTransition: allPositive, latentTimeSpearmanAtLeast07: spearmanMet },
};
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${JSON.stringify(summary, null, 2)}\n`);
console.log(`\nwrote ${out}`);
if (h5ad !== undefined) {
  adata.obsm.X_umap = new DenseArray(Float32Array.from(embedding.values), adata.nObs, 2);
  adata.obsm.velocity_umap = new DenseArray(Float32Array.from(vEmb.values), adata.nObs, 2);
  adata.obsm.velocity_pca = new DenseArray(Float32Array.from((extraScores[0] as { v: Matrix2D }).v.values), adata.nObs, 2);
  await writeH5ad(adata, h5ad);
  console.log(`wrote ${h5ad} (the outputs, obsm X_umap, velocity_umap, velocity_pca)`);
}
model.dispose();
