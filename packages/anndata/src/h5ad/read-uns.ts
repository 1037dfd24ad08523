// uns: nested 'dict' groups of scalars, strings, arrays and matrices (AnnData's catch-all).
import { Categorical } from '../frame/categorical.js';
import { DenseArray } from '../matrix/dense.js';
import { readColumn } from './read-frame.js';
import { UnsupportedElement, readMatrix } from './read-matrix.js';
import { VITAE_KIND, attrString, checkVersion, encodingOf, isDataset, isGroup, readNumbers, readStrings, shapeOf, toFloat64, valueKind } from './read-values.js';

import type { Dataset, Entity, Group } from 'h5wasm';
import type { UnsValue } from '../anndata.js';
import type { AnyTypedArray, ReadContext } from './read-values.js';

/** A 1-D numeric array as one of the typed arrays UnsValue allows. */
function unsArray(a: AnyTypedArray): Float64Array | Float32Array | Int32Array | BigInt64Array | Uint8Array {
  if (a instanceof Float64Array || a instanceof Float32Array || a instanceof Int32Array || a instanceof BigInt64Array || a instanceof Uint8Array) return a;
  if (a instanceof Int8Array || a instanceof Int16Array || a instanceof Uint16Array) return Int32Array.from(a);
  if (a instanceof BigUint64Array) return a.every((v) => v < 2n ** 63n) ? BigInt64Array.from(a, (v) => v) : Float64Array.from(a, Number);
  return Float64Array.from(a);
}

function scalarNumber(a: AnyTypedArray): number {
  const v = a[0];
  return typeof v === 'bigint' ? Number(v) : (v as number);
}

async function readUnsDataset(ctx: ReadContext, ds: Dataset, path: string): Promise<UnsValue> {
  const enc = encodingOf(ds);
  const known = ['string', 'numeric-scalar', 'string-array', 'array'];
  if (enc.type !== undefined && !known.includes(enc.type)) {
    if (enc.type === 'rec-array') throw new UnsupportedElement(ctx.fail(path, "encoding-type 'rec-array' (a numpy record array) has no vitae counterpart").message);
    throw ctx.fail(path, `encoding-type '${enc.type}' is not one vitae knows (${known.join(', ')}, dict, csr_matrix, csc_matrix, categorical)`);
  }
  checkVersion(ctx, path, enc, ['0.2.0']);
  const shape = shapeOf(ctx, ds, path);
  const kind = valueKind(ds);
  if (kind === 'other') throw new UnsupportedElement(ctx.fail(path, `the HDF5 datatype (class ${ds.metadata.type}) has no vitae counterpart`).message);
  if (kind === 'string') {
    const values = await readStrings(ctx, ds, path);
    if (shape.length === 0) return values[0] as string;
    if (shape.length === 1) return values;
    throw new UnsupportedElement(ctx.fail(path, `a ${shape.length}-dimensional string array has no vitae counterpart`).message);
  }
  const values = await readNumbers(ctx, ds, path);
  const isBool = kind === 'bool' || attrString(ds, VITAE_KIND) === 'bool';
  if (shape.length === 0) return isBool ? scalarNumber(values) !== 0 : scalarNumber(values);
  // UnsValue has no boolean array; booleans come back as 0 / 1 bytes.
  if (shape.length === 1) return isBool ? Uint8Array.from(values as ArrayLike<number>) : unsArray(values);
  if (shape.length === 2) return new DenseArray(values instanceof Float32Array ? values : toFloat64(values), shape[0] as number, shape[1] as number);
  throw new UnsupportedElement(ctx.fail(path, `a ${shape.length}-dimensional array has no vitae counterpart`).message);
}

async function readUnsEntry(ctx: ReadContext, e: Entity | null, path: string, skipUnsupported: boolean): Promise<UnsValue | undefined> {
  try {
    if (isDataset(e)) return await readUnsDataset(ctx, e, path);
    if (!isGroup(e)) throw new UnsupportedElement(ctx.fail(path, 'is neither a group nor a dataset').message);
    const enc = encodingOf(e);
    if (enc.type === undefined || enc.type === 'dict') {
      // An h5sparse group from anndata < 0.7 has no encoding-type but is a matrix.
      if (enc.type === undefined && attrString(e, 'h5sparse_format') !== undefined) return await readMatrix(ctx, e, 'other', path);
      checkVersion(ctx, path, enc, ['0.1.0']);
      return await readUnsGroup(ctx, e, path, skipUnsupported);
    }
    if (enc.type === 'csr_matrix' || enc.type === 'csc_matrix') return await readMatrix(ctx, e, 'other', path);
    if (enc.type === 'categorical' || enc.type === 'nullable-string-array') {
      // A categorical / nullable string array: its values as strings (UnsValue has no missing value, so '' stands for one).
      const c = await readColumn(ctx, e.parent, e.path.slice(e.path.lastIndexOf('/') + 1), path);
      const values = c instanceof Categorical ? c.values() : (c as readonly (string | null)[]);
      return values.map((v) => v ?? '');
    }
    if (enc.type === 'dataframe' || enc.type === 'awkward-array' || enc.type === 'nullable-integer' || enc.type === 'nullable-boolean') {
      throw new UnsupportedElement(ctx.fail(path, `encoding-type '${enc.type}' in uns has no vitae counterpart`).message);
    }
    throw ctx.fail(path, `encoding-type '${enc.type}' is not one vitae knows`);
  } catch (err) {
    if (skipUnsupported && err instanceof UnsupportedElement) return undefined;
    throw err;
  }
}

/** The mapping group `g` as a record; entries vitae cannot hold are an error unless `skipUnsupported`. */
export async function readUnsGroup(ctx: ReadContext, g: Group, path: string, skipUnsupported: boolean): Promise<Record<string, UnsValue>> {
  const out: Record<string, UnsValue> = {};
  for (const key of g.keys()) {
    const v = await readUnsEntry(ctx, g.get(key), `${path}/${key}`, skipUnsupported);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
