// f32x4 log density of a mixture of four Normals per element, with its partial derivatives
// (@vitae/tensor's LikelihoodKernel.NormalMixture: veloVI's likelihood of u or s given z):
//
//   log p(x) = log Σ_k exp(l_k),  l_k = w_k − ½ z_k² − log σ_k − ½ log 2π,  z_k = (x − m_k)/σ_k,
//
// σ_k = σ for k = 0, 1, 2 and lastScale·σ for k = 3; r_k = exp(l_k − log p) (responsibilities):
//
//   ∂/∂w_k = r_k,   ∂/∂m_k = r_k z_k / σ_k,   ∂/∂σ = (Σ_k r_k z_k² − 1) / σ.
//
// The JS kernel computes in float64. Here z_k, l_k and their maximum are f64 (two f64x2 halves
// of each f32x4 vector: l_k − max l_k cancels, and the value is max l_k + log Σ exp(…)), the
// exponentials, responsibilities and partials f32: the value agrees with the JS kernel to ~1e-7
// absolute (log of the f32 sum of exponentials) and the partials to ~5e-7 relative
// (src/normal-mixture.test.ts). exp(l_k − max_k l_k) is taken as 0 below e^−80, so no subnormal
// reaches the products (x86 cores take ~100 cycles per subnormal operand).
import { k, expV, logPos, C_ONE } from "./simd-math";
import { kd, logD, D_ONE, D_HALF } from "./simd-math-f64";

const D_HALF_LOG_2PI = memory.data<f64>([0.9189385332046727]);
const C_EXP_FLOOR = memory.data<f32>([-80.0]);

/** Lanes 0, 1 (low) or 2, 3 (high) of an f32x4 as f64x2. */
@inline function low(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}
@inline function high(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<i32>(v, v, 2, 3, 0, 1));
}
/** Two f64x2 rounded into one f32x4 (a's lanes first). */
@inline function join(a: v128, b: v128): v128 {
  return v128.shuffle<i32>(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5);
}

/** z = (x − m)·(1/σ) in f64. */
@inline function zOf(x: v128, m: v128, iv: v128): v128 {
  return f64x2.mul(f64x2.sub(x, m), iv);
}

/** l = w − ½ z² − c in f64. */
@inline function term(w: v128, z: v128, c: v128): v128 {
  return f64x2.sub(f64x2.sub(w, f64x2.mul(kd(D_HALF), f64x2.mul(z, z))), c);
}

/** max of four f64x2. */
@inline function max4(a: v128, b: v128, c: v128, d: v128): v128 {
  return f64x2.max(f64x2.max(a, b), f64x2.max(c, d));
}

/** exp(d) of an f32x4, 0 where d <= −80. */
@inline function expFloored(d: v128): v128 {
  // the argument is raised to the floor first: expV of a very negative argument computes with
  // subnormal intermediates, ~100 cycles each on x86
  const floor = k(C_EXP_FLOOR);
  return v128.and(expV(f32x4.pmax(d, floor)), f32x4.gt(d, floor));
}

/**
 * Ten buffers of n floats, `stride` bytes apart from `base`: x, m0..m3, w0..w3, σ (σ per element).
 * Overwritten in place: x by log p; with grad != 0 also w_k by ∂/∂w_k, m_k by ∂/∂m_k, σ by ∂/∂σ.
 * invLast = 1/lastScale, logLast = log(lastScale). Every buffer holds ceil(n/4) whole vectors.
 * Each f64 quantity is computed for lanes 0, 1 (…A) and lanes 2, 3 (…B).
 */
