// Dense matrix product C = A · B in every layout training uses, f32x4. Built as its own module
// (build/gemm.wasm) that imports its memory and has no static data, like sparse.wasm, so it runs
// on tensors in tfjs-backend-wasm's heap where they are (see src/heap-module.ts).
//
// A is [m, k] and B is [k, n], each read through element strides, so a transposed operand costs
// nothing extra: A(i, p) is at a + 4·(i·aRow + p·aCol), B(p, j) at b + 4·(p·bRow + j·bCol). C is
// row-major [m, n] with row stride cRow (elements).
//
// The scheme is GotoBLAS' (Goto & van de Geijn 2008): the k axis is cut into blocks of KC; for
// each block, B's rows are packed into panels of NR = 8 columns ([KC][8], zero-padded past n) and
// A's columns into panels of MR = 4 rows ([KC][4], zero-padded past m), so that the micro-kernel
// reads both with unit stride whatever the layout. The micro-kernel keeps a 4 × 8 tile of C in
// eight f32x4 registers across the whole block: per p, two vector loads of B, four splat loads
// of A, eight multiplies and eight adds. Successive k blocks continue the sums from the values
// stored in C, so every C(i, j) is the plain sequential sum over p = 0 .. k − 1 of
// A(i, p)·B(p, j), one f32 multiply and one f32 add each (no fused multiply-add): the result does
// not depend on the blocking, nor on which rows a call covers (see rowBegin / rowEnd: the row
// ranges of a threaded product give the same bits as one call over all rows).
//
// The caller gives a scratch area of packBytes(m, n, k) bytes (16-byte aligned) for the panels.

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;

/** Bytes of scratch `gemm` needs for rows [rowBegin, rowEnd) of an [m, n] product over k. */
export function packBytes(rows: i32, n: i32, k: i32): i32 {
  const kc = min(k, KC);
  const mPanels = (rows + MR - 1) / MR;
  const nPanels = (n + NR - 1) / NR;
  // A's panels, B's panels, and one MR × NR tile for the edges
  return (mPanels * MR + nPanels * NR) * kc * 4 + MR * NR * 4;
}

/** Packs A(rowBegin .. rowEnd, p0 .. p0 + kc) into [panel][kc][MR], zero past rowEnd. */
function packA(a: usize, aRow: i32, aCol: i32, rowBegin: i32, rowEnd: i32, p0: i32, kc: i32, out: usize): void {
  for (let i0 = rowBegin; i0 < rowEnd; i0 += MR) {
    const rows = min(MR, rowEnd - i0);
    for (let r = 0; r < MR; r++) {
      const dst = out + (<usize>r << 2);
      if (r >= rows) {
        for (let p = 0; p < kc; p++) store<f32>(dst + (<usize>(p * MR) << 2), 0);
        continue;
      }
      const src = a + (<usize>((i0 + r) * aRow + p0 * aCol) << 2);
      const step = <usize>aCol << 2;
      for (let p = 0; p < kc; p++) store<f32>(dst + (<usize>(p * MR) << 2), load<f32>(src + <usize>p * step));
    }
    out += <usize>(kc * MR) << 2;
  }
}

/** Packs B(p0 .. p0 + kc, 0 .. n) into [panel][kc][NR], zero past n. */
function packB(b: usize, bRow: i32, bCol: i32, n: i32, p0: i32, kc: i32, out: usize): void {
  for (let j0 = 0; j0 < n; j0 += NR) {
    const cols = min(NR, n - j0);
    if (cols == NR && bCol == 1) {
      // rows of B are contiguous: two vector copies per p
      let src = b + (<usize>(p0 * bRow + j0) << 2);
      const step = <usize>bRow << 2;
      for (let p = 0; p < kc; p++) {
        v128.store(out, v128.load(src));
        v128.store(out, v128.load(src, 16), 16);
        src += step;
        out += NR << 2;
      }
      continue;
    }
    for (let c = 0; c < NR; c++) {
      const dst = out + (<usize>c << 2);
      if (c >= cols) {
        for (let p = 0; p < kc; p++) store<f32>(dst + (<usize>(p * NR) << 2), 0);
        continue;
      }
      const src = b + (<usize>(p0 * bRow + (j0 + c) * bCol) << 2);
      const step = <usize>bRow << 2;
      for (let p = 0; p < kc; p++) store<f32>(dst + (<usize>(p * NR) << 2), load<f32>(src + <usize>p * step));
    }
    out += <usize>(kc * NR) << 2;
  }
}

