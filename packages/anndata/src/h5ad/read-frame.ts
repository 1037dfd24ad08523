// obs / var data frames: the anndata >= 0.8 'dataframe' 0.2.0 group (columns encoded one by one,
// categoricals as groups) and the 0.7 'dataframe' 0.1.0 group (plain datasets, a categorical is a
// dataset of codes whose 'categories' attribute points at its categories, usually kept in a
// '__categories' subgroup).
import { Categorical } from '../frame/categorical.js';
import { DataFrame } from '../frame/data-frame.js';
import { VITAE_KIND, attr, attrString, attrStrings, checkVersion, encodingOf, isDataset, isGroup, readNumbers, readStrings, shapeOf, toBooleans, toInt32, valueKind } from './read-values.js';

import type { Dataset, Entity, Group } from 'h5wasm';
import type { Column, NumericColumn } from '../frame/data-frame.js';
import type { AnyTypedArray, ReadContext } from './read-values.js';

const LEGACY_CATEGORIES = '__categories';

/** A numeric column type DataFrame accepts; unsigned 64-bit becomes signed 64-bit when it fits, else float64. */
function numericColumn(a: AnyTypedArray): NumericColumn {
  if (!(a instanceof BigUint64Array)) return a;
  return a.every((v) => v < 2n ** 63n) ? BigInt64Array.from(a, (v) => v) : Float64Array.from(a, Number);
}

function truthy(v: unknown): boolean {
  if (ArrayBuffer.isView(v) || Array.isArray(v)) return truthy((v as ArrayLike<unknown>)[0]);
  return v === true || (typeof v === 'number' && v !== 0) || (typeof v === 'bigint' && v !== 0n);
}

async function categoriesOf(ctx: ReadContext, ds: Dataset, path: string): Promise<string[]> {
  const kind = valueKind(ds);
  // Categories are strings almost always; numeric ones (e.g. integer cluster ids) become their decimal text.
  if (kind === 'string') return readStrings(ctx, ds, path);
  if (kind === 'int' || kind === 'float' || kind === 'bool') return Array.from(await readNumbers(ctx, ds, path) as ArrayLike<number | bigint>, (v) => String(v));
  throw ctx.fail(path, 'categories must be strings or numbers');
}

async function readCategorical(ctx: ReadContext, g: Group, path: string): Promise<Categorical> {
  const codes = g.get('codes');
  const categories = g.get('categories');
  if (!isDataset(codes) || !isDataset(categories)) throw ctx.fail(path, "a categorical group must hold the datasets 'codes' and 'categories'");
  const cats = await categoriesOf(ctx, categories, `${path}/categories`);
  const codeValues = toInt32(ctx, await readNumbers(ctx, codes, `${path}/codes`), `${path}/codes`);
  try {
    return new Categorical(codeValues, cats, truthy(attr(g, 'ordered')));
  } catch (e) {
    throw ctx.fail(path, (e as Error).message);
  }
}

/** The dataset a 0.7-layout categorical column's 'categories' attribute points at. */
function legacyCategories(ctx: ReadContext, frame: Group, ds: Dataset, name: string, path: string): Dataset {
  const ref = attr(ds, 'categories');
  let target: Entity | null = null;
  if (typeof ref === 'string') {
    // A path relative to the frame; the codes dataset itself cannot be meant, so try __categories first.
    const inSubgroup = frame.get(`${LEGACY_CATEGORIES}/${ref}`);
    target = isDataset(inSubgroup) ? inSubgroup : frame.get(ref);
    if (isDataset(target) && target.path === ds.path) target = null;
  }
  else if (Array.isArray(ref) && ref[0] !== undefined && typeof ref[0] === 'object' && 'ref_data' in ref[0]) {
    try {
      target = ctx.opened.file.dereference(ref[0]) as unknown as Entity | null;
    } catch (e) {
      throw ctx.fail(path, `its 'categories' reference could not be resolved (${(e as Error).message})`);
    }
  }
  target ??= frame.get(`${LEGACY_CATEGORIES}/${name}`);
  if (!isDataset(target)) throw ctx.fail(path, "has a 'categories' attribute that does not lead to a dataset of categories");
  return target;
}

async function readNullable(ctx: ReadContext, g: Group, type: string, path: string): Promise<Column> {
  const values = g.get('values');
  const mask = g.get('mask');
  if (!isDataset(values) || !isDataset(mask)) throw ctx.fail(path, `a ${type} group must hold the datasets 'values' and 'mask'`);
  const missing = toBooleans(await readNumbers(ctx, mask, `${path}/mask`));
  const anyMissing = missing.includes(true);
  if (type === 'nullable-string-array') {
    const s = await readStrings(ctx, values, `${path}/values`);
    return s.map((v, i) => (missing[i] ? null : v));
  }
  const v = await readNumbers(ctx, values, `${path}/values`);
  if (v.length !== missing.length) throw ctx.fail(path, `values has ${v.length} entries, mask has ${missing.length}`);
  if (type === 'nullable-boolean' && !anyMissing) return toBooleans(v);
  if (!anyMissing) return numericColumn(v);
  // No integer or boolean type has a missing value; float64 with NaN does (pandas' to_numpy(float) too).
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = missing[i] ? NaN : Number(v[i] as number | bigint);
  return out;
}

