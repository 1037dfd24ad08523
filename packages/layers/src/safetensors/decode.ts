// Reads safetensors files (layout and dtype rules in format.ts). Every structural property a
// truncated or malicious file could violate is checked before any data is touched (header.ts), and
// each tensor's data is copied into its own typed array, never viewed at an unaligned file offset.
import { convertElements } from './convert.js';
import { quoted, received, tagOf } from './describe.js';
import { parseHeader } from './header.js';

/** A decoded tensor: the file's dtype, its shape, and row-major data widened as in format.ts. */
export type DecodedTensor =
  | { dtype: 'F32' | 'F16' | 'BF16'; shape: number[]; data: Float32Array }
  | { dtype: 'F64'; shape: number[]; data: Float64Array }
  | { dtype: 'I32' | 'I64' | 'I16' | 'I8'; shape: number[]; data: Int32Array }
  | { dtype: 'U8' | 'BOOL'; shape: number[]; data: Uint8Array };

export interface DecodedSafetensors {
  tensors: Record<string, DecodedTensor>;
  /** The "__metadata__" strings; {} when the file has none. */
  metadata: Record<string, string>;
}

/** Parses a safetensors file; throws a TypeError / RangeError naming the problem on a malformed one. */
export function decodeSafetensors(bytes: Uint8Array | ArrayBuffer): DecodedSafetensors {
  // Tags rather than instanceof: arrays from another realm (an iframe, a worker's transfer) pass too.
  let file: Uint8Array;
  if (ArrayBuffer.isView(bytes) && tagOf(bytes) === 'Uint8Array') file = bytes as Uint8Array;
  else if (Object.prototype.toString.call(bytes) === '[object ArrayBuffer]') file = new Uint8Array(bytes as ArrayBuffer);
  else throw new TypeError(`decodeSafetensors: argument 'bytes' must be a Uint8Array or an ArrayBuffer, got ${received(bytes)}`);

  const { entries, metadata, dataStart } = parseHeader(file);
  const tensors = entries.map(({ name, dtype, shape, count, begin, end }) => {
    const data = convertElements(dtype, file.subarray(dataStart + begin, dataStart + end), count, `tensor ${quoted(name)}`);
    return [name, { dtype, shape, data } as DecodedTensor] as const;
  });
  // fromEntries defines own properties, so a tensor named '__proto__' stays a tensor.
  return { tensors: Object.fromEntries(tensors), metadata };
}
