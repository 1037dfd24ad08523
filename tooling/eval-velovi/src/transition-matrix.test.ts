import { describe, expect, it } from 'vitest';
import { fromRows, rowEntries } from './sparse.js';
import { transitionMatrix } from './transition-matrix.js';

describe('transitionMatrix', () => {
  const graph = fromRows([[[1, 1], [2, -1]], [[0, 0.5]], []], 3);

  it('default: exp(10 cos) for every stored cosine, rows summing to 1', () => {
    const t = transitionMatrix(graph, [0, 0, 0]);
    const z = Math.exp(10) + Math.exp(-10);
    expect(rowEntries(t, 0)).toEqual([[1, Math.exp(10) / z], [2, Math.exp(-10) / z]]);
    expect(rowEntries(t, 1)).toEqual([[0, 1]]);
    expect(rowEntries(t, 2)).toEqual([]);
  });

  it('negative cosines push the other way, rows normalised by absolute sums', () => {
    const t = transitionMatrix(graph, [0, 0, 0], { useNegativeCosines: true });
    const row = rowEntries(t, 0);
    expect(row[0]?.[1]).toBeCloseTo(0.5, 15);
    expect(row[1]?.[1]).toBeCloseTo(-0.5, 15);
  });

  it('self transitions: self_prob on the diagonal, nothing when it is 0, off on request', () => {
    const t = transitionMatrix(graph, [0, 0.2, 0.3]);
    const [a, b] = [Math.exp(10 * 0.5), Math.exp(10 * 0.2)];
    expect(rowEntries(t, 1)).toEqual([[0, a / (a + b)], [1, b / (a + b)]]);
    expect(rowEntries(t, 2)).toEqual([[2, 1]]);
    expect(rowEntries(transitionMatrix(graph, [0, 0.2, 0.3], { selfTransitions: false }), 2)).toEqual([]);
    expect(() => transitionMatrix(graph, [0, 0])).toThrow(/one entry per cell/);
  });
});
