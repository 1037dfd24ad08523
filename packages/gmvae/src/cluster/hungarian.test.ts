import { loadFixture } from '@vitae/fixtures/load';
import { SeedSequence } from '@vitae/tensor';
import { describe, expect, it } from 'vitest';
import { linearSumAssignment } from './hungarian.js';

import type { Assignment } from './hungarian.js';

// scipy.optimize.linear_sum_assignment (tooling/fixtures/generators/clustering.py). The optimal
// total is unique; the assignment is unique only without ties, so it is compared only then.
interface AssignmentCase {
  name: string;
  nRows: number;
  nCols: number;
  cost: number[][];
  minCost: number;
  maxCost?: number;
  minRows: number[];
  minCols: number[];
  ties: boolean;
}

const fixture = loadFixture('clustering') as { assignment: AssignmentCase[] };

/** A one-to-one assignment of min(nRows, nCols) pairs, rows ascending, whose total is what it claims. */
function expectValid(result: Assignment, cost: number[][], nRows: number, nCols: number): void {
  const { rowIndices, colIndices, totalCost } = result;
  expect(rowIndices.length).toBe(Math.min(nRows, nCols));
  expect(colIndices.length).toBe(rowIndices.length);
  for (let p = 1; p < rowIndices.length; p++) expect(rowIndices[p] as number).toBeGreaterThan(rowIndices[p - 1] as number);
  expect(new Set(colIndices).size).toBe(colIndices.length);
  let total = 0;
  rowIndices.forEach((r, p) => (total += (cost[r] as number[])[colIndices[p] as number] as number));
  expect(totalCost).toBe(total);
}

const closeTo = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));

describe.each(fixture.assignment)('$name', (c) => {
  it('minimises as scipy does', () => {
    const result = linearSumAssignment(c.cost);
    expectValid(result, c.cost, c.nRows, c.nCols);
    closeTo(result.totalCost, c.minCost);
    if (!c.ties) {
      expect(Array.from(result.rowIndices)).toEqual(c.minRows);
      expect(Array.from(result.colIndices)).toEqual(c.minCols);
    }
  });

  it('gives the same from the row-major Float64Array form', () => {
    const flat = Float64Array.from(c.cost.flat());
    expect(linearSumAssignment(flat, c.nRows, c.nCols)).toEqual(linearSumAssignment(c.cost));
    expect(linearSumAssignment(flat, c.nRows)).toEqual(linearSumAssignment(c.cost));
  });
});

// Matrices with +Infinity (forbidden when minimising) have no maximising reference.
describe.each(fixture.assignment.filter((c) => c.maxCost !== undefined))('$name, maximize', (c) => {
  it('maximises as scipy does', () => {
    const result = linearSumAssignment(c.cost, { maximize: true });
    expectValid(result, c.cost, c.nRows, c.nCols);
    closeTo(result.totalCost, c.maxCost as number);
  });
});

describe('linearSumAssignment against brute force', () => {
  /** The least total over all injective maps of the smaller side into the larger. */
  function bruteForce(cost: number[][]): number {
    const nRows = cost.length;
    const nCols = (cost[0] as number[]).length;
    const at = (i: number, j: number) => (nRows <= nCols ? (cost[i] as number[])[j] : (cost[j] as number[])[i]) as number;
    const small = Math.min(nRows, nCols);
    const large = Math.max(nRows, nCols);
    let best = Infinity;
    const used = new Array<boolean>(large).fill(false);
    const visit = (i: number, total: number): void => {
      if (i === small) {
        best = Math.min(best, total);
        return;
      }
      for (let j = 0; j < large; j++) {
        if (used[j]) continue;
        used[j] = true;
        visit(i + 1, total + at(i, j));
        used[j] = false;
      }
    };
    visit(0, 0);
    return best;
  }

  it('finds the optimum of 300 small random matrices, many with ties', () => {
    const seeds = new SeedSequence(7);
    const uniform = () => seeds.next() / 2 ** 53;
    for (let trial = 0; trial < 300; trial++) {
      const nRows = 1 + Math.floor(uniform() * 6);
      const nCols = 1 + Math.floor(uniform() * 6);
      const integer = trial % 2 === 0;
      const cost = Array.from({ length: nRows }, () => Array.from({ length: nCols }, () => (integer ? Math.floor(uniform() * 4) - 1 : uniform() * 10 - 3)));
      const result = linearSumAssignment(cost);
      expectValid(result, cost, nRows, nCols);
      closeTo(result.totalCost, bruteForce(cost));
      const negated = cost.map((row) => row.map((x) => -x));
      closeTo(linearSumAssignment(cost, { maximize: true }).totalCost, -bruteForce(negated));
    }
  });
});

describe('linearSumAssignment edge cases', () => {
  it('returns nothing for an empty matrix', () => {
    expect(linearSumAssignment([])).toEqual({ rowIndices: new Int32Array(0), colIndices: new Int32Array(0), totalCost: 0 });
    expect(linearSumAssignment(new Float64Array(0), 0, 0).totalCost).toBe(0);
  });

  it('avoids forbidden (infinite) pairs and reports an infeasible matrix', () => {
    const result = linearSumAssignment([
      [Infinity, 1],
      [2, Infinity],
    ]);
    expect(Array.from(result.colIndices)).toEqual([1, 0]);
    expect(result.totalCost).toBe(3);
    expect(() =>
      linearSumAssignment([
        [Infinity, 1],
        [Infinity, 2],
      ]),
    ).toThrow("linearSumAssignment: argument 'cost' is infeasible");
    expect(linearSumAssignment([[-Infinity, 1]], { maximize: true }).totalCost).toBe(1);
  });
});

describe('linearSumAssignment argument errors', () => {
  it('names the argument, the constraint and the value', () => {
    expect(() => linearSumAssignment([[1, NaN]])).toThrow("linearSumAssignment: argument 'cost' must hold numbers or Infinity (a forbidden pair), got NaN at row 0, column 1");
    expect(() => linearSumAssignment([[1, -Infinity]])).toThrow('got -Infinity at row 0, column 1');
    expect(() => linearSumAssignment([[1, Infinity]], { maximize: true })).toThrow("must hold numbers or -Infinity (a forbidden pair), got Infinity");
    expect(() => linearSumAssignment([[1, 2], [3]])).toThrow("linearSumAssignment: argument 'cost' must have rows of equal length (2), got an array of length 1 at row 1");
    expect(() => linearSumAssignment(new Float64Array(5), 2)).toThrow("linearSumAssignment: argument 'cost' must have a multiple of nRows (2) entries, got 5");
    expect(() => linearSumAssignment(new Float64Array(6), 2, 4)).toThrow("argument 'cost' must have nRows * nCols = 2 * 4 = 8 entries, got 6");
    expect(() => linearSumAssignment(new Float64Array(6), 1.5)).toThrow("linearSumAssignment: argument 'nRows' must be an integer >= 0, got 1.5");
    expect(() => linearSumAssignment([[1]], { maximize: 'yes' as unknown as boolean })).toThrow("linearSumAssignment: argument 'maximize' must be a boolean, got 'yes'");
    expect(() => linearSumAssignment([[1, '2' as unknown as number]])).toThrow("argument 'cost' must hold numbers, got '2' at row 0, column 1");
  });
});
