// The README example: a learned-library scVI module trained for a few steps on sparse counts.
// Run: npx tsx examples/readme.ts
import { CsrMatrix } from '@vitae/anndata';
import { Adam, klWarmupWeight } from '@vitae/inference';
import { SCVIModule, libraryPrior, sparseMinibatch } from '@vitae/scvi';
import * as vt from '@vitae/tensor';

await vt.ready();

// 200 cells x 50 genes of Poisson counts in two batches (batch 1 has twice the depth).
const nCells = 200, nGenes = 50;
const batch = Array.from({ length: nCells }, (_, i) => i % 2);
const rates = vt.tidy(() => vt.mul(vt.randomUniform([nCells, nGenes], { low: 0.2, high: 4, seed: 1 }), vt.tensor2d(batch.map((b) => [1 + b]))));
const draws = vt.randomPoisson([nCells, nGenes], rates, { seed: 2 });
const counts = CsrMatrix.fromDense(draws.dataSync(), nCells, nGenes);
vt.dispose([rates, draws]);

// A learned library needs the per-batch prior from the data (scvi-tools' _init_library_size).
const prior = libraryPrior(counts, batch, 2);
const module = new SCVIModule({
  nInput: nGenes, nBatch: 2, nLatent: 5, nHidden: 32,
  useObservedLibSize: false, libraryLogMeans: prior.logMeans, libraryLogVars: prior.logVars, seed: 0,
});
const optimizer = new Adam(module.parameters(), { lr: 1e-3, eps: 0.01, weightDecay: 1e-6 }); // scvi-tools' Adam

module.train();
for (let step = 0; step < 50; step++) {
  const rows = Array.from({ length: 64 }, (_, k) => (step * 64 + k) % nCells);
  // these rows as sparse CSR rows: the encoders multiply them directly, the likelihood densifies them
  const { x, batchIndex } = sparseMinibatch(counts, rows, { batchIndex: batch });
  const klWeight = klWarmupWeight(0, step, { nStepsKlWarmup: 25 }); // warm-up of the z term
  const { value, grads } = vt.variableGrads(() => module.loss(x, batchIndex, { klWeight, seed: step }).loss as vt.Scalar);
  optimizer.step(grads);
  if (step % 10 === 0) console.log(step, value.dataSync()[0]?.toFixed(1));
  vt.dispose([value, ...Object.values(grads), batchIndex]);
}

// Posterior means of z for a few cells, in eval mode.
module.eval();
const { x, batchIndex } = sparseMinibatch(counts, [0, 1, 2], { batchIndex: batch }); // never densified
const inf = module.inference(x, batchIndex, { giveMean: true });
console.log(inf.z.shape, inf.library.arraySync());
inf.qz.dispose();
inf.ql?.dispose();
vt.dispose([inf.z, inf.library, batchIndex]);
optimizer.dispose();
module.dispose();
