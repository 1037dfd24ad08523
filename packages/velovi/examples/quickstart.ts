// veloVI's tutorial on the pancreas data shipped with vitae: scVelo preprocessing, training with
// velovi's defaults, velocity / latent time / states / uncertainty, and an .h5ad for scVelo.
// Run: npx tsx examples/quickstart.ts   (EPOCHS=20 for a quick look; the default is velovi's 500)
import { writeH5ad } from '@vitae/anndata';
import { pancreas } from '@vitae/datasets';
import { filterAndNormalize, moments, preprocessVelocityData } from '@vitae/preprocess';
import * as vt from '@vitae/tensor';
import '@vitae/wasm/register'; // the SIMD kernels
import { VELOVI, addVeloviOutputs } from '@vitae/velovi';

import type { DenseArray } from '@vitae/anndata';

await vt.setBackend('wasm');

// scv.pp.filter_and_normalize + scv.pp.moments + velovi.preprocess_data
const raw = await pancreas(); // 739 cells, layers spliced / unspliced, obs clusters
const adata = preprocessVelocityData(moments(filterAndNormalize(raw, { minSharedCounts: 30, nTopGenes: 2000 }), { nPcs: 30, nNeighbors: 30 }));
console.log(`${adata.nObs} cells × ${adata.nVars} genes after preprocessing`);

const model = new VELOVI(adata, { seed: 0 }); // splicedLayer 'Ms', unsplicedLayer 'Mu'
const result = await model.train({
  maxEpochs: Number(process.env.EPOCHS ?? 500),
  onProgress: (p) => {
    if (p.epoch % 20 === 0) console.log(`epoch ${p.epoch}: elbo_validation ${p.elboValidation?.toFixed(1)}`);
  },
});
console.log(`${result.epochs} epochs (${result.stopReason}) in ${result.seconds.toFixed(0)} s`);

const velocity = model.getVelocity({ nSamples: 25 }) as DenseArray; // cells × genes, ds/dt
const time = model.getLatentTime({ nSamples: 25 }) as DenseArray; // cells × genes, on [0, 20]
const states = model.getStateAssignment({ hard: true }); // induction / repression / steady states
const rates = model.getRates(); // per gene α, β, γ
const { table } = model.getDirectionalUncertainty({ nSamples: 50 });
console.log(velocity.shape, time.shape, states.label(0, 0), rates.gamma[0], table.columnNames);

// Per cell type, which genes the model's dynamics explain (velovi's permutation scores).
const { scores } = model.getPermutationScores({ labelsKey: 'clusters' });
console.log(scores.columnNames);

// layers velocity / fit_t, var fit_alpha / fit_beta / fit_gamma / fit_t_, obs latent_time: for scVelo.
addVeloviOutputs(adata, model);
await writeH5ad(adata, 'pancreas_velovi.h5ad');
await model.save('velovi_pancreas');
model.dispose();
