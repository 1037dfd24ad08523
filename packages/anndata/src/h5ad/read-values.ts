// Typed access to the groups, datasets and attributes of an open HDF5 file: what kind of value a
// dataset holds, its values as the typed arrays / strings / booleans the rest of the reader
// wants, and errors that name the file and the element.
import { ensureDatasetFilters, withHdf5Errors } from './runtime.js';

import type { Dataset, Entity, Group, Metadata, OutputData } from 'h5wasm';
import type { OpenedH5 } from './input.js';

/** HDF5 datatype classes (H5T_class_t), as h5wasm reports them in `metadata.type`. */
export const H5T = { INTEGER: 0, FLOAT: 1, STRING: 3, COMPOUND: 6, REFERENCE: 7, ENUM: 8, VLEN: 9, ARRAY: 10 } as const;

export type AnyTypedArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

/** Attribute vitae adds where HDF5 via h5wasm cannot say it natively ('bool', 'string'); other readers ignore it. */
export const VITAE_KIND = 'vitae-kind';

export class ReadContext {
  constructor(
    readonly fn: string,
    readonly opened: OpenedH5,
  ) {}

  /** An error naming the function, the file and the element path. */
  fail(path: string, message: string): Error {
    return new Error(`${this.fn}: ${this.opened.name}: ${path}: ${message}`);
  }

  /** The values of `ds` (filters loaded first); read errors name the element. */
  async value(ds: Dataset, path: string): Promise<OutputData | null> {
    try {
      await ensureDatasetFilters(this.opened.runtime, ds);
    } catch (e) {
      throw this.fail(path, (e as Error).message);
    }
    try {
      return withHdf5Errors(this.opened.runtime, () => ds.value);
    } catch (e) {
      throw this.fail(path, `HDF5 could not read the values (${(e as Error).message})`);
    }
  }
}

export function isGroup(e: Entity | null | undefined): e is Group {
  return e !== null && e !== undefined && 'type' in e && (e.type as string) === 'Group';
}

export function isDataset(e: Entity | null | undefined): e is Dataset {
  return e !== null && e !== undefined && 'type' in e && (e.type as string) === 'Dataset';
}

/** The attribute `name` of `obj`, or undefined when absent. */
export function attr(obj: Group | Dataset, name: string): OutputData | null | undefined {
  const a = obj.attrs[name];
  return a === undefined ? undefined : a.value;
}

/** A string attribute (h5py also writes one-element string arrays), or undefined. */
export function attrString(obj: Group | Dataset, name: string): string | undefined {
  const v = attr(obj, name);
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0];
  return undefined;
}

/** A string-array attribute; an empty numeric array (older anndata writes empty lists so) counts as []. */
export function attrStrings(obj: Group | Dataset, name: string): string[] | undefined {
  const v = attr(obj, name);
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  if (ArrayBuffer.isView(v) && (v as AnyTypedArray).length === 0) return [];
  return undefined;
}

/** encoding-type / encoding-version, undefined where absent (files before anndata 0.7). */
export function encodingOf(obj: Group | Dataset): { type: string | undefined; version: string | undefined } {
  return { type: attrString(obj, 'encoding-type'), version: attrString(obj, 'encoding-version') };
}

/** Throws unless the element's encoding-version (when present) is one of `known`. */
export function checkVersion(ctx: ReadContext, path: string, enc: { type: string | undefined; version: string | undefined }, known: readonly string[]): void {
  if (enc.version !== undefined && !known.includes(enc.version)) throw ctx.fail(path, `${enc.type ?? 'element'} encoding-version '${enc.version}' is not supported (known: ${known.join(', ')})`);
}

/** True for h5py's boolean: an enum of FALSE = 0, TRUE = 1. */
export function isBoolEnum(meta: Metadata): boolean {
  const members = meta.enum_type?.members;
  return meta.type === H5T.ENUM && members !== undefined && Object.keys(members).length === 2 && members.FALSE === 0 && members.TRUE === 1;
}

export type ValueKind = 'float' | 'int' | 'bool' | 'string' | 'other';

