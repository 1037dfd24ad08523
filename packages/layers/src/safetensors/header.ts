// Reads and checks the header of a safetensors file (layout in format.ts): the length prefix, the
// JSON, each tensor entry, the metadata, and that the entries tile the data buffer exactly.
import { isRecord, quoted, received, shown } from './describe.js';
import { elementCount, isReadDtype, MAX_HEADER_BYTES, METADATA_KEY, PREFIX_BYTES, READ_DTYPES, UNSUPPORTED_DTYPES } from './format.js';

import type { ReadDtype } from './format.js';

/** One checked header entry; `begin` / `end` are byte offsets into the data buffer. */
export interface HeaderEntry {
  name: string;
  dtype: ReadDtype;
  shape: number[];
  count: number;
  begin: number;
  end: number;
}

export interface ParsedHeader {
  entries: HeaderEntry[];
  metadata: Record<string, string>;
  /** The offset of the data buffer in the file: 8 + N. */
  dataStart: number;
}

const FN = 'decodeSafetensors';

export function parseHeader(file: Uint8Array): ParsedHeader {
  if (file.length < PREFIX_BYTES) {
    throw new RangeError(`${FN}: the file is ${file.length} bytes, shorter than the ${PREFIX_BYTES}-byte header length prefix`);
  }
  const n = new DataView(file.buffer, file.byteOffset, PREFIX_BYTES).getBigUint64(0, true);
  if (n > BigInt(file.length - PREFIX_BYTES)) {
    throw new RangeError(`${FN}: the header length prefix says ${n} bytes but only ${file.length - PREFIX_BYTES} bytes follow it (file of ${file.length} bytes)`);
  }
  if (n > BigInt(MAX_HEADER_BYTES)) throw new RangeError(`${FN}: the header length ${n} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  const dataStart = PREFIX_BYTES + Number(n);

  const json = parseJson(file.subarray(PREFIX_BYTES, dataStart));
  if (!isRecord(json)) throw new TypeError(`${FN}: the header must be a JSON object, got ${received(json)}`);
  const bufferBytes = file.length - dataStart;
  const entries = Object.entries(json)
    .filter(([name]) => name !== METADATA_KEY)
    .map(([name, info]) => parseEntry(name, info, bufferBytes));
  checkTiling(entries, bufferBytes);
  return { entries, metadata: parseMetadata(json[METADATA_KEY]), dataStart };
}

function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new TypeError(`${FN}: the header (${bytes.length} bytes) is not valid UTF-8`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TypeError(`${FN}: the header (${bytes.length} bytes) is not valid JSON: ${reason}`, { cause: error });
  }
}

function parseEntry(name: string, info: unknown, bufferBytes: number): HeaderEntry {
  const what = `tensor ${quoted(name)}`;
  if (!isRecord(info)) throw new TypeError(`${FN}: header entry ${quoted(name)} must be an object { dtype, shape, data_offsets }, got ${received(info)}`);
  const { dtype, shape, data_offsets: offsets } = info;
  if (!isReadDtype(dtype)) {
    const supported = Object.keys(READ_DTYPES).join(', ');
    if (typeof dtype === 'string' && UNSUPPORTED_DTYPES.includes(dtype)) {
      throw new TypeError(`${FN}: ${what} has dtype ${dtype}, which this reader does not support (supported: ${supported})`);
    }
    throw new TypeError(`${FN}: ${what} has unknown dtype ${received(dtype)} (supported: ${supported})`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new RangeError(`${FN}: ${what} has shape ${shown(shape)}; it must be an array of integers >= 0`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[0] > offsets[1]) {
    throw new RangeError(`${FN}: ${what} has data_offsets ${shown(offsets)}; they must be [begin, end] with integers 0 <= begin <= end`);
  }
  const [begin, end] = offsets as [number, number];
  if (end > bufferBytes) throw new RangeError(`${FN}: ${what} has data_offsets [${begin}, ${end}] past the end of the ${bufferBytes}-byte data buffer`);
  const count = elementCount(shape as number[]);
  const need = count * READ_DTYPES[dtype];
  if (end - begin !== need) {
    throw new RangeError(`${FN}: ${what} has data_offsets [${begin}, ${end}] but dtype ${dtype} and shape ${shown(shape)} need ${need} bytes`);
  }
  return { name, dtype, shape: shape as number[], count, begin, end };
}

/** The format requires the tensors, sorted by offset, to cover the data buffer without gaps or overlaps. */
function checkTiling(entries: HeaderEntry[], bufferBytes: number): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: HeaderEntry | undefined;
  for (const entry of sorted) {
    const where = `tensor ${quoted(entry.name)} has data_offsets [${entry.begin}, ${entry.end}]`;
    if (entry.begin < cursor && previous) {
      throw new RangeError(`${FN}: ${where}, overlapping tensor ${quoted(previous.name)} at [${previous.begin}, ${previous.end}]`);
    }
    if (entry.begin > cursor) {
      const after = previous ? `after tensor ${quoted(previous.name)}` : 'at the start of the data buffer';
      throw new RangeError(`${FN}: ${where}, leaving bytes [${cursor}, ${entry.begin}) unused ${after}; tensors must cover the data buffer contiguously`);
    }
    cursor = entry.end;
    previous = entry;
  }
  if (cursor < bufferBytes) {
    throw new RangeError(`${FN}: the data buffer has ${bufferBytes - cursor} trailing bytes [${cursor}, ${bufferBytes}) not covered by any tensor`);
  }
}

/** "__metadata__" is absent, null (the reference reader accepts it) or an object of strings. */
function parseMetadata(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new TypeError(`${FN}: header entry '${METADATA_KEY}' must be an object of strings, got ${received(value)}`);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new TypeError(`${FN}: metadata ${quoted(key)} must be a string, got ${received(v)}`);
  }
  return Object.fromEntries(Object.entries(value)) as Record<string, string>;
}
