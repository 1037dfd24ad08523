// The kNN graph as scanpy stores it: obsp.distances (the kNN distances without the cell itself)
// and obsp.connectivities, UMAP's fuzzy simplicial set (umap-learn's fuzzy_simplicial_set with
// set_op_mix_ratio 1 and local_connectivity 1, which sc.pp.neighbors calls):
//   rho_i   = distance to the nearest neighbour at non-zero distance,
//   sigma_i = binary search (64 steps) for Σ_{j>0} exp(-max(d_ij - rho_i, 0) / sigma_i) = log2 k,
//             floored at 1e-3 × the mean kNN distance (of the row, or of all rows when rho_i = 0),
//   a_ij    = exp(-max(d_ij - rho_i, 0) / sigma_i) (1 at d_ij <= rho_i; 0 for j = i),
//   w_ij    = a_ij + a_ji - a_ij a_ji (fuzzy union; mix ratio r blends with the intersection).
import { CsrMatrix } from '@vitae/anndata';

import { fail, optionalNumber } from '../util/args.js';

import type { KnnResult } from './knn.js';

const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;

export interface UmapConnectivitiesOptions {
  /** 1 (default): fuzzy union; 0: fuzzy intersection. */
  setOpMixRatio?: number;
  /** Nearest neighbours assumed connected (default 1). */
  localConnectivity?: number;
}

export interface UmapConnectivities {
  /** Symmetric nObs × nObs weights, float32, columns sorted within rows. */
  connectivities: CsrMatrix;
  sigmas: Float64Array;
  rhos: Float64Array;
}

/** umap-learn's smooth_knn_dist on the kNN distances (self in column 0, rounded to float32 as umap does). */
export function smoothKnnDist(knn: KnnResult, localConnectivity = 1, nIter = 64, bandwidth = 1): { sigmas: Float64Array; rhos: Float64Array } {
  const { nObs: n, nNeighbors: k, distances } = knn;
  const target = Math.log2(k) * bandwidth;
  const sigmas = new Float64Array(n);
  const rhos = new Float64Array(n);
  let meanAll = 0;
  for (const d of distances) meanAll += d;
  meanAll /= Math.max(distances.length, 1);
  for (let i = 0; i < n; i++) {
    const row = distances.subarray(i * k, (i + 1) * k);
    const nonZero = Array.from(row).filter((d) => d > 0);
    let rho = 0;
    if (nonZero.length >= localConnectivity) {
      const index = Math.floor(localConnectivity);
      const interpolation = localConnectivity - index;
      if (index > 0) {
        rho = nonZero[index - 1] as number;
        if (interpolation > SMOOTH_K_TOLERANCE) rho += interpolation * ((nonZero[index] as number) - (nonZero[index - 1] as number));
      } else rho = interpolation * (nonZero[0] as number);
    } else if (nonZero.length > 0) rho = Math.max(...nonZero);
    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let it = 0; it < nIter; it++) {
      let psum = 0;
      for (let j = 1; j < k; j++) {
        const d = (row[j] as number) - rho;
        psum += d > 0 ? Math.exp(-(d / mid)) : 1;
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    let meanRow = 0;
    for (const d of row) meanRow += d;
    meanRow /= k;
    const floor = MIN_K_DIST_SCALE * (rho > 0 ? meanRow : meanAll);
    sigmas[i] = Math.max(mid, floor);
    rhos[i] = rho;
  }
  return { sigmas, rhos };
}

/** CSR from per-row (column, value) lists: columns sorted, duplicates summed. */
function csrFromRows(n: number, rows: Map<number, number>[]): CsrMatrix {
  const indptr = new Int32Array(n + 1);
  rows.forEach((r, i) => (indptr[i + 1] = (indptr[i] as number) + r.size));
  const nnz = indptr[n] as number;
  const indices = new Int32Array(nnz);
  const data = new Float32Array(nnz);
  rows.forEach((r, i) => {
    const cols = [...r.keys()].sort((a, b) => a - b);
    cols.forEach((c, t) => {
      indices[(indptr[i] as number) + t] = c;
      data[(indptr[i] as number) + t] = r.get(c) as number;
    });
  });
  return new CsrMatrix({ nRows: n, nCols: n, data, indices, indptr }, { check: false });
}

export function umapConnectivities(knn: KnnResult, options: UmapConnectivitiesOptions = {}): UmapConnectivities {
  const fn = 'umapConnectivities';
  const mix = optionalNumber(fn, 'setOpMixRatio', options.setOpMixRatio, { min: 0, max: 1 }) ?? 1;
  const localConnectivity = optionalNumber(fn, 'localConnectivity', options.localConnectivity, { min: 0 }) ?? 1;
  const { nObs: n, nNeighbors: k, indices, distances } = knn;
  if (indices.length !== n * k || distances.length !== n * k) fail(fn, `knn must hold nObs × nNeighbors = ${n * k} indices and distances, got ${indices.length} and ${distances.length}`);
  const { sigmas, rhos } = smoothKnnDist(knn, localConnectivity);
  // a_ij, rounded to float32 as umap stores them.
  const a: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) {
      const j = indices[i * k + r] as number;
      if (j < 0) continue;
      let val: number;
      if (j === i) val = 0;
      else {
        const d = (distances[i * k + r] as number) - (rhos[i] as number);
        val = d <= 0 || sigmas[i] === 0 ? 1 : Math.exp(-(d / (sigmas[i] as number)));
      }
      val = Math.fround(val);
      if (val !== 0) (a[i] as Map<number, number>).set(j, ((a[i] as Map<number, number>).get(j) ?? 0) + val);
    }
  }
  const w: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  for (let i = 0; i < n; i++) {
    for (const [j, aij] of a[i] as Map<number, number>) {
      const aji = (a[j] as Map<number, number>).get(i) ?? 0;
      const prod = aij * aji;
      const v = mix * (aij + aji - prod) + (1 - mix) * prod;
      if (v !== 0) {
        (w[i] as Map<number, number>).set(j, v);
        (w[j] as Map<number, number>).set(i, v);
      }
    }
  }
  return { connectivities: csrFromRows(n, w), sigmas, rhos };
}

/** obsp.distances: row i holds the distances to its k - 1 neighbours (self left out), columns sorted. */
export function knnDistances(knn: KnnResult): CsrMatrix {
  const { nObs: n, nNeighbors: k, indices, distances } = knn;
  const rows: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < k; r++) {
      const j = indices[i * k + r] as number;
      if (r === 0 && j === i) continue;
      (rows[i] as Map<number, number>).set(j, distances[i * k + r] as number);
    }
  }
  // csrFromRows drops nothing: explicit zero distances (duplicate cells) stay stored, as in scanpy.
  return csrFromRows(n, rows);
}
