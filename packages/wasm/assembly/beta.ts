// log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b), evaluated in f64x2 lanes.
//
// Naively the three log Γ can be ~1e8 each (a = 1e7) while the result is ~−16, so the large parts
// are cancelled analytically instead. With s = min(a, b), l = max(a, b):
//
//   log B = log Γ(s) + [log Γ(l) − log Γ(l + s)].
//
// Small arguments are shifted up by 8 (x(x+1)…(x+7) = P8(x), Γ(x+8) = P8(x)·Γ(x)):
//   S = s + 8 if s < 8 else s,        log Γ(s) = log Γ(S) − log P_s
//   L = l + 8 if l < 8 else l,  M = L + s,
//   log Γ(l) − log Γ(l+s) = log Γ(L) − log Γ(M) − log P_l + log P_ls
// (P_s = P8(s), P_l = P8(l), P_ls = P8(l + s), each 1 when its argument is not shifted).
// Then, with Stirling log Γ(z) = (z − ½)·log z − z + ½·log 2π + ω(z) for z >= 8,
//   log Γ(L) − log Γ(M) = −(L − ½)·log1p(s/L) − s·log M + s + ω(L) − ω(M),
// which has no large cancelling terms (l = 1e7, s = 1 gives −log 1e7 directly), and
//   log1p(s/L) = 2·atanh(σ), σ = s/(2L + s) in (0, 1/3].
// So log B = [(S − ½)·log S − S + ½·log 2π + ω(S)] − log(P_s·P_l/P_ls)
//            − (L − ½)·2·atanh(σ) − s·log M + s + ω(L) − ω(M).
// Three logs. The five reciprocals needed (1/S, 1/L, 1/M, σ, 1/P_ls) come from one division
// r = 1/(S·L·M·(2L+s)·P_ls), e.g. 1/S = L·M·(2L+s)·P_ls·r (no overflow: every factor <= ~1e39).

import { kd, D_ONE, D_HALF, D_TWO, atanhP, logD } from "./simd-math-f64";

const D_SEVEN = memory.data<f64>([7.0]);
const D_SIX = memory.data<f64>([6.0]);
const D_EIGHT = memory.data<f64>([8.0]);
const D_TEN = memory.data<f64>([10.0]);
const D_TWELVE = memory.data<f64>([12.0]);
const D_HALF_LOG_2PI = memory.data<f64>([0.9189385332046728]);
const D_INF = memory.data<f64>([Infinity]);
const D_NEG_INF = memory.data<f64>([-Infinity]);
const D_NAN = memory.data<i64>([0x7ff8000000000000]);
/**
 * Stirling remainder ω(z) = Σ_j B_2j/(2j(2j−1)·z^(2j−1)) = q·(1/12 − w/360 + w²/1260 − w³/1680),
 * q = 1/z, w = q²; for z >= 8 the first omitted term is 1/(1188·z⁹) < 6.3e-12.
 */
const STIRLING_REM = memory.data<f64>([
  -0.0005952380952380953, 0.0007936507936507937, -0.002777777777777778, 0.08333333333333333,
]);

@inline function omega(q: v128): v128 {
  const t = STIRLING_REM;
  const w = f64x2.mul(q, q);
  let p = f64x2.add(f64x2.mul(v128.load64_splat(t), w), v128.load64_splat(t, 8));
  p = f64x2.add(f64x2.mul(p, w), v128.load64_splat(t, 16));
  p = f64x2.add(f64x2.mul(p, w), v128.load64_splat(t, 24));
  return f64x2.mul(q, p);
}

/** x(x+1)…(x+7) = v(v+6)(v+10)(v+12) with v = x(x+7) (pairing outer factors). */
@inline function prod8(x: v128): v128 {
  const v = f64x2.mul(x, f64x2.add(x, kd(D_SEVEN)));
  const a = f64x2.mul(v, f64x2.add(v, kd(D_SIX)));
  const b = f64x2.mul(f64x2.add(v, kd(D_TEN)), f64x2.add(v, kd(D_TWELVE)));
  return f64x2.mul(a, b);
}

/**
 * log B(a, b) for two f64 lanes (see above). a or b <= 0 or NaN → NaN; otherwise an infinite
 * argument → −inf (B → 0).
 */
@inline export function logBetaD(a: v128, b: v128): v128 {
  const one = kd(D_ONE);
  const half = kd(D_HALF);
  const eight = kd(D_EIGHT);
  const s = f64x2.pmin(a, b);
  const l = f64x2.pmax(a, b);
  const smallS = f64x2.lt(s, eight);
  const smallL = f64x2.lt(l, eight);
  const S = f64x2.add(s, v128.and(eight, smallS));
  const L = f64x2.add(l, v128.and(eight, smallL));
  const M = f64x2.add(L, s);
  const ps = v128.bitselect(prod8(s), one, smallS);
  const pl = v128.bitselect(prod8(l), one, smallL);
  const pls = v128.bitselect(prod8(f64x2.add(l, s)), one, smallL);

  const t2 = f64x2.add(f64x2.mul(L, kd(D_TWO)), s); // 2L + s
  const sl = f64x2.mul(S, L);
  const mt = f64x2.mul(M, t2);
  const r = f64x2.div(one, f64x2.mul(f64x2.mul(sl, mt), pls));
  const rp = f64x2.mul(pls, r); // 1/(S·L·M·(2L+s))
  const rS = f64x2.mul(f64x2.mul(L, mt), rp);
  const rL = f64x2.mul(f64x2.mul(S, mt), rp);
  const rM = f64x2.mul(f64x2.mul(sl, t2), rp);
  const sigma = f64x2.mul(s, f64x2.mul(f64x2.mul(sl, M), rp));
  const ratio = f64x2.mul(f64x2.mul(ps, pl), f64x2.mul(f64x2.mul(sl, mt), r)); // P_s·P_l/P_ls

  // log Γ(S) + ω(L) − ω(M) − log(P_s·P_l/P_ls)
  const lgS = f64x2.add(
    f64x2.sub(f64x2.mul(f64x2.sub(S, half), logD(S)), S),
    f64x2.add(kd(D_HALF_LOG_2PI), omega(rS)),
  );
  const small = f64x2.sub(f64x2.add(lgS, f64x2.sub(omega(rL), omega(rM))), logD(ratio));
  // s − (L − ½)·log1p(s/L) − s·log M, log1p(s/L) = 2σ·(1 + σ²·P(σ²))
  const s2 = f64x2.add(sigma, sigma);
  const w = f64x2.mul(sigma, sigma);
  const l1p = f64x2.add(s2, f64x2.mul(f64x2.mul(s2, w), atanhP(w)));
  const big = f64x2.sub(f64x2.sub(s, f64x2.mul(f64x2.sub(L, half), l1p)), f64x2.mul(s, logD(M)));

  let res = f64x2.add(small, big);
  res = v128.bitselect(kd(D_NEG_INF), res, f64x2.eq(l, kd(D_INF)));
  const ok = v128.and(f64x2.gt(a, f64x2.splat(0.0)), f64x2.gt(b, f64x2.splat(0.0)));
  return v128.bitselect(res, kd(D_NAN), ok);
}

/** log B for the two f32 pairs at byte addresses a, b; result in the low two f32 lanes. */
@inline export function logBeta2(a: usize, b: usize): v128 {
  const r = logBetaD(
    f64x2.promote_low_f32x4(v128.load64_zero(a)),
    f64x2.promote_low_f32x4(v128.load64_zero(b)),
  );
  return f32x4.demote_f64x2_zero(r);
}
