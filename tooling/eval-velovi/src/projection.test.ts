// The velocity graph, transition matrices, velocity embedding and CBDir against a numpy / scipy
// re-implementation of scVelo's velocity_graph / transition_matrix / velocity_embedding and
// VeloAE / UniTVelo's cross_boundary_correctness (tooling/scvelo_projection.py → fixtures/).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crossBoundaryCorrectness } from './cbdir.js';
import { toDense } from './sparse.js';
import { transitionMatrix } from './transition-matrix.js';
import { velocityEmbedding } from './velocity-embedding.js';
import { neighborIndicesFromDistances, velocityGraph } from './velocity-graph.js';

interface Fixture {
  n: number;
  g: number;
  X: number[];
  V: number[];
  embedding: number[];
  distances: { indptr: number[]; indices: number[]; data: number[] };
  neighborIndices: number[][];
  graph: number[];
  selfProb: number[];
  transitionDefault: number[];
  transitionNegative: number[];
  velocityEmbedding: (number | null)[];
  clusters: string[];
  edges: [string, string][];
  cbdir: Record<string, { score: number | null; nCells: number }>;
}

const fx = JSON.parse(readFileSync(new URL('../fixtures/scvelo-projection.json', import.meta.url), 'utf8')) as Fixture;
const X = { values: Float64Array.from(fx.X), nRows: fx.n, nCols: fx.g };
const V = { values: Float64Array.from(fx.V), nRows: fx.n, nCols: fx.g };
const emb = { values: Float64Array.from(fx.embedding), nRows: fx.n, nCols: 2 };
const dist = { nRows: fx.n, ...fx.distances };

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let k = 0; k < actual.length; k++) worst = Math.max(worst, Math.abs((actual[k] as number) - (expected[k] as number)));
  expect(worst).toBeLessThan(tol);
}

describe('scVelo reference (numpy / scipy re-implementation)', () => {
  const neighbors = neighborIndicesFromDistances(dist);
  const vg = velocityGraph(X, V, neighbors);

  it('get_indices: every row trimmed to the minimum count, nearest kept', () => {
    expect(neighbors.map((r) => Array.from(r))).toEqual(fx.neighborIndices.map((r) => [...r].sort((a, b) => a - b)));
  });

  it('velocity_graph: signed cosines (graph + graph_neg) and self_transition', () => {
    expectClose(toDense(vg.graph), fx.graph, 1e-12);
    expect(vg.graph.values.length).toBe(fx.graph.filter((c) => c !== 0).length);
    expectClose(vg.selfProb, fx.selfProb, 1e-12);
  });

  it('transition_matrix, default (exp(10 cos)) and with negative cosines', () => {
    expectClose(toDense(transitionMatrix(vg.graph, vg.selfProb)), fx.transitionDefault, 1e-12);
    expectClose(toDense(transitionMatrix(vg.graph, vg.selfProb, { useNegativeCosines: true })), fx.transitionNegative, 1e-12);
  });

  it('velocity_embedding (no autoscale); cells without transitions give 0 where scVelo gives NaN', () => {
    const ve = velocityEmbedding(vg, emb);
    expectClose(ve, fx.velocityEmbedding.map((x) => x ?? 0), 1e-12);
    expect(fx.velocityEmbedding.some((x) => x === null)).toBe(true);
  });

  it('cross_boundary_correctness per edge', () => {
    const ve = { values: velocityEmbedding(vg, emb), nRows: fx.n, nCols: 2 };
    for (const [a, b] of fx.edges) {
      const ref = fx.cbdir[`${a}->${b}`] as { score: number | null; nCells: number };
      const got = crossBoundaryCorrectness(emb, ve, fx.clusters, neighbors, a, b);
      expect(got.nCells).toBe(ref.nCells);
      if (ref.score === null) expect(got.score).toBeNaN();
      else expect(got.score).toBeCloseTo(ref.score, 12);
    }
  });
});
