// The contingency table of two labelings of the same items: counts[r][c] = #{i : a_i = rowValues[r],
// b_i = colValues[c]}, the input to clustering accuracy, the adjusted Rand index and mutual information.
import { integerLabels } from './validate.js';

export interface Contingency {
  /** The distinct values of a, ascending. */
  rowValues: number[];
  /** The distinct values of b, ascending. */
  colValues: number[];
  /** rowValues.length x colValues.length, row-major. */
  counts: Float64Array;
  /** Row sums (items per value of a) and column sums (items per value of b). */
  rowSums: Float64Array;
  colSums: Float64Array;
  /** The number of items. */
  n: number;
}

/** Checks that a and b are equally long, non-empty arrays of integer labels, and counts their pairs. */
export function contingency(a: ArrayLike<number>, b: ArrayLike<number>, fn: string, argA: string, argB: string): Contingency {
  integerLabels(a, fn, argA);
  integerLabels(b, fn, argB);
  if (a.length !== b.length) throw new RangeError(`${fn}: arguments '${argA}' and '${argB}' must have the same length, got ${a.length} and ${b.length}`);
  if (a.length === 0) throw new RangeError(`${fn}: arguments '${argA}' and '${argB}' must not be empty`);
  const rowIndex = indexOfValues(a);
  const colIndex = indexOfValues(b);
  const nr = rowIndex.size;
  const nc = colIndex.size;
  const counts = new Float64Array(nr * nc);
  const rowSums = new Float64Array(nr);
  const colSums = new Float64Array(nc);
  for (let i = 0; i < a.length; i++) {
    const r = rowIndex.get(a[i] as number) as number;
    const c = colIndex.get(b[i] as number) as number;
    counts[r * nc + c] = (counts[r * nc + c] as number) + 1;
    rowSums[r] = (rowSums[r] as number) + 1;
    colSums[c] = (colSums[c] as number) + 1;
  }
  return { rowValues: [...rowIndex.keys()], colValues: [...colIndex.keys()], counts, rowSums, colSums, n: a.length };
}

/** value -> its rank among the distinct values, in ascending order of value. */
function indexOfValues(values: ArrayLike<number>): Map<number, number> {
  const distinct = [...new Set(Array.from(values))].sort((x, y) => x - y);
  return new Map(distinct.map((v, i) => [v, i]));
}
