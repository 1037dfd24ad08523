// The README's main job (for now): maximum-likelihood fit of a negative binomial, the count
// model under scVI, on simulated Gamma-Poisson counts, trained with Adam on the wasm backend.
// Gradients flow through the SIMD lgamma / digamma kernels of @vitae/wasm.
import '@vitae/wasm/register';
import * as vt from '@vitae/tensor';
import { listArrayKernels } from '@vitae/tensor/kernels';
import { logNegativeBinomial, sampleNegativeBinomial } from './negative-binomial.js';

const TRUE_MU = 8;
const TRUE_THETA = 2.5;
const CELLS = 50_000;
const STEPS = 600;

const started = performance.now();
const backend = await vt.ready();
const providers = [...new Set(listArrayKernels().map((k) => k.provider))].join(', ');
console.log(`vitae demo: negative binomial maximum likelihood on backend '${backend}' (special-function kernels: ${providers})`);

const counts = sampleNegativeBinomial(CELLS, TRUE_MU, TRUE_THETA, 2026);
const sampleMean = vt.mean(counts).dataSync()[0] as number;
console.log(`simulated ${CELLS} counts with mu = ${TRUE_MU}, theta = ${TRUE_THETA} (sample mean ${sampleMean.toFixed(3)})`);

// Unconstrained parameters: mu = exp(logMu), theta = softplus(rawTheta), as scvi-tools does for px_r.
const logMu = vt.variable(vt.scalar(0), true, 'logMu');
const rawTheta = vt.variable(vt.scalar(0), true, 'rawTheta');
const optimizer = vt.train.adam(0.08);
const negLogLik = () => vt.neg(vt.mean(logNegativeBinomial(counts, vt.exp(logMu), vt.softplus(rawTheta)))) as vt.Scalar;

const trainStart = performance.now();
for (let step = 1; step <= STEPS; step++) {
  const loss = optimizer.minimize(negLogLik, true) as vt.Scalar;
  if (step === 1 || step % 75 === 0) {
    const mu = Math.exp(logMu.dataSync()[0] as number);
    const theta = vt.tidy(() => vt.softplus(rawTheta).dataSync()[0] as number);
    console.log(`step ${String(step).padStart(3)}  -loglik/cell ${(loss.dataSync()[0] as number).toFixed(5)}  mu ${mu.toFixed(4)}  theta ${theta.toFixed(4)}`);
  }
  loss.dispose();
}
const trainSeconds = (performance.now() - trainStart) / 1000;

const mu = Math.exp(logMu.dataSync()[0] as number);
const theta = vt.tidy(() => vt.softplus(rawTheta).dataSync()[0] as number);
// At the maximum-likelihood point the score for mu is zero, which puts mu at the sample mean.
console.log('');
console.log(`fitted  mu    = ${mu.toFixed(4)}  (true ${TRUE_MU}; MLE = sample mean ${sampleMean.toFixed(4)})`);
console.log(`fitted  theta = ${theta.toFixed(4)}  (true ${TRUE_THETA})`);
console.log(`training: ${STEPS} Adam steps over ${CELLS} counts in ${trainSeconds.toFixed(2)} s; total ${((performance.now() - started) / 1000).toFixed(2)} s`);
const ok = Math.abs(mu - sampleMean) / sampleMean < 0.01 && Math.abs(theta - TRUE_THETA) / TRUE_THETA < 0.1;
vt.dispose([counts, logMu, rawTheta]);
optimizer.dispose();
if (!ok) {
  console.error('demo: the fit did not converge to the expected parameters');
  process.exit(1);
}
