// f32x4 veloVI likelihood with its partial derivatives (@vitae/tensor's KineticMixture /
// KineticMixtureGrad kernels, where the math is written out: src/likelihoods/kinetic-mixture.ts).
// Per cell and gene: the closed-form induction and repression means, torch's Categorical(probs)
// log weights from π, and two mixtures of four Normals (u and s); with grad, the chain rule back
// to ρ, τ, π per element and to the eight per-gene inputs, summed over the chunk's rows into
// `acc`. Everything is f32 (the JS kernel computes in f64; src/kinetic-mixture.test.ts holds the
// two together). The exponentials' arguments are floored at −87 (kinetics) and −80 (mixture
// terms) so no subnormal reaches the products.
import { k, expV, logPos, C_ONE, C_HALF } from "./simd-math";

const C_EXP_FLOOR = memory.data<f32>([-60.0]);
const C_KINETIC_FLOOR = memory.data<f32>([-60.0]);

// Rows of the per-gene block (each `gstride` bytes), filled by the JS side (kernel-module.ts).
const G_ALPHA = 0, G_BETA = 1, G_GAMMA = 2, G_TS = 3, G_T3 = 4, G_U0 = 5, G_S0 = 6, G_A = 7, G_C = 8;
const G_H = 9, G_D = 10, G_E = 11, G_IVU = 12, G_CU = 13, G_IVS = 14, G_CS = 15, G_INVB = 16, G_INVG = 17;
// Planes of the per-cell block (each `plane` bytes).
const P_RHO = 0, P_TAU = 1, P_U = 2, P_S = 3, P_DY = 4, P_PI = 5;
// Output planes (apart from the inputs: the last vector of a row rereads lanes written before):
// the value or ∂/∂ρ, ∂/∂τ, ∂/∂π interleaved over four planes' room.
const P_OUT = 9, P_DTAU = 10, P_DPI = 11;
// Rows of the accumulated gene partials.
const A_ALPHA = 0, A_BETA = 1, A_GAMMA = 2, A_TS = 3, A_U0 = 4, A_S0 = 5, A_SDU = 6, A_SDS = 7;

/** One mixture's results: value, ∂/∂m_0..2 (m_3 = 0 is a constant), r_0..3, ∂/∂σ (16 bytes each). */
const MIX = memory.data(16 * 9);
const M_VALUE = 0, M_DM = 1, M_R = 4, M_DSD = 8;

@inline function ld(base: usize, row: i32, stride: usize, off: usize): v128 {
  return v128.load(base + <usize>row * stride + off);
}
@inline function st(base: usize, row: i32, stride: usize, off: usize, v: v128): void {
  v128.store(base + <usize>row * stride + off, v);
}
@inline function mixAt(slot: i32): v128 {
  return v128.load(MIX + (<usize>slot << 4));
}
@inline function mixSet(slot: i32, v: v128): void {
  v128.store(MIX + (<usize>slot << 4), v);
}
@inline function kineticExp(x: v128): v128 {
  return expV(f32x4.pmax(x, k(C_KINETIC_FLOOR)));
}
@inline function expFloored(d: v128): v128 {
  // the argument is raised to the floor first: expV of a very negative argument computes with
  // subnormal intermediates, ~100 cycles each on x86
  const floor = k(C_EXP_FLOOR);
  return v128.and(expV(f32x4.pmax(d, floor)), f32x4.gt(d, floor));
}

/**
 * log Σ_k c_k N(x; m_k, σ_k) (m_3 = 0, σ_3 = lastScale σ; c_k the clamped probabilities, not yet
 * divided by Σc) into MIX, as top + log Σ_k c_k e^{l_k − top} with l_k = −½ z_k² − log σ_k −
 * ½ log 2π and top = max_k l_k: one log instead of one per weight (c_k >= probsEps keeps the sum
 * away from 0). With grad also r_k, r_k z_k/σ_k (k < 3) and (Σ r_k z_k² − 1)/σ.
 */
