// One Adam / AdamW update of one parameter tensor (torch.optim, torch 1.13 single-tensor path) in
// one pass, f32x4. Built as its own module (build/adam.wasm) that imports its memory and has no
// static data, so it can run on arrays in tfjs-backend-wasm's heap as well as in a memory of ours
// (see src/adam-module.ts).
//
// Every operation is a float32 IEEE operation in the order @vitae/tensor's composed ops apply
// them (no fused multiply-add, no reciprocal-then-multiply), and the scalars arrive as f32
// (JavaScript rounds them as tfjs rounds a number into a scalar tensor), so the results are the
// same bits as the composed ops:
//   Adam:   g ← g + p·wd                         (flag L2)
//   AdamW:  p ← p·shrinkFactor                   (flag SHRINK; shrinkFactor = 1 − lr·wd)
//   m ← m·β1 + g·(1 − β1)
//   v ← v·β2 + (g·g)·(1 − β2)
//   vmax ← max(vmax, v)                          (flag AMSGRAD; vmax replaces v below)
//   p ← p − (m / (√v / bc2 + eps))·stepSize      (bc2 = √(1 − β2ᵗ), stepSize = lr / (1 − β1ᵗ))
//
// Pointers are byte offsets of f32 arrays of n elements (any 4-byte alignment, no padding: the
// tail after the last whole vector is done one element at a time). Outputs may alias inputs
// (each element is loaded before its results are stored).

// Flags, combined with |: which optional steps run.
const L2: i32 = 1;
const SHRINK: i32 = 2;
const AMSGRAD: i32 = 4;

// The scalars of the next adamStep calls, exported mutable globals that JavaScript sets (the
// module has no memory of its own to pass them in), named as @vitae/tensor's AdamScalars:
// shrinkFactor = 1 − lr·wd, biasCorrection2Sqrt = √(1 − β2ᵗ), stepSize = lr / (1 − β1ᵗ).
export let beta1: f32 = 0;
export let oneMinusBeta1: f32 = 0;
export let beta2: f32 = 0;
export let oneMinusBeta2: f32 = 0;
export let weightDecay: f32 = 0;
export let shrinkFactor: f32 = 1;
export let biasCorrection2Sqrt: f32 = 1;
export let eps: f32 = 0;
export let stepSize: f32 = 0;

@inline function adamLoop(
  l2: bool, shrinkP: bool, ams: bool, n: i32,
  p: usize, g: usize, m: usize, v: usize, vmax: usize, pOut: usize, mOut: usize, vOut: usize, vmaxOut: usize,
): void {
  const b1 = beta1, c1 = oneMinusBeta1, b2 = beta2, c2 = oneMinusBeta2;
  const w = weightDecay, sh = shrinkFactor, bias2 = biasCorrection2Sqrt, e = eps, size = stepSize;
  const b1V = f32x4.splat(b1), c1V = f32x4.splat(c1), b2V = f32x4.splat(b2), c2V = f32x4.splat(c2);
  const wV = f32x4.splat(w), shV = f32x4.splat(sh), bias2V = f32x4.splat(bias2), eV = f32x4.splat(e), sizeV = f32x4.splat(size);
  const vectorBytes: usize = <usize>(n >> 2) << 4;
  const bytes: usize = <usize>n << 2;
  let i: usize = 0;
  for (; i < vectorBytes; i += 16) {
    let pi = v128.load(p + i);
    let gi = v128.load(g + i);
    if (l2) gi = f32x4.add(gi, f32x4.mul(pi, wV));
    if (shrinkP) pi = f32x4.mul(pi, shV);
    const mi = f32x4.add(f32x4.mul(v128.load(m + i), b1V), f32x4.mul(gi, c1V));
    const vi = f32x4.add(f32x4.mul(v128.load(v + i), b2V), f32x4.mul(f32x4.mul(gi, gi), c2V));
    let second = vi;
    if (ams) {
      second = f32x4.max(v128.load(vmax + i), vi); // NaN-propagating, as torch.maximum
      v128.store(vmaxOut + i, second);
    }
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(second), bias2V), eV);
    v128.store(pOut + i, f32x4.sub(pi, f32x4.mul(f32x4.div(mi, denom), sizeV)));
    v128.store(mOut + i, mi);
    v128.store(vOut + i, vi);
  }
  // the tail, one element at a time: the same operations on f32 scalars
  for (; i < bytes; i += 4) {
    let pi = load<f32>(p + i);
    let gi = load<f32>(g + i);
    if (l2) gi = gi + pi * w;
    if (shrinkP) pi = pi * sh;
    const mi = load<f32>(m + i) * b1 + gi * c1;
    const vi = load<f32>(v + i) * b2 + (gi * gi) * c2;
    let second = vi;
    if (ams) {
      second = max<f32>(load<f32>(vmax + i), vi); // wasm's f32.max propagates NaN too
      store<f32>(vmaxOut + i, second);
    }
    const denom = sqrt<f32>(second) / bias2 + e;
    store<f32>(pOut + i, pi - (mi / denom) * size);
    store<f32>(mOut + i, mi);
    store<f32>(vOut + i, vi);
  }
}

/**
 * One update of n elements with the scalars in the globals above (set them first). `flags`: L2 (1) adds
 * p·wd to g, SHRINK (2) multiplies p by `shrink` first, AMSGRAD (4) reads vmax and writes
 * vmaxOut (both ignored without it).
 */
export function adamStep(flags: i32, n: i32, p: usize, g: usize, m: usize, v: usize, vmax: usize, pOut: usize, mOut: usize, vOut: usize, vmaxOut: usize): void {
  // each combination Adam and AdamW use its own loop with the branches folded away: ~20 % faster
  // than one loop testing the flags
  if (flags == 0) adamLoop(false, false, false, n, p, g, m, v, vmax, pOut, mOut, vOut, vmaxOut);
  else if (flags == L2) adamLoop(true, false, false, n, p, g, m, v, vmax, pOut, mOut, vOut, vmaxOut);
  else if (flags == SHRINK) adamLoop(false, true, false, n, p, g, m, v, vmax, pOut, mOut, vOut, vmaxOut);
  else if (flags == AMSGRAD) adamLoop(false, false, true, n, p, g, m, v, vmax, pOut, mOut, vOut, vmaxOut);
  else if (flags == (L2 | AMSGRAD)) adamLoop(true, false, true, n, p, g, m, v, vmax, pOut, mOut, vOut, vmaxOut);
  else if (flags == (SHRINK | AMSGRAD)) adamLoop(false, true, true, n, p, g, m, v, vmax, pOut, mOut, vOut, vmaxOut);
  else adamLoop((flags & L2) != 0, (flags & SHRINK) != 0, (flags & AMSGRAD) != 0, n, p, g, m, v, vmax, pOut, mOut, vOut, vmaxOut);
}
