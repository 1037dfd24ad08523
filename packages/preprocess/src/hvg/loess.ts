// Loess with one predictor, gaussian family (no robustness iterations), as netlib's dloess fits
// it (the code inside R's loess() and the skmisc.loess scanpy calls):
//
// - a local polynomial of `degree` at a point q, fitted by weighted least squares over the
//   floor(n·span) points nearest to q with tricube weights (1 - (d/h)³)³, h the distance to the
//   farthest of them;
// - surface 'interpolate' (the default there and here): those local fits are made only at the
//   vertices of a k-d tree (cells split at the median until they hold at most
//   floor(n·span·cell) points, cell = 0.2), and the fitted value at x is the cubic Hermite
//   interpolant of the vertex values and slopes of the cell that holds x;
// - surface 'direct': the local fit at every x itself.
//
// The tree rules (box margin, median split moved to the nearest change of value, no split on a
// cell edge) follow dloess' ehg126 / ehg124 / ehg129, so 'interpolate' reproduces R's loess to
// ~1e-13 (checked by tooling/fixtures/generators/preprocess.py on pbmc3k).
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

import { fail, oneOf, optionalNumber } from '../util/args.js';

export interface LoessOptions {
  /** Fraction of the points in each local fit; default 0.3 (scanpy's seurat_v3). */
  span?: number;
  /** 1 or 2 (default 2). */
  degree?: number;
  /** 'interpolate' (default, as skmisc / R) or 'direct'. */
  surface?: 'interpolate' | 'direct';
  /** Largest cell of the k-d tree as a fraction of span (default 0.2). */
  cell?: number;
}

/** The local fit at q: value and first derivative. xs is sorted ascending. */
function localFit(xs: Float64Array, ys: Float64Array, q: number, nf: number, span: number, degree: number): [number, number] {
  const n = xs.length;
  // The nf nearest points form a contiguous run of the sorted xs: grow it from the insertion point.
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) < q) lo = mid + 1;
    else hi = mid;
  }
  let left = lo - 1;
  let right = lo;
  for (let taken = 0; taken < nf; taken++) {
    const dl = left >= 0 ? q - (xs[left] as number) : Infinity;
    const dr = right < n ? (xs[right] as number) - q : Infinity;
    if (dl <= dr) left--;
    else right++;
  }
  const first = left + 1;
  const last = right - 1;
  const farthest = Math.max(q - (xs[first] as number), (xs[last] as number) - q);
  const h = farthest * Math.sqrt(Math.max(1, span));
  if (!(h > 0)) fail('loess', `zero-width neighbourhood at ${q}: more than span·n points share one x value; make span bigger`);
  // Weighted normal equations in u = (x - q) / h, which keeps them well conditioned.
  const k = degree + 1;
  const mom = new Float64Array(2 * degree + 1);
  const rhs = new Float64Array(k);
  for (let i = first; i <= last; i++) {
    const u = ((xs[i] as number) - q) / h;
    const a = Math.abs(u);
    if (a >= 1) continue;
    const t = 1 - a * a * a;
    const w = t * t * t;
    let p = w;
    for (let e = 0; e <= 2 * degree; e++) {
      mom[e] = (mom[e] as number) + p;
      if (e < k) rhs[e] = (rhs[e] as number) + p * (ys[i] as number);
      p *= u;
    }
  }
  const coef = solveNormal(mom, rhs, k);
  return [coef[0] as number, (coef[1] as number) / h];
}

/**
 * Solves the k × k normal equations (Hankel matrix of the moments). Cholesky when the system is
 * well conditioned; otherwise the pseudo-inverse through ml-matrix's symmetric eigendecomposition
 * (dloess uses an SVD pseudo-inverse; that only matters when the neighbourhood holds fewer than
 * degree + 1 distinct x values).
 */
function solveNormal(mom: Float64Array, rhs: Float64Array, k: number): Float64Array {
  const L = new Float64Array(k * k);
  let ok = true;
  let maxDiag = 0;
  for (let r = 0; r < k; r++) maxDiag = Math.max(maxDiag, mom[2 * r] as number);
  for (let r = 0; r < k && ok; r++) {
    for (let c = 0; c <= r; c++) {
      let v = mom[r + c] as number;
      for (let t = 0; t < c; t++) v -= (L[r * k + t] as number) * (L[c * k + t] as number);
      if (r === c) {
        if (!(v > maxDiag * 1e-10)) {
          ok = false;
          break;
        }
        L[r * k + r] = Math.sqrt(v);
      } else L[r * k + c] = v / (L[c * k + c] as number);
    }
  }
  const coef = new Float64Array(k);
  if (ok) {
    const z = new Float64Array(k);
    for (let r = 0; r < k; r++) {
      let v = rhs[r] as number;
      for (let t = 0; t < r; t++) v -= (L[r * k + t] as number) * (z[t] as number);
      z[r] = v / (L[r * k + r] as number);
    }
    for (let r = k - 1; r >= 0; r--) {
      let v = z[r] as number;
      for (let t = r + 1; t < k; t++) v -= (L[t * k + r] as number) * (coef[t] as number);
      coef[r] = v / (L[r * k + r] as number);
    }
    return coef;
  }
  const A = new Matrix(k, k);
  for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) A.set(r, c, mom[r + c] as number);
  const evd = new EigenvalueDecomposition(A, { assumeSymmetric: true });
  const lambda = evd.realEigenvalues;
  const V = evd.eigenvectorMatrix;
  const top = Math.max(...lambda.map(Math.abs));
  for (let e = 0; e < k; e++) {
    const l = lambda[e] as number;
    if (!(Math.abs(l) > top * 1e-13)) continue;
    let proj = 0;
    for (let r = 0; r < k; r++) proj += V.get(r, e) * (rhs[r] as number);
    for (let r = 0; r < k; r++) coef[r] = (coef[r] as number) + (V.get(r, e) * proj) / l;
  }
  return coef;
}

