import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { loadFixture } from '@vitae/fixtures/load';
import { describe, expect, it } from 'vitest';

import { bytesOf, copyElements } from './bytes.js';
import { decodeSafetensors, encodeSafetensors } from './index.js';

import type { SafetensorsTensor } from './index.js';

// ---------------------------------------------------------------------------------------------
// Helpers

/** Flat values as strings, so that -0 and NaN compare exactly ('-0' != '0', 'NaN' == 'NaN'). */
const exact = (xs: ArrayLike<number>): string[] => Array.from(xs, (x) => (Object.is(x, -0) ? '-0' : String(x)));

/** A file with the given header text (unpadded) and data buffer: for hand-made, possibly malformed files. */
function rawFile(header: string | object, data: ArrayLike<number> = []): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const file = new Uint8Array(8 + json.length + data.length);
  new DataView(file.buffer).setBigUint64(0, BigInt(json.length), true);
  file.set(json, 8);
  file.set(data, 8 + json.length);
  return file;
}

/** Little-endian bytes of 16-bit / 64-bit integers, for hand-made data buffers. */
const u16le = (values: number[]): number[] => values.flatMap((v) => [v & 0xff, v >> 8]);
const i64le = (values: bigint[]): number[] => {
  const out = new DataView(new ArrayBuffer(8 * values.length));
  values.forEach((v, i) => out.setBigInt64(8 * i, v, true));
  return Array.from(new Uint8Array(out.buffer));
};

/**
 * An independent reader (not decode.ts): prefix, JSON, then each tensor element read with DataView
 * at its offset. Checks nothing; it is the second opinion on what encodeSafetensors writes.
 */
interface IndependentEntry { dtype: string; shape: number[]; data_offsets: [number, number] }
function readIndependently(file: Uint8Array) {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const headerText = new TextDecoder().decode(file.subarray(8, 8 + n));
  const header = JSON.parse(headerText) as Record<string, IndependentEntry | Record<string, string>>;
  const tensors: Record<string, { dtype: string; shape: number[]; offsets: [number, number]; values: number[] }> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: offsets } = entry as IndependentEntry;
    const size = { F32: 4, F64: 8, I32: 4, U8: 1 }[dtype] ?? NaN;
    const values: number[] = [];
    for (let at = 8 + n + offsets[0]; at < 8 + n + offsets[1]; at += size) {
      values.push(dtype === 'F32' ? view.getFloat32(at, true) : dtype === 'F64' ? view.getFloat64(at, true) : dtype === 'I32' ? view.getInt32(at, true) : view.getUint8(at));
    }
    tensors[name] = { dtype, shape, offsets, values };
  }
  return { n, headerText, keys: Object.keys(header), metadata: header.__metadata__, tensors };
}

/** Float32Array from raw bit patterns (keeps NaN payloads, which a number round trip may not). */
const f32Bits = (bits: number[]): Float32Array => new Float32Array(new Uint32Array(bits).buffer);

const SUBNORMAL_F32 = 2 ** -149;
const SUBNORMAL_F64 = 5e-324;

function sampleTensors(): Record<string, SafetensorsTensor> {
  return {
    'layer.weight': { dtype: 'F32', shape: [2, 3], data: new Float32Array([1.5, -0, NaN, Infinity, -Infinity, SUBNORMAL_F32]) },
    'layer.bias': { dtype: 'F64', shape: [3], data: new Float64Array([SUBNORMAL_F64, -0, Math.PI]) },
    scalar: { dtype: 'F32', shape: [], data: new Float32Array([-2.5]) },
    empty: { dtype: 'F64', shape: [3, 0, 2], data: new Float64Array(0) },
    counts: { dtype: 'I32', shape: [2, 2], data: new Int32Array([-(2 ** 31), 2 ** 31 - 1, 0, -1]) },
    mask: { dtype: 'U8', shape: [4], data: new Uint8Array([0, 1, 128, 255]) },
    // A signalling NaN with a payload: survives only if bytes are copied, never re-stored as numbers.
    payload: { dtype: 'F32', shape: [2], data: f32Bits([0x7fa00001, 0xffc00123]) },
  };
}

// ---------------------------------------------------------------------------------------------
// Round trips

