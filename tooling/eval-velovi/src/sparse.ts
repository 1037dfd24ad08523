// A small row-compressed matrix of float64 values, the form the velocity graph and the transition
// matrix take here (one row per cell, the stored entries of that row sorted by column).

export interface SparseRows {
  nRows: number;
  nCols: number;
  /** Row r's entries are indices / values [indptr[r], indptr[r + 1]). */
  indptr: Int32Array;
  indices: Int32Array;
  values: Float64Array;
}

/** Builds SparseRows from per-row [column, value] lists (each sorted by column here). */
export function fromRows(rows: readonly (readonly [number, number][])[], nCols: number): SparseRows {
  const indptr = new Int32Array(rows.length + 1);
  let nnz = 0;
  rows.forEach((row, r) => {
    nnz += row.length;
    indptr[r + 1] = nnz;
  });
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let p = 0;
  for (const row of rows) {
    const sorted = [...row].sort((a, b) => a[0] - b[0]);
    for (const [c, v] of sorted) {
      indices[p] = c;
      values[p] = v;
      p++;
    }
  }
  return { nRows: rows.length, nCols, indptr, indices, values };
}

/** Row r as [column, value] pairs. */
export function rowEntries(m: SparseRows, r: number): [number, number][] {
  const out: [number, number][] = [];
  for (let p = m.indptr[r] as number; p < (m.indptr[r + 1] as number); p++) out.push([m.indices[p] as number, m.values[p] as number]);
  return out;
}

/** The dense n × m array of a SparseRows (tests and small cases only). */
export function toDense(m: SparseRows): Float64Array {
  const out = new Float64Array(m.nRows * m.nCols);
  for (let r = 0; r < m.nRows; r++) {
    for (let p = m.indptr[r] as number; p < (m.indptr[r + 1] as number); p++) out[r * m.nCols + (m.indices[p] as number)] = m.values[p] as number;
  }
  return out;
}
