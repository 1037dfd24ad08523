// The k largest eigenpairs of M = BᵀB (B = A_c, or A_cᵀ when the matrix is wide) by randomized
// subspace iteration (Halko, Martinsson & Tropp 2011, algorithm 4.4 on M): a seeded Gaussian
// block Q of l = k + oversamples columns, `nIter` power iterations Q <- orth(M Q), then a
// Rayleigh–Ritz step. The block products come from ./products.ts (tensor products on the wasm
// backend); orthonormalisation and the small eigenproblem run in float64 (Cholesky QR twice,
// ml-matrix for the l × l Cholesky and eigendecomposition).
import { Prng } from '@vitae/tensor';
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix } from 'ml-matrix';

import { normals } from '../util/random.js';

import type { BlockProducts } from './products.js';

/** YᵀY of a row-major rows × l block. */
function gram(Y: Float64Array, rows: number, l: number): Float64Array {
  const G = new Float64Array(l * l);
  for (let i = 0; i < rows; i++) {
    const o = i * l;
    for (let a = 0; a < l; a++) {
      const ya = Y[o + a] as number;
      if (ya === 0) continue;
      for (let b = a; b < l; b++) G[a * l + b] = (G[a * l + b] as number) + ya * (Y[o + b] as number);
    }
  }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) G[a * l + b] = G[b * l + a] as number;
  return G;
}

/**
 * Y <- Y R⁻¹ in place, with YᵀY = RᵀR (R = Lᵀ from ml-matrix's Cholesky): one pass of Cholesky
 * QR. False when YᵀY is not numerically positive definite.
 */
function choleskyQrPass(Y: Float64Array, rows: number, l: number): boolean {
  const G = gram(Y, rows, l);
  const chol = new CholeskyDecomposition(new Matrix(Array.from({ length: l }, (_, a) => Array.from(G.subarray(a * l, (a + 1) * l)))));
  if (!chol.isPositiveDefinite()) return false;
  const L = chol.lowerTriangularMatrix;
  // Rinv = (Lᵀ)⁻¹, upper triangular: column c solves Lᵀ x = e_c by back substitution.
  const Rinv = new Float64Array(l * l);
  for (let c = 0; c < l; c++) {
    for (let a = c; a >= 0; a--) {
      let s = a === c ? 1 : 0;
      for (let b = a + 1; b <= c; b++) s -= L.get(b, a) * (Rinv[b * l + c] as number);
      const diag = L.get(a, a);
      if (!(diag > 0)) return false;
      Rinv[a * l + c] = s / diag;
    }
  }
  const row = new Float64Array(l);
  for (let i = 0; i < rows; i++) {
    const o = i * l;
    row.fill(0);
    for (let a = 0; a < l; a++) {
      const ya = Y[o + a] as number;
      if (ya === 0) continue;
      const ra = a * l;
      for (let c = a; c < l; c++) row[c] = (row[c] as number) + ya * (Rinv[ra + c] as number);
    }
    Y.set(row, o);
  }
  return true;
}

/** Modified Gram–Schmidt with a second pass, for blocks Cholesky QR cannot handle (rank deficiency). */
function gramSchmidt(Y: Float64Array, rows: number, l: number, rng: Prng): void {
  const col = (c: number): Float64Array => Float64Array.from({ length: rows }, (_, i) => Y[i * l + c] as number);
  const done: Float64Array[] = [];
  for (let c = 0; c < l; c++) {
    let v = col(c);
    for (let attempt = 0; attempt < 3; attempt++) {
      for (let pass = 0; pass < 2; pass++) {
        for (const q of done) {
          let d = 0;
          for (let i = 0; i < rows; i++) d += (q[i] as number) * (v[i] as number);
          for (let i = 0; i < rows; i++) v[i] = (v[i] as number) - d * (q[i] as number);
        }
      }
      let n = 0;
      for (let i = 0; i < rows; i++) n += (v[i] as number) ** 2;
      n = Math.sqrt(n);
      if (n > 1e-10) {
        v = v.map((x) => x / n);
        break;
      }
      v = normals(rng, rows);
    }
    done.push(v);
    for (let i = 0; i < rows; i++) Y[i * l + c] = v[i] as number;
  }
}

/** Orthonormal columns: Cholesky QR (twice when `twice`, for full orthogonality), Gram–Schmidt as the fallback. */
function orthonormalize(Y: Float64Array, rows: number, l: number, rng: Prng, twice = true): void {
  if (!(choleskyQrPass(Y, rows, l) && (!twice || choleskyQrPass(Y, rows, l)))) gramSchmidt(Y, rows, l, rng);
}

export interface RandomizedResult {
  values: Float64Array;
  /** Right singular vectors (loadings), nCols × k row-major, unit columns. */
  loadings: Float64Array;
  /** Scores A_c V, nRows × k row-major. */
  scores: Float64Array;
}

export function randomizedPca(prod: BlockProducts, k: number, options: { nOversamples: number; nIter: number; seed: number }): RandomizedResult {
  const { nRows: n, nCols: p } = prod;
  const wide = n < p;
  const dim = wide ? n : p;
  const l = Math.min(dim, k + options.nOversamples);
  const rng = new Prng(options.seed);
  {
    // M Q for Q dim × l: tall data M = A_cᵀA_c, wide data M = A_cA_cᵀ.
    const applyM = (Q: Float64Array): Float64Array => (wide ? prod.mul(prod.tmul(Q, l), l) : prod.tmul(prod.mul(Q, l), l));
    let Q = normals(rng, dim * l);
    orthonormalize(Q, dim, l, rng);
    // Inside the iteration one Cholesky QR pass keeps the block well conditioned (its columns
    // orthonormal to ~cond(M Q)² · 1e-16); the block entering Rayleigh–Ritz gets two.
    for (let it = 0; it < options.nIter; it++) {
      Q = applyM(Q);
      orthonormalize(Q, dim, l, rng, it === options.nIter - 1);
    }
    // Rayleigh–Ritz: Z = B Q, (B Q)ᵀ(B Q) = W Θ Wᵀ.
    const Z = wide ? prod.tmul(Q, l) : prod.mul(Q, l);
    const zRows = wide ? p : n;
    const G = gram(Z, zRows, l);
    const evd = new EigenvalueDecomposition(new Matrix(Array.from({ length: l }, (_, a) => Array.from(G.subarray(a * l, (a + 1) * l)))), { assumeSymmetric: true });
    const theta = evd.realEigenvalues;
    const W = evd.eigenvectorMatrix;
    const order = Array.from({ length: l }, (_, i) => i).sort((a, b) => (theta[b] as number) - (theta[a] as number)).slice(0, k);
    const values = Float64Array.from(order, (i) => Math.max(theta[i] as number, 0));
    const combine = (X: Float64Array, rows: number, scaleBy: (c: number) => number): Float64Array => {
      const out = new Float64Array(rows * k);
      for (let i = 0; i < rows; i++) {
        for (let c = 0; c < k; c++) {
          const wc = order[c] as number;
          let s = 0;
          for (let a = 0; a < l; a++) s += (X[i * l + a] as number) * W.get(a, wc);
          out[i * k + c] = s * scaleBy(c);
        }
      }
      return out;
    };
    const sigma = (c: number): number => Math.sqrt(values[c] as number);
    if (!wide) return { values, loadings: combine(Q, p, () => 1), scores: combine(Z, n, () => 1) };
    return { values, loadings: combine(Z, p, (c) => (sigma(c) > 0 ? 1 / sigma(c) : 0)), scores: combine(Q, n, sigma) };
  }
}
