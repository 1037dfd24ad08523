// sc.pp.pca: principal components of X (or a layer), by default of the highly variable genes.
import { DenseArray } from '@vitae/anndata';

import { checkOptions, fail, oneOf, optionalBoolean, optionalNumber, show } from '../util/args.js';
import { getMatrix, withChanges } from '../util/adata.js';
import { lanczos } from './lanczos.js';
import { DataOperator } from './operator.js';
import { blockProducts, defaultEngine } from './products.js';
import { randomizedPca } from './randomized.js';

import type { AnnData, Matrix } from '@vitae/anndata';

export interface PcaOptions {
  /** Number of components; default 50, or min(nObs, nVars) - 1 when that is smaller (scanpy). */
  nComps?: number;
  layer?: string;
  /** PCA (true, default) or a truncated SVD of the uncentred data (false, scanpy's TruncatedSVD path). */
  zeroCenter?: boolean;
  /**
   * 'exact' (default): Lanczos with full reorthogonalisation in float64, run to convergence
   * (what scanpy's ARPACK default computes). 'randomized': seeded randomized subspace
   * iteration with float32 tensor products (fast on the wasm backend).
   */
  svdSolver?: 'exact' | 'randomized';
  /** Seed of the start vector (exact) or block (randomized); default 0. */
  seed?: number;
  /** Use only the genes with var.highly_variable (default: when that column exists, as scanpy). */
  useHighlyVariable?: boolean;
  /** randomized: extra block columns (default max(10, nComps)). */
  nOversamples?: number;
  /** randomized: power iterations (default 15). */
  nIter?: number;
  /** exact: relative residual at which a Ritz pair counts as converged (default 1e-10). */
  tol?: number;
  /**
   * How products with the data are computed: 'tensor' (@vitae/tensor's matMul in float32; the
   * default on the wasm backend, where it is fast) or 'js' (float64 loops; the default elsewhere).
   */
  products?: 'tensor' | 'js';
  /** Store under obsm / varm / uns [keyAdded] instead of X_pca / PCs / pca. */
  keyAdded?: string;
}

export interface PcaResult {
  /** Cell coordinates, nObs × nComps, float32. */
  scores: DenseArray;
  /** Loadings, nGenes (used) × nComps, float64; each column has unit norm and its largest |entry| positive. */
  loadings: DenseArray;
  /** Explained variance of each component (eigenvalues of the covariance, ddof 1). */
  variance: Float64Array;
  /** variance / total variance of the genes used. */
  varianceRatio: Float64Array;
  /** Lanczos steps (exact) or power iterations (randomized). */
  iterations: number;
}

export function defaultNComps(nObs: number, nVars: number): number {
  const minDim = Math.min(nObs, nVars);
  return minDim <= 50 ? minDim - 1 : 50;
}

/** PCA of a cells × genes matrix; `genes` picks columns (all when omitted). */
export function pcaMatrix(m: Matrix, options: Omit<PcaOptions, 'layer' | 'useHighlyVariable' | 'keyAdded'> & { genes?: Int32Array } = {}): PcaResult {
  const fn = 'pca';
  const zeroCenter = optionalBoolean(fn, 'zeroCenter', options.zeroCenter) ?? true;
  const solver = oneOf(fn, 'svdSolver', options.svdSolver, ['exact', 'randomized'], 'exact');
  const seed = optionalNumber(fn, 'seed', options.seed, { integer: true, min: 0 }) ?? 0;
  const nObs = m.nRows;
  const nGenes = options.genes ? options.genes.length : m.nCols;
  const maxComps = Math.min(nObs, nGenes);
  if (maxComps < 1) fail(fn, `the data must have at least one cell and one gene, got ${nObs} × ${nGenes}`);
  const nComps = optionalNumber(fn, 'nComps', options.nComps, { integer: true, min: 1 }) ?? Math.max(1, defaultNComps(nObs, nGenes));
  if (nComps > maxComps) fail(fn, `option 'nComps' must be an integer in [1, min(nObs, nVars used) = ${maxComps}], got ${nComps}`);
  const engine = oneOf(fn, 'products', options.products, ['tensor', 'js'], defaultEngine());
  const op = new DataOperator(m, zeroCenter, options.genes);
  const prod = blockProducts(op, engine);
  try {
    return pcaWith(op, prod, engine, solver, nComps, zeroCenter, seed, options);
  } finally {
    prod.dispose();
  }
}