export function normalMixture(grad: i32, base: usize, stride: usize, n: i32, invLast: f64, logLast: f64): void {
  const vInvLast = f32x4.splat(<f32>invLast);
  const dInvLast = f64x2.splat(invLast);
  const dLogLast = f64x2.splat(logLast);
  const bytes = <usize>((n + 3) >> 2) << 4;
  for (let off: usize = 0; off < bytes; off += 16) {
    const p = base + off;
    const x = v128.load(p);
    const sd = v128.load(p + 9 * stride);
    const xA = low(x), xB = high(x);
    const sdA = low(sd), sdB = high(sd);
    const ivA = f64x2.div(kd(D_ONE), sdA), ivB = f64x2.div(kd(D_ONE), sdB);
    const cA = f64x2.add(logD(sdA), kd(D_HALF_LOG_2PI)), cB = f64x2.add(logD(sdB), kd(D_HALF_LOG_2PI));
    const m0 = v128.load(p + stride), m1 = v128.load(p + 2 * stride), m2 = v128.load(p + 3 * stride), m3 = v128.load(p + 4 * stride);
    const z0A = zOf(xA, low(m0), ivA), z0B = zOf(xB, high(m0), ivB);
    const z1A = zOf(xA, low(m1), ivA), z1B = zOf(xB, high(m1), ivB);
    const z2A = zOf(xA, low(m2), ivA), z2B = zOf(xB, high(m2), ivB);
    const z3A = zOf(xA, low(m3), f64x2.mul(ivA, dInvLast)), z3B = zOf(xB, high(m3), f64x2.mul(ivB, dInvLast));
    const w0 = v128.load(p + 5 * stride), w1 = v128.load(p + 6 * stride), w2 = v128.load(p + 7 * stride), w3 = v128.load(p + 8 * stride);
    const l0A = term(low(w0), z0A, cA), l0B = term(high(w0), z0B, cB);
    const l1A = term(low(w1), z1A, cA), l1B = term(high(w1), z1B, cB);
    const l2A = term(low(w2), z2A, cA), l2B = term(high(w2), z2B, cB);
    const l3A = f64x2.sub(term(low(w3), z3A, cA), dLogLast), l3B = f64x2.sub(term(high(w3), z3B, cB), dLogLast);
    const topA = max4(l0A, l1A, l2A, l3A), topB = max4(l0B, l1B, l2B, l3B);
    const e0 = expFloored(join(f64x2.sub(l0A, topA), f64x2.sub(l0B, topB)));
    const e1 = expFloored(join(f64x2.sub(l1A, topA), f64x2.sub(l1B, topB)));
    const e2 = expFloored(join(f64x2.sub(l2A, topA), f64x2.sub(l2B, topB)));
    const e3 = expFloored(join(f64x2.sub(l3A, topA), f64x2.sub(l3B, topB)));
    const total = f32x4.add(f32x4.add(e0, e1), f32x4.add(e2, e3)); // in [1, 4]
    const logTotal = logPos(total);
    v128.store(p, join(f64x2.add(topA, low(logTotal)), f64x2.add(topB, high(logTotal))));
    if (grad != 0) {
      const iv = join(ivA, ivB);
      const ivLast = f32x4.mul(iv, vInvLast);
      const z0 = join(z0A, z0B);
      const z1 = join(z1A, z1B);
      const z2 = join(z2A, z2B);
      const z3 = join(z3A, z3B);
      const inv = f32x4.div(k(C_ONE), total);
      const r0 = f32x4.mul(e0, inv);
      const r1 = f32x4.mul(e1, inv);
      const r2 = f32x4.mul(e2, inv);
      const r3 = f32x4.mul(e3, inv);
      v128.store(p + 5 * stride, r0);
      v128.store(p + 6 * stride, r1);
      v128.store(p + 7 * stride, r2);
      v128.store(p + 8 * stride, r3);
      const rz0 = f32x4.mul(r0, z0);
      const rz1 = f32x4.mul(r1, z1);
      const rz2 = f32x4.mul(r2, z2);
      const rz3 = f32x4.mul(r3, z3);
      v128.store(p + stride, f32x4.mul(rz0, iv));
      v128.store(p + 2 * stride, f32x4.mul(rz1, iv));
      v128.store(p + 3 * stride, f32x4.mul(rz2, iv));
      v128.store(p + 4 * stride, f32x4.mul(rz3, ivLast));
      const s = f32x4.add(f32x4.add(f32x4.mul(rz0, z0), f32x4.mul(rz1, z1)), f32x4.add(f32x4.mul(rz2, z2), f32x4.mul(rz3, z3)));
      v128.store(p + 9 * stride, f32x4.mul(f32x4.sub(s, k(C_ONE)), iv));
    }
  }
}
