// The peak resident memory of a vitae scVI training run on its own, for `pnpm bench`'s memory
// comparison with PyTorch (whose process loads the data, builds the model and trains it): this
// process loads pbmc3k's 2,000 HVGs, builds SCVIModule + Adam and runs `--steps` training steps on
// sparse minibatches of 128 cells (as SCVI.train does), then prints { peakRssMb } as JSON.
// Run by bench/train.bench.ts in a child process: node --import tsx bench/train-rss.ts [--steps N]
import { pbmc3k } from '@vitae/datasets';
import { Adam } from '@vitae/inference';
import * as t from '@vitae/tensor';
import '@vitae/wasm/register';
import { SCVIModule, sparseMinibatch } from '../src/index.js';

import type { CsrMatrix } from '@vitae/anndata';

const i = process.argv.indexOf('--steps');
const steps = i >= 0 ? Number(process.argv[i + 1]) : 28;
await t.setBackend('wasm');
await t.ready();
const counts = (await pbmc3k({ hvgOnly: true })).X as CsrMatrix;
const module = new SCVIModule({ nInput: counts.nCols, seed: 0 }).train();
const optimizer = new Adam(module.parameters(), { lr: 1e-3, eps: 0.01, weightDecay: 1e-6 });
const prng = new t.Prng(1);
for (let step = 0; step < steps; step++) {
  const rows = Int32Array.from({ length: 128 }, () => Math.floor(prng.nextDouble() * counts.nRows));
  t.tidy(() => {
    const mb = sparseMinibatch(counts, rows);
    const { value, grads } = t.variableGrads(() => module.loss(mb.x, mb.batchIndex, { seed: step, klWeight: 0.5 }).loss as t.Scalar, module.parameters());
    optimizer.step(grads);
    value.dataSync();
  });
}
module.dispose();
optimizer.dispose();
console.log(JSON.stringify({ steps, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
