// scVelo's scv.pp.moments (scVelo 0.2.5; 0.3.x is the same): PCA of X → exact kNN → the
// neighbour graph made binary and row-normalized → Ms / Mu, the neighbourhood means of the
// spliced / unspliced abundances. PCA, kNN and the UMAP connectivities come from this package's
// pca / neighbors modules (scanpy's), run as scVelo runs them.
import { AnnData, DenseArray, toCsr } from '@vitae/anndata';

import { knnDistances, umapConnectivities } from '../neighbors/connectivities.js';
import { knnSearch } from '../neighbors/knn.js';
import { pcaMatrix } from '../pca/pca.js';
import { looksLikeCounts, normalizePerCell } from './filter-normalize.js';
import { checkShape, denseValues, f32, getLayer } from './util.js';

import type { CsrMatrix, Matrix } from '@vitae/anndata';

export interface MomentsOptions {
  /** Principal components for the kNN (default 30): min(nPcs, nGenes - 1, nCells - 1) are computed. */
  nPcs?: number;
  /** Neighbours per cell, the cell itself included, as scanpy counts (default 30). */
  nNeighbors?: number;
  /**
   * 'connectivities' (default): average over the cells joined to each cell in the UMAP graph
   * (the symmetric kNN graph) and itself; 'distances': over its nNeighbors - 1 nearest cells and itself.
   */
  mode?: 'connectivities' | 'distances';
  /** PCA of the var 'highly_variable' genes when that column exists (default true, as scVelo). */
  useHighlyVariable?: boolean;
  splicedLayer?: string;
  unsplicedLayer?: string;
  /** Seed of the Lanczos start vector (the result does not depend on it beyond ~1e-10). */
  seed?: number;
}

const FN = 'moments';

/**
 * scv.pp.moments(adata, n_neighbors, n_pcs) as a pure function (a new AnnData is returned).
 *
 * 1. If spliced or unspliced still look like counts, normalizePerCell first (as scVelo).
 * 2. Representation: with fewer than 50 genes X itself; otherwise obsm X_pca when it has at least
 *    nPcs columns (scVelo reuses it), else a PCA of X (centred; the highly variable genes):
 *    obsm X_pca (float32; each component's largest |score| positive, as scanpy 1.9 with
 *    scikit-learn < 1.5 signs it), varm PCs, uns pca. The kNN uses the first nPcs columns,
 *    from float64 scores when the PCA is computed here.
 * 3. Exact euclidean kNN (ties by cell index), obsp distances and connectivities (UMAP), uns neighbors.
 * 4. Ms = W · spliced, Mu = W · unspliced (dense float32), W = the graph's non-zero pattern plus
 *    the diagonal, each row divided by its number of entries.
 */
