// veloVI on real data: the pancreas endocrinogenesis subset shipped in @vitae/datasets (739 cells),
// through velovi's tutorial pipeline and velovi's training defaults.
//
//   npx tsx bench/pancreas.ts [--epochs 500] [--seed 0] [--backend wasm] [--out results.json] [--h5ad outputs.h5ad]
//
// Pipeline: filterAndNormalize(min_shared_counts 30, n_top_genes 2000) → moments(30 PCs, 30
// neighbours) → preprocessVelocityData → VELOVI(adata).train() → addVeloviOutputs. Reports the
// training time and, against the known differentiation order (Ductal → Ngn3 low EP → Ngn3 high
// EP → Pre-endocrine → Alpha / Beta / Delta / Epsilon):
// - the Spearman correlation of the shared latent time (obs latent_time) with the cluster's stage;
// - cross-boundary direction correctness in gene space: for each known transition A → B, the mean
//   over cells i in A and their kNN neighbours j in B of cos(v_i, Ms_j − Ms_i) (positive: the
//   velocity points from A towards B).
// With --h5ad the AnnData with the outputs is written, for scVelo (velocity_graph / stream plots).
import { writeFile } from 'node:fs/promises';
import { writeH5ad } from '@vitae/anndata';
import { PANCREAS_CLUSTER_ORDER, PANCREAS_TRANSITIONS, pancreas } from '@vitae/datasets';
import { filterAndNormalize, moments, preprocessVelocityData } from '@vitae/preprocess';
import { setBackend } from '@vitae/tensor';
import '@vitae/wasm/register';
import { spearman } from '../test/simulate.js';
import { VELOVI, addVeloviOutputs } from '../src/index.js';

import type { CsrMatrix, DenseArray } from '@vitae/anndata';
import type { BackendName } from '@vitae/tensor';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

const maxEpochs = Number(arg('epochs', '500'));
const seed = Number(arg('seed', '0'));
const backend = arg('backend', 'wasm') as BackendName;
const out = arg('out', '');
const h5ad = arg('h5ad', '');

await setBackend(backend);
let started = performance.now();
const raw = await pancreas();
const adata = preprocessVelocityData(moments(filterAndNormalize(raw, { minSharedCounts: 30, nTopGenes: 2000 }), { nPcs: 30, nNeighbors: 30 }));
const preprocessSeconds = (performance.now() - started) / 1000;
console.log(`preprocessed in ${preprocessSeconds.toFixed(1)} s: ${adata.nObs} cells × ${adata.nVars} genes`);

const model = new VELOVI(adata, { seed });
started = performance.now();
const result = await model.train({
  maxEpochs,
  seed,
  onProgress: (p) => {
    if (p.epoch % 10 === 0) console.log(`epoch ${p.epoch}: train ${p.trainLoss.toFixed(1)}, elbo validation ${p.elboValidation?.toFixed(1)}, kl weight ${p.klWeight.toFixed(3)}, penalty ${p.switchPenalty.toFixed(2)}, ${p.seconds.toFixed(2)} s`);
  },
});
const trainSeconds = (performance.now() - started) / 1000;
addVeloviOutputs(adata, model, { nSamples: 25, seed: 1 });

// Shared latent time against the stage of each cell's cluster (the four endocrine fates share the last stage).
const clusters = adata.obs.strings('clusters') as string[];
const stage = clusters.map((c) => Math.min(PANCREAS_CLUSTER_ORDER.indexOf(c as (typeof PANCREAS_CLUSTER_ORDER)[number]), 4));
const latentTime = adata.obs.get('latent_time') as Float64Array;
const byCluster = Object.fromEntries(
  PANCREAS_CLUSTER_ORDER.map((c) => {
    const ts = clusters.flatMap((x, i) => (x === c ? [latentTime[i] as number] : []));
    return [c, Number((ts.reduce((a, b) => a + b, 0) / ts.length).toFixed(3))];
  }),
);

// Cross-boundary direction correctness on the kNN graph of moments().
const graph = adata.obsp.distances as CsrMatrix;
const velocity = (adata.layers.velocity as DenseArray).values;
const ms = (adata.layers.Ms as DenseArray).values;
const g = adata.nVars;
const cbdir: Record<string, number> = {};
for (const [a, b] of PANCREAS_TRANSITIONS) {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < adata.nObs; i++) {
    if (clusters[i] !== a) continue;
    for (let p = graph.indptr[i] as number; p < (graph.indptr[i + 1] as number); p++) {
      const j = graph.indices[p] as number;
      if (clusters[j] !== b) continue;
      let dot = 0;
      let nv = 0;
      let nd = 0;
      for (let k = 0; k < g; k++) {
        const v = velocity[i * g + k] as number;
        const d = (ms[j * g + k] as number) - (ms[i * g + k] as number);
        dot += v * d;
        nv += v * v;
        nd += d * d;
      }
      sum += dot / Math.sqrt(nv * nd);
      n += 1;
    }
  }
  cbdir[`${a} → ${b}`] = n === 0 ? Number.NaN : Number((sum / n).toFixed(4));
}
const finite = Object.values(cbdir).filter(Number.isFinite);
const summary = {
  backend,
  seed,
  nCells: adata.nObs,
  nGenes: adata.nVars,
  preprocessSeconds: Number(preprocessSeconds.toFixed(1)),
  epochs: result.epochs,
  stopReason: result.stopReason,
  trainSeconds: Number(trainSeconds.toFixed(1)),
  secondsPerEpoch: Number((trainSeconds / result.epochs).toFixed(3)),
  finalElboValidation: Number((result.history.at(-1)?.elboValidation ?? Number.NaN).toFixed(2)),
  latentTimeStageSpearman: Number(spearman(latentTime, stage).toFixed(4)),
  meanLatentTimeByCluster: byCluster,
  crossBoundaryDirection: cbdir,
  meanCrossBoundaryDirection: Number((finite.reduce((a, b) => a + b, 0) / finite.length).toFixed(4)),
};
console.log(JSON.stringify(summary, null, 1));
if (out !== '') await writeFile(out, `${JSON.stringify(summary, null, 2)}\n`);
if (h5ad !== '') await writeH5ad(adata, h5ad);
model.dispose();
