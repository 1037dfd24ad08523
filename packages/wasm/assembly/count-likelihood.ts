// f32x4 negative-binomial (NB) and zero-inflated NB log-likelihoods, scvi-tools'
// log_nb_positive / log_zinb_positive, with their partial derivatives, in one kernel call: a
// pass over every element and one over the nonzero counts (below).
//
// With A = θ + ε, M = μ + ε, R = θ + μ + ε (ε = eps) and
//   a = μ/A:  log(θ + ε) − log(θ + μ + ε) = −log1p(a)
//   b = θ/M:  log(μ + ε) − log(θ + μ + ε) = −log1p(b)
// (log1p of a ratio instead of a difference of two logs: no cancellation when μ ≪ θ or θ ≪ μ),
//   NB(x)  = −θ·log1p(a) − x·log1p(b) + G(x, θ),   G = log Γ(x + θ) − log Γ(θ) − log Γ(x + 1)
//   ∂/∂μ   = x/M − (θ + x)/R = −θ/R + x·θ/(M·R)            (R − M = θ)
//   ∂/∂θ   = −log1p(a) + θ/A − (θ + x)/R + ψ(x + θ) − ψ(θ)
//          = −log1p(a) + (θ·μ/A − x)/R + H(x, θ),      H = ψ(x + θ) − ψ(θ)
// ZINB with zero-inflation logits π:
//   x ≥ ε: ZINB = NB(x) − softplus(π)                (−softplus(−π) − π = −softplus(π))
//          ∂/∂π = −σ(π); ∂/∂μ, ∂/∂θ as NB
//   x < ε: ZINB = softplus(u) − softplus(v), v = −π, u = v + NB(0), NB(0) = −θ·log1p(a)
//          ∂/∂π = σ(−π) − σ(u); ∂/∂μ, ∂/∂θ = σ(u) × those of NB(0)
// softplus(u) − softplus(v) = [max(u, 0) − max(v, 0)] + [log1p(e^−|u|) − log1p(e^−|v|)], and when
// u, v ≥ 0 the first bracket is NB(0) itself (fl(v + NB(0)) − v would lose NB(0)'s low bits).
//
// The terms with a factor x or with G, H vanish at x = 0, and count data are mostly zeros, so
// they are not computed lane by lane: pass 1 computes the rest (NB(0), −θ/R, the ZINB terms)
// for every element and packs (index, x, μ, θ) of the elements with x ≠ 0 (ZINB: x ≥ ε);
// pass 2 evaluates −x·log1p(b) + G, x·θ/(M·R) and H four packed elements at a time and adds
// them to the outputs of those elements.
//
// e^−|z| is flushed to 0 below e^−60 ≈ 8.8e−27 and log1p(e) is taken as e below 2^−24: this
// keeps the intermediates normal floats (subnormal operands cost x86 cores ~100 cycles per
// instruction) at an absolute cost below 1e−26 in σ and softplus.

import { k, logPos, expV, log1pUnit, ZERO, C_ONE } from "./simd-math";
import { lgammaV, digammaV } from "./gamma-f32";

const C_EXP_FLOOR = memory.data<f32>([-60.0]);
const C_TWO_M24 = memory.data<f32>([5.9604645e-8]); // 2^-24

/** log1p(t) for t >= 0 given r ≈ 1/(1 + t): log u + (t − (u − 1))·r, u = fl(1 + t) (first-order correction of the rounding of 1 + t). */
@inline function log1pPos(t: v128, r: v128): v128 {
  const one = k(C_ONE);
  const u = f32x4.add(one, t);
  return f32x4.add(logPos(u), f32x4.mul(f32x4.sub(t, f32x4.sub(u, one)), r));
}

/** e^−|z|, 0 below e^−60. */
@inline function expNegAbs(z: v128): v128 {
  const a = f32x4.neg(f32x4.abs(z));
  const floor = k(C_EXP_FLOOR);
  return v128.andnot(expV(f32x4.pmax(a, floor)), f32x4.lt(a, floor));
}

/** log1p(e) for e in [0, 1]: e itself below 2^−24 (where log1p(e) rounds to e in f32). */
@inline function log1pSmall(e: v128): v128 {
  const tiny = k(C_TWO_M24);
  return v128.bitselect(e, log1pUnit(f32x4.pmax(e, tiny)), f32x4.lt(e, tiny));
}

/** σ(z) and σ(−z) from e = e^−|z| and r = 1/(1 + e): the larger is r, the smaller e·r. */
@inline function sigmoidPos(z: v128, e: v128, r: v128): v128 {
  return v128.bitselect(r, f32x4.mul(e, r), f32x4.ge(z, ZERO));
}
@inline function sigmoidNeg(z: v128, e: v128, r: v128): v128 {
  return v128.bitselect(f32x4.mul(e, r), r, f32x4.ge(z, ZERO));
}

