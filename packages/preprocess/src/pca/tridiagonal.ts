// Eigenvalues and eigenvectors of a symmetric tridiagonal matrix by the implicit QL method with
// Wilkinson shifts (the tql2 step of EISPACK / JAMA). ml-matrix's EigenvalueDecomposition
// solves the same problem but first re-tridiagonalises the dense matrix (0.44 s for 300 × 300
// here); Lanczos needs this many times on a matrix that is already tridiagonal, and during its
// convergence checks only the last row of the eigenvector matrix, which the rotations update on
// their own: tracking that one row makes a check O(m²) instead of O(m³).

export interface TridiagonalEigen {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** rows[r][j]: row `tracked[r]` of the eigenvector matrix, column j matching values[j]. */
  rows: Float64Array[];
}

/**
 * diag: the m diagonal entries; off: the m - 1 entries T[i][i+1]. `tracked`: which rows of the
 * eigenvector matrix to return (all when omitted).
 */
export function tridiagonalEigen(diag: ArrayLike<number>, off: ArrayLike<number>, tracked?: readonly number[]): TridiagonalEigen {
  const n = diag.length;
  const d = Float64Array.from(diag);
  const e = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) e[i] = off[i] as number;
  const rowIds = tracked ?? Array.from({ length: n }, (_, i) => i);
  const t = rowIds.length;
  // Column j of the eigenvector matrix restricted to the tracked rows: each rotation mixes two
  // columns, so they are stored contiguously.
  const Z = Array.from({ length: n }, () => new Float64Array(t));
  rowIds.forEach((r, q) => ((Z[r] as Float64Array)[q] = 1));
  const eps = 2 ** -52;
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l] as number) + Math.abs(e[l] as number));
    let m = l;
    while (m < n - 1 && Math.abs(e[m] as number) > eps * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 60) throw new Error('tridiagonalEigen: no convergence after 60 QL iterations');
        let g = d[l] as number;
        let p = ((d[l + 1] as number) - g) / (2 * (e[l] as number));
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = (e[l] as number) / (p + r);
        d[l + 1] = (e[l] as number) * (p + r);
        const dl1 = d[l + 1] as number;
        let h = g - (d[l] as number);
        for (let i = l + 2; i < n; i++) d[i] = (d[i] as number) - h;
        f += h;
        p = d[m] as number;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1] as number;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * (e[i] as number);
          h = c * p;
          r = Math.hypot(p, e[i] as number);
          e[i + 1] = s * r;
          s = (e[i] as number) / r;
          c = p / r;
          p = c * (d[i] as number) - s * g;
          d[i + 1] = h + s * (c * g + s * (d[i] as number));
          const za = Z[i] as Float64Array;
          const zb = Z[i + 1] as Float64Array;
          for (let q = 0; q < t; q++) {
            const zi1 = zb[q] as number;
            const zi = za[q] as number;
            zb[q] = s * zi + c * zi1;
            za[q] = c * zi - s * zi1;
          }
        }
        p = (-s * s2 * c3 * el1 * (e[l] as number)) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l] as number) > eps * tst1);
    }
    d[l] = (d[l] as number) + f;
    e[l] = 0;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (d[b] as number) - (d[a] as number));
  return {
    values: Float64Array.from(order, (i) => d[i] as number),
    rows: rowIds.map((_, q) => Float64Array.from(order, (i) => (Z[i] as Float64Array)[q] as number)),
  };
}