@inline function mixture(grad: bool, x: v128, m0: v128, m1: v128, m2: v128, c0: v128, c1: v128, c2: v128, c3: v128, iv: v128, c: v128, invLast: v128, logLast: v128): void {
  const ivLast = f32x4.mul(iv, invLast);
  const z0 = f32x4.mul(f32x4.sub(x, m0), iv);
  const z1 = f32x4.mul(f32x4.sub(x, m1), iv);
  const z2 = f32x4.mul(f32x4.sub(x, m2), iv);
  const z3 = f32x4.mul(x, ivLast);
  const half = k(C_HALF);
  const l0 = f32x4.neg(f32x4.mul(half, f32x4.mul(z0, z0)));
  const l1 = f32x4.neg(f32x4.mul(half, f32x4.mul(z1, z1)));
  const l2 = f32x4.neg(f32x4.mul(half, f32x4.mul(z2, z2)));
  const l3 = f32x4.sub(f32x4.neg(f32x4.mul(half, f32x4.mul(z3, z3))), logLast);
  const top = f32x4.max(f32x4.max(l0, l1), f32x4.max(l2, l3));
  const e0 = f32x4.mul(c0, expFloored(f32x4.sub(l0, top)));
  const e1 = f32x4.mul(c1, expFloored(f32x4.sub(l1, top)));
  const e2 = f32x4.mul(c2, expFloored(f32x4.sub(l2, top)));
  const e3 = f32x4.mul(c3, expFloored(f32x4.sub(l3, top)));
  const total = f32x4.add(f32x4.add(e0, e1), f32x4.add(e2, e3)); // >= probsEps
  mixSet(M_VALUE, f32x4.sub(f32x4.add(top, logPos(total)), c));
  if (!grad) return;
  const inv = f32x4.div(k(C_ONE), total);
  const r0 = f32x4.mul(e0, inv), r1 = f32x4.mul(e1, inv), r2 = f32x4.mul(e2, inv), r3 = f32x4.mul(e3, inv);
  mixSet(M_R, r0);
  mixSet(M_R + 1, r1);
  mixSet(M_R + 2, r2);
  mixSet(M_R + 3, r3);
  const rz0 = f32x4.mul(r0, z0), rz1 = f32x4.mul(r1, z1), rz2 = f32x4.mul(r2, z2), rz3 = f32x4.mul(r3, z3);
  mixSet(M_DM, f32x4.mul(rz0, iv));
  mixSet(M_DM + 1, f32x4.mul(rz1, iv));
  mixSet(M_DM + 2, f32x4.mul(rz2, iv));
  const zz = f32x4.add(f32x4.add(f32x4.mul(rz0, z0), f32x4.mul(rz1, z1)), f32x4.add(f32x4.mul(rz2, z2), f32x4.mul(rz3, z3)));
  mixSet(M_DSD, f32x4.mul(f32x4.sub(zz, k(C_ONE)), iv));
}

/**
 * Four consecutive elements of one row: cell data at byte offset `off` of each plane, genes at
 * byte offset `go` of each gene row. `keep` masks the lanes whose gene partials are added (the
 * row's last vector overlaps the one before it when the row length is not a multiple of 4).
 */
