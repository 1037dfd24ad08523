// The README's module example: a VELOVIModule trained for a few steps in a hand-written loop.
// Run: npx tsx examples/readme.ts
import { AdamW, clipGradNorm } from '@vitae/inference';
import * as vt from '@vitae/tensor';
import { VELOVIModule, disposeGenerative, disposeInference, velocityOf } from '@vitae/velovi';

await vt.ready();
const G = 50;
const spliced = vt.randomUniform([128, G], { seed: 1 });
const unspliced = vt.randomUniform([128, G], { seed: 2 });
const module = new VELOVIModule({
  nInput: G, nHidden: 64, seed: 0,
  // the switch-penalty targets (VELOVI computes them from the data: upperQuantileMedians)
  switchUnspliced: new Array(G).fill(0.8), switchSpliced: new Array(G).fill(0.8),
});
const optimizer = new AdamW(module.parameters(), { lr: 1e-2, eps: 0.01, weightDecay: 1e-2 });
module.train();
for (let step = 0; step < 20; step++) {
  const klWeight = step / 20; // the warm-up of KL(z); the switch penalty gets 0.2 · (1 − klWeight)
  const { value, grads } = vt.variableGrads(() => module.loss(spliced, unspliced, { seed: step, klWeight }).loss as vt.Scalar);
  const clipped = clipGradNorm(grads, 10);
  optimizer.step(clipped.grads);
  if (step % 5 === 0) console.log(`step ${step}: loss ${value.dataSync()[0]?.toFixed(1)}, gradient norm ${clipped.totalNorm.toFixed(1)}`);
  vt.dispose([value, ...Object.values(grads), ...Object.values(clipped.grads)]);
}
module.eval();
const inf = module.inference(spliced, unspliced, { giveMean: true });
const gen = module.generative(inf.z, { giveMean: true });
const v = velocityOf(module, gen, 'spliced', 'mean'); // [128, G]
console.log(v.shape);
disposeInference(inf);
disposeGenerative(gen);
vt.dispose([v, spliced, unspliced]);
module.dispose();
