import { describe, expect, it } from 'vitest';
import { cosine, crossBoundaryCorrectness, geneSpaceDirection } from './cbdir.js';
import { lineCase } from './testing.js';
import { velocityEmbedding } from './velocity-embedding.js';
import { velocityGraph } from './velocity-graph.js';

describe('crossBoundaryCorrectness', () => {
  const n = 10;
  const clusters = Array.from({ length: n }, (_, i) => (i < 5 ? 'A' : 'B'));
  const emb = { values: Float64Array.from({ length: 2 * n }, (_, k) => (k % 2 === 0 ? k / 2 : 0)), nRows: n, nCols: 2 };

  it('velocities pointing along A → B give CBDir 1, reversed −1 (the whole pipeline on a line)', () => {
    for (const sign of [1, -1]) {
      const { X, V, neighbors } = lineCase(n, sign);
      const ve = { values: velocityEmbedding(velocityGraph(X, V, neighbors), emb), nRows: n, nCols: 2 };
      const ab = crossBoundaryCorrectness(emb, ve, clusters, neighbors, 'A', 'B');
      expect(ab).toEqual({ score: expect.closeTo(sign, 12) as number, nCells: 1, nPairs: 1 });
      expect(crossBoundaryCorrectness(emb, ve, clusters, neighbors, 'B', 'A').score).toBeCloseTo(-sign, 12);
      // in gene space, no projection
      expect(geneSpaceDirection(X, V, clusters, neighbors, 'A', 'B').score).toBeCloseTo(sign, 12);
    }
  });

  it('averages per cell first, then over cells', () => {
    // cell 0 (A) at the origin with B neighbours at (1, 0) and (0, 1); cell 1 (A) with one B neighbour (−1, 0) behind it.
    const x = { values: Float64Array.from([0, 0, 5, 0, 1, 0, 0, 1, 4, 0]), nRows: 5, nCols: 2 };
    const v = { values: Float64Array.from([1, 0, 1, 0, 0, 0, 0, 0, 0, 0]), nRows: 5, nCols: 2 };
    const labels = ['A', 'A', 'B', 'B', 'B'];
    const nb = [[2, 3, 1], [4, 0], [0], [0], [1]].map((r) => Int32Array.from(r));
    // cell 0: mean(1, 0) = 0.5; cell 1: cos((−1, 0), (1, 0)) = −1; CBDir = (0.5 − 1) / 2; pairwise mean = (1 + 0 − 1) / 3
    expect(crossBoundaryCorrectness(x, v, labels, nb, 'A', 'B')).toEqual({ score: -0.25, nCells: 2, nPairs: 3 });
    expect(geneSpaceDirection(x, v, labels, nb, 'A', 'B').score).toBeCloseTo(0, 15);
    expect(crossBoundaryCorrectness(x, v, labels, nb, 'B', 'C').score).toBeNaN();
  });

  it('a zero vector has cosine 0', () => {
    expect(cosine([0, 0], 0, [1, 2], 0, 2)).toBe(0);
    expect(cosine([1, 1], 0, [2, 2], 0, 2)).toBeCloseTo(1, 15);
  });
});
