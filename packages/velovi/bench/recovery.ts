// Parameter recovery on data simulated from veloVI's kinetic model (test/simulate.ts), at full
// size and with velovi's training defaults: how well the latent time orders the cells.
//
//   npx tsx bench/recovery.ts [--cells 1000] [--genes 50] [--epochs 500] [--seed 0] [--backend wasm] [--out file.json]
//     [--early-stopping true] [--hidden 256] [--batch 256] [--warmup 400] [--noise 0.05]
//
// Reports, per gene, Spearman's correlation of the gene's latent time (get_latent_time, 25
// passes) with the true cell time; their median; the Spearman correlation of the shared time
// (per cell the mean over genes of the per-gene time scaled to [0, 20], as addVeloviOutputs'
// obs latent_time) with the truth; and the recovery of the rate ratio γ/β and the switch times.
import { writeFile } from 'node:fs/promises';
import { setBackend } from '@vitae/tensor';
import '@vitae/wasm/register';
import { simulate, median, spearman } from '../test/simulate.js';
import { VELOVI } from '../src/index.js';

import type { DenseArray } from '@vitae/anndata';
import type { BackendName } from '@vitae/tensor';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

const nCells = Number(arg('cells', '1000'));
const nGenes = Number(arg('genes', '50'));
const maxEpochs = Number(arg('epochs', '500'));
const seed = Number(arg('seed', '0'));
const backend = arg('backend', 'wasm') as BackendName;
const out = arg('out', '');
const earlyStopping = arg('early-stopping', 'true') === 'true';
const nHidden = Number(arg('hidden', '256'));
const batchSize = Number(arg('batch', '256'));
const nEpochsKlWarmup = Number(arg('warmup', '400'));
const noise = Number(arg('noise', '0.05'));

await setBackend(backend);
const sim = simulate({ nCells, nGenes, seed, noise });
const model = new VELOVI(sim.adata, { seed, nHidden });
const started = performance.now();
const result = await model.train({
  maxEpochs,
  batchSize,
  nEpochsKlWarmup,
  earlyStopping,
  seed,
  onProgress: (p) => {
    if (p.epoch % 25 === 0) console.log(`epoch ${p.epoch}: train ${p.trainLoss.toFixed(2)}, elbo validation ${p.elboValidation?.toFixed(2)}, penalty ${p.switchPenalty.toFixed(3)}, ${p.seconds.toFixed(2)} s`);
  },
});
const trainSeconds = (performance.now() - started) / 1000;

const latent = model.getLatentTime({ nSamples: 25, seed: 1 }) as DenseArray;
const perGene: number[] = [];
const column = new Float64Array(nCells);
const shared = new Float64Array(nCells);
for (let g = 0; g < nGenes; g++) {
  let max = 0;
  for (let i = 0; i < nCells; i++) {
    column[i] = latent.values[i * nGenes + g] as number;
    max = Math.max(max, column[i] as number);
  }
  perGene.push(spearman(column, sim.time));
  for (let i = 0; i < nCells; i++) shared[i] = (shared[i] as number) + ((column[i] as number) * (20 / max)) / nGenes;
}
const rates = model.getRates();
const ratio = Array.from(rates.gamma, (gm, g) => gm / (rates.beta[g] as number));
const trueRatio = Array.from(sim.gamma, (gm, g) => gm / (sim.beta[g] as number));
const summary = {
  nCells,
  nGenes,
  seed,
  backend,
  epochs: result.epochs,
  stopReason: result.stopReason,
  trainSeconds: Number(trainSeconds.toFixed(1)),
  secondsPerEpoch: Number((trainSeconds / result.epochs).toFixed(3)),
  medianGeneSpearman: Number(median(perGene).toFixed(4)),
  fractionGenesAbove08: Number((perGene.filter((r) => r >= 0.8).length / nGenes).toFixed(3)),
  minGeneSpearman: Number(Math.min(...perGene).toFixed(4)),
  sharedTimeSpearman: Number(spearman(shared, sim.time).toFixed(4)),
  gammaOverBetaSpearman: Number(spearman(ratio, trueRatio).toFixed(4)),
  switchTimeSpearman: Number(spearman(model.getSwitchTime(), sim.switchTime).toFixed(4)),
  perGeneSpearman: perGene.map((r) => Number(r.toFixed(4))),
};
console.log(JSON.stringify({ ...summary, perGeneSpearman: undefined }, null, 1));
console.log('per gene:', summary.perGeneSpearman.join(' '));
if (out !== '') await writeFile(out, `${JSON.stringify(summary, null, 2)}\n`);
model.dispose();