/** The sorted vertices of dloess' k-d tree over sorted xs (one predictor). */
export function loessVertices(xs: Float64Array, span: number, cell: number): Float64Array {
  const n = xs.length;
  const min = xs[0] as number;
  const max = xs[n - 1] as number;
  const margin = 0.005 * Math.max(max - min, 1e-10 * Math.max(Math.abs(min), Math.abs(max)) + 1e-30);
  const fc = Math.floor(n * (span * cell));
  const nvMax = Math.max(200, n);
  const vertices = new Set<number>([min - margin, max + margin]);
  const cells: [number, number, number, number][] = [[0, n - 1, min - margin, max + margin]];
  for (let p = 0; p < cells.length; p++) {
    const [l, u, a, b] = cells[p] as [number, number, number, number];
    if (u - l + 1 <= fc || b - a <= 0 || nvMax < vertices.size + 1 || nvMax < cells.length + 2) continue;
    let m = (l + u) >> 1;
    // Move the split to the nearest place where the value changes (offsets 0, 1, -1, 2, -2, ...).
    for (let offset = 0; m + offset < u && m + offset >= l; ) {
      if (xs[m + offset] === xs[m + offset + 1]) {
        offset = -offset;
        if (offset >= 0) offset++;
      } else {
        m += offset;
        break;
      }
    }
    const split = xs[m] as number;
    if (split === a || split === b) continue;
    vertices.add(split);
    cells.push([l, m, a, split], [m + 1, u, split, b]);
  }
  return Float64Array.from(vertices).sort();
}

/** Fitted values of loess(y ~ x) at the x's. */
export function loess(x: ArrayLike<number>, y: ArrayLike<number>, options: LoessOptions = {}): Float64Array {
  const span = optionalNumber('loess', 'span', options.span, { above: 0 }) ?? 0.3;
  const degree = optionalNumber('loess', 'degree', options.degree, { integer: true, min: 1, max: 2 }) ?? 2;
  const surface = oneOf('loess', 'surface', options.surface, ['interpolate', 'direct'], 'interpolate');
  const cell = optionalNumber('loess', 'cell', options.cell, { above: 0 }) ?? 0.2;
  const n = x.length;
  if (y.length !== n) fail('loess', `x and y must have the same length, got ${n} and ${y.length}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) fail('loess', `x and y must be finite, got (${x[i]}, ${y[i]}) at index ${i}`);
  }
  const nf = Math.min(n, Math.floor(n * span));
  if (nf < degree + 2) fail('loess', `option 'span' is too small: floor(n·span) = ${nf} points per local fit, need at least ${degree + 2} (n = ${n}, span = ${span})`);
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => (x[a] as number) - (x[b] as number) || a - b);
  const xs = Float64Array.from(order, (i) => x[i] as number);
  const ys = Float64Array.from(order, (i) => y[i] as number);
  const fitted = new Float64Array(n);
  if (surface === 'direct') {
    for (let i = 0; i < n; i++) fitted[i] = localFit(xs, ys, x[i] as number, nf, span, degree)[0];
    return fitted;
  }
  const verts = loessVertices(xs, span, cell);
  const fits = Array.from(verts, (v) => localFit(xs, ys, v, nf, span, degree));
  for (let i = 0; i < n; i++) {
    const xi = x[i] as number;
    // The cell [verts[k], verts[k + 1]] with verts[k] < xi <= verts[k + 1].
    let lo = 0;
    let hi = verts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((verts[mid] as number) < xi) lo = mid + 1;
      else hi = mid;
    }
    const k = Math.min(Math.max(lo - 1, 0), verts.length - 2);
    const v0 = verts[k] as number;
    const width = (verts[k + 1] as number) - v0;
    const [g0, s0] = fits[k] as [number, number];
    const [g1, s1] = fits[k + 1] as [number, number];
    const h = (xi - v0) / width;
    const phi0 = (1 - h) * (1 - h) * (1 + 2 * h);
    const phi1 = h * h * (3 - 2 * h);
    const psi0 = h * (1 - h) * (1 - h);
    const psi1 = h * h * (h - 1);
    fitted[i] = phi0 * g0 + phi1 * g1 + (psi0 * s0 + psi1 * s1) * width;
  }
  return fitted;
}
