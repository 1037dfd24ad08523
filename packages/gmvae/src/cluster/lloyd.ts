// Lloyd's algorithm (assign every point to its nearest centre, move every centre to the mean of
// its points), accelerated by Hamerly's bounds (Hamerly 2010, "Making k-means even faster"),
// which skip distance computations without changing the result. Each point keeps
//   upper[i] >= ||x_i - c_a||           a = labels[i], its centre
//   lower[i] <= min_{j != a} ||x_i - c_j||
// and its label cannot change while upper[i] <= max(lower[i], half[a]), where
// half[a] = min_{j != a} ||c_a - c_j|| / 2 (triangle inequality). When centre j moves by shift[j],
// upper[i] grows by shift[a] and lower[i] shrinks by the largest shift of the other centres.
// Otherwise the bound is tightened to the exact distance, and only if it still fails are all k
// distances computed. The skipped points are exactly those whose nearest centre is known, so the
// labels are those of plain Lloyd (up to the rounding of exact ties).
import { addRow, centerSquaredNorms, distanceToCenter, distancesToCenters } from './distances.js';

import type { Rows } from './distances.js';

export interface LloydResult {
  centers: Float64Array;
  labels: Int32Array;
  inertia: number;
  iterations: number;
}

/**
 * Lloyd iterations from `initial` (k x nCols) until an iteration changes no label, the centres move
 * by sum_j ||c_j' - c_j||² <= tol, or `maxIter` iterations (scikit-learn's rule). The labels and
 * inertia returned are those of the final centres: one full assignment follows the last move.
 */
export function lloyd(rows: Rows, k: number, initial: Float64Array, maxIter: number, tol: number): LloydResult {
  const { nRows, nCols } = rows;
  let centers = initial.slice();
  let next = new Float64Array(k * nCols);
  const centerNorms = new Float64Array(k);
  const labels = new Int32Array(nRows);
  const previous = new Int32Array(nRows).fill(-1);
  const upper = new Float64Array(nRows);
  const lower = new Float64Array(nRows);
  const half = new Float64Array(k);
  const shift = new Float64Array(k);
  const counts = new Float64Array(k);
  const dist = new Float64Array(k);

  /** All k distances of point i: its label, upper bound (exact) and lower bound (exact); returns the squared distance. */
  const assignPoint = (i: number): number => {
    distancesToCenters(rows, i, centers, centerNorms, k, dist);
    let arg = 0;
    let min = dist[0] as number;
    let second = Infinity;
    for (let j = 1; j < k; j++) {
      const d = dist[j] as number;
      if (d < min) {
        second = min;
        min = d;
        arg = j;
      } else if (d < second) second = d;
    }
    labels[i] = arg;
    upper[i] = Math.sqrt(min);
    lower[i] = Math.sqrt(second);
    return min;
  };

  centerSquaredNorms(centers, k, nCols, centerNorms);
  for (let i = 0; i < nRows; i++) assignPoint(i);
  let iterations = 0;
  for (let iter = 0; iter < maxIter; iter++) {
    if (iter > 0) {
      centerSquaredNorms(centers, k, nCols, centerNorms);
      halfDistancesToOthers(centers, k, nCols, half);
      for (let i = 0; i < nRows; i++) {
        const a = labels[i] as number;
        const bound = Math.max(half[a] as number, lower[i] as number);
        if ((upper[i] as number) <= bound) continue;
        upper[i] = Math.sqrt(distanceToCenter(rows, i, centers, centerNorms, a));
        if ((upper[i] as number) <= bound) continue;
        assignPoint(i);
      }
    }

    // New centres: the mean of each cluster's points.
    next.fill(0);
    counts.fill(0);
    for (let i = 0; i < nRows; i++) {
      const a = labels[i] as number;
      counts[a] = (counts[a] as number) + 1;
      addRow(rows, i, next, a * nCols);
    }
    if (counts.includes(0)) relocateEmptyClusters(rows, k, centers, centerNorms, labels, counts, next, upper, lower);
    let totalShift = 0;
    for (let j = 0; j < k; j++) {
      const count = counts[j] as number;
      let s = 0;
      for (let d = j * nCols, end = d + nCols; d < end; d++) {
        // A cluster still empty (no point could be moved to it) keeps its centre.
        const value = count > 0 ? (next[d] as number) / count : (centers[d] as number);
        next[d] = value;
        s += (value - (centers[d] as number)) ** 2;
      }
      shift[j] = Math.sqrt(s);
      totalShift += s;
    }
    [centers, next] = [next, centers];
    updateBounds(labels, upper, lower, shift, k);
    iterations = iter + 1;
    if (labels.every((label, i) => label === previous[i])) break;
    if (totalShift <= tol) break;
    previous.set(labels);
  }

  centerSquaredNorms(centers, k, nCols, centerNorms);
  let inertia = 0;
  for (let i = 0; i < nRows; i++) inertia += assignPoint(i);
  return { centers, labels, inertia, iterations };
}

