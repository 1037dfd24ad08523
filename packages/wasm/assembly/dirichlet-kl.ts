// KL(Dir(p) ‖ Dir(q)) per row of K concentrations, and its partials (@vitae/tensor's DirichletKl /
// DirichletKlGrad kernels, where the math is written out: src/special/dirichlet-kl.ts):
//
//   KL = log Γ(Σp) − log Γ(Σq) − Σ_k [log Γ(p_k) − log Γ(q_k)] + Σ_k (p_k − q_k)(ψ(p_k) − ψ(Σp))
//   ∂/∂p_k = dy [(p_k − q_k) ψ'(p_k) − (Σp − Σq) ψ'(Σp)]
//   ∂/∂q_k = dy [ψ(q_k) − ψ(Σq) − (ψ(p_k) − ψ(Σp))]
//
// The special functions run as the f32x4 kernels of gamma-f32.ts over the chunk (elements, then
// the row sums); the sums and combinations are scalar f32 loops (any K).
import { gammaFamily, LGAMMA, DIGAMMA, TRIGAMMA } from "./gamma-f32";

/** One out-of-line copy of the special-function loop for all six calls below (code size). */
function family(fn: i32, x: usize, out: usize, bytes: usize): void {
  gammaFamily(fn, x, out, bytes);
}

/** Bytes covered by ceil(n/4) vectors. */
@inline function padded(n: i32): usize {
  return <usize>((n + 3) >> 2) << 4;
}

/** out[r] = Σ_k x[r·k + k'], pad lanes up to the vector set to 1 (a valid argument for ψ, log Γ). */
@inline function rowSums(x: usize, out: usize, rows: i32, k: i32): void {
  for (let r = 0; r < rows; r++) {
    let s: f32 = 0;
    for (let j = 0; j < k; j++) s += load<f32>(x + (<usize>(r * k + j) << 2));
    store<f32>(out + (<usize>r << 2), s);
  }
  for (let r = rows; r < ((rows + 3) & ~3); r++) store<f32>(out + (<usize>r << 2), 1.0);
}

/** Pads the element buffer x (n floats) up to its vector with 1. */
@inline function padOnes(x: usize, n: i32): void {
  for (let i = n; i < ((n + 3) & ~3); i++) store<f32>(x + (<usize>i << 2), 1.0);
}

// What a call computes (@vitae/tensor's dirichletKlForm): out0, out1
export const VALUE = 0; // KL [rows]
export const GRADS = 1; // dy·∂/∂p, dy·∂/∂q [rows·k]
export const VALUE_GRAD_P = 2; // KL [rows], ∂/∂p [rows·k] (dy = 1)
export const GRAD_Q = 3; // dy·∂/∂q [rows·k]

/**
 * `rows` rows of `k` concentrations p, q (16-byte aligned, room for whole vectors), dy [rows]
 * (GRADS, GRAD_Q), outputs by `form` (above). `scratch` holds three element buffers and five row
 * buffers.
 */
export function dirichletKl(form: i32, p: usize, q: usize, dy: usize, out0: usize, out1: usize, rows: i32, k: i32, scratch: usize): void {
  const n = rows * k;
  const nb = padded(n);
  const rb = padded(rows);
  const s0 = scratch, s1 = s0 + nb, s2 = s1 + nb;
  const sumP = s2 + nb, sumQ = sumP + rb, r0 = sumQ + rb, r1 = r0 + rb, r2 = r1 + rb;
  padOnes(p, n);
  padOnes(q, n);
  rowSums(p, sumP, rows, k);
  rowSums(q, sumQ, rows, k);
  // ψ(p) and ψ(Σp) in s2, r2: every form uses them
  family(DIGAMMA, p, s2, nb);
  family(DIGAMMA, sumP, r2, rb);
  if (form == VALUE || form == VALUE_GRAD_P) {
    family(LGAMMA, p, s0, nb);
    family(LGAMMA, q, s1, nb);
    family(LGAMMA, sumP, r0, rb);
    family(LGAMMA, sumQ, r1, rb);
    for (let r = 0; r < rows; r++) {
      const psiSum = load<f32>(r2 + (<usize>r << 2));
      let lg: f32 = 0;
      let cross: f32 = 0;
      for (let j = 0; j < k; j++) {
        const at = <usize>(r * k + j) << 2;
        lg += load<f32>(s0 + at) - load<f32>(s1 + at);
        cross += (load<f32>(p + at) - load<f32>(q + at)) * (load<f32>(s2 + at) - psiSum);
      }
      const ro = <usize>r << 2;
      store<f32>(out0 + ro, load<f32>(r0 + ro) - load<f32>(r1 + ro) - lg + cross);
    }
    if (form == VALUE) return;
  }
  if (form != GRAD_Q) {
    // ∂/∂p = (p − q) ψ'(p) − (Σp − Σq) ψ'(Σp), times dy (1 with the value)
    const gradP = form == GRADS ? out0 : out1;
    family(TRIGAMMA, p, s0, nb);
    family(TRIGAMMA, sumP, r0, rb);
    for (let r = 0; r < rows; r++) {
      const ro = <usize>r << 2;
      const d: f32 = form == GRADS ? load<f32>(dy + ro) : 1;
      const shared = (load<f32>(sumP + ro) - load<f32>(sumQ + ro)) * load<f32>(r0 + ro);
      for (let j = 0; j < k; j++) {
        const at = <usize>(r * k + j) << 2;
        store<f32>(gradP + at, d * ((load<f32>(p + at) - load<f32>(q + at)) * load<f32>(s0 + at) - shared));
      }
    }
    if (form == VALUE_GRAD_P) return;
  }
  // ∂/∂q = ψ(q) − ψ(Σq) − (ψ(p) − ψ(Σp)), times dy
  const gradQ = form == GRADS ? out1 : out0;
  family(DIGAMMA, q, s1, nb);
  family(DIGAMMA, sumQ, r1, rb);
  for (let r = 0; r < rows; r++) {
    const ro = <usize>r << 2;
    const d = load<f32>(dy + ro);
    const psiSumQ = load<f32>(r1 + ro);
    const psiSumP = load<f32>(r2 + ro);
    for (let j = 0; j < k; j++) {
      const at = <usize>(r * k + j) << 2;
      store<f32>(gradQ + at, d * (load<f32>(s1 + at) - psiSumQ - (load<f32>(s2 + at) - psiSumP)));
    }
  }
}
