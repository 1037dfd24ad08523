// The prior of the learned log-library, from the data: scvi-tools' _init_library_size.
//
// For each batch b with cells: m_b = mean and v_b = variance (biased, numpy's np.var) over its
// cells of log(total counts). A cell with zero counts contributes log 0 := 0 (scvi-tools masks
// the log and fills 0, with a warning; here `emptyCells` counts them). A batch with no cells
// keeps m_b = 0 and v_b = 1, placeholders never used for any cell.
// Row sums are read straight from the CSR arrays; nothing is densified.
import type { CsrMatrix } from '@vitae/anndata';

export interface LibraryPrior {
  /** m_b, [nBatch] (float32, as scvi-tools stores it). */
  logMeans: Float32Array;
  /** v_b, [nBatch]. */
  logVars: Float32Array;
  /** Cells per batch. */
  cellsPerBatch: Int32Array;
  /** Cells with zero total counts (counted as log 0 = 0). */
  emptyCells: number;
}

/** Per-batch mean and variance of log total counts of `counts` (cells × genes). */
export function libraryPrior(counts: CsrMatrix, batchIndex?: ArrayLike<number>, nBatch = 1): LibraryPrior {
  const fn = 'libraryPrior';
  if (typeof counts !== 'object' || counts === null || !(counts.data instanceof Float32Array) || !(counts.indptr instanceof Int32Array)) {
    throw new TypeError(`${fn}: argument 'counts' must be a CsrMatrix (cells × genes), got ${String(counts)}`);
  }
  if (!Number.isInteger(nBatch) || nBatch < 1) throw new RangeError(`${fn}: argument 'nBatch' must be an integer >= 1, got ${String(nBatch)}`);
  const n = counts.nRows;
  if (batchIndex !== undefined && batchIndex.length !== n) {
    throw new RangeError(`${fn}: argument 'batchIndex' must hold ${n} entries (one per cell), got ${batchIndex.length}`);
  }
  const logs = new Float64Array(n);
  const batches = new Int32Array(n);
  let emptyCells = 0;
  for (let i = 0; i < n; i++) {
    const b = batchIndex === undefined ? 0 : (batchIndex[i] as number);
    if (!Number.isInteger(b) || b < 0 || b >= nBatch) {
      throw new RangeError(`${fn}: argument 'batchIndex' must hold integers in [0, ${nBatch}) (nBatch = ${nBatch}), got ${String(b)} at index ${i}`);
    }
    batches[i] = b;
    let total = 0;
    for (let p = counts.indptr[i] as number; p < (counts.indptr[i + 1] as number); p++) {
      const v = counts.data[p] as number;
      if (!(v >= 0) || !Number.isFinite(v)) {
        throw new RangeError(`${fn}: argument 'counts' must hold finite values >= 0, got ${v} at row ${i}, column ${counts.indices[p]}`);
      }
      total += v;
    }
    if (total > 0) logs[i] = Math.log(total);
    else emptyCells++;
  }
  const sums = new Float64Array(nBatch);
  const cellsPerBatch = new Int32Array(nBatch);
  for (let i = 0; i < n; i++) {
    const b = batches[i] as number;
    sums[b] = (sums[b] as number) + (logs[i] as number);
    cellsPerBatch[b] = (cellsPerBatch[b] as number) + 1;
  }
  const logMeans = new Float32Array(nBatch);
  const logVars = new Float32Array(nBatch).fill(1);
  const squares = new Float64Array(nBatch);
  for (let i = 0; i < n; i++) {
    const b = batches[i] as number;
    const d = (logs[i] as number) - (sums[b] as number) / (cellsPerBatch[b] as number);
    squares[b] = (squares[b] as number) + d * d;
  }
  for (let b = 0; b < nBatch; b++) {
    const c = cellsPerBatch[b] as number;
    if (c === 0) continue;
    logMeans[b] = (sums[b] as number) / c;
    logVars[b] = (squares[b] as number) / c;
  }
  return { logMeans, logVars, cellsPerBatch, emptyCells };
}