function pcaWith(
  op: DataOperator,
  prod: ReturnType<typeof blockProducts>,
  engine: 'tensor' | 'js',
  solver: 'exact' | 'randomized',
  nComps: number,
  zeroCenter: boolean,
  seed: number,
  options: Omit<PcaOptions, 'layer' | 'useHighlyVariable' | 'keyAdded'>,
): PcaResult {
  const fn = 'pca';
  const n = op.nRows;
  const p = op.nCols;
  let values: Float64Array;
  let loadings: Float64Array; // p × k
  let scores: Float64Array; // n × k
  let iterations: number;
  const k = nComps;
  if (solver === 'exact') {
    const tol = optionalNumber(fn, 'tol', options.tol, { above: 0, below: 1 }) ?? 1e-10;
    const wide = n < p;
    const side: Float64Array[] = [];
    const u = new Float64Array(wide ? p : n);
    const r = lanczos(
      {
        dim: wide ? n : p,
        apply: (v, out) => {
          if (engine === 'tensor') {
            u.set(wide ? prod.tmul(v, 1) : prod.mul(v, 1));
            out.set(wide ? prod.mul(u, 1) : prod.tmul(u, 1));
          } else if (wide) {
            op.tmul(v, u);
            op.mul(u, out);
          } else op.gram(v, u, out);
          side.push(Float64Array.from(u));
        },
      },
      k,
      { tol, seed },
    );
    values = r.values.map((x) => Math.max(x, 0));
    iterations = r.steps;
    // Ritz vectors in the Lanczos space and, from the stored products, on the other side.
    const onBasis = (vecs: Float64Array[], len: number, scaleBy: (c: number) => number): Float64Array => {
      const cols = r.coef.map(() => new Float64Array(len));
      vecs.forEach((vec, j) => {
        if (j >= (r.coef[0]?.length ?? 0)) return;
        cols.forEach((col, c) => {
          const f = (r.coef[c] as Float64Array)[j] as number;
          for (let i = 0; i < len; i++) col[i] = (col[i] as number) + f * (vec[i] as number);
        });
      });
      const out = new Float64Array(len * k);
      cols.forEach((col, c) => {
        const s = scaleBy(c);
        for (let i = 0; i < len; i++) out[i * k + c] = (col[i] as number) * s;
      });
      return out;
    };
    const sigma = (c: number): number => Math.sqrt(values[c] as number);
    if (wide) {
      scores = onBasis(r.basis, n, sigma);
      loadings = onBasis(side, p, (c) => (sigma(c) > 0 ? 1 / sigma(c) : 0));
    } else {
      loadings = onBasis(r.basis, p, () => 1);
      scores = onBasis(side, n, () => 1);
    }
  } else {
    const nOversamples = optionalNumber(fn, 'nOversamples', options.nOversamples, { integer: true, min: 0 }) ?? Math.max(10, k);
    const nIter = optionalNumber(fn, 'nIter', options.nIter, { integer: true, min: 0 }) ?? 15;
    const r = randomizedPca(prod, k, { nOversamples, nIter, seed });
    values = r.values;
    loadings = r.loadings;
    scores = r.scores;
    iterations = nIter;
  }
  // svd_flip on the loadings (scikit-learn >= 1.5): each component's largest |loading| positive.
  for (let c = 0; c < k; c++) {
    let best = 0;
    let at = 0;
    for (let j = 0; j < p; j++) {
      const a = Math.abs(loadings[j * k + c] as number);
      if (a > best) {
        best = a;
        at = j;
      }
    }
    if ((loadings[at * k + c] as number) < 0) {
      for (let j = 0; j < p; j++) loadings[j * k + c] = -(loadings[j * k + c] as number);
      for (let i = 0; i < n; i++) scores[i * k + c] = -(scores[i * k + c] as number);
    }
  }
  let variance: Float64Array;
  let total = 0;
  for (const v of op.colVar) total += v;
  if (zeroCenter) variance = values.map((x) => x / Math.max(n - 1, 1));
  else {
    // TruncatedSVD: the variance (ddof 0) of each score column.
    variance = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      let s = 0;
      let ss = 0;
      for (let i = 0; i < n; i++) {
        const x = scores[i * k + c] as number;
        s += x;
        ss += x * x;
      }
      const mu = s / n;
      variance[c] = ss / n - mu * mu;
    }
  }
  const varianceRatio = variance.map((v) => (total > 0 ? v / total : 0));
  return {
    scores: new DenseArray(Float32Array.from(scores), n, k),
    loadings: new DenseArray(loadings, p, k),
    variance,
    varianceRatio,
    iterations,
  };
}