export function moments(adata: AnnData, options: MomentsOptions = {}): AnnData {
  if (!(adata instanceof AnnData)) throw new TypeError(`${FN}: argument 'adata' must be an AnnData`);
  const nPcs = options.nPcs ?? 30;
  const nNeighbors = options.nNeighbors ?? 30;
  const mode = options.mode ?? 'connectivities';
  const sName = options.splicedLayer ?? 'spliced';
  const uName = options.unsplicedLayer ?? 'unspliced';
  if (!Number.isInteger(nPcs) || nPcs < 1) throw new RangeError(`${FN}: option 'nPcs' must be a positive integer, got ${String(nPcs)}`);
  if (!Number.isInteger(nNeighbors) || nNeighbors < 1 || nNeighbors > adata.nObs) {
    throw new RangeError(`${FN}: option 'nNeighbors' must be an integer in [1, nObs = ${adata.nObs}] (the cell itself counts), got ${String(nNeighbors)}`);
  }
  if (mode !== 'connectivities' && mode !== 'distances') throw new RangeError(`${FN}: option 'mode' must be 'connectivities' or 'distances', got ${JSON.stringify(mode)}`);
  for (const [arg, name] of [['splicedLayer', sName], ['unsplicedLayer', uName]] as const) checkShape(adata, getLayer(adata, name, FN, arg), FN, `layer '${name}'`);
  if (adata.X === undefined) throw new RangeError(`${FN}: X is not set (the neighbour graph is built from X, e.g. filterAndNormalize's log X)`);

  let data = adata;
  if (looksLikeCounts(adata.layer(sName)) || looksLikeCounts(adata.layer(uName))) data = normalizePerCell(adata, { layers: [sName, uName] });

  // Representation for the kNN.
  const obsm: Record<string, Matrix> = { ...data.obsm };
  const varm: Record<string, Matrix> = { ...data.varm };
  const uns = structuredClone(data.uns);
  let coords: DenseArray;
  let useRep: string;
  const existing = data.obsm.X_pca;
  if (data.nVars < 50) {
    useRep = 'X';
    coords = new DenseArray(Float64Array.from(denseValues(data.layer('X'))), data.nObs, data.nVars);
  } else if (existing instanceof DenseArray && existing.nCols >= nPcs) {
    useRep = 'X_pca';
    coords = firstColumns(existing, nPcs);
  } else {
    useRep = 'X_pca';
    const pca = scveloPca(data, nPcs, options.useHighlyVariable ?? true, options.seed ?? 0);
    obsm.X_pca = pca.scoresF32;
    varm.PCs = pca.pcs;
    uns.pca = { params: { zero_center: true, use_highly_variable: pca.usedHighlyVariable }, variance: pca.variance, variance_ratio: pca.varianceRatio };
    coords = firstColumns(pca.scores64, nPcs);
  }

  const knn = knnSearch(coords, nNeighbors);
  const distances = knnDistances(knn);
  const { connectivities } = umapConnectivities(knn);
  uns.neighbors = { connectivities_key: 'connectivities', distances_key: 'distances', params: { n_neighbors: nNeighbors, method: 'umap', metric: 'euclidean', n_pcs: nPcs, use_rep: useRep } };

  const graph = mode === 'connectivities' ? connectivities : distances;
  const ms = neighbourMeans(graph, data.layer(sName));
  const mu = neighbourMeans(graph, data.layer(uName));
  return new AnnData({
    X: data.X,
    obs: data.obs.clone(),
    var: data.var.clone(),
    layers: { ...data.layers, Ms: ms, Mu: mu },
    obsm,
    varm,
    obsp: { ...data.obsp, distances, connectivities },
    varp: { ...data.varp },
    uns,
  });
}

function firstColumns(m: DenseArray, k: number): DenseArray {
  const c = Math.min(k, m.nCols);
  const out = new Float64Array(m.nRows * c);
  for (let i = 0; i < m.nRows; i++) for (let j = 0; j < c; j++) out[i * c + j] = m.values[i * m.nCols + j] as number;
  return new DenseArray(out, m.nRows, c);
}

/**
 * scanpy's PCA as scVelo calls it (svd_solver 'arpack': the exact top components), in float64,
 * with float64 scores recomputed from the loadings (for the kNN) and scanpy 1.9's signs.
 */