@inline function step(wantGrad: bool, cells: usize, plane: usize, genes: usize, gstride: usize, acc: usize, off: usize, go: usize, keep: v128,
  vInvLast: v128, vLogLast: v128, lo: v128, hi: v128): void {
  const one = k(C_ONE);
  const alpha = ld(genes, G_ALPHA, gstride, go), beta = ld(genes, G_BETA, gstride, go), gamma = ld(genes, G_GAMMA, gstride, go);
  const ts = ld(genes, G_TS, gstride, go), t3max = ld(genes, G_T3, gstride, go);
  const u0 = ld(genes, G_U0, gstride, go), s0 = ld(genes, G_S0, gstride, go);
  const A = ld(genes, G_A, gstride, go), C = ld(genes, G_C, gstride, go), D = ld(genes, G_D, gstride, go), E = ld(genes, G_E, gstride, go);
  const rho = ld(cells, P_RHO, plane, off), tau = ld(cells, P_TAU, plane, off);
  // kinetics
  const t1 = f32x4.mul(ts, rho);
  const t3 = f32x4.mul(t3max, tau);
  const eB1 = kineticExp(f32x4.neg(f32x4.mul(beta, t1)));
  const eG1 = kineticExp(f32x4.neg(f32x4.mul(gamma, t1)));
  const eB3 = kineticExp(f32x4.neg(f32x4.mul(beta, t3)));
  const eG3 = kineticExp(f32x4.neg(f32x4.mul(gamma, t3)));
  const diff1 = f32x4.sub(eG1, eB1);
  const diff3 = f32x4.sub(eG3, eB3);
  const u1 = f32x4.mul(A, f32x4.sub(one, eB1));
  const s1 = f32x4.add(f32x4.mul(C, f32x4.sub(one, eG1)), f32x4.mul(D, diff1));
  const u3 = f32x4.mul(u0, eB3);
  const s3 = f32x4.sub(f32x4.mul(s0, eG3), f32x4.mul(E, diff3));
  // weights: p = π/Σπ, c = clamp(p), w = log c − log Σc
  // π of the four elements, interleaved [π₀ π₁ π₂ π₃] per element: a 4 × 4 transpose
  const piAt = cells + <usize>P_PI * plane + (off << 2);
  const qa = v128.load(piAt), qb = v128.load(piAt + 16), qc = v128.load(piAt + 32), qd = v128.load(piAt + 48);
  const ta = v128.shuffle<i32>(qa, qb, 0, 4, 1, 5), tb = v128.shuffle<i32>(qa, qb, 2, 6, 3, 7);
  const tc = v128.shuffle<i32>(qc, qd, 0, 4, 1, 5), td = v128.shuffle<i32>(qc, qd, 2, 6, 3, 7);
  const pi0 = v128.shuffle<i32>(ta, tc, 0, 1, 4, 5), pi1 = v128.shuffle<i32>(ta, tc, 2, 3, 6, 7);
  const pi2 = v128.shuffle<i32>(tb, td, 0, 1, 4, 5), pi3 = v128.shuffle<i32>(tb, td, 2, 3, 6, 7);
  const piTotal = f32x4.add(f32x4.add(pi0, pi1), f32x4.add(pi2, pi3));
  const invTotal = f32x4.div(one, piTotal);
  const p0 = f32x4.mul(pi0, invTotal), p1 = f32x4.mul(pi1, invTotal), p2 = f32x4.mul(pi2, invTotal), p3 = f32x4.mul(pi3, invTotal);
  const c0 = f32x4.min(f32x4.max(p0, lo), hi), c1 = f32x4.min(f32x4.max(p1, lo), hi);
  const c2 = f32x4.min(f32x4.max(p2, lo), hi), c3 = f32x4.min(f32x4.max(p3, lo), hi);
  const cTotal = f32x4.add(f32x4.add(c0, c1), f32x4.add(c2, c3));
  const logC = logPos(cTotal); // the weights are c_k / Σc: each mixture's value − log Σc
  // the two mixtures
  const ivU = ld(genes, G_IVU, gstride, go), cU = ld(genes, G_CU, gstride, go);
  const ivS = ld(genes, G_IVS, gstride, go), cS = ld(genes, G_CS, gstride, go);
  mixture(wantGrad, ld(cells, P_U, plane, off), u1, A, u3, c0, c1, c2, c3, ivU, cU, vInvLast, vLogLast);
  if (!wantGrad) {
    const valueU = mixAt(M_VALUE);
    mixture(false, ld(cells, P_S, plane, off), s1, C, s3, c0, c1, c2, c3, ivS, cS, vInvLast, vLogLast);
    st(cells, P_OUT, plane, off, f32x4.sub(f32x4.add(valueU, mixAt(M_VALUE)), f32x4.add(logC, logC)));
    return;
  }
  const dy = ld(cells, P_DY, plane, off);
  const a1 = f32x4.mul(dy, mixAt(M_DM)), a2 = f32x4.mul(dy, mixAt(M_DM + 1)), a3 = f32x4.mul(dy, mixAt(M_DM + 2));
  const rU0 = mixAt(M_R), rU1 = mixAt(M_R + 1), rU2 = mixAt(M_R + 2), rU3 = mixAt(M_R + 3);
  const dSdU = f32x4.mul(dy, mixAt(M_DSD));
  mixture(true, ld(cells, P_S, plane, off), s1, C, s3, c0, c1, c2, c3, ivS, cS, vInvLast, vLogLast);
  const b1 = f32x4.mul(dy, mixAt(M_DM)), b2 = f32x4.mul(dy, mixAt(M_DM + 1)), b3 = f32x4.mul(dy, mixAt(M_DM + 2));
  const dSdS = f32x4.mul(dy, mixAt(M_DSD));
  // ∂/∂w_k = dy (r_k^u + r_k^s) → ∂/∂c_k = g_k/c_k − Σg/Σc → ∂/∂p_k (0 where clamped) → ∂/∂π_k
  const g0 = f32x4.mul(dy, f32x4.add(rU0, mixAt(M_R))), g1 = f32x4.mul(dy, f32x4.add(rU1, mixAt(M_R + 1)));
  const g2 = f32x4.mul(dy, f32x4.add(rU2, mixAt(M_R + 2))), g3 = f32x4.mul(dy, f32x4.add(rU3, mixAt(M_R + 3)));
  const gOverC = f32x4.div(f32x4.add(f32x4.add(g0, g1), f32x4.add(g2, g3)), cTotal);
  const dp0 = v128.and(f32x4.sub(f32x4.div(g0, c0), gOverC), v128.and(f32x4.ge(p0, lo), f32x4.le(p0, hi)));
  const dp1 = v128.and(f32x4.sub(f32x4.div(g1, c1), gOverC), v128.and(f32x4.ge(p1, lo), f32x4.le(p1, hi)));
  const dp2 = v128.and(f32x4.sub(f32x4.div(g2, c2), gOverC), v128.and(f32x4.ge(p2, lo), f32x4.le(p2, hi)));
  const dp3 = v128.and(f32x4.sub(f32x4.div(g3, c3), gOverC), v128.and(f32x4.ge(p3, lo), f32x4.le(p3, hi)));
  const pDot = f32x4.add(f32x4.add(f32x4.mul(p0, dp0), f32x4.mul(p1, dp1)), f32x4.add(f32x4.mul(p2, dp2), f32x4.mul(p3, dp3)));
  const d0 = f32x4.mul(f32x4.sub(dp0, pDot), invTotal), d1 = f32x4.mul(f32x4.sub(dp1, pDot), invTotal);
  const d2 = f32x4.mul(f32x4.sub(dp2, pDot), invTotal), d3 = f32x4.mul(f32x4.sub(dp3, pDot), invTotal);
  // back to interleaved (the transpose is its own inverse)
  const sa = v128.shuffle<i32>(d0, d1, 0, 4, 1, 5), sb = v128.shuffle<i32>(d0, d1, 2, 6, 3, 7);
  const sc = v128.shuffle<i32>(d2, d3, 0, 4, 1, 5), sd = v128.shuffle<i32>(d2, d3, 2, 6, 3, 7);
  const dPiAt = cells + <usize>P_DPI * plane + (off << 2);
  v128.store(dPiAt, v128.shuffle<i32>(sa, sc, 0, 1, 4, 5));
  v128.store(dPiAt + 16, v128.shuffle<i32>(sa, sc, 2, 3, 6, 7));
  v128.store(dPiAt + 32, v128.shuffle<i32>(sb, sd, 0, 1, 4, 5));
  v128.store(dPiAt + 48, v128.shuffle<i32>(sb, sd, 2, 3, 6, 7));
  // times
  const dT1 = f32x4.add(f32x4.mul(f32x4.mul(a1, alpha), eB1),
    f32x4.mul(b1, f32x4.add(f32x4.mul(alpha, eG1), f32x4.mul(D, f32x4.sub(f32x4.mul(beta, eB1), f32x4.mul(gamma, eG1))))));
  const dT3 = f32x4.sub(
    f32x4.mul(b3, f32x4.sub(f32x4.mul(E, f32x4.sub(f32x4.mul(gamma, eG3), f32x4.mul(beta, eB3))), f32x4.mul(f32x4.mul(gamma, s0), eG3))),
    f32x4.mul(f32x4.mul(a3, f32x4.mul(beta, u0)), eB3));
  st(cells, P_OUT, plane, off, f32x4.mul(ts, dT1));
  st(cells, P_DTAU, plane, off, f32x4.mul(t3max, dT3));
  // per-gene partials (the formulas of the JS kernel's geneTerms)
  const h = ld(genes, G_H, gstride, go), invB = ld(genes, G_INVB, gstride, go), invG = ld(genes, G_INVG, gstride, go);
  const oneMinusEB1 = f32x4.sub(one, eB1), oneMinusEG1 = f32x4.sub(one, eG1);
  const dAlpha = f32x4.add(
    f32x4.add(f32x4.mul(f32x4.mul(a1, oneMinusEB1), invB), f32x4.mul(b1, f32x4.add(f32x4.mul(oneMinusEG1, invG), f32x4.mul(h, diff1)))),
    f32x4.add(f32x4.mul(a2, invB), f32x4.mul(b2, invG)));
  const AinvB = f32x4.mul(A, invB), CinvG = f32x4.mul(C, invG), Dh = f32x4.mul(D, h);
  const dBeta = f32x4.add(
    f32x4.add(
      f32x4.mul(a1, f32x4.sub(f32x4.mul(f32x4.mul(A, t1), eB1), f32x4.mul(AinvB, oneMinusEB1))),
      f32x4.mul(b1, f32x4.add(f32x4.mul(Dh, diff1), f32x4.mul(f32x4.mul(D, t1), eB1)))),
    f32x4.sub(
      f32x4.neg(f32x4.add(f32x4.mul(a2, AinvB), f32x4.mul(f32x4.mul(a3, f32x4.mul(u0, t3)), eB3))),
      f32x4.mul(b3, f32x4.add(f32x4.mul(f32x4.mul(f32x4.mul(u0, h), f32x4.add(one, f32x4.mul(beta, h))), diff3), f32x4.mul(f32x4.mul(E, t3), eB3)))));
  const dGamma = f32x4.sub(
    f32x4.add(
      f32x4.mul(b1, f32x4.sub(f32x4.mul(f32x4.mul(f32x4.sub(C, D), t1), eG1), f32x4.add(f32x4.mul(CinvG, oneMinusEG1), f32x4.mul(Dh, diff1)))),
      f32x4.mul(b3, f32x4.add(f32x4.mul(f32x4.mul(E, h), diff3), f32x4.mul(f32x4.mul(f32x4.sub(E, s0), t3), eG3)))),
    f32x4.mul(b2, CinvG));
  const dU0 = f32x4.sub(f32x4.mul(a3, eB3), f32x4.mul(f32x4.mul(b3, f32x4.mul(beta, h)), diff3));
  const dS0 = f32x4.mul(b3, eG3);
  const dTs = f32x4.sub(f32x4.mul(rho, dT1), f32x4.mul(tau, dT3));
  st(acc, A_ALPHA, gstride, go, f32x4.add(ld(acc, A_ALPHA, gstride, go), v128.and(dAlpha, keep)));
  st(acc, A_BETA, gstride, go, f32x4.add(ld(acc, A_BETA, gstride, go), v128.and(dBeta, keep)));
  st(acc, A_GAMMA, gstride, go, f32x4.add(ld(acc, A_GAMMA, gstride, go), v128.and(dGamma, keep)));
  st(acc, A_TS, gstride, go, f32x4.add(ld(acc, A_TS, gstride, go), v128.and(dTs, keep)));
  st(acc, A_U0, gstride, go, f32x4.add(ld(acc, A_U0, gstride, go), v128.and(dU0, keep)));
  st(acc, A_S0, gstride, go, f32x4.add(ld(acc, A_S0, gstride, go), v128.and(dS0, keep)));
  st(acc, A_SDU, gstride, go, f32x4.add(ld(acc, A_SDU, gstride, go), v128.and(dSdU, keep)));
  st(acc, A_SDS, gstride, go, f32x4.add(ld(acc, A_SDS, gstride, go), v128.and(dSdS, keep)));
}

