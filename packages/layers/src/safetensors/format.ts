// The safetensors file format (https://github.com/huggingface/safetensors), as read and written here:
//
//   bytes [0, 8)           N, a little-endian unsigned 64-bit integer: the header length in bytes
//   bytes [8, 8 + N)       the header: UTF-8 JSON object, optionally padded with trailing spaces (0x20)
//   bytes [8 + N, end)     the data buffer
//
// The header maps each tensor name to { "dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end] },
// offsets in bytes relative to the start of the data buffer, end exclusive. One optional key,
// "__metadata__", holds a { string: string } map. Tensor data is row-major and little-endian; the
// tensors tile the data buffer exactly: sorted by offset, each begins where the previous one ends,
// the first at 0 and the last at the end of the file (no gaps, no overlaps, no trailing bytes).
//
// The writer pads the header with spaces so that 8 + N is a multiple of 8 (as the reference library
// does), so every tensor starts 8-byte aligned within the file.
//
// Dtypes:
//   written   F32 (Float32Array), F64 (Float64Array), I32 (Int32Array), U8 (Uint8Array)
//   read      F32, F16, BF16 -> Float32Array (exact: every F16 / BF16 value is an F32 value)
//             F64            -> Float64Array
//             I32, I16, I8   -> Int32Array
//             I64            -> Int32Array when every value lies in [-2^31, 2^31 - 1], else an error
//             U8, BOOL       -> Uint8Array (BOOL bytes are copied as they are)
//   others of the format (U16, U32, U64, the F8 / F6 / F4 types, C64) are rejected with an error
//   that names them as known but unsupported.

/** Bytes in the length prefix. */
export const PREFIX_BYTES = 8;

/** The header alignment the writer pads to: 8 + N is a multiple of it. */
export const HEADER_ALIGNMENT = 8;

/** The largest header the reader accepts: the reference implementation's limit (100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

/** The reserved header key of the free-form string metadata. */
export const METADATA_KEY = '__metadata__';

/** Dtypes this package writes, with their element size in bytes. */
export const WRITE_DTYPES = { F32: 4, F64: 8, I32: 4, U8: 1 } as const;
export type WriteDtype = keyof typeof WRITE_DTYPES;

/** Dtypes this package reads, with their element size in bytes in the file. */
export const READ_DTYPES = { F32: 4, F64: 8, F16: 2, BF16: 2, I32: 4, I64: 8, I16: 2, I8: 1, U8: 1, BOOL: 1 } as const;
export type ReadDtype = keyof typeof READ_DTYPES;

/** Dtypes the format defines that this package does not read (named in errors as known). */
export const UNSUPPORTED_DTYPES: readonly string[] = ['U16', 'U32', 'U64', 'F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'F6_E2M3', 'F6_E3M2', 'F4', 'C64'];

export function isWriteDtype(value: unknown): value is WriteDtype {
  return typeof value === 'string' && Object.hasOwn(WRITE_DTYPES, value);
}

export function isReadDtype(value: unknown): value is ReadDtype {
  return typeof value === 'string' && Object.hasOwn(READ_DTYPES, value);
}

/** The typed array each writable dtype takes (by its Symbol.toStringTag, which works across realms). */
export const WRITE_ARRAY_TYPES: Record<WriteDtype, string> = { F32: 'Float32Array', F64: 'Float64Array', I32: 'Int32Array', U8: 'Uint8Array' };

/** The number of elements of `shape` (1 for []); 0 when any dimension is 0, even if the others overflow. */
export function elementCount(shape: readonly number[]): number {
  return shape.includes(0) ? 0 : shape.reduce((a, b) => a * b, 1);
}