function scveloPca(adata: AnnData, nPcs: number, useHighlyVariable: boolean, seed: number) {
  const x = adata.layer('X');
  let genes: Int32Array | undefined;
  let usedHighlyVariable = false;
  if (useHighlyVariable && adata.var.has('highly_variable')) {
    const hv = Array.from(adata.var.get('highly_variable') as ArrayLike<unknown>, (v) => v === true || v === 1);
    const idx: number[] = [];
    hv.forEach((h, j) => h && idx.push(j));
    genes = Int32Array.from(idx);
    usedHighlyVariable = true;
  }
  const nGenes = genes ? genes.length : adata.nVars;
  const nComps = Math.min(nPcs, nGenes - 1, adata.nObs - 1);
  if (nComps < 1) throw new RangeError(`${FN}: PCA needs at least 2 cells and 2 genes, got ${adata.nObs} cells and ${nGenes} genes`);
  const r = pcaMatrix(x, { nComps, ...(genes ? { genes } : {}), svdSolver: 'exact', products: 'js', seed, tol: 1e-10 });
  const k = nComps;
  const p = nGenes;
  const n = adata.nObs;
  const load = r.loadings.values;
  // float64 scores (X - mean) · loadings: the kNN of scanpy's PCA to float64 accuracy
  const cols = genes ?? Int32Array.from({ length: p }, (_, j) => j);
  const pos = new Int32Array(adata.nVars).fill(-1);
  cols.forEach((g, j) => (pos[g] = j));
  const mean = new Float64Array(p);
  const csr = toCsr(x);
  for (let q = 0; q < csr.nnz; q++) {
    const j = pos[csr.indices[q] as number] as number;
    if (j >= 0) mean[j] = (mean[j] as number) + (csr.data[q] as number);
  }
  for (let j = 0; j < p; j++) mean[j] = (mean[j] as number) / n;
  const meanDot = new Float64Array(k);
  for (let j = 0; j < p; j++) for (let c = 0; c < k; c++) meanDot[c] = (meanDot[c] as number) + (mean[j] as number) * (load[j * k + c] as number);
  const scores = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) scores[i * k + c] = -(meanDot[c] as number);
    for (let q = csr.indptr[i] as number; q < (csr.indptr[i + 1] as number); q++) {
      const j = pos[csr.indices[q] as number] as number;
      if (j < 0) continue;
      const v = csr.data[q] as number;
      for (let c = 0; c < k; c++) scores[i * k + c] = (scores[i * k + c] as number) + v * (load[j * k + c] as number);
    }
  }
  // scanpy 1.9 (svd_flip on U): each component's largest |score| positive
  const pcs = new Float64Array(adata.nVars * k);
  for (let c = 0; c < k; c++) {
    let best = -1;
    let at = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(scores[i * k + c] as number);
      if (a > best) {
        best = a;
        at = i;
      }
    }
    const sign = (scores[at * k + c] as number) < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) scores[i * k + c] = sign * (scores[i * k + c] as number);
    for (let j = 0; j < p; j++) pcs[(cols[j] as number) * k + c] = sign * (load[j * k + c] as number);
  }
  return {
    scores64: new DenseArray(scores, n, k),
    scoresF32: new DenseArray(Float32Array.from(scores), n, k),
    pcs: new DenseArray(pcs, adata.nVars, k),
    variance: r.variance,
    varianceRatio: r.varianceRatio,
    usedHighlyVariable,
  };
}

/**
 * scVelo's get_connectivities + the product: W = (graph > 0) with the diagonal set to 1, rows
 * divided by their entry counts (weights rounded to float32, as scVelo's float32 matrix holds
 * them); returns W · layer as dense float32 (cells × genes).
 */
export function neighbourMeans(graph: CsrMatrix, layer: Matrix): DenseArray {
  const n = graph.nRows;
  const x = toCsr(layer);
  const p = x.nCols;
  const out = new Float32Array(n * p);
  const acc = new Float64Array(p);
  const members: number[] = [];
  for (let i = 0; i < n; i++) {
    members.length = 0;
    members.push(i);
    for (let q = graph.indptr[i] as number; q < (graph.indptr[i + 1] as number); q++) {
      const j = graph.indices[q] as number;
      if (j !== i && (graph.data[q] as number) > 0) members.push(j);
    }
    acc.fill(0);
    for (const j of members) {
      for (let q = x.indptr[j] as number; q < (x.indptr[j + 1] as number); q++) acc[x.indices[q] as number] = (acc[x.indices[q] as number] as number) + (x.data[q] as number);
    }
    const w = f32(1 / members.length);
    for (let g = 0; g < p; g++) out[i * p + g] = w * (acc[g] as number);
  }
  return new DenseArray(out, n, p);
}