describe('encodeSafetensors -> decodeSafetensors', () => {
  it('round-trips F32 / F64 / I32 / U8 bit for bit: 0-d, empty, NaN (with payload), +-Infinity, -0, subnormals, int extremes', () => {
    const tensors = sampleTensors();
    const metadata = { format: 'pt', note: 'ünïcødé ✓', empty: '' };
    const decoded = decodeSafetensors(encodeSafetensors(tensors, metadata));
    expect(Object.keys(decoded.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      const d = decoded.tensors[name];
      expect(d?.dtype, name).toBe(t.dtype);
      expect(d?.shape, name).toEqual(t.shape);
      expect(d?.data.constructor, name).toBe(t.data.constructor);
      expect(bytesOf(d?.data ?? new Uint8Array(1)), name).toEqual(bytesOf(t.data));
    }
    expect(decoded.metadata).toEqual(metadata);
  });

  it('gives {} metadata when none was written, and keeps a tensor named __proto__ as an own entry', () => {
    const tensors = { ['__proto__']: { dtype: 'F32', shape: [1], data: new Float32Array([7]) } } as Record<string, SafetensorsTensor>;
    const decoded = decodeSafetensors(encodeSafetensors(tensors));
    expect(decoded.metadata).toEqual({});
    expect(Object.keys(decoded.tensors)).toEqual(['__proto__']);
    expect(Array.from(decoded.tensors['__proto__']?.data ?? [])).toEqual([7]);
  });

  it('encodes typed arrays that are views at an offset of a larger buffer', () => {
    const big = new Float64Array([9, 9, 1, 2, 3, 9]);
    const file = encodeSafetensors({ v: { dtype: 'F64', shape: [3], data: big.subarray(2, 5) } });
    expect(Array.from(decodeSafetensors(file).tensors.v?.data ?? [])).toEqual([1, 2, 3]);
  });

  it('decodes from an ArrayBuffer and from a Uint8Array at an odd offset, copying into aligned fresh arrays', () => {
    const file = encodeSafetensors(sampleTensors());
    const shifted = new Uint8Array(file.length + 3);
    shifted.set(file, 3);
    const fromView = decodeSafetensors(shifted.subarray(3));
    const fromBuffer = decodeSafetensors(file.slice().buffer);
    for (const decoded of [fromView, fromBuffer]) {
      const weight = decoded.tensors['layer.weight'];
      expect(weight?.data.byteOffset).toBe(0);
      expect(weight?.data.buffer.byteLength).toBe(weight?.data.byteLength);
      expect(exact(weight?.data ?? [])).toEqual(['1.5', '-0', 'NaN', 'Infinity', '-Infinity', String(SUBNORMAL_F32)]);
    }
    shifted.fill(0); // the decoded data is a copy, not a view of the file
    expect(exact(fromView.tensors['layer.bias']?.data ?? [])).toEqual([String(SUBNORMAL_F64), '-0', String(Math.PI)]);
    expect(Array.from(fromView.tensors.mask?.data ?? [])).toEqual([0, 1, 128, 255]);
  });

  it('decodes a Node Buffer into plain typed arrays that do not share its memory', () => {
    const buffer = Buffer.from(encodeSafetensors(sampleTensors()));
    const decoded = decodeSafetensors(buffer);
    buffer.fill(0);
    const mask = decoded.tensors.mask;
    expect(mask?.data.constructor).toBe(Uint8Array);
    expect(Array.from(mask?.data ?? [])).toEqual([0, 1, 128, 255]);
    expect(Array.from(decoded.tensors.counts?.data ?? [])).toEqual([-(2 ** 31), 2 ** 31 - 1, 0, -1]);
  });

  it('writes deterministic files: the same bytes whatever the insertion order of names and metadata keys', () => {
    const a = sampleTensors();
    const reversed = Object.fromEntries(Object.entries(a).reverse());
    expect(encodeSafetensors(reversed, { b: '2', a: '1' })).toEqual(encodeSafetensors(a, { a: '1', b: '2' }));
  });
});

// ---------------------------------------------------------------------------------------------
// What the writer puts on disk, read by an independent reader

describe('encodeSafetensors file layout', () => {
  it('is read by an independent reader: header padded with spaces to 8 + N = 0 mod 8, tensors contiguous in sorted name order', () => {
    const tensors = sampleTensors();
    const file = encodeSafetensors(tensors, { format: 'pt' });
    const read = readIndependently(file);
    expect((8 + read.n) % 8).toBe(0);
    expect(read.headerText).toMatch(/^\{.*\} *$/su);
    expect(read.headerText.length - read.headerText.trimEnd().length).toBeLessThan(8);
    expect(read.metadata).toEqual({ format: 'pt' });

    const names = Object.keys(tensors).sort();
    expect(read.keys).toEqual(['__metadata__', ...names]);
    let cursor = 0;
    for (const name of names) {
      const t = tensors[name] as SafetensorsTensor;
      const r = read.tensors[name];
      expect(r?.offsets, name).toEqual([cursor, cursor + t.data.byteLength]);
      expect(r?.dtype, name).toBe(t.dtype);
      expect(r?.shape, name).toEqual(t.shape);
      if (name !== 'payload') expect(exact(r?.values ?? []), name).toEqual(exact(t.data));
      cursor += t.data.byteLength;
    }
    expect(file.length).toBe(8 + read.n + cursor);
  });

  it('pads every header length to 8 + N = 0 mod 8, for names of every length mod 8', () => {
    for (let len = 1; len <= 9; len++) {
      const file = encodeSafetensors({ ['x'.repeat(len)]: { dtype: 'U8', shape: [1], data: new Uint8Array([1]) } });
      const n = Number(new DataView(file.buffer).getBigUint64(0, true));
      expect((8 + n) % 8, `name length ${len}`).toBe(0);
      expect(readIndependently(file).tensors['x'.repeat(len)]?.values).toEqual([1]);
    }
  });

  it('writes little-endian through copyElements, whose byte swap (the big-endian host path) reverses each element', () => {
    const src = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    const dst = new Uint8Array(8);
    copyElements(src, dst, 4, true);
    expect(Array.from(dst)).toEqual([4, 3, 2, 1, 8, 7, 6, 5]);
    copyElements(src, dst, 8, true);
    expect(Array.from(dst)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    copyElements(src, dst, 2, false);
    expect(Array.from(dst)).toEqual(Array.from(src));
  });
});

// ---------------------------------------------------------------------------------------------
// Widened dtypes from hand-made files

describe('decodeSafetensors widening', () => {
  it('widens F16 exactly: zeros, subnormals, normals, 65504, infinities, NaN', () => {
    const bits = [0x0000, 0x8000, 0x0001, 0x03ff, 0x0400, 0x3c00, 0xc000, 0x7bff, 0x7c00, 0xfc00, 0x7e00, 0x3555];
    const file = rawFile({ h: { dtype: 'F16', shape: [12], data_offsets: [0, 24] } }, u16le(bits));
    const h = decodeSafetensors(file).tensors.h;
    expect(h?.data).toBeInstanceOf(Float32Array);
    expect(exact(h?.data ?? [])).toEqual(exact([0, -0, 2 ** -24, 1023 * 2 ** -24, 2 ** -14, 1, -2, 65504, Infinity, -Infinity, NaN, 1365 * 2 ** -12]));
  });

  it('widens BF16 exactly (the upper half of a float32), subnormals and -0 included', () => {
    const bits = [0x3f80, 0xc049, 0x0001, 0x8000, 0x7f80, 0xff80, 0x7fc0, 0x4b80];
    const file = rawFile({ b: { dtype: 'BF16', shape: [2, 4], data_offsets: [0, 16] } }, u16le(bits));
    const b = decodeSafetensors(file).tensors.b;
    expect(b?.data).toBeInstanceOf(Float32Array);
    expect(exact(b?.data ?? [])).toEqual(exact([1, -3.140625, 2 ** -133, -0, Infinity, -Infinity, NaN, 2 ** 24]));
  });

  it('reads I64 into Int32Array when every value fits, and rejects one that does not', () => {
    const fits = rawFile({ n: { dtype: 'I64', shape: [3], data_offsets: [0, 24] } }, i64le([-(2n ** 31n), 2n ** 31n - 1n, -5n]));
    const n = decodeSafetensors(fits).tensors.n;
    expect(n?.data).toBeInstanceOf(Int32Array);
    expect(Array.from(n?.data ?? [])).toEqual([-(2 ** 31), 2 ** 31 - 1, -5]);

    const big = rawFile({ big: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, i64le([0n, 2n ** 31n]));
    expect(() => decodeSafetensors(big)).toThrow(/decodeSafetensors: tensor 'big' has dtype I64 and value 2147483648 at flat index 1, outside the Int32 range \[-2147483648, 2147483647\]/);
    const small = rawFile({ small: { dtype: 'I64', shape: [], data_offsets: [0, 8] } }, i64le([-(2n ** 63n)]));
    expect(() => decodeSafetensors(small)).toThrow(/tensor 'small' has dtype I64 and value -9223372036854775808 at flat index 0/);
  });
});

// ---------------------------------------------------------------------------------------------
// The reference implementation (Python safetensors), both directions

interface FixtureTensor { dtype: string; shape: number[]; values: number[] }
interface FixtureFile { metadata: Record<string, string>; tensors: Record<string, FixtureTensor> }
const fixture = loadFixture<{ reference: FixtureFile; vitaeWritten: FixtureFile }>('safetensors');
const require = createRequire(import.meta.url);
const fixturePath = (file: string): string => join(dirname(require.resolve('@vitae/fixtures/data/safetensors.json')), file);

const WIDENED: Record<string, string> = { F32: 'Float32Array', F16: 'Float32Array', F64: 'Float64Array', I32: 'Int32Array', I64: 'Int32Array', I16: 'Int32Array', I8: 'Int32Array', U8: 'Uint8Array', BOOL: 'Uint8Array' };

describe('the reference implementation (tooling/fixtures/generators/safetensors_files.py)', () => {
  it('decodes reference.safetensors, written by Python safetensors.numpy.save_file, exactly', () => {
    const decoded = decodeSafetensors(readFileSync(require.resolve('@vitae/fixtures/data/reference.safetensors')));
    expect(decoded.metadata).toEqual(fixture.reference.metadata);
    expect(Object.keys(decoded.tensors).sort()).toEqual(Object.keys(fixture.reference.tensors).sort());
    for (const [name, want] of Object.entries(fixture.reference.tensors)) {
      const got = decoded.tensors[name];
      expect(got?.dtype, name).toBe(want.dtype);
      expect(got?.shape, name).toEqual(want.shape);
      expect(got?.data.constructor.name, name).toBe(WIDENED[want.dtype]);
      expect(exact(got?.data ?? []), name).toEqual(exact(want.values));
    }
  });

  // VITAE_WRITE_FIXTURES=1 writes data/vitae-written.safetensors for the generator to check with the
  // Python library; otherwise the committed (Python-checked) file must equal what we write now.
  it('writes vitae-written.safetensors byte-identical to the file the Python library checked', () => {
    const arrays = { F32: Float32Array, F64: Float64Array, I32: Int32Array, U8: Uint8Array } as const;
    const tensors = Object.fromEntries(
      Object.entries(fixture.vitaeWritten.tensors).map(([name, t]) => {
        const dtype = t.dtype as keyof typeof arrays;
        return [name, { dtype, shape: t.shape, data: arrays[dtype].from(t.values) }];
      }),
    );
    const file = encodeSafetensors(tensors, fixture.vitaeWritten.metadata);
    const path = fixturePath('vitae-written.safetensors');
    if (process.env.VITAE_WRITE_FIXTURES === '1') {
      writeFileSync(path, file);
      return;
    }
    expect(existsSync(path), `${path} is missing: run with VITAE_WRITE_FIXTURES=1, then the generator`).toBe(true);
    expect(new Uint8Array(readFileSync(path))).toEqual(file);
  });
});

// ---------------------------------------------------------------------------------------------
// Validation

describe('encodeSafetensors validation', () => {
  const f32 = (shape: number[], n = shape.reduce((a, b) => a * b, 1)): SafetensorsTensor => ({ dtype: 'F32', shape, data: new Float32Array(n) });
  const encode = (tensors: unknown, metadata?: unknown) => () => encodeSafetensors(tensors as Record<string, SafetensorsTensor>, metadata as Record<string, string>);

  it('rejects a tensors argument that is not an object', () => {
    expect(encode(null)).toThrow(/^encodeSafetensors: argument 'tensors' must be an object mapping names to tensors, got null$/);
    expect(encode([f32([1])])).toThrow(/argument 'tensors' must be an object .* got an array of length 1/);
  });

  it('rejects an empty name and the reserved name __metadata__', () => {
    expect(encode({ '': f32([1]) })).toThrow(/^encodeSafetensors: tensor names must be non-empty strings, got ''$/);
    expect(encode({ __metadata__: f32([1]) })).toThrow(/^encodeSafetensors: tensor name '__metadata__' is reserved for the metadata/);
  });

  it('rejects a tensor that is not an object and a dtype it cannot write', () => {
    expect(encode({ w: 1 })).toThrow(/^encodeSafetensors: tensor 'w' must be an object \{ dtype, shape, data \}, got number 1$/);
    expect(encode({ w: { dtype: 'F16', shape: [1], data: new Float32Array(1) } })).toThrow(/^encodeSafetensors: tensor 'w' has dtype 'F16'; writable dtypes are F32, F64, I32, U8$/);
    expect(encode({ w: { shape: [1], data: new Float32Array(1) } })).toThrow(/tensor 'w' has dtype undefined; writable dtypes/);
  });

  it('rejects a shape that is not an array of integers >= 0', () => {
    expect(encode({ w: { dtype: 'F32', shape: 2, data: new Float32Array(2) } })).toThrow(/^encodeSafetensors: tensor 'w' field 'shape' must be an array of integers >= 0, got number 2$/);
    expect(encode({ w: f32([2, -1], 0) })).toThrow(/^encodeSafetensors: tensor 'w' has shape \[2, -1\]; entries must be integers >= 0$/);
    expect(encode({ w: f32([1.5], 1) })).toThrow(/tensor 'w' has shape \[1\.5\]; entries must be integers >= 0/);
    expect(encode({ w: f32([NaN], 1) })).toThrow(/tensor 'w' has shape \[NaN\]; entries must be integers >= 0/);
  });

  it('rejects data of the wrong typed array or length', () => {
    expect(encode({ w: { dtype: 'F32', shape: [2], data: new Float64Array(2) } })).toThrow(/^encodeSafetensors: tensor 'w' has dtype F32, so field 'data' must be a Float32Array, got a Float64Array$/);
    expect(encode({ w: { dtype: 'I32', shape: [2], data: [1, 2] } })).toThrow(/tensor 'w' has dtype I32, so field 'data' must be an Int32Array, got an array of length 2/);
    expect(encode({ w: f32([2, 3], 5) })).toThrow(/^encodeSafetensors: tensor 'w' has shape \[2, 3\] \(6 elements\) but data has length 5$/);
    expect(encode({ w: f32([4, 0], 1) })).toThrow(/tensor 'w' has shape \[4, 0\] \(0 elements\) but data has length 1/);
  });

  it('rejects metadata that is not an object of strings', () => {
    expect(encode({}, ['a'])).toThrow(/^encodeSafetensors: argument 'metadata' must be an object of strings, got an array of length 1$/);
    expect(encode({}, { version: 1 })).toThrow(/^encodeSafetensors: metadata 'version' must be a string, got number 1$/);
  });
});

describe('decodeSafetensors validation', () => {
  const F32_2 = { dtype: 'F32', shape: [2] };

  it('rejects an argument that is not a Uint8Array or ArrayBuffer', () => {
    expect(() => decodeSafetensors([1, 2] as unknown as Uint8Array)).toThrow(/^decodeSafetensors: argument 'bytes' must be a Uint8Array or an ArrayBuffer, got an array of length 2$/);
    expect(() => decodeSafetensors(new Float32Array(4) as unknown as Uint8Array)).toThrow(/got a Float32Array/);
  });

  it('rejects a file shorter than the 8-byte prefix', () => {
    expect(() => decodeSafetensors(new Uint8Array(5))).toThrow(/^decodeSafetensors: the file is 5 bytes, shorter than the 8-byte header length prefix$/);
  });

  it('rejects a header length larger than the file, and a truncated file', () => {
    const file = rawFile('{}');
    new DataView(file.buffer).setBigUint64(0, 100n, true);
    expect(() => decodeSafetensors(file)).toThrow(/^decodeSafetensors: the header length prefix says 100 bytes but only 2 bytes follow it \(file of 10 bytes\)$/);
    new DataView(file.buffer).setBigUint64(0, 2n ** 64n - 1n, true);
    expect(() => decodeSafetensors(file)).toThrow(/header length prefix says 18446744073709551615 bytes but only 2 bytes follow it/);

    const full = encodeSafetensors({ w: { dtype: 'F32', shape: [4], data: new Float32Array(4) } });
    expect(() => decodeSafetensors(full.subarray(0, 20))).toThrow(/the header length prefix says \d+ bytes but only 12 bytes follow it/);
    expect(() => decodeSafetensors(full.subarray(0, full.length - 4))).toThrow(/tensor 'w' has data_offsets \[0, 16\] past the end of the 12-byte data buffer/);
  });

  it('rejects a header longer than the reference limit of 100 MB', () => {
    const file = new Uint8Array(8 + 100_000_001);
    new DataView(file.buffer).setBigUint64(0, 100_000_001n, true);
    expect(() => decodeSafetensors(file)).toThrow(/^decodeSafetensors: the header length 100000001 exceeds the limit of 100000000 bytes$/);
  });

  it('rejects a header that is not UTF-8, not JSON, or not an object', () => {
    const file = rawFile('{}');
    file.set([0xff, 0xfe], 8);
    expect(() => decodeSafetensors(file)).toThrow(/^decodeSafetensors: the header \(2 bytes\) is not valid UTF-8$/);
    expect(() => decodeSafetensors(rawFile('{"w": '))).toThrow(/^decodeSafetensors: the header \(6 bytes\) is not valid JSON: /);
    expect(() => decodeSafetensors(rawFile(''))).toThrow(/the header \(0 bytes\) is not valid JSON/);
    expect(() => decodeSafetensors(rawFile('[1, 2]'))).toThrow(/^decodeSafetensors: the header must be a JSON object, got an array of length 2$/);
    expect(() => decodeSafetensors(rawFile('null'))).toThrow(/the header must be a JSON object, got null/);
  });

  it('rejects an entry that is not an object, and an unknown or unsupported dtype', () => {
    expect(() => decodeSafetensors(rawFile({ w: 3 }))).toThrow(/^decodeSafetensors: header entry 'w' must be an object \{ dtype, shape, data_offsets \}, got number 3$/);
    expect(() => decodeSafetensors(rawFile({ w: { dtype: 'F33', shape: [], data_offsets: [0, 4] } }, [0, 0, 0, 0]))).toThrow(
      /^decodeSafetensors: tensor 'w' has unknown dtype 'F33' \(supported: F32, F64, F16, BF16, I32, I64, I16, I8, U8, BOOL\)$/,
    );
    expect(() => decodeSafetensors(rawFile({ w: { shape: [], data_offsets: [0, 4] } }))).toThrow(/tensor 'w' has unknown dtype undefined/);
    expect(() => decodeSafetensors(rawFile({ w: { dtype: 'U16', shape: [1], data_offsets: [0, 2] } }, [0, 0]))).toThrow(
      /^decodeSafetensors: tensor 'w' has dtype U16, which this reader does not support \(supported: F32, /,
    );
  });

  it('rejects a shape that is not an array of integers >= 0', () => {
    for (const [shape, shown] of [[[2, -1], '\\[2, -1\\]'], [[1.5], '\\[1\\.5\\]'], ['2', '"2"'], [undefined, 'undefined']] as const) {
      expect(() => decodeSafetensors(rawFile({ w: { dtype: 'F32', shape, data_offsets: [0, 8] } }, new Uint8Array(8)))).toThrow(
        new RegExp(`^decodeSafetensors: tensor 'w' has shape ${shown}; it must be an array of integers >= 0$`),
      );
    }
  });

  it('rejects data_offsets that are not [begin, end] with 0 <= begin <= end, or that run past the buffer', () => {
    for (const [offsets, shown] of [[[8, 0], '\\[8, 0\\]'], [[0], '\\[0\\]'], [[-1, 7], '\\[-1, 7\\]'], [[0, 7.5], '\\[0, 7\\.5\\]'], [[0, 8, 8], '\\[0, 8, 8\\]'], [null, 'null']] as const) {
      expect(() => decodeSafetensors(rawFile({ w: { ...F32_2, data_offsets: offsets } }, new Uint8Array(8)))).toThrow(
        new RegExp(`^decodeSafetensors: tensor 'w' has data_offsets ${shown}; they must be \\[begin, end\\] with integers 0 <= begin <= end$`),
      );
    }
    expect(() => decodeSafetensors(rawFile({ w: { ...F32_2, data_offsets: [0, 100] } }, new Uint8Array(16)))).toThrow(
      /^decodeSafetensors: tensor 'w' has data_offsets \[0, 100\] past the end of the 16-byte data buffer$/,
    );
  });

  it('rejects a byte range whose size does not match dtype and shape', () => {
    expect(() => decodeSafetensors(rawFile({ w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 12] } }, new Uint8Array(12)))).toThrow(
      /^decodeSafetensors: tensor 'w' has data_offsets \[0, 12\] but dtype F32 and shape \[2, 2\] need 16 bytes$/,
    );
    expect(() => decodeSafetensors(rawFile({ w: { dtype: 'F64', shape: [], data_offsets: [0, 4] } }, new Uint8Array(4)))).toThrow(
      /tensor 'w' has data_offsets \[0, 4\] but dtype F64 and shape \[\] need 8 bytes/,
    );
    // dimensions whose product overflows to Infinity, then 0: the 0 wins (an empty tensor)
    const huge = 2 ** 53 - 1;
    const empty = decodeSafetensors(rawFile({ e: { dtype: 'F32', shape: Array(30).fill(huge).concat([0]), data_offsets: [0, 0] } }));
    expect(empty.tensors.e?.data.length).toBe(0);
    expect(() => decodeSafetensors(rawFile({ w: { dtype: 'U8', shape: [huge, huge], data_offsets: [0, 1] } }, [1]))).toThrow(/need 8\.1129638414606\d*e\+31 bytes/);
  });

  it('rejects overlapping tensors, including two at the same offsets', () => {
    const header = { a: { ...F32_2, data_offsets: [0, 8] }, b: { ...F32_2, data_offsets: [4, 12] } };
    expect(() => decodeSafetensors(rawFile(header, new Uint8Array(12)))).toThrow(/^decodeSafetensors: tensor 'b' has data_offsets \[4, 12\], overlapping tensor 'a' at \[0, 8\]$/);
    const twice = { a: { ...F32_2, data_offsets: [0, 8] }, b: { ...F32_2, data_offsets: [0, 8] } };
    expect(() => decodeSafetensors(rawFile(twice, new Uint8Array(8)))).toThrow(/tensor '[ab]' has data_offsets \[0, 8\], overlapping tensor '[ab]' at \[0, 8\]/);
    const inside = { a: { ...F32_2, data_offsets: [0, 8] }, z: { dtype: 'F32', shape: [0], data_offsets: [4, 4] } };
    expect(() => decodeSafetensors(rawFile(inside, new Uint8Array(8)))).toThrow(/tensor 'z' has data_offsets \[4, 4\], overlapping tensor 'a' at \[0, 8\]/);
  });

  it('rejects gaps between tensors and before the first one', () => {
    const gap = { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } };
    expect(() => decodeSafetensors(rawFile(gap, new Uint8Array(12)))).toThrow(
      /^decodeSafetensors: tensor 'b' has data_offsets \[8, 12\], leaving bytes \[4, 8\) unused after tensor 'a'; tensors must cover the data buffer contiguously$/,
    );
    const late = { a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } };
    expect(() => decodeSafetensors(rawFile(late, new Uint8Array(8)))).toThrow(/tensor 'a' has data_offsets \[4, 8\], leaving bytes \[0, 4\) unused at the start of the data buffer/);
  });

  it('rejects trailing bytes not covered by any tensor', () => {
    const header = { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } };
    expect(() => decodeSafetensors(rawFile(header, new Uint8Array(8)))).toThrow(/^decodeSafetensors: the data buffer has 4 trailing bytes \[4, 8\) not covered by any tensor$/);
    expect(() => decodeSafetensors(rawFile({}, [1, 2, 3]))).toThrow(/the data buffer has 3 trailing bytes \[0, 3\) not covered by any tensor/);
    expect(decodeSafetensors(rawFile({})).tensors).toEqual({});
  });

  it('rejects metadata that is not an object of strings (null counts as none, as in the reference reader)', () => {
    expect(() => decodeSafetensors(rawFile({ __metadata__: ['x'] }))).toThrow(/^decodeSafetensors: header entry '__metadata__' must be an object of strings, got an array of length 1$/);
    expect(() => decodeSafetensors(rawFile({ __metadata__: { version: 2 } }))).toThrow(/^decodeSafetensors: metadata 'version' must be a string, got number 2$/);
    expect(decodeSafetensors(rawFile({ __metadata__: null })).metadata).toEqual({});
  });

  it('cuts very long names in messages', () => {
    const name = 'n'.repeat(1000);
    expect(() => decodeSafetensors(rawFile({ [name]: 1 }))).toThrow(new RegExp(`^decodeSafetensors: header entry '${'n'.repeat(200)}…' must be an object`));
  });
});
