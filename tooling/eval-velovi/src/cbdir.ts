// Cross-boundary direction correctness (CBDir), as VeloAE (qiaochen/VeloAE veloproj/eval_util.py)
// and UniTVelo (StatBiomed/UniTVelo unitvelo/eval_utils.py) define cross_boundary_correctness:
//
//   for a known transition A → B: for each cell i in A whose kNN neighbours include cells of B,
//   score_i = mean over those B neighbours j of cos(x_j − x_i, ṽ_i), with x the embedding and ṽ
//   the projected (embedding) velocity; CBDir(A → B) = mean of score_i over such cells.
//
// Their neighbours are uns['neighbors']['indices'], the kNN of the expression graph (scVelo's
// moments graph), which is what `neighbors` should hold here. A zero vector gives cosine 0
// (scikit-learn's cosine_similarity). geneSpaceDirection is the gene-space variant of
// packages/velovi/bench/pancreas.ts: the mean over all (i in A, j in B neighbour) pairs of
// cos(v_i, Ms_j − Ms_i) in gene space (no projection).
import type { Matrix2D } from './velocity-graph.js';

export interface TransitionScore {
  /** Mean over scored cells; NaN when no cell of A has a neighbour in B. */
  score: number;
  /** Cells of A with at least one neighbour in B. */
  nCells: number;
  /** Their (A cell, B neighbour) pairs. */
  nPairs: number;
}

/** cos(a, b) of two length-d slices; 0 when either has norm 0 (scikit-learn's convention). */
export function cosine(a: ArrayLike<number>, aOffset: number, b: ArrayLike<number>, bOffset: number, d: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let c = 0; c < d; c++) {
    const x = a[aOffset + c] as number;
    const y = b[bOffset + c] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

function checkInputs(fn: string, x: Matrix2D, v: Matrix2D, clusters: readonly string[], neighbors: readonly ArrayLike<number>[]): void {
  const n = x.nRows;
  if (v.nRows !== n || v.nCols !== x.nCols) throw new RangeError(`${fn}: the velocities must have the coordinates' shape [${n}, ${x.nCols}], got [${v.nRows}, ${v.nCols}]`);
  if (clusters.length !== n) throw new RangeError(`${fn}: clusters must have one label per cell (${n}), got ${clusters.length}`);
  if (neighbors.length !== n) throw new RangeError(`${fn}: neighbors must have one row per cell (${n}), got ${neighbors.length}`);
}

/** CBDir of one transition A → B on coordinates x (cells × d) with velocities v (cells × d) in the same space. */
export function crossBoundaryCorrectness(x: Matrix2D, v: Matrix2D, clusters: readonly string[], neighbors: readonly ArrayLike<number>[], from: string, to: string): TransitionScore {
  checkInputs('crossBoundaryCorrectness', x, v, clusters, neighbors);
  const d = x.nCols;
  const disp = new Float64Array(d);
  let total = 0;
  let nCells = 0;
  let nPairs = 0;
  for (let i = 0; i < x.nRows; i++) {
    if (clusters[i] !== from) continue;
    const row = neighbors[i] as ArrayLike<number>;
    let sum = 0;
    let m = 0;
    for (let q = 0; q < row.length; q++) {
      const j = row[q] as number;
      if (clusters[j] !== to) continue;
      for (let c = 0; c < d; c++) disp[c] = (x.values[j * d + c] as number) - (x.values[i * d + c] as number);
      sum += cosine(disp, 0, v.values, i * d, d);
      m++;
    }
    if (m === 0) continue;
    total += sum / m;
    nCells++;
    nPairs += m;
  }
  return { score: nCells === 0 ? Number.NaN : total / nCells, nCells, nPairs };
}

/** The gene-space direction score of bench/pancreas.ts: mean over (i in A, B-neighbour j) pairs of cos(v_i, x_j − x_i). */
export function geneSpaceDirection(x: Matrix2D, v: Matrix2D, clusters: readonly string[], neighbors: readonly ArrayLike<number>[], from: string, to: string): TransitionScore {
  checkInputs('geneSpaceDirection', x, v, clusters, neighbors);
  const d = x.nCols;
  const disp = new Float64Array(d);
  let total = 0;
  let nPairs = 0;
  const cells = new Set<number>();
  for (let i = 0; i < x.nRows; i++) {
    if (clusters[i] !== from) continue;
    const row = neighbors[i] as ArrayLike<number>;
    for (let q = 0; q < row.length; q++) {
      const j = row[q] as number;
      if (clusters[j] !== to) continue;
      for (let c = 0; c < d; c++) disp[c] = (x.values[j * d + c] as number) - (x.values[i * d + c] as number);
      total += cosine(disp, 0, v.values, i * d, d);
      nPairs++;
      cells.add(i);
    }
  }
  return { score: nPairs === 0 ? Number.NaN : total / nPairs, nCells: cells.size, nPairs };
}