/**
 * The 4 × 8 tile at c (row stride ldc bytes) += (or =, when !accumulate) the packed panels'
 * product over kc.
 */
// @ts-ignore: decorator
@inline function microKernel(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  if (accumulate) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + ldc); c11 = v128.load(c + ldc, 16);
    c20 = v128.load(c + 2 * ldc); c21 = v128.load(c + 2 * ldc, 16);
    c30 = v128.load(c + 3 * ldc); c31 = v128.load(c + 3 * ldc, 16);
  }
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    const a0 = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0));
    c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    const a1 = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(a1, b0));
    c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    const a2 = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(a2, b0));
    c21 = f32x4.add(c21, f32x4.mul(a2, b1));
    const a3 = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(a3, b0));
    c31 = f32x4.add(c31, f32x4.mul(a3, b1));
    ap += MR << 2;
    bp += NR << 2;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16);
}

/**
 * Rows [rowBegin, rowEnd) of C [m, n] = A [m, k] · B [k, n] (strides in elements, see the top of
 * the file); `scratch`: packBytes(rowEnd − rowBegin, n, k) bytes, 16-byte aligned. k = 0 gives
 * zeros.
 */
export function gemm(
  rowBegin: i32, rowEnd: i32, n: i32, k: i32,
  a: usize, aRow: i32, aCol: i32,
  b: usize, bRow: i32, bCol: i32,
  c: usize, cRow: i32,
  scratch: usize,
): void {
  const rows = rowEnd - rowBegin;
  if (rows <= 0 || n <= 0) return;
  const ldc = <usize>cRow << 2;
  if (k <= 0) {
    for (let i = rowBegin; i < rowEnd; i++) memory.fill(c + <usize>i * ldc, 0, <usize>n << 2);
    return;
  }
  const kcMax = min(k, KC);
  const mPanels = (rows + MR - 1) / MR;
  const nPanels = (n + NR - 1) / NR;
  const packedA = scratch;
  const packedB = packedA + (<usize>(mPanels * MR * kcMax) << 2);
  const tile = packedB + (<usize>(nPanels * NR * kcMax) << 2);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const accumulate = p0 > 0;
    packA(a, aRow, aCol, rowBegin, rowEnd, p0, kc, packedA);
    packB(b, bRow, bCol, n, p0, kc, packedB);
    for (let jp = 0; jp < nPanels; jp++) {
      const j0 = jp * NR;
      const cols = min(NR, n - j0);
      const bp = packedB + (<usize>(jp * kc * NR) << 2);
      for (let ip = 0; ip < mPanels; ip++) {
        const i0 = rowBegin + ip * MR;
        const tileRows = min(MR, rowEnd - i0);
        const ap = packedA + (<usize>(ip * kc * MR) << 2);
        const at = c + <usize>i0 * ldc + (<usize>j0 << 2);
        if (tileRows == MR && cols == NR) {
          microKernel(kc, ap, bp, at, ldc, accumulate);
          continue;
        }
        // an edge tile: through the MR × NR scratch tile
        if (accumulate) {
          for (let r = 0; r < tileRows; r++) memory.copy(tile + (<usize>(r * NR) << 2), at + <usize>r * ldc, <usize>cols << 2);
        }
        microKernel(kc, ap, bp, tile, NR << 2, accumulate);
        for (let r = 0; r < tileRows; r++) memory.copy(at + <usize>r * ldc, tile + (<usize>(r * NR) << 2), <usize>cols << 2);
      }
    }
  }
}
