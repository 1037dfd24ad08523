// scVelo's transition_matrix (scvelo/tools/transition_matrix.py) without basis, diffusion,
// indirect-neighbour weights or thresholds (all off by default), from a signed velocity graph:
//
// - self transitions (default on): the diagonal set to self_prob (velocity_graph's
//   self_transition); a zero self_prob stores nothing (scipy drops the explicit zero setdiag
//   leaves when graph and graph_neg are added);
// - useNegativeCosines false (transition_matrix's default): T_ij = exp(scale · cos_ij) for every
//   stored cosine, positive or negative (expm1(graph · scale) + expm1(graph_neg · scale), then
//   +1 on the stored entries); diagonal exp(scale · self_prob);
// - useNegativeCosines true (what velocity_embedding asks for): T_ij = expm1(scale · cos_ij) for
//   positive cosines and −expm1(scale · |cos_ij|) for negative ones (they push the other way);
//   diagonal expm1(scale · self_prob);
// - scale 10 (scVelo's default kernel width 1 / 10);
// - each row divided by the sum of its absolute values (scVelo's normalize on a sparse matrix).
import { fromRows, rowEntries } from './sparse.js';

import type { SparseRows } from './sparse.js';

export interface TransitionMatrixOptions {
  /** Kernel scale (scVelo default 10). */
  scale?: number;
  /** Allow self transitions with velocity_graph's self_prob on the diagonal (default true). */
  selfTransitions?: boolean;
  /** Negative cosines become negative weights (default false; velocity_embedding passes true). */
  useNegativeCosines?: boolean;
}

/** Row-normalised transition weights from a signed velocity graph and its self_prob. */
export function transitionMatrix(graph: SparseRows, selfProb: ArrayLike<number>, options: TransitionMatrixOptions = {}): SparseRows {
  const scale = options.scale ?? 10;
  const selfTransitions = options.selfTransitions ?? true;
  const negative = options.useNegativeCosines ?? false;
  if (!(scale > 0)) throw new RangeError(`transitionMatrix: option 'scale' must be > 0, got ${scale}`);
  if (selfProb.length !== graph.nRows) throw new RangeError(`transitionMatrix: selfProb must have one entry per cell (${graph.nRows}), got ${selfProb.length}`);
  const rows: [number, number][][] = [];
  for (let i = 0; i < graph.nRows; i++) {
    const entries = rowEntries(graph, i).filter(([j]) => !(selfTransitions && j === i));
    if (selfTransitions) {
      const p = selfProb[i] as number;
      if (p !== 0) entries.push([i, p]);
    }
    const weights = entries.map(([j, c]): [number, number] => {
      if (!negative) return [j, Math.exp(scale * c)];
      return [j, c >= 0 ? Math.expm1(scale * c) : -Math.expm1(-scale * c)];
    });
    let total = 0;
    for (const [, w] of weights) total += Math.abs(w);
    rows.push(total > 0 ? weights.map(([j, w]) => [j, w / total]) : []);
  }
  return fromRows(rows, graph.nCols);
}