// Lane j of a vector; j is a constant at every call site, so the selection folds away.
@inline function laneF(v: v128, j: i32): f32 {
  return j == 0 ? f32x4.extract_lane(v, 0) : j == 1 ? f32x4.extract_lane(v, 1) : j == 2 ? f32x4.extract_lane(v, 2) : f32x4.extract_lane(v, 3);
}
@inline function laneI(v: v128, j: i32): i32 {
  return j == 0 ? i32x4.extract_lane(v, 0) : j == 1 ? i32x4.extract_lane(v, 1) : j == 2 ? i32x4.extract_lane(v, 2) : i32x4.extract_lane(v, 3);
}

/**
 * Writes lane `lane` of a vector (element e + lane) at packed slot c and returns the next free
 * slot: c + 1 when its x counts (mask lane all ones), else c (branch-free; the slot is reused).
 */
@inline function packLane(lane: i32, mask: v128, x: v128, mu: v128, th: v128, e: i32, pIdx: usize, pX: usize, pMu: usize, pTh: usize, c: usize): usize {
  const at = c << 2;
  store<i32>(pIdx + at, e + lane);
  store<f32>(pX + at, laneF(x, lane));
  store<f32>(pMu + at, laneF(mu, lane));
  store<f32>(pTh + at, laneF(th, lane));
  return c + <usize>(laneI(mask, lane) & 1);
}

/** out[idx[slot]] += lane `lane` of v, for a packed slot. */
@inline function addLane(lane: i32, v: v128, out: usize, pIdx: usize, slot: usize): void {
  const p = out + (<usize>load<i32>(pIdx + (slot << 2)) << 2);
  store<f32>(p, load<f32>(p) + laneF(v, lane));
}

/**
 * The kernel over n elements (buffers padded to whole vectors): the log-likelihood into oF and,
 * when `grad`, its partial derivatives into oMu, oTh (and oPi). `zi` (zero-inflated) and `grad`
 * are compile-time constants at every call site. Outputs may alias inputs: pass 1 loads each
 * vector's inputs before storing its outputs, and pass 2 reads only the packed copies. `scratch`
 * holds four arrays of n (padded) 4-byte slots for the packed elements.
 */
