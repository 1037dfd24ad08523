// The linear sum assignment problem: for an nRows x nCols cost matrix, the one-to-one matching of
// min(nRows, nCols) rows to columns of least total cost, as scipy.optimize.linear_sum_assignment.
// Solved by shortest augmenting paths with dual potentials (Jonker & Volgenant 1987, in the
// rectangular form of Crouse 2016 that scipy implements), O(nRows² nCols) for nRows <= nCols: each
// row in turn is joined to the matching by a Dijkstra search over reduced costs
// cost[i][j] - u[i] - v[j] >= 0, then the potentials are updated so those stay >= 0.
import { integerAtLeast, optionsObject, received } from './validate.js';

export interface AssignmentOptions {
  /** Maximise the total instead of minimising it (default false). */
  maximize?: boolean;
}

export interface Assignment {
  /** The assigned rows, ascending. */
  rowIndices: Int32Array;
  /** colIndices[p] is the column assigned to row rowIndices[p]. */
  colIndices: Int32Array;
  /** sum_p cost[rowIndices[p]][colIndices[p]]. */
  totalCost: number;
}

/**
 * The optimal assignment for `cost`, a matrix given as rows (number[][]) or row-major
 * (Float64Array with nRows, and nCols = length / nRows unless given). Entries may be +Infinity
 * (-Infinity when maximising) for forbidden pairs; NaN is an error, and so is a matrix in which
 * every complete assignment uses a forbidden pair.
 *
 *   linearSumAssignment([[4, 1, 3], [2, 0, 5], [3, 2, 2]])
 *   // { rowIndices: [0, 1, 2], colIndices: [1, 0, 2], totalCost: 5 }
 */
export function linearSumAssignment(cost: readonly (readonly number[])[], options?: AssignmentOptions): Assignment;
export function linearSumAssignment(cost: Float64Array, nRows: number, nCols?: number, options?: AssignmentOptions): Assignment;
export function linearSumAssignment(
  cost: Float64Array | readonly (readonly number[])[],
  nRowsOrOptions?: number | AssignmentOptions,
  nColsArg?: number,
  optionsArg?: AssignmentOptions,
): Assignment {
  const fn = 'linearSumAssignment';
  const { matrix, nRows, nCols, options } = readCost(cost, nRowsOrOptions, nColsArg, optionsArg, fn);
  const maximize = optionsObject(options, fn).maximize ?? false;
  if (typeof maximize !== 'boolean') throw new TypeError(`${fn}: argument 'maximize' must be a boolean, got ${received(maximize)}`);
  const sign = maximize ? -1 : 1;
  for (let p = 0; p < matrix.length; p++) {
    const c = sign * (matrix[p] as number);
    if (Number.isNaN(c) || c === -Infinity) {
      throw new RangeError(
        `${fn}: argument 'cost' must hold numbers or ${maximize ? '-Infinity' : 'Infinity'} (a forbidden pair), got ${matrix[p]} at row ${Math.floor(p / nCols)}, column ${p % nCols}`,
      );
    }
  }

  // Solve with rows <= columns (transposing if needed), on the costs to minimise.
  const transpose = nCols < nRows;
  const nr = transpose ? nCols : nRows;
  const nc = transpose ? nRows : nCols;
  const work = new Float64Array(nr * nc);
  for (let i = 0; i < nr; i++) {
    for (let j = 0; j < nc; j++) work[i * nc + j] = sign * (matrix[transpose ? j * nCols + i : i * nCols + j] as number);
  }
  const col4row = solveRectangular(work, nr, nc, fn);

  const pairs = Array.from(col4row, (c, r) => (transpose ? [c, r] : [r, c]) as [number, number]);
  if (transpose) pairs.sort((a, b) => a[0] - b[0]);
  const rowIndices = Int32Array.from(pairs, (p) => p[0]);
  const colIndices = Int32Array.from(pairs, (p) => p[1]);
  let totalCost = 0;
  for (const [r, c] of pairs) totalCost += matrix[r * nCols + c] as number;
  return { rowIndices, colIndices, totalCost };
}

