import { describe, expect, it } from 'vitest';
import { IMAGE_SIZE, binarize, loadMnist, splitTrainTest } from './mnist.js';

const mnist = loadMnist();
const counts = Array.from({ length: 10 }, (_, digit) => mnist.labels.filter((label) => label === digit).length);

describe('loadMnist', () => {
  it('loads the 10,000 digits of the mnist package, 784 grey values each', () => {
    expect(mnist.n).toBe(10000);
    expect(mnist.images.length).toBe(10000 * IMAGE_SIZE);
    expect(mnist.labels.length).toBe(10000);
  });

  it(`has every digit (counts 0-9: ${counts.join(', ')})`, () => {
    expect(counts.reduce((a, b) => a + b, 0)).toBe(10000);
    for (const count of counts) expect(count).toBeGreaterThan(800);
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  });

  it('holds grey values in [0, 1], not all 0 or 1', () => {
    let min = Infinity;
    let max = -Infinity;
    let between = 0;
    for (const v of mnist.images) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      if (v > 0 && v < 1) between++;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    expect(between).toBeGreaterThan(0);
  });

  it('interleaves the digits: the first 1,000 images hold every digit', () => {
    const first = new Set(mnist.labels.subarray(0, 1000));
    expect(first.size).toBe(10);
  });

  it('returns the same order every call', () => {
    const again = loadMnist();
    // Compared as bytes: a deep equality of 7.8 million floats is slow.
    expect(Buffer.from(again.labels.buffer).equals(Buffer.from(mnist.labels.buffer))).toBe(true);
    expect(Buffer.from(again.images.buffer).equals(Buffer.from(mnist.images.buffer))).toBe(true);
  }, 60_000); // parsing 10,000 digits takes 2-3 s alone, over 5 s on a loaded 2-core machine
});

describe('splitTrainTest', () => {
  it('splits by the seed, deterministically, keeping the rows intact', () => {
    const split = splitTrainTest(mnist, { testFraction: 0.2, seed: 1 });
    expect(split.test.n).toBe(2000);
    expect(split.train.n).toBe(8000);
    expect(new Set([...split.trainIndices, ...split.testIndices]).size).toBe(10000);
    const row = split.testIndices[5] as number;
    expect(split.test.labels[5]).toBe(mnist.labels[row]);
    expect(Array.from(split.test.images.subarray(5 * IMAGE_SIZE, 6 * IMAGE_SIZE))).toEqual(Array.from(mnist.images.subarray(row * IMAGE_SIZE, (row + 1) * IMAGE_SIZE)));
    expect(new Set(split.test.labels).size).toBe(10);
    expect(Array.from(splitTrainTest(mnist, { testFraction: 0.2, seed: 1 }).testIndices)).toEqual(Array.from(split.testIndices));
    expect(Array.from(splitTrainTest(mnist, { testFraction: 0.2, seed: 2 }).testIndices)).not.toEqual(Array.from(split.testIndices));
  });

  it('rejects a fraction outside (0, 1)', () => {
    expect(() => splitTrainTest(mnist, { testFraction: 1, seed: 0 })).toThrow("splitTrainTest: option 'testFraction' must be a number in (0, 1), got 1");
    expect(() => splitTrainTest(mnist, { testFraction: 1e-5, seed: 0 })).toThrow('leaves no test image');
  });
});

describe('binarize', () => {
  it('sets values above the threshold to 1, the rest to 0', () => {
    expect(Array.from(binarize(new Float32Array([0, 0.2, 0.5, 0.51, 1])))).toEqual([0, 0, 0, 1, 1]);
    expect(Array.from(binarize(new Float32Array([0, 0.2, 0.5, 0.51, 1]), 0.1))).toEqual([0, 1, 1, 1, 1]);
    expect(() => binarize(new Float32Array(1), 2)).toThrow("binarize: argument 'threshold' must be a number in [0, 1], got 2");
  });
});
