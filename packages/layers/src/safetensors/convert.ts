// Turns one tensor's little-endian bytes into a freshly allocated (hence aligned) typed array:
// the widening rules of format.ts. Same-width types are copied whole; the others go through a
// DataView with explicit little-endian reads, which does not depend on the host's byte order.
import { copyElements } from './bytes.js';
import { bfloat16ToFloat32Bits, float16ToNumber } from './half.js';

import type { ReadDtype } from './format.js';

export type DecodedData = Float32Array | Float64Array | Int32Array | Uint8Array;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** `bytes` holds exactly `count` elements of `dtype`; `label` (`tensor 'w'`) names it in the I64 range error. */
export function convertElements(dtype: ReadDtype, bytes: Uint8Array, count: number, label: string): DecodedData {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'F32':
      return copied(new Float32Array(count), bytes, 4);
    case 'F64':
      return copied(new Float64Array(count), bytes, 8);
    case 'I32':
      return copied(new Int32Array(count), bytes, 4);
    case 'U8':
    case 'BOOL':
      return new Uint8Array(bytes); // a copy; bytes.slice() would be a view when `bytes` is a Node Buffer
    case 'F16': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = float16ToNumber(view.getUint16(2 * i, true));
      return out;
    }
    case 'BF16': {
      const out = new Float32Array(count);
      const bits = new Uint32Array(out.buffer); // same host order as `out`
      for (let i = 0; i < count; i++) bits[i] = bfloat16ToFloat32Bits(view.getUint16(2 * i, true));
      return out;
    }
    case 'I8':
      return new Int32Array(new Int8Array(bytes.buffer, bytes.byteOffset, count));
    case 'I16': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(2 * i, true);
      return out;
    }
    case 'I64': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const value = view.getBigInt64(8 * i, true);
        if (value < BigInt(INT32_MIN) || value > BigInt(INT32_MAX)) {
          throw new RangeError(
            `decodeSafetensors: ${label} has dtype I64 and value ${value} at flat index ${i}, outside the Int32 range [${INT32_MIN}, ${INT32_MAX}] it is read into`,
          );
        }
        out[i] = Number(value);
      }
      return out;
    }
  }
}

function copied<T extends Float32Array | Float64Array | Int32Array>(out: T, bytes: Uint8Array, elementSize: number): T {
  copyElements(bytes, new Uint8Array(out.buffer), elementSize);
  return out;
}
