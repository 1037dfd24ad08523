// `pnpm bench:fixed-epochs [epochs = 20] [wasm|cpu]`: SCVI.train on pbmc3k's 2,000 HVGs for a
// fixed number of epochs at seed 0, early stopping off; prints the last epoch's validation and
// training ELBO and the wall time as JSON. Run in two checkouts (before / after a speed change),
// it is issue 8's accuracy check: the validation ELBO must stay within 0.5 %.
import { pbmc3k } from '@vitae/datasets';
import * as t from '@vitae/tensor';
import '@vitae/wasm/register';
import { SCVI } from '../src/index.js';

import type { BackendName } from '@vitae/tensor';

const epochs = Number(process.argv[2] ?? 20);
if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`bench:fixed-epochs: epochs must be a positive integer, got ${process.argv[2]}`);
const backend = (process.argv[3] ?? 'wasm') as BackendName;
await t.setBackend(backend);
await t.ready();
const model = new SCVI(await pbmc3k({ hvgOnly: true }), { seed: 0 });
const started = performance.now();
const result = await model.train({ maxEpochs: epochs, seed: 0, earlyStopping: false });
const last = result.history.at(-1);
console.log(JSON.stringify({ epochs, backend, elboValidation: last?.elboValidation, elboTrain: last?.elboTrain, seconds: (performance.now() - started) / 1000 }));
model.dispose();
