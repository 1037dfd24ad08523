// tile(x, reps) as block copies: out[i_0, …, i_n] = x[i_0 mod s_0, …, i_n mod s_n].
//
// tfjs-backend-wasm's Tile kernel computes the source index of every output element (measured:
// 15 ms to broadcast scVI's per-gene dispersion [1, 2000] to a minibatch [128, 2000], 60 ns an
// element). The same result needs only contiguous copies:
//   1. copy each row (last axis) of x to its place in the first tile of the output;
//   2. for each axis d from the last to the first, the first tile along d is complete for
//      every axis after d (a contiguous run of s_d · stride_d elements from each "first-tile"
//      position of the axes before d); repeat it r_d times by doubling copyWithin calls.
// Broadcasting a [G] vector over B rows is then one copy of G elements and log2(B) copies.
// Runs shorter than SHORT elements are copied in plain loops instead: a typed-array set /
// copyWithin call costs ~0.1 µs, which for [256, 775, 1] -> [256, 775, 4] (a row of one element,
// then a run of 4 built by two doublings, 198,400 times) made 16 ms of calls.

/** Below this many elements a loop copies faster than a set / copyWithin call. */
const SHORT = 16;

type NumericArray = Float32Array | Int32Array | Uint8Array;

/** Row-major strides of `shape`. */
function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d] as number;
  }
  return strides;
}

/** Calls fn(offset) for every output offset of a multi-index over axes < `upTo` with index_j < limit_j. */
function forEachPrefix(limits: readonly number[], strides: readonly number[], upTo: number, fn: (offset: number) => void): void {
  const index = new Array<number>(upTo).fill(0);
  if (limits.slice(0, upTo).some((l) => l === 0)) return;
  let offset = 0; // Σ_j index_j · strides_j, kept up to date as the index advances
  for (;;) {
    fn(offset);
    let j = upTo - 1;
    while (j >= 0) {
      index[j] = (index[j] as number) + 1;
      offset += strides[j] as number;
      if ((index[j] as number) < (limits[j] as number)) break;
      offset -= (limits[j] as number) * (strides[j] as number);
      index[j] = 0;
      j--;
    }
    if (j < 0) return;
  }
}

/** Only the last axis repeats, into short output rows: each row of `row` elements `r` times, in one loop. */
function repeatShortRows(src: NumericArray, row: number, r: number, dst: NumericArray): void {
  let at = 0;
  for (let from = 0; from < src.length; from += row) {
    for (let k = 0; k < r; k++) {
      for (let j = 0; j < row; j++) dst[at++] = src[from + j] as number;
    }
  }
}

/** Writes tile(src, reps) (src of shape `shape`) into dst, of shape shape[d] · reps[d]. */
export function tileInto(src: NumericArray, shape: readonly number[], reps: readonly number[], dst: NumericArray): void {
  const rank = shape.length;
  if (rank === 0) {
    dst.fill(src[0] as number);
    return;
  }
  const outShape = shape.map((s, d) => s * (reps[d] as number));
  if (outShape.some((s) => s === 0)) return;
  const outStrides = stridesOf(outShape);
  const row = shape[rank - 1] as number;
  if (row * (reps[rank - 1] as number) < SHORT && reps.every((r, d) => r === 1 || d === rank - 1)) {
    repeatShortRows(src, row, reps[rank - 1] as number, dst);
    return;
  }
  // 1. the rows of x into the first tile
  let from = 0;
  forEachPrefix(shape, outStrides, rank - 1, (offset) => {
    if (row < SHORT) {
      for (let k = 0; k < row; k++) dst[offset + k] = src[from + k] as number;
    } else {
      dst.set(src.subarray(from, from + row), offset);
    }
    from += row;
  });
  // 2. repeat the first tile along each axis, innermost first
  for (let d = rank - 1; d >= 0; d--) {
    const r = reps[d] as number;
    if (r === 1) continue;
    const block = (shape[d] as number) * (outStrides[d] as number); // the first tile along d
    const full = block * r;
    forEachPrefix(shape, outStrides, d, (offset) => {
      if (full < SHORT) {
        // each element repeats the one `block` before it
        for (let i = offset + block; i < offset + full; i++) dst[i] = dst[i - block] as number;
        return;
      }
      for (let written = block; written < full; written *= 2) {
        dst.copyWithin(offset + written, offset, offset + Math.min(written, full - written));
      }
    });
  }
}
