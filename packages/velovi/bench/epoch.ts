// veloVI training speed on real data: seconds per epoch on the pancreas endocrinogenesis subset
// (739 cells, @vitae/datasets) after velovi's tutorial preprocessing (as bench/pancreas.ts), and
// where one training step's time goes.
//
//   npx tsx bench/epoch.ts [--epochs 8] [--rounds 5] [--backend wasm] [--seed 0] [--json] [--no-step] [--no-epochs]
//
// 1. Epochs: VELOVI(adata).train({ maxEpochs: N, earlyStopping: false }) with velovi's defaults
//    otherwise (batch 256, 90 % training cells: 3 steps and one validation pass an epoch); the
//    median of the wall-clock seconds of epochs 2..N (epoch 1 includes warm-up).
// 2. Step: the veloVI module at the same size (a batch of 256 cells, the dataset's genes,
//    256 hidden units) in training mode: the median time of the loss alone and of loss +
//    gradients of every parameter over `rounds` steps, then tfjs' profiler on one step (kernel
//    count, kernel time, the top kernels by time with their counts).
// With --json the last line is a JSON summary (bench/compare.ts reads it).
import { pancreas } from '@vitae/datasets';
import { filterAndNormalize, moments, preprocessVelocityData } from '@vitae/preprocess';
import * as t from '@vitae/tensor';
import '@vitae/wasm/register';
import { VELOVI, VELOVIModule } from '../src/index.js';

import type { BackendName } from '@vitae/tensor';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}
const flag = (name: string): boolean => process.argv.includes(`--${name}`);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const epochs = Number(arg('epochs', '8'));
const rounds = Number(arg('rounds', '5'));
const seed = Number(arg('seed', '0'));
const backend = arg('backend', 'wasm') as BackendName;
const json = flag('json');
await t.setBackend(backend);

let started = performance.now();
const adata = preprocessVelocityData(moments(filterAndNormalize(await pancreas(), { minSharedCounts: 30, nTopGenes: 2000 }), { nPcs: 30, nNeighbors: 30 }));
console.log(`${backend}: preprocessed in ${((performance.now() - started) / 1000).toFixed(1)} s: ${adata.nObs} cells × ${adata.nVars} genes`);
const summary: Record<string, unknown> = { backend, nCells: adata.nObs, nGenes: adata.nVars };

if (!flag('no-epochs')) {
  const model = new VELOVI(adata, { seed });
  const seconds: number[] = [];
  const losses: number[] = [];
  started = performance.now();
  await model.train({
    maxEpochs: epochs,
    seed,
    earlyStopping: false,
    onProgress: (p) => {
      seconds.push(p.seconds);
      losses.push(p.trainLoss);
    },
  });
  const total = (performance.now() - started) / 1000;
  const perEpoch = median(seconds.slice(1));
  console.log(`epochs: ${seconds.map((s) => s.toFixed(2)).join(' ')} s; median of epochs 2..${epochs}: ${perEpoch.toFixed(3)} s per epoch (${total.toFixed(1)} s in all)`);
  console.log(`train loss by epoch: ${losses.map((l) => l.toFixed(2)).join(' ')}`);
  Object.assign(summary, { epochs, secondsPerEpoch: perEpoch, epochSeconds: seconds, trainLoss: losses });
  model.dispose();
}

if (!flag('no-step')) {
  const G = adata.nVars;
  const B = 256;
  const module = new VELOVIModule({ nInput: G, nHidden: 256, switchUnspliced: new Array<number>(G).fill(0.5), switchSpliced: new Array<number>(G).fill(0.5), seed: 1 });
  const s = t.randomUniform([B, G], { seed: 1 });
  const u = t.randomUniform([B, G], { seed: 2 });
  module.train();
  const params = module.parameters();
  const forward = (stepSeed: number): void => {
    const loss = t.tidy(() => module.loss(s, u, { seed: stepSeed, klWeight: 0.3 }).loss);
    loss.dataSync();
    loss.dispose();
  };
  const step = (stepSeed: number): void => {
    const { value, grads } = t.variableGrads(() => module.loss(s, u, { seed: stepSeed, klWeight: 0.3 }).loss as t.Scalar, params);
    value.dataSync();
    t.dispose([value, ...Object.values(grads)]);
  };
  step(0);
  forward(0);
  const fwd: number[] = [];
  const full: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let t0 = performance.now();
    forward(i + 1);
    fwd.push(performance.now() - t0);
    t0 = performance.now();
    step(i + 1);
    full.push(performance.now() - t0);
  }
  const stepMs = median(full);
  const forwardMs = median(fwd);
  console.log(`step (batch ${B}, ${G} genes, medians of ${rounds}): loss + gradients ${stepMs.toFixed(1)} ms, loss alone ${forwardMs.toFixed(1)} ms`);
  const prof = await t.profile(() => step(99));
  const time = new Map<string, [number, number]>();
  let kernelMs = 0;
  for (const k of prof.kernels) {
    const ms = k.kernelTimeMs as number;
    kernelMs += ms;
    const [tm, n] = time.get(k.name) ?? [0, 0];
    time.set(k.name, [tm + ms, n + 1]);
  }
  const top = [...time].sort((a, b) => b[1][0] - a[1][0]).slice(0, 14);
  console.log(`profiled step: ${prof.kernels.length} kernels, ${kernelMs.toFixed(1)} ms kernel time; by time: ${top.map(([k, [ms, n]]) => `${k} ${ms.toFixed(1)} ms (${n})`).join(', ')}`);
  Object.assign(summary, { stepMs, forwardMs, kernels: prof.kernels.length, kernelMs });
  t.dispose([s, u]);
  module.dispose();
}
if (json) console.log(JSON.stringify(summary));
