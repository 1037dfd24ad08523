// scVelo's velocity_embedding (scvelo/tools/velocity_embedding.py) with its defaults except the
// autoscale (scale 10, self_transitions true, use_negative_cosines true, retain_scale false):
//
//   T = transition_matrix(…, useNegativeCosines: true), then its diagonal dropped (setdiag(0));
//   for cell i over its stored neighbours j:  δ_ij = (x_j − x_i) / ‖x_j − x_i‖  (0 where x_j = x_i)
//   ṽ_i = Σ_j T_ij δ_ij − mean_j(T_ij) Σ_j δ_ij
//
// i.e. the expected unit displacement under T minus the one under uniform weights over the same
// neighbours. scVelo's autoscale then divides every arrow by one positive number (matplotlib's
// quiver scale) for drawing; it is left out here since it changes no direction. A cell without
// stored transitions gets 0 (scVelo would give NaN there).
import { transitionMatrix } from './transition-matrix.js';

import type { SparseRows } from './sparse.js';
import type { TransitionMatrixOptions } from './transition-matrix.js';
import type { Matrix2D, VelocityGraph } from './velocity-graph.js';

/** Projects a transition matrix onto the embedding coordinates (cells × d): the cells × d velocity embedding. */
export function projectTransitions(t: SparseRows, embedding: Matrix2D): Float64Array {
  const n = embedding.nRows;
  const d = embedding.nCols;
  if (t.nRows !== n) throw new RangeError(`projectTransitions: the transition matrix has ${t.nRows} rows, the embedding ${n}`);
  const out = new Float64Array(n * d);
  const delta = new Float64Array(d);
  const weighted = new Float64Array(d);
  const summed = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    weighted.fill(0);
    summed.fill(0);
    let sumP = 0;
    let count = 0;
    for (let p = t.indptr[i] as number; p < (t.indptr[i + 1] as number); p++) {
      const j = t.indices[p] as number;
      const w = t.values[p] as number;
      if (j === i || w === 0) continue; // setdiag(0) + eliminate_zeros
      let norm = 0;
      for (let c = 0; c < d; c++) {
        delta[c] = (embedding.values[j * d + c] as number) - (embedding.values[i * d + c] as number);
        norm += (delta[c] as number) ** 2;
      }
      norm = Math.sqrt(norm);
      for (let c = 0; c < d; c++) {
        const u = norm > 0 ? (delta[c] as number) / norm : 0;
        weighted[c] = (weighted[c] as number) + w * u;
        summed[c] = (summed[c] as number) + u;
      }
      sumP += w;
      count++;
    }
    if (count === 0) continue;
    const meanP = sumP / count;
    for (let c = 0; c < d; c++) out[i * d + c] = (weighted[c] as number) - meanP * (summed[c] as number);
  }
  return out;
}

/** velocity_embedding: the transition matrix of the velocity graph (negative cosines on) projected onto the embedding. */
export function velocityEmbedding(vgraph: VelocityGraph, embedding: Matrix2D, options: TransitionMatrixOptions = {}): Float64Array {
  const t = transitionMatrix(vgraph.graph, vgraph.selfProb, { scale: options.scale ?? 10, selfTransitions: options.selfTransitions ?? true, useNegativeCosines: options.useNegativeCosines ?? true });
  return projectTransitions(t, embedding);
}
