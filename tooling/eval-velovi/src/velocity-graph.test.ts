import { describe, expect, it } from 'vitest';
import { rowEntries } from './sparse.js';
import { lineCase } from './testing.js';
import { iterativeNeighbors, neighborIndicesFromDistances, percentile, velocityGraph } from './velocity-graph.js';

describe('velocityGraph', () => {
  it('velocities along the line: cos +1 to cells ahead, −1 behind, nothing stored for the cell itself', () => {
    const { X, V, neighbors } = lineCase(10);
    const vg = velocityGraph(X, V, neighbors);
    for (let i = 0; i < 10; i++) {
      const row = rowEntries(vg.graph, i);
      expect(row.map(([j]) => j)).toEqual([i - 2, i - 1, i + 1, i + 2].filter((j) => j >= 0 && j < 10));
      for (const [j, c] of row) expect(c).toBeCloseTo(j > i ? 1 : -1, 12);
    }
    // confidence 1 everywhere except the last cell (0); the 98th percentile is 1.
    const expected = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    vg.selfProb.forEach((p, i) => expect(p).toBeCloseTo(expected[i] as number, 12));
  });

  it('a zero or gene-constant velocity stores no row', () => {
    const { X, V, neighbors } = lineCase(6);
    V.values.fill(0, 0, 4);
    V.values.fill(3, 4, 8);
    const vg = velocityGraph(X, V, neighbors);
    expect(rowEntries(vg.graph, 0)).toEqual([]);
    expect(rowEntries(vg.graph, 1)).toEqual([]);
    expect(rowEntries(vg.graph, 2).length).toBe(4);
  });

  it('checks shapes', () => {
    const { X, neighbors } = lineCase(4);
    expect(() => velocityGraph(X, { values: new Float64Array(4), nRows: 1, nCols: 4 }, neighbors)).toThrow(/V must have X's shape/);
  });
});

describe('neighbour sets', () => {
  it('get_indices keeps the nearest min-count neighbours of each row', () => {
    const dist = { nRows: 3, indptr: [0, 3, 5, 7], indices: [1, 2, 0, 0, 2, 0, 1], data: [0.5, 0.2, 9, 0.1, 0.3, 0.4, 0.6] };
    // row 0 has 3 entries, the minimum is 2: the nearest two (columns 2 and 1) are kept.
    expect(neighborIndicesFromDistances(dist).map((r) => Array.from(r))).toEqual([[1, 2], [0, 2], [0, 1]]);
  });

  it('two recursions: the cell, its neighbours and theirs', () => {
    const nb = [[1], [2], [3], [0]].map((r) => Int32Array.from(r));
    expect(Array.from(iterativeNeighbors(nb, 0, 1))).toEqual([0, 1]);
    expect(Array.from(iterativeNeighbors(nb, 0, 2))).toEqual([0, 1, 2]);
  });

  it('percentile interpolates linearly as numpy', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBeCloseTo(2.5, 12);
    expect(percentile([0, 10], 98)).toBeCloseTo(9.8, 12);
  });
});