/** half[j] = min_{j' != j} ||c_j - c_j'|| / 2 (Infinity when k = 1). */
function halfDistancesToOthers(centers: Float64Array, k: number, nCols: number, half: Float64Array): void {
  half.fill(Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      let s = 0;
      for (let d = 0; d < nCols; d++) s += ((centers[a * nCols + d] as number) - (centers[b * nCols + d] as number)) ** 2;
      const h = Math.sqrt(s) / 2;
      if (h < (half[a] as number)) half[a] = h;
      if (h < (half[b] as number)) half[b] = h;
    }
  }
}

/** After the centres moved by `shift`: upper[i] += shift[a], lower[i] -= the largest shift of a centre other than a. */
function updateBounds(labels: Int32Array, upper: Float64Array, lower: Float64Array, shift: Float64Array, k: number): void {
  let largest = 0;
  let argLargest = -1;
  let second = 0;
  for (let j = 0; j < k; j++) {
    const s = shift[j] as number;
    if (s > largest) {
      second = largest;
      largest = s;
      argLargest = j;
    } else if (s > second) second = s;
  }
  for (let i = 0; i < labels.length; i++) {
    const a = labels[i] as number;
    upper[i] = (upper[i] as number) + (shift[a] as number);
    lower[i] = (lower[i] as number) - (a === argLargest ? second : largest);
  }
}

/**
 * Gives each empty cluster the point farthest from its own centre (scikit-learn's rule; the
 * exact distances are computed for this): its coordinates move from its cluster's sum to the
 * empty cluster's, and its label follows. A point that is the last of its cluster is passed over,
 * so no cluster is emptied in turn.
 */
function relocateEmptyClusters(
  rows: Rows,
  k: number,
  centers: Float64Array,
  centerNorms: Float64Array,
  labels: Int32Array,
  counts: Float64Array,
  sums: Float64Array,
  upper: Float64Array,
  lower: Float64Array,
): void {
  const { nRows, nCols } = rows;
  const distance = new Float64Array(nRows);
  for (let i = 0; i < nRows; i++) distance[i] = distanceToCenter(rows, i, centers, centerNorms, labels[i] as number);
  for (let empty = 0; empty < k; empty++) {
    if ((counts[empty] as number) > 0) continue;
    let far = -1;
    for (let i = 0; i < nRows; i++) {
      if ((counts[labels[i] as number] as number) > 1 && (far < 0 || (distance[i] as number) > (distance[far] as number))) far = i;
    }
    if (far < 0) return; // every cluster is down to one point
    const donor = labels[far] as number;
    addRow(rows, far, sums, donor * nCols, -1);
    sums.fill(0, empty * nCols, (empty + 1) * nCols);
    addRow(rows, far, sums, empty * nCols);
    counts[donor] = (counts[donor] as number) - 1;
    counts[empty] = 1;
    labels[far] = empty;
    distance[far] = -Infinity; // a moved point is not moved again
    // Its bounds no longer describe its new label: force a full assignment next iteration.
    upper[far] = Infinity;
    lower[far] = 0;
  }
}
