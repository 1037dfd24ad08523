// Time of one training step (loss + gradients of every parameter) of the veloVI module at the
// size of the pancreas run (a batch of 256 cells, 775 genes; velovi's 256 hidden units), and the
// kernels the time goes to (tfjs' profiler).
//
//   npx tsx bench/step.ts [--backend wasm] [--genes 775] [--batch 256] [--rounds 5]
import { setBackend } from '@vitae/tensor';
import * as t from '@vitae/tensor';
import '@vitae/wasm/register';
import { VELOVIModule } from '../src/index.js';

import type { BackendName } from '@vitae/tensor';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}

const backend = arg('backend', 'wasm') as BackendName;
const G = Number(arg('genes', '775'));
const B = Number(arg('batch', '256'));
const rounds = Number(arg('rounds', '5'));
await setBackend(backend);
const module = new VELOVIModule({ nInput: G, nHidden: 256, switchUnspliced: new Array<number>(G).fill(0.5), switchSpliced: new Array<number>(G).fill(0.5), seed: 1 });
const s = t.randomUniform([B, G], { seed: 1 });
const u = t.randomUniform([B, G], { seed: 2 });
module.train();
const params = module.parameters();
const step = (seed: number): void => {
  const { value, grads } = t.variableGrads(() => module.loss(s, u, { seed, klWeight: 0.3 }).loss as t.Scalar, params);
  value.dataSync();
  t.dispose([value, ...Object.values(grads)]);
};
step(0);
const started = performance.now();
for (let i = 0; i < rounds; i++) step(i + 1);
console.log(`${backend}: ${((performance.now() - started) / rounds).toFixed(1)} ms per step (batch ${B}, ${G} genes)`);
const prof = await t.profile(() => step(99));
const time = new Map<string, number>();
for (const k of prof.kernels) time.set(k.name, (time.get(k.name) ?? 0) + (k.kernelTimeMs as number));
console.log(`${prof.kernels.length} kernels; by time: ${[...time].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `${k} ${v.toFixed(1)} ms`).join(', ')}`);
t.dispose([s, u]);
module.dispose();