async function readDatasetColumn(ctx: ReadContext, frame: Group, ds: Dataset, name: string, path: string): Promise<Column> {
  const shape = shapeOf(ctx, ds, path);
  if (shape.length !== 1) throw ctx.fail(path, `a data frame column must be 1-dimensional, this one has shape [${shape.join(', ')}]`);
  const enc = encodingOf(ds);
  if (enc.type !== undefined && enc.type !== 'array' && enc.type !== 'string-array') throw ctx.fail(path, `encoding-type '${enc.type}' is not supported for a data frame column`);
  checkVersion(ctx, path, enc, ['0.2.0']);
  if (attr(ds, 'categories') !== undefined) {
    const cats = legacyCategories(ctx, frame, ds, name, path);
    const categories = await categoriesOf(ctx, cats, cats.path);
    const codes = toInt32(ctx, await readNumbers(ctx, ds, path), path);
    try {
      return new Categorical(codes, categories, truthy(attr(cats, 'ordered')));
    } catch (e) {
      throw ctx.fail(path, (e as Error).message);
    }
  }
  const kind = valueKind(ds);
  if (kind === 'string') return readStrings(ctx, ds, path);
  if (kind === 'other') throw ctx.fail(path, `the HDF5 datatype (class ${ds.metadata.type}) is not supported for a data frame column`);
  const values = await readNumbers(ctx, ds, path);
  if (kind === 'bool' || attrString(ds, VITAE_KIND) === 'bool') return toBooleans(values);
  return numericColumn(values);
}

/** One column (dataset or encoded group) of the frame group `frame`. */
export async function readColumn(ctx: ReadContext, frame: Group, name: string, path: string): Promise<Column> {
  const e = frame.get(name);
  if (isDataset(e)) return readDatasetColumn(ctx, frame, e, name, path);
  if (!isGroup(e)) throw ctx.fail(path, 'the column is missing');
  const enc = encodingOf(e);
  switch (enc.type) {
    case 'categorical': {
      checkVersion(ctx, path, enc, ['0.2.0']);
      const c = await readCategorical(ctx, e, path);
      // vitae writes string columns with missing values as categoricals (h5wasm cannot write the
      // boolean mask of 'nullable-string-array'); the marker turns them back into strings.
      return attrString(e, VITAE_KIND) === 'string' ? c.values() : c;
    }
    case 'nullable-integer':
    case 'nullable-boolean':
    case 'nullable-string-array':
      checkVersion(ctx, path, enc, ['0.1.0']);
      return readNullable(ctx, e, enc.type, path);
    default:
      throw ctx.fail(path, enc.type === undefined ? 'a group without encoding-type is not a data frame column' : `encoding-type '${enc.type}' is not supported for a data frame column`);
  }
}

async function readIndex(ctx: ReadContext, frame: Group, key: string, path: string): Promise<string[]> {
  const column = await readColumn(ctx, frame, key, path);
  const values: (string | number | bigint | boolean | null)[] = column instanceof Categorical ? column.values() : Array.from(column as ArrayLike<string | number | bigint | boolean | null>);
  // pandas allows any index; AnnData's names are strings (anndata itself converts them with str()).
  return values.map((v, i) => {
    if (v === null) throw ctx.fail(path, `index entry ${i} is missing`);
    return typeof v === 'string' ? v : String(v);
  });
}

/** The data frame at `path` (obs or var). */
export async function readFrame(ctx: ReadContext, e: Entity | null, path: string): Promise<DataFrame> {
  if (isDataset(e)) {
    throw ctx.fail(path, 'is a dataset (the compound-dataset layout of anndata < 0.7), which is not supported; re-save the file with anndata >= 0.7');
  }
  if (!isGroup(e)) throw ctx.fail(path, 'is missing; every .h5ad has obs and var data frames');
  const enc = encodingOf(e);
  if (enc.type !== undefined && enc.type !== 'dataframe') throw ctx.fail(path, `expected encoding-type 'dataframe', found '${enc.type}'`);
  checkVersion(ctx, path, enc, ['0.1.0', '0.2.0']);
  const indexKey = attrString(e, '_index');
  if (indexKey === undefined) throw ctx.fail(path, "the data frame has no '_index' attribute naming its index");
  const index = await readIndex(ctx, e, indexKey, `${path}/${indexKey}`);
  const names = attrStrings(e, 'column-order') ?? e.keys().filter((k) => k !== indexKey && k !== LEGACY_CATEGORIES);
  const columns = new Map<string, Column>();
  for (const name of names) {
    const column = await readColumn(ctx, e, name, `${path}/${name}`);
    if (column.length !== index.length) throw ctx.fail(`${path}/${name}`, `the column has ${column.length} entries, the index has ${index.length}`);
    columns.set(name, column);
  }
  return new DataFrame(index, columns, { indexName: indexKey === '_index' ? null : indexKey });
}
