// Whether a chunk is safe to hand to the LZF filter. The filter (h5py's, shipped in
// h5wasm-plugins) gives up on a chunk whose compressed form would not be smaller than the chunk,
// counting on being registered as an optional filter so that HDF5 stores that chunk as is.
// h5wasm registers every filter as mandatory, so such a chunk fails the whole dataset instead.
// This estimate of LZF's output (a greedy LZ77 pass with LZF's limits: 3-byte minimum match,
// 8 KiB window, 264-byte maximum match, 1 control byte per run of up to 32 literals) lets the
// writer keep LZF for chunks that clearly compress and store the rest uncompressed.

const HASH_BITS = 14;
const WINDOW = 8192;
const MAX_MATCH = 264;
/** Keep LZF only when the estimate is at most this fraction of the input: a wide margin over LZF's own (slightly different) matcher. */
export const LZF_SAFE_RATIO = 0.8;

/** Estimated LZF output bytes for `b`. */
export function estimateLzfSize(b: Uint8Array): number {
  const n = b.length;
  const table = new Int32Array(1 << HASH_BITS).fill(-1);
  let out = 0;
  let literals = 0;
  let i = 0;
  while (i + 2 < n) {
    const h = Math.imul(((b[i] as number) << 16) | ((b[i + 1] as number) << 8) | (b[i + 2] as number), 0x9e3779b1);
    const slot = h >>> (32 - HASH_BITS);
    const ref = table[slot] as number;
    table[slot] = i;
    if (ref >= 0 && i - ref <= WINDOW && b[ref] === b[i] && b[ref + 1] === b[i + 1] && b[ref + 2] === b[i + 2]) {
      let len = 3;
      while (len < MAX_MATCH && i + len < n && b[ref + len] === b[i + len]) len++;
      out += literals + Math.ceil(literals / 32) + (len - 2 < 7 ? 2 : 3);
      literals = 0;
      i += len;
    } else {
      literals++;
      i++;
    }
  }
  literals += n - i;
  return out + literals + Math.ceil(literals / 32);
}

/**
 * True when every chunk of `bytes` (consecutive `chunkBytes`-byte pieces, as a 1-D dataset or
 * whole-row 2-D chunks lay them out) is estimated to compress to at most LZF_SAFE_RATIO.
 */
export function lzfCompressesEveryChunk(bytes: Uint8Array, chunkBytes: number): boolean {
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    const piece = bytes.subarray(at, Math.min(at + chunkBytes, bytes.length));
    // A short last chunk is padded with zeros by HDF5, which only helps; estimate it as stored.
    if (estimateLzfSize(piece) > LZF_SAFE_RATIO * chunkBytes) return false;
  }
  return true;
}
