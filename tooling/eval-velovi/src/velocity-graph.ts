// scVelo's velocity graph (scvelo/tools/velocity_graph.py, VelocityGraph with its defaults), as
// float64 loops:
//
// - neighbour sets: from the kNN distances graph (scVelo's get_indices: each row keeps its
//   n = min over rows of stored neighbours, the nearest ones), then recursed twice
//   (n_recurse_neighbors = 2, scVelo's default for mode_neighbors 'distances'): the cell, its
//   neighbours, and their neighbours, de-duplicated;
// - velocities centred per cell (V_i − mean over genes of V_i), no sqrt transform (veloVI's
//   velocities are not scVelo's 'stochastic' mode);
// - for each neighbour j of cell i: the Pearson-style cosine of scVelo's cosine_correlation,
//   cos(dX − mean(dX), V_i − mean(V_i)) with dX = X_j − X_i (X = Ms); NaN (dX = 0, e.g. j = i)
//   becomes 0, and zeros are not stored (scVelo's eliminate_zeros);
// - cells whose centred velocity is all zero get no entries;
// - self_transition: confidence_i = max(0, max_j cos_ij) (the positive graph's row maximum, the
//   implicit zeros included), self_prob_i = clip(percentile_98(confidence) − confidence_i, 0, 1).
//
// The result holds graph + graph_neg of scVelo in one signed matrix: positive entries are its
// uns velocity_graph, negative ones its uns velocity_graph_neg.
import { fromRows } from './sparse.js';

import type { SparseRows } from './sparse.js';

/** A dense row-major matrix (structurally a @vitae/anndata DenseArray). */
export interface Matrix2D {
  values: ArrayLike<number>;
  nRows: number;
  nCols: number;
}

/** A kNN distances graph in CSR form (structurally a @vitae/anndata CsrMatrix): no self entries. */
export interface DistancesGraph {
  nRows: number;
  indptr: ArrayLike<number>;
  indices: ArrayLike<number>;
  data: ArrayLike<number>;
}

export interface VelocityGraph {
  /** Signed cosines, one row per cell, only non-zero entries (scVelo graph + graph_neg). */
  graph: SparseRows;
  /** scVelo's obs velocity_self_transition. */
  selfProb: Float64Array;
  /** Neighbour-set size per cell (after recursion, the cell itself included). */
  nCandidates: Int32Array;
}

export interface VelocityGraphOptions {
  /** Recursions of the neighbour search (scVelo default 2 with mode_neighbors 'distances'). */
  nRecurseNeighbors?: number;
}

/**
 * scVelo's get_indices(dist, n_neighbors=None, 'distances'): per row the min-over-rows count of
 * stored neighbours, keeping the nearest (ties by column), as an array of index rows.
 */
export function neighborIndicesFromDistances(dist: DistancesGraph): Int32Array[] {
  let k = Infinity;
  for (let r = 0; r < dist.nRows; r++) k = Math.min(k, (dist.indptr[r + 1] as number) - (dist.indptr[r] as number));
  if (!(k >= 1)) throw new RangeError(`neighborIndicesFromDistances: every cell needs at least one stored neighbour in the distances graph, got a row with ${k}`);
  const rows: Int32Array[] = [];
  for (let r = 0; r < dist.nRows; r++) {
    const entries: [number, number][] = [];
    for (let p = dist.indptr[r] as number; p < (dist.indptr[r + 1] as number); p++) entries.push([dist.indices[p] as number, dist.data[p] as number]);
    entries.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
    rows.push(Int32Array.from(entries.slice(0, k).map((e) => e[0]).sort((a, b) => a - b)));
  }
  return rows;
}

/** scVelo's get_iterative_indices: the cell, its neighbours, theirs, … (n recursions), sorted and unique. */
export function iterativeNeighbors(neighbors: readonly ArrayLike<number>[], cell: number, nRecurse: number): Int32Array {
  let set = new Set<number>([cell]);
  for (let depth = 0; depth < nRecurse; depth++) {
    const next = new Set(set);
    for (const c of set) {
      const row = neighbors[c];
      if (row === undefined) throw new RangeError(`iterativeNeighbors: cell ${c} has no neighbour row`);
      for (let q = 0; q < row.length; q++) next.add(row[q] as number);
    }
    set = next;
  }
  return Int32Array.from([...set].sort((a, b) => a - b));
}

/** numpy's percentile with its default 'linear' interpolation. */
export function percentile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  const pos = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (pos - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/** scVelo's cosine_correlation for one pair: cos(dx − mean(dx), v) with v already centred; NaN when a norm is 0. */
export function centredCosine(x: Matrix2D, i: number, j: number, vCentred: Float64Array): number {
  const g = x.nCols;
  let mean = 0;
  for (let k = 0; k < g; k++) mean += (x.values[j * g + k] as number) - (x.values[i * g + k] as number);
  mean /= g;
  let dot = 0;
  let nd = 0;
  let nv = 0;
  for (let k = 0; k < g; k++) {
    const d = (x.values[j * g + k] as number) - (x.values[i * g + k] as number) - mean;
    const v = vCentred[k] as number;
    dot += d * v;
    nd += d * d;
    nv += v * v;
  }
  return dot / Math.sqrt(nd * nv);
}

/**
 * The velocity graph of velocities V (cells × genes) against the states X (cells × genes, scVelo's
 * Ms) over the neighbour rows (e.g. neighborIndicesFromDistances of the moments kNN graph).
 */
export function velocityGraph(x: Matrix2D, v: Matrix2D, neighbors: readonly ArrayLike<number>[], options: VelocityGraphOptions = {}): VelocityGraph {
  const n = x.nRows;
  const g = x.nCols;
  if (v.nRows !== n || v.nCols !== g) throw new RangeError(`velocityGraph: V must have X's shape [${n}, ${g}], got [${v.nRows}, ${v.nCols}]`);
  if (neighbors.length !== n) throw new RangeError(`velocityGraph: neighbors must have one row per cell (${n}), got ${neighbors.length}`);
  const nRecurse = options.nRecurseNeighbors ?? 2;
  const rows: [number, number][][] = [];
  const nCandidates = new Int32Array(n);
  const confidence = new Float64Array(n);
  const vi = new Float64Array(g);
  for (let i = 0; i < n; i++) {
    let mean = 0;
    for (let k = 0; k < g; k++) mean += v.values[i * g + k] as number;
    mean /= g;
    let max = -Infinity;
    let min = Infinity;
    for (let k = 0; k < g; k++) {
      const c = (v.values[i * g + k] as number) - mean;
      vi[k] = c;
      max = Math.max(max, c);
      min = Math.min(min, c);
    }
    const row: [number, number][] = [];
    if (max !== 0 || min !== 0) {
      const cand = iterativeNeighbors(neighbors, i, nRecurse);
      nCandidates[i] = cand.length;
      for (const j of cand) {
        const c = centredCosine(x, i, j, vi);
        if (Number.isFinite(c) && c !== 0) row.push([j, c]);
      }
    }
    let conf = 0;
    for (const [, c] of row) conf = Math.max(conf, c);
    confidence[i] = conf;
    rows.push(row);
  }
  const ub = percentile(confidence, 98);
  const selfProb = confidence.map((c) => Math.min(1, Math.max(0, ub - c)));
  return { graph: fromRows(rows, n), selfProb, nCandidates };
}
