// Constructed cases with known answers, shared by the tests.

export interface Dense {
  values: Float64Array;
  nRows: number;
  nCols: number;
}

/** n cells on a line in gene space, X_i = i · d, each cell's neighbours its two adjacent cells (one at the ends). */
export function lineCase(n: number, sign = 1): { X: Dense; V: Dense; neighbors: Int32Array[] } {
  const d = [1, 0.5, -0.3, 2];
  const g = d.length;
  const X = new Float64Array(n * g);
  const V = new Float64Array(n * g);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < g; k++) {
      X[i * g + k] = i * (d[k] as number);
      V[i * g + k] = sign * 0.7 * (d[k] as number);
    }
  }
  const neighbors = Array.from({ length: n }, (_, i) => Int32Array.from([i - 1, i + 1].filter((j) => j >= 0 && j < n)));
  return { X: { values: X, nRows: n, nCols: g }, V: { values: V, nRows: n, nCols: g }, neighbors };
}