export function valueKind(ds: Dataset): ValueKind {
  const meta = ds.metadata;
  if (meta.type === H5T.FLOAT) return 'float';
  if (meta.type === H5T.INTEGER) return 'int';
  if (meta.type === H5T.ENUM) return isBoolEnum(meta) ? 'bool' : 'int';
  if (meta.type === H5T.STRING) return 'string';
  return 'other';
}

/** The dataset's shape; an error for a null dataspace. */
export function shapeOf(ctx: ReadContext, ds: Dataset, path: string): number[] {
  const shape = ds.shape;
  if (shape === null) throw ctx.fail(path, 'the dataset has no dataspace (H5S_NULL)');
  return shape;
}

function describeType(ds: Dataset): string {
  const meta = ds.metadata;
  const names: Record<number, string> = { 0: 'integer', 1: 'float', 3: 'string', 6: 'compound', 7: 'reference', 8: 'enum', 9: 'variable-length', 10: 'array' };
  return `${names[meta.type] ?? `class ${meta.type}`} (${meta.size} bytes)`;
}

/** Numeric values (integers, floats, booleans as 0 / 1) as a typed array. */
export async function readNumbers(ctx: ReadContext, ds: Dataset, path: string): Promise<AnyTypedArray> {
  const kind = valueKind(ds);
  if (kind === 'string' || kind === 'other') throw ctx.fail(path, `expected numbers, the dataset holds ${describeType(ds)}`);
  const v = await ctx.value(ds, path);
  if (ArrayBuffer.isView(v)) return v as AnyTypedArray;
  // A scalar dataset comes back as a plain number or bigint.
  if (typeof v === 'bigint') return new BigInt64Array([v]);
  if (typeof v === 'number') return new Float64Array([v]);
  if (typeof v === 'boolean') return new Uint8Array([v ? 1 : 0]);
  throw ctx.fail(path, `expected numbers, HDF5 returned ${v === null ? 'nothing' : typeof v}`);
}

/** String values (variable- or fixed-length) as an array. */
export async function readStrings(ctx: ReadContext, ds: Dataset, path: string): Promise<string[]> {
  if (valueKind(ds) !== 'string') throw ctx.fail(path, `expected strings, the dataset holds ${describeType(ds)}`);
  const v = await ctx.value(ds, path);
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  throw ctx.fail(path, 'expected strings, HDF5 returned something else');
}

/** Values as float32: expression values (counts stored as integers included). */
export function toFloat32(a: AnyTypedArray): Float32Array {
  if (a instanceof Float32Array) return a;
  if (a instanceof BigInt64Array || a instanceof BigUint64Array) return Float32Array.from(a, Number);
  return Float32Array.from(a);
}

/** Values as float64 (exact for every integer below 2^53). */
export function toFloat64(a: AnyTypedArray): Float64Array {
  if (a instanceof Float64Array) return a;
  if (a instanceof BigInt64Array || a instanceof BigUint64Array) return Float64Array.from(a, Number);
  return Float64Array.from(a);
}

/** Integer indices as int32; an error when a value does not fit (matrices with > 2^31 - 1 stored values). */
export function toInt32(ctx: ReadContext, a: AnyTypedArray, path: string): Int32Array {
  if (a instanceof Int32Array) return a;
  if (a instanceof Float32Array || a instanceof Float64Array) throw ctx.fail(path, 'expected integers, the dataset holds floats');
  const out = new Int32Array(a.length);
  for (let k = 0; k < a.length; k++) {
    const v = Number(a[k] as number | bigint);
    if (v > 2147483647 || v < -2147483648) throw ctx.fail(path, `value ${String(a[k])} at position ${k} does not fit in int32 (matrices with more than 2^31 - 1 stored values are not supported)`);
    out[k] = v;
  }
  return out;
}

/** 0 / 1 values as booleans. */
export function toBooleans(a: AnyTypedArray): boolean[] {
  return Array.from(a as ArrayLike<number | bigint>, (v) => v !== 0 && v !== 0n);
}
