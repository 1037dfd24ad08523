// x = g / Σ_k g_k per row of k and its gradient (@vitae/tensor's NormalizeLastAxis kernels, where
// the math is written out: src/simplex/normalize.ts):
//
//   ∂L/∂g_k = (∂L/∂x_k − Σ_j ∂L/∂x_j g_j / Σg) / Σg
//
// Rows of 4 (veloVI's four states) are one f32x4 each, with the sums across the lanes by
// shuffles; other k run as scalar f32 loops.

/** Σ of the four lanes, in every lane. */
@inline function laneSum(v: v128): v128 {
  const pairs = f32x4.add(v, v128.shuffle<i32>(v, v, 1, 0, 3, 2));
  return f32x4.add(pairs, v128.shuffle<i32>(pairs, pairs, 2, 3, 0, 1));
}

/** out = g / Σg per row; with grad != 0 out = (dy − Σ dy·g / Σg) / Σg. rows·k floats each. */
export function normalizeRows(grad: i32, g: usize, dy: usize, out: usize, rows: i32, k: i32): void {
  if (k == 4) {
    const end = g + (<usize>rows << 4);
    for (; g < end; g += 16, dy += 16, out += 16) {
      const v = v128.load(g);
      const total = laneSum(v);
      if (grad == 0) {
        v128.store(out, f32x4.div(v, total));
      } else {
        const d = v128.load(dy);
        const dot = f32x4.div(laneSum(f32x4.mul(d, v)), total);
        v128.store(out, f32x4.div(f32x4.sub(d, dot), total));
      }
    }
    return;
  }
  const rowBytes = <usize>k << 2;
  for (let r = 0; r < rows; r++) {
    const base = <usize>r * rowBytes;
    let total: f32 = 0;
    for (let j: usize = 0; j < rowBytes; j += 4) total += load<f32>(g + base + j);
    if (grad == 0) {
      for (let j: usize = 0; j < rowBytes; j += 4) store<f32>(out + base + j, load<f32>(g + base + j) / total);
      continue;
    }
    let dot: f32 = 0;
    for (let j: usize = 0; j < rowBytes; j += 4) dot += load<f32>(dy + base + j) * load<f32>(g + base + j);
    dot /= total;
    for (let j: usize = 0; j < rowBytes; j += 4) store<f32>(out + base + j, (load<f32>(dy + base + j) - dot) / total);
  }
}