/**
 * `rows` rows of `g` genes (g >= 4), row after row without padding. Cell planes at `cells`
 * (`plane` bytes apart, P_* above: ρ, τ, u, s, dy, π interleaved over four planes' room, then the
 * outputs: the value or ∂/∂ρ, ∂/∂τ, ∂/∂π interleaved), gene rows at `genes` (`gstride` bytes
 * apart, G_* above), the eight gene-partial rows at `acc` (added to). A row's last g mod 4
 * elements come from a vector over its last four (unaligned loads; elementwise outputs are
 * written twice with the same value, the gene partials of the repeated lanes masked).
 */
export function kineticMixture(grad: i32, cells: usize, plane: usize, genes: usize, gstride: usize, acc: usize, rows: i32, g: i32,
  lastScale: f32, logLast: f32, probsEps: f32): void {
  const wantGrad = grad != 0;
  const vInvLast = f32x4.splat(<f32>1.0 / lastScale);
  const vLogLast = f32x4.splat(logLast);
  const lo = f32x4.splat(probsEps);
  const hi = f32x4.splat(<f32>1.0 - probsEps);
  const all = i32x4.splat(-1);
  const rest = g & 3;
  // the tail vector starts 4 − rest lanes early: keep lanes 4 − rest .. 3
  const tailKeep = i32x4.ge_s(i32x4(0, 1, 2, 3), i32x4.splat(4 - rest));
  const fullBytes = <usize>(g & ~3) << 2;
  const rowBytes = <usize>g << 2;
  for (let r = 0; r < rows; r++) {
    const rowOff = <usize>r * rowBytes;
    for (let go: usize = 0; go < fullBytes; go += 16) {
      step(wantGrad, cells, plane, genes, gstride, acc, rowOff + go, go, all, vInvLast, vLogLast, lo, hi);
    }
    if (rest != 0) {
      const go = rowBytes - 16;
      step(wantGrad, cells, plane, genes, gstride, acc, rowOff + go, go, tailKeep, vInvLast, vLogLast, lo, hi);
    }
  }
}