/** The cost as a row-major Float64Array with its shape, from either calling form. */
function readCost(
  cost: Float64Array | readonly (readonly number[])[],
  nRowsOrOptions: number | AssignmentOptions | undefined,
  nColsArg: number | undefined,
  optionsArg: AssignmentOptions | undefined,
  fn: string,
): { matrix: Float64Array; nRows: number; nCols: number; options: AssignmentOptions | undefined } {
  if (cost instanceof Float64Array) {
    const nRows = integerAtLeast(nRowsOrOptions, fn, 'nRows', 0);
    if (nRows === 0 && cost.length > 0) throw new RangeError(`${fn}: argument 'nRows' must be >= 1 for a non-empty cost, got 0`);
    const nCols = nColsArg === undefined ? (nRows === 0 ? 0 : cost.length / nRows) : integerAtLeast(nColsArg, fn, 'nCols', 0);
    if (!Number.isInteger(nCols) || cost.length !== nRows * nCols) {
      throw new RangeError(
        nColsArg === undefined
          ? `${fn}: argument 'cost' must have a multiple of nRows (${nRows}) entries, got ${cost.length}`
          : `${fn}: argument 'cost' must have nRows * nCols = ${nRows} * ${nCols} = ${nRows * nCols} entries, got ${cost.length}`,
      );
    }
    return { matrix: cost, nRows, nCols, options: optionsArg };
  }
  if (!Array.isArray(cost)) throw new TypeError(`${fn}: argument 'cost' must be a Float64Array or an array of rows, got ${received(cost)}`);
  if (nRowsOrOptions !== undefined && typeof nRowsOrOptions !== 'object') {
    throw new TypeError(`${fn}: with a cost given as rows, the second argument must be the options, got ${received(nRowsOrOptions)}`);
  }
  const nRows = cost.length;
  const nCols = nRows === 0 ? 0 : ((cost[0] as unknown[] | undefined)?.length ?? 0);
  const matrix = new Float64Array(nRows * nCols);
  cost.forEach((row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== nCols) {
      throw new RangeError(`${fn}: argument 'cost' must have rows of equal length (${nCols}), got ${received(row)} at row ${i}`);
    }
    row.forEach((v: unknown, j) => {
      if (typeof v !== 'number') throw new TypeError(`${fn}: argument 'cost' must hold numbers, got ${received(v)} at row ${i}, column ${j}`);
      matrix[i * nCols + j] = v;
    });
  });
  return { matrix, nRows, nCols, options: nRowsOrOptions };
}

/**
 * col4row[i] for each row of the nr x nc (nr <= nc) row-major `cost`, minimising. For each new
 * row, a Dijkstra search over the columns by reduced cost finds the cheapest path to a free
 * column (alternating through matched ones); the potentials u (rows) and v (columns) are then
 * raised / lowered by the path lengths so that every reduced cost stays >= 0 and the matched
 * pairs' reduced costs stay 0, and the path is flipped into the matching.
 */
function solveRectangular(cost: Float64Array, nr: number, nc: number, fn: string): Int32Array {
  const u = new Float64Array(nr);
  const v = new Float64Array(nc);
  const shortest = new Float64Array(nc);
  const path = new Int32Array(nc).fill(-1);
  const col4row = new Int32Array(nr).fill(-1);
  const row4col = new Int32Array(nc).fill(-1);
  const rowVisited = new Uint8Array(nr);
  const colVisited = new Uint8Array(nc);
  const remaining = new Int32Array(nc);

  for (let current = 0; current < nr; current++) {
    // Dijkstra from row `current` until a free column is reached.
    let minVal = 0;
    let nRemaining = nc;
    for (let it = 0; it < nc; it++) remaining[it] = nc - it - 1;
    rowVisited.fill(0);
    colVisited.fill(0);
    shortest.fill(Infinity);
    let i = current;
    let sink = -1;
    while (sink === -1) {
      let index = -1;
      let lowest = Infinity;
      rowVisited[i] = 1;
      for (let it = 0; it < nRemaining; it++) {
        const j = remaining[it] as number;
        const r = minVal + (cost[i * nc + j] as number) - (u[i] as number) - (v[j] as number);
        if (r < (shortest[j] as number)) {
          path[j] = i;
          shortest[j] = r;
        }
        // Among equally short columns prefer a free one: the search ends sooner.
        const s = shortest[j] as number;
        if (s < lowest || (s === lowest && row4col[j] === -1)) {
          lowest = s;
          index = it;
        }
      }
      minVal = lowest;
      if (minVal === Infinity) throw new RangeError(`${fn}: argument 'cost' is infeasible: every complete assignment uses a forbidden (infinite) pair`);
      const j = remaining[index] as number;
      if (row4col[j] === -1) sink = j;
      else i = row4col[j] as number;
      colVisited[j] = 1;
      remaining[index] = remaining[--nRemaining] as number;
    }

    u[current] = (u[current] as number) + minVal;
    for (let r = 0; r < nr; r++) {
      if (rowVisited[r] === 1 && r !== current) u[r] = (u[r] as number) + minVal - (shortest[col4row[r] as number] as number);
    }
    for (let j = 0; j < nc; j++) if (colVisited[j] === 1) v[j] = (v[j] as number) - minVal + (shortest[j] as number);

    // Flip the augmenting path into the matching.
    let j = sink;
    for (;;) {
      const r = path[j] as number;
      row4col[j] = r;
      const previous = col4row[r] as number;
      col4row[r] = j;
      j = previous;
      if (r === current) break;
    }
  }
  return col4row;
}
