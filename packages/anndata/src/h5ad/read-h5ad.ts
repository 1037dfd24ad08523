// readH5ad: an .h5ad file (anndata >= 0.8 layout, and the 0.7 layout before it) into an AnnData.
import { AnnData } from '../anndata.js';
import { openForRead } from './input.js';
import { readFrame } from './read-frame.js';
import { UnsupportedElement, readMatrix } from './read-matrix.js';
import { readUnsGroup } from './read-uns.js';
import { ReadContext, checkVersion, encodingOf, isGroup } from './read-values.js';

import type { Group } from 'h5wasm';
import type { Matrix } from '../matrix/matrix.js';
import type { H5Input } from './input.js';
import type { MatrixRole } from './read-matrix.js';

export interface ReadH5adOptions {
  /**
   * Leave out obsm / varm / obsp / varp / uns entries that are valid AnnData but have no vitae
   * counterpart (data frames in obsm, record arrays and data frames in uns, awkward arrays)
   * instead of failing on them. Default false.
   */
  skipUnsupported?: boolean;
}

const FN = 'readH5ad';

async function readMatrices(ctx: ReadContext, root: Group, keys: Set<string>, name: string, role: MatrixRole, skip: boolean): Promise<Record<string, Matrix>> {
  const out: Record<string, Matrix> = {};
  if (!keys.has(name)) return out;
  const g = root.get(name);
  if (!isGroup(g)) throw ctx.fail(`/${name}`, 'expected a group of matrices');
  for (const key of g.keys()) {
    try {
      out[key] = await readMatrix(ctx, g.get(key), role, `/${name}/${key}`);
    } catch (e) {
      if (!(skip && e instanceof UnsupportedElement)) throw e;
    }
  }
  return out;
}

/**
 * Reads an .h5ad file: a path (Node) or the file's bytes (ArrayBuffer, Uint8Array, Blob / File).
 *
 * Values: X and layers come back as float32 (integer counts included) except dense float64,
 * which stays float64; sparse matrices keep CSR / CSC. Absent X gives `X: undefined`. See
 * README-h5ad.md for the full mapping (nullable columns, booleans, uns).
 */
export async function readH5ad(input: H5Input, options: ReadH5adOptions = {}): Promise<AnnData> {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${FN}: options must be an object, got ${options === null ? 'null' : typeof options}`);
  if (options.skipUnsupported !== undefined && typeof options.skipUnsupported !== 'boolean') throw new TypeError(`${FN}: options.skipUnsupported must be a boolean, got ${typeof options.skipUnsupported}`);
  const skip = options.skipUnsupported ?? false;
  const opened = await openForRead(input, FN, 'input');
  try {
    const ctx = new ReadContext(FN, opened);
    const root = opened.file;
    const keys = new Set(root.keys());
    const enc = encodingOf(root);
    if (enc.type !== undefined && enc.type !== 'anndata') throw ctx.fail('/', `the root's encoding-type is '${enc.type}', not 'anndata'`);
    checkVersion(ctx, '/', enc, ['0.1.0']);
    for (const required of ['obs', 'var']) {
      if (keys.has(required)) continue;
      const hint = keys.has('matrix') ? '; this looks like a 10x CellRanger .h5 file, read it with read10xH5' : '';
      throw new Error(`${FN}: ${opened.name} has no '${required}' data frame, which every .h5ad has (top-level entries: ${JSON.stringify([...keys])})${hint}`);
    }
    const obs = await readFrame(ctx, root.get('obs'), '/obs');
    const vars = await readFrame(ctx, root.get('var'), '/var');
    const X = keys.has('X') ? await readMatrix(ctx, root.get('X'), 'expression', '/X') : undefined;
    const layers = await readMatrices(ctx, root, keys, 'layers', 'expression', skip);
    const obsm = await readMatrices(ctx, root, keys, 'obsm', 'other', skip);
    const varm = await readMatrices(ctx, root, keys, 'varm', 'other', skip);
    const obsp = await readMatrices(ctx, root, keys, 'obsp', 'other', skip);
    const varp = await readMatrices(ctx, root, keys, 'varp', 'other', skip);
    let uns = {};
    if (keys.has('uns')) {
      const g = root.get('uns');
      if (!isGroup(g)) throw ctx.fail('/uns', 'expected a group');
      uns = await readUnsGroup(ctx, g, '/uns', skip);
    }
    try {
      return new AnnData({ X, obs, var: vars, layers, obsm, varm, obsp, varp, uns });
    } catch (e) {
      throw new Error(`${FN}: ${opened.name}: ${(e as Error).message}`);
    }
  } catch (e) {
    if (e instanceof UnsupportedElement) throw new UnsupportedElement(`${e.message} (pass { skipUnsupported: true } to leave such entries out)`);
    throw e;
  } finally {
    opened.close();
  }
}