@inline export function countLikelihood(
  zi: bool, grad: bool,
  px: usize, pmu: usize, pth: usize, ppi: usize,
  oF: usize, oMu: usize, oTh: usize, oPi: usize,
  n: i32, eps: f32, scratch: usize,
): void {
  const epsV = f32x4.splat(eps);
  const one = k(C_ONE);
  const bytes: usize = <usize>((n + 3) >> 2) << 4;
  const pIdx = scratch;
  const pX = scratch + bytes;
  const pMu = scratch + 2 * bytes;
  const pTh = scratch + 3 * bytes;
  let c: usize = 0; // packed elements so far

  // ---- pass 1: all but G and H, for every element ----
  for (let i: usize = 0; i < bytes; i += 16) {
    const x0 = v128.load(px + i);
    const mu = v128.load(pmu + i);
    const th = v128.load(pth + i);
    // ZINB: lanes with x < ε take the zero case, which is NB at x = 0 underneath
    const zero = zi ? f32x4.lt(x0, epsV) : ZERO;
    const x = zi ? v128.andnot(x0, zero) : x0;
    const counts = f32x4.ne(x, ZERO); // NaN counts too, so it propagates
    if (v128.any_true(counts)) {
      const e = <i32>(i >> 2);
      c = packLane(0, counts, x, mu, th, e, pIdx, pX, pMu, pTh, c);
      c = packLane(1, counts, x, mu, th, e, pIdx, pX, pMu, pTh, c);
      c = packLane(2, counts, x, mu, th, e, pIdx, pX, pMu, pTh, c);
      c = packLane(3, counts, x, mu, th, e, pIdx, pX, pMu, pTh, c);
    }

    const A = f32x4.add(th, epsV);
    const R = f32x4.add(A, mu);
    const iA = f32x4.div(one, A);
    const iR = f32x4.div(one, R);
    const la = log1pPos(f32x4.mul(mu, iA), f32x4.mul(A, iR));
    // NB(0); pass 2 adds −x·log1p(b) + G where x ≠ 0
    const nb = f32x4.neg(f32x4.mul(th, la));

    let gMu = ZERO; // the x = 0 part −θ/R; pass 2 adds x·θ/(M·R)
    let gTh = ZERO; // without H (pass 2 adds it)
    if (grad) {
      gMu = f32x4.neg(f32x4.mul(th, iR));
      gTh = f32x4.sub(f32x4.mul(f32x4.sub(f32x4.mul(th, f32x4.mul(mu, iA)), x), iR), la);
    }

    let f = nb;
    let gPi = ZERO;
    if (zi) {
      const pi = v128.load(ppi + i);
      const e1 = expNegAbs(pi);
      const r1 = f32x4.div(one, f32x4.add(one, e1));
      const l1 = log1pSmall(e1);
      // x >= ε: NB − softplus(π), ∂/∂π = −σ(π)
      f = f32x4.sub(nb, f32x4.add(f32x4.pmax(pi, ZERO), l1));
      if (grad) gPi = f32x4.neg(sigmoidPos(pi, e1, r1));
      if (v128.any_true(zero)) {
        // x < ε: softplus(u) − softplus(v), v = −π, u = v + NB(0)
        const v = f32x4.neg(pi);
        const u = f32x4.add(v, nb);
        const e2 = expNegAbs(u);
        const bothPos = v128.and(f32x4.ge(u, ZERO), f32x4.ge(v, ZERO));
        const hi = v128.bitselect(nb, f32x4.sub(f32x4.pmax(u, ZERO), f32x4.pmax(v, ZERO)), bothPos);
        f = v128.bitselect(f32x4.add(hi, f32x4.sub(log1pSmall(e2), l1)), f, zero);
        if (grad) {
          const s = sigmoidPos(u, e2, f32x4.div(one, f32x4.add(one, e2)));
          gMu = v128.bitselect(f32x4.mul(s, gMu), gMu, zero);
          gTh = v128.bitselect(f32x4.mul(s, gTh), gTh, zero);
          gPi = v128.bitselect(f32x4.sub(sigmoidNeg(pi, e1, r1), s), gPi, zero);
        }
      }
    }

    v128.store(oF + i, f);
    if (grad) {
      v128.store(oMu + i, gMu);
      v128.store(oTh + i, gTh);
      if (zi) v128.store(oPi + i, gPi);
    }
  }

  // ---- pass 2: the terms in x ≠ 0, for the packed elements ----
  while (c > 0 && load<i32>(pIdx + ((c - 1) << 2)) >= n) c--; // padding lanes of the last vector
  for (let s: usize = c; s < ((c + 3) & ~3); s++) {
    store<f32>(pX + (s << 2), 1.0); // benign filler for the last group's unused lanes
    store<f32>(pMu + (s << 2), 1.0);
    store<f32>(pTh + (s << 2), 1.0);
  }
  for (let s: usize = 0; s < c; s += 4) {
    const x = v128.load(pX + (s << 2));
    const mu = v128.load(pMu + (s << 2));
    const th = v128.load(pTh + (s << 2));
    const M = f32x4.add(mu, epsV);
    const R = f32x4.add(f32x4.add(th, epsV), mu);
    const iM = f32x4.div(one, M);
    const iR = f32x4.div(one, R);
    const xt = f32x4.add(x, th);
    const lanes = c - s;
    // −x·log1p(θ/M) + G
    const lb = log1pPos(f32x4.mul(th, iM), f32x4.mul(M, iR));
    const lg = f32x4.sub(f32x4.sub(lgammaV(xt), lgammaV(th)), lgammaV(f32x4.add(x, one)));
    const v = f32x4.sub(lg, f32x4.mul(x, lb));
    addLane(0, v, oF, pIdx, s);
    if (lanes > 1) addLane(1, v, oF, pIdx, s + 1);
    if (lanes > 2) addLane(2, v, oF, pIdx, s + 2);
    if (lanes > 3) addLane(3, v, oF, pIdx, s + 3);
    if (grad) {
      const dMu = f32x4.mul(f32x4.mul(x, th), f32x4.mul(iM, iR)); // x/M − x/R = x·θ/(M·R)
      addLane(0, dMu, oMu, pIdx, s);
      if (lanes > 1) addLane(1, dMu, oMu, pIdx, s + 1);
      if (lanes > 2) addLane(2, dMu, oMu, pIdx, s + 2);
      if (lanes > 3) addLane(3, dMu, oMu, pIdx, s + 3);
      const h = f32x4.sub(digammaV(xt), digammaV(th));
      addLane(0, h, oTh, pIdx, s);
      if (lanes > 1) addLane(1, h, oTh, pIdx, s + 1);
      if (lanes > 2) addLane(2, h, oTh, pIdx, s + 2);
      if (lanes > 3) addLane(3, h, oTh, pIdx, s + 3);
    }
  }
}
