import { loadFixture } from '@vitae/fixtures/load';
import { describe, expect, it } from 'vitest';
import { adjustedRandIndex, clusteringAccuracy, normalizedMutualInfo } from './accuracy.js';

// ARI (pair confusion form), NMI (arithmetic mean) and clustering accuracy computed with numpy /
// scipy (tooling/fixtures/generators/clustering.py).
interface LabelingCase {
  name: string;
  a: number[];
  b: number[];
  ari: number;
  nmi: number;
  accuracy: number;
}

const fixture = loadFixture('clustering') as { labelings: LabelingCase[] };

describe.each(fixture.labelings)('$name', (c) => {
  it('matches the reference ARI, NMI and accuracy', () => {
    expect(Math.abs(adjustedRandIndex(c.a, c.b) - c.ari)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(normalizedMutualInfo(c.a, c.b) - c.nmi)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(clusteringAccuracy(c.a, c.b).accuracy - c.accuracy)).toBeLessThanOrEqual(1e-12);
  });

  it('is symmetric (ARI, NMI) and takes typed arrays', () => {
    expect(adjustedRandIndex(Int32Array.from(c.b), Float64Array.from(c.a))).toBeCloseTo(c.ari, 12);
    expect(normalizedMutualInfo(Int32Array.from(c.b), c.a)).toBeCloseTo(c.nmi, 12);
  });
});

describe('clusteringAccuracy', () => {
  it('maps clusters to labels one to one', () => {
    const labels = [0, 0, 0, 1, 1, 1, 2, 2, 2];
    const predicted = [7, 7, 7, 3, 3, 5, 5, 5, 5];
    const { accuracy, mapping } = clusteringAccuracy(predicted, labels);
    expect(accuracy).toBeCloseTo(8 / 9, 15);
    expect(mapping).toEqual(
      new Map([
        [3, 1],
        [5, 2],
        [7, 0],
      ]),
    );
  });

  it('counts the items of unmatched clusters as wrong when there are more clusters than labels', () => {
    // Clusters 0 and 1 both hold label 0: only one can be matched to it.
    const { accuracy, mapping } = clusteringAccuracy([0, 0, 1, 1, 2, 2], [0, 0, 0, 0, 1, 1]);
    expect(accuracy).toBeCloseTo(4 / 6, 15);
    expect(mapping.size).toBe(2);
    expect(mapping.get(2)).toBe(1);
  });

  it('leaves labels unmatched when there are fewer clusters than labels', () => {
    const { accuracy, mapping } = clusteringAccuracy([0, 0, 0, 0, 0, 0], [0, 0, 0, 1, 1, 2]);
    expect(accuracy).toBe(0.5);
    expect(mapping).toEqual(new Map([[0, 0]]));
  });
});

describe('adjustedRandIndex and normalizedMutualInfo', () => {
  it('give 1 for the same partition under other names, and their limit cases', () => {
    expect(adjustedRandIndex([0, 0, 1, 1, 2], [5, 5, 9, 9, -1])).toBe(1);
    expect(normalizedMutualInfo([0, 0, 1, 1, 2], [5, 5, 9, 9, -1])).toBeCloseTo(1, 15);
    expect(adjustedRandIndex([1, 1, 1], [2, 2, 2])).toBe(1);
    expect(normalizedMutualInfo([1, 1, 1], [2, 2, 2])).toBe(1);
    expect(normalizedMutualInfo([1, 1, 1], [0, 1, 2])).toBe(0);
  });
});

describe('argument errors', () => {
  it('names the function, the argument and the value', () => {
    expect(() => clusteringAccuracy([0, 1], [0])).toThrow("clusteringAccuracy: arguments 'predicted' and 'labels' must have the same length, got 2 and 1");
    expect(() => adjustedRandIndex([], [])).toThrow("adjustedRandIndex: arguments 'a' and 'b' must not be empty");
    expect(() => normalizedMutualInfo([0, 1.5], [0, 1])).toThrow("normalizedMutualInfo: argument 'a' must hold integer labels, got 1.5 at index 1");
    expect(() => clusteringAccuracy([0, 1], 'ab' as unknown as number[])).toThrow("clusteringAccuracy: argument 'labels' must be an array or typed array of integer labels, got 'ab'");
  });
});
