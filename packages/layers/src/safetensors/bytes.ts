// Byte-order handling: safetensors data is little-endian, typed arrays use the host's order. The
// order is checked once; on a little-endian host (every current browser and Node platform) the
// data is copied as it is, on a big-endian one each element's bytes are reversed while copying.
// Reversing is its own inverse, so one function serves both directions.

/** True when the host stores multi-byte numbers least significant byte first. */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Copies `src` into `dst` (same length), reversing the bytes of each `elementSize`-byte element when
 * `swap` is true: host order <-> little-endian. `swap` defaults to "the host is big-endian".
 */
export function copyElements(src: Uint8Array, dst: Uint8Array, elementSize: number, swap = !HOST_LITTLE_ENDIAN): void {
  if (src.length !== dst.length || src.length % elementSize !== 0) {
    throw new RangeError(`copyElements: argument 'dst' must have the length of 'src' (${src.length}, a multiple of ${elementSize}), got ${dst.length}`);
  }
  if (!swap || elementSize === 1) {
    dst.set(src);
    return;
  }
  for (let at = 0; at < src.length; at += elementSize) {
    for (let k = 0; k < elementSize; k++) dst[at + k] = src[at + elementSize - 1 - k] as number;
  }
}

/** The bytes of a typed array (a view of the same memory, honouring byteOffset). */
export function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
