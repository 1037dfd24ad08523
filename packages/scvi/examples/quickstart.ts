// The README's quick-start: SCVI on the bundled PBMC 3k counts (a short run; drop maxEpochs for
// scvi-tools' default of 400 epochs on 2,700 cells). Run: npx tsx examples/quickstart.ts
import { writeH5ad } from '@vitae/anndata';
import type { DenseArray } from '@vitae/anndata';
import { pbmc3k } from '@vitae/datasets';
import { SCVI } from '@vitae/scvi';
import * as vt from '@vitae/tensor';
import '@vitae/wasm/register';

await vt.setBackend('wasm');
await vt.ready();

const adata = await pbmc3k({ hvgOnly: true }); // raw counts, 2,700 cells × 2,000 genes
const model = new SCVI(adata, { seed: 0 }); // batchKey / labelsKey / layer as in setup_anndata
await model.train({
  maxEpochs: 20,
  onProgress: (p) => console.log(`epoch ${p.epoch + 1}: elbo_validation ${p.elboValidation?.toFixed(1)}`),
});

adata.obsm.X_scVI = model.getLatentRepresentation(); // posterior means, 2,700 × 10
adata.setLayer('scvi_normalized', model.getNormalizedExpression({ librarySize: 1e4 }) as DenseArray);
const de = model.differentialExpression({ groupby: 'cell_type', group1: 'B', mode: 'change' });
console.log(de.index.slice(0, 10)); // genes sorted by proba_de
console.log(model.getElbo(), model.getReconstructionError());

await model.save('scvi_pbmc3k'); // model.safetensors + config.json
const again = await SCVI.load('scvi_pbmc3k', adata);
await writeH5ad(adata, 'pbmc3k_scvi.h5ad'); // opens in scanpy
again.dispose();
model.dispose();
