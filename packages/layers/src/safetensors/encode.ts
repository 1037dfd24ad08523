// Writes safetensors files (layout in format.ts). Tensors are laid out in sorted name order (UTF-16
// code units, Array.prototype.sort) and the header lists them, after "__metadata__" with its keys
// sorted the same way, in that order, so equal inputs give byte-identical files.
import { bytesOf, copyElements } from './bytes.js';
import { isRecord, quoted, received, shown, tagOf, withArticle } from './describe.js';
import { elementCount, HEADER_ALIGNMENT, isWriteDtype, METADATA_KEY, PREFIX_BYTES, WRITE_ARRAY_TYPES, WRITE_DTYPES } from './format.js';

import type { WriteDtype } from './format.js';

/** A tensor to write: row-major `data` of `shape`, in the typed array of its dtype. */
export interface SafetensorsTensor {
  dtype: WriteDtype;
  shape: readonly number[];
  data: Float32Array | Int32Array | Float64Array | Uint8Array;
}

const FN = 'encodeSafetensors';

/** Serializes `tensors` (and string `metadata`, stored under "__metadata__") into a safetensors file. */
export function encodeSafetensors(tensors: Record<string, SafetensorsTensor>, metadata?: Record<string, string>): Uint8Array {
  if (!isRecord(tensors)) throw new TypeError(`${FN}: argument 'tensors' must be an object mapping names to tensors, got ${received(tensors)}`);
  const names = Object.keys(tensors).sort();
  const checked = names.map((name) => checkTensor(name, tensors[name]));
  const metadataEntries = metadata === undefined ? undefined : checkMetadata(metadata);

  // Header JSON built by hand: JSON.stringify would move integer-like keys ('0', '12') first.
  const parts: string[] = [];
  if (metadataEntries) parts.push(`${JSON.stringify(METADATA_KEY)}:{${metadataEntries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`);
  let offset = 0;
  for (const [i, name] of names.entries()) {
    const { dtype, shape, data } = checked[i] as SafetensorsTensor;
    const end = offset + data.byteLength;
    parts.push(`${JSON.stringify(name)}:{"dtype":"${dtype}","shape":[${shape.join(',')}],"data_offsets":[${offset},${end}]}`);
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerBytes = Math.ceil((PREFIX_BYTES + json.length) / HEADER_ALIGNMENT) * HEADER_ALIGNMENT - PREFIX_BYTES;

  const file = new Uint8Array(PREFIX_BYTES + headerBytes + offset);
  new DataView(file.buffer).setBigUint64(0, BigInt(headerBytes), true);
  file.set(json, PREFIX_BYTES);
  file.fill(0x20, PREFIX_BYTES + json.length, PREFIX_BYTES + headerBytes); // space padding
  let at = PREFIX_BYTES + headerBytes;
  for (const { dtype, data } of checked) {
    copyElements(bytesOf(data), file.subarray(at, at + data.byteLength), WRITE_DTYPES[dtype]);
    at += data.byteLength;
  }
  return file;
}

function checkTensor(name: string, tensor: unknown): SafetensorsTensor {
  if (name === '') throw new RangeError(`${FN}: tensor names must be non-empty strings, got ''`);
  if (name === METADATA_KEY) throw new RangeError(`${FN}: tensor name '${METADATA_KEY}' is reserved for the metadata; rename the tensor`);
  const what = `tensor ${quoted(name)}`;
  if (!isRecord(tensor)) throw new TypeError(`${FN}: ${what} must be an object { dtype, shape, data }, got ${received(tensor)}`);
  const { dtype, shape, data } = tensor;
  if (!isWriteDtype(dtype)) {
    throw new TypeError(`${FN}: ${what} has dtype ${received(dtype)}; writable dtypes are ${Object.keys(WRITE_DTYPES).join(', ')}`);
  }
  if (!Array.isArray(shape)) throw new TypeError(`${FN}: ${what} field 'shape' must be an array of integers >= 0, got ${received(shape)}`);
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new RangeError(`${FN}: ${what} has shape ${shown(shape)}; entries must be integers >= 0`);
  const arrayType = WRITE_ARRAY_TYPES[dtype];
  if (!ArrayBuffer.isView(data) || tagOf(data) !== arrayType) {
    throw new TypeError(`${FN}: ${what} has dtype ${dtype}, so field 'data' must be ${withArticle(arrayType)}, got ${received(data)}`);
  }
  const size = elementCount(shape as number[]);
  const length = (data as SafetensorsTensor['data']).length;
  if (length !== size) throw new RangeError(`${FN}: ${what} has shape ${shown(shape)} (${size} elements) but data has length ${length}`);
  return { dtype, shape: shape as number[], data: data as SafetensorsTensor['data'] };
}

function checkMetadata(metadata: unknown): Array<[string, string]> {
  if (!isRecord(metadata)) throw new TypeError(`${FN}: argument 'metadata' must be an object of strings, got ${received(metadata)}`);
  const entries = Object.entries(metadata).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, value] of entries) {
    if (typeof value !== 'string') throw new TypeError(`${FN}: metadata ${quoted(key)} must be a string, got ${received(value)}`);
  }
  return entries as Array<[string, string]>;
}