/**
 * A new AnnData with obsm.X_pca (nObs × nComps, float32), varm.PCs (nVars × nComps; rows of
 * genes left out by the highly-variable mask are zero) and uns.pca { params, variance,
 * variance_ratio }, as sc.pp.pca stores them.
 */
export function pca(adata: AnnData, options: PcaOptions = {}): AnnData {
  const fn = 'pca';
  checkOptions(fn, options, ['nComps', 'layer', 'zeroCenter', 'svdSolver', 'seed', 'useHighlyVariable', 'nOversamples', 'nIter', 'tol', 'products', 'keyAdded']);
  const m = getMatrix(adata, options.layer, fn);
  let useHv = optionalBoolean(fn, 'useHighlyVariable', options.useHighlyVariable);
  const hasHv = adata.var.has('highly_variable');
  if (useHv === true && !hasHv) fail(fn, `option 'useHighlyVariable' is true but var has no 'highly_variable' column (run highlyVariableGenes first); the columns are ${JSON.stringify(adata.var.columnNames)}`);
  useHv ??= hasHv;
  let genes: Int32Array | undefined;
  if (useHv) {
    const col = adata.var.get('highly_variable');
    if (!Array.isArray(col) || col.some((v) => typeof v !== 'boolean')) fail(fn, `var['highly_variable'] must be a boolean column, got ${show(col)}`);
    genes = Int32Array.from((col as boolean[]).flatMap((keep, j) => (keep ? [j] : [])));
    if (genes.length === 0) fail(fn, `var['highly_variable'] marks no gene; pass useHighlyVariable: false to use all genes`);
  }
  const keyAdded = options.keyAdded;
  if (keyAdded !== undefined && (typeof keyAdded !== 'string' || keyAdded === '')) fail(fn, `option 'keyAdded' must be a non-empty string, got ${show(keyAdded)}`);
  const r = pcaMatrix(m, { ...options, genes });
  const k = r.scores.nCols;
  const pcs = new Float64Array(adata.nVars * k);
  const rows = genes ?? Int32Array.from({ length: adata.nVars }, (_, j) => j);
  rows.forEach((j, g) => pcs.set(r.loadings.values.subarray(g * k, (g + 1) * k), j * k));
  const params: Record<string, string | boolean | number> = { zero_center: options.zeroCenter ?? true, use_highly_variable: useHv, svd_solver: options.svdSolver ?? 'exact' };
  if (options.layer !== undefined) params.layer = options.layer;
  return withChanges(adata, {
    obsm: { [keyAdded ?? 'X_pca']: r.scores },
    varm: { [keyAdded ?? 'PCs']: new DenseArray(pcs, adata.nVars, k) },
    uns: { [keyAdded ?? 'pca']: { params, variance: r.variance, variance_ratio: r.varianceRatio } },
  });
}
