// writeH5ad: an AnnData into an .h5ad file (anndata >= 0.8 layout) on disk, atomically, or into
// bytes (the browser, or Node without a path).
import { AnnData } from '../anndata.js';
import { LZF_FILTER, ensureFilter, isNode, loadRuntime, memoryPath, withHdf5Errors } from './runtime.js';
import { writeAnnData } from './write-elements.js';
import { WriteInputError } from './write-values.js';

import type { File as H5File } from 'h5wasm';
import type * as FsPromises from 'node:fs/promises';
import type * as NodePath from 'node:path';
import type { Runtime } from './runtime.js';
import type { WriteSettings } from './write-values.js';

// Node-only modules, imported through variables so that bundlers leave them out of browser builds.
const FS_PROMISES = 'node:fs/promises';
const PATH = 'node:path';

export interface WriteH5adOptions {
  /**
   * Compression of numeric datasets: 'gzip' (readable everywhere), 'lzf' (faster, h5py and
   * h5wasm-plugins read it) or null (none, the default, as anndata's write_h5ad). Strings are
   * never compressed.
   */
  compression?: 'gzip' | 'lzf' | null;
  /** gzip level, an integer 0-9 (default 4, as h5py). Only with compression 'gzip'. */
  compressionLevel?: number;
}

const FN = 'writeH5ad';

function settingsFrom(options: WriteH5adOptions): WriteSettings {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${FN}: options must be an object, got ${options === null ? 'null' : typeof options}`);
  const compression = options.compression ?? null;
  if (compression !== null && compression !== 'gzip' && compression !== 'lzf') throw new RangeError(`${FN}: options.compression must be 'gzip', 'lzf' or null, got ${JSON.stringify(options.compression)}`);
  const level = options.compressionLevel ?? 4;
  if (!Number.isInteger(level) || level < 0 || level > 9) throw new RangeError(`${FN}: options.compressionLevel must be an integer from 0 to 9, got ${String(options.compressionLevel)}`);
  if (options.compressionLevel !== undefined && compression !== 'gzip') throw new RangeError(`${FN}: options.compressionLevel applies to compression 'gzip' only, got compression ${JSON.stringify(compression)}`);
  return { compression, level };
}

/** Writes into a new HDF5 file at `path` of `runtime`'s file system; closes it, also on failure. */
function writeFile(runtime: Runtime, path: string, adata: AnnData, settings: WriteSettings, target: string): void {
  let file: H5File;
  try {
    file = withHdf5Errors(runtime, () => new runtime.api.File(path, 'w'));
  } catch (e) {
    throw new Error(`${FN}: ${target}: HDF5 could not create the file (${(e as Error).message})`);
  }
  try {
    withHdf5Errors(runtime, () => writeAnnData(file, adata, settings));
  } catch (e) {
    try {
      file.close();
    } catch {
      // The write already failed; that error is the one to report.
    }
    if (e instanceof WriteInputError) throw e;
    throw new Error(`${FN}: ${target}: HDF5 failed while writing (${(e as Error).message})`, { cause: e });
  }
  try {
    // Closing flushes cached chunks through the filters, so failures can surface only here.
    withHdf5Errors(runtime, () => file.close());
  } catch (e) {
    throw new Error(`${FN}: ${target}: HDF5 failed while finishing the file (${(e as Error).message})`, { cause: e });
  }
}

async function toPath(adata: AnnData, path: string, settings: WriteSettings): Promise<void> {
  const fs = (await import(/* @vite-ignore */ FS_PROMISES)) as typeof FsPromises;
  const nodePath = (await import(/* @vite-ignore */ PATH)) as typeof NodePath;
  const abs = nodePath.resolve(path);
  const dir = nodePath.dirname(abs);
  const dirStat = await fs.stat(dir).catch(() => undefined);
  if (!dirStat?.isDirectory()) throw new Error(`${FN}: cannot write ${path}: the folder ${dir} does not exist`);
  if ((await fs.stat(abs).catch(() => undefined))?.isDirectory()) throw new Error(`${FN}: cannot write ${path}: it is a folder`);
  // Written beside the target and renamed over it, so readers never see a half-written file and
  // a failure leaves the old file (if any) in place.
  const tmp = nodePath.join(dir, `.${nodePath.basename(abs)}.${globalThis.crypto.randomUUID()}.tmp`);
  const runtime = await loadRuntime('node');
  try {
    writeFile(runtime, tmp, adata, settings, path);
    await fs.rename(tmp, abs);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

async function toBytes(adata: AnnData, settings: WriteSettings): Promise<Uint8Array> {
  const runtime = await loadRuntime('memory');
  if (settings.compression === 'lzf') await ensureFilter(runtime, LZF_FILTER);
  const path = memoryPath('write');
  try {
    writeFile(runtime, path, adata, settings, '<bytes>');
    return runtime.module.FS.readFile(path);
  } finally {
    if (runtime.module.FS.analyzePath(path).exists) runtime.module.FS.unlink(path);
  }
}

/**
 * Writes `adata` as an .h5ad file (anndata >= 0.8 layout, readable by anndata / scanpy).
 * With a `path` (Node only) the file is written atomically: into a temporary file beside it,
 * then renamed, and nothing is left behind on failure. Without a path the file's bytes are
 * returned (e.g. for a download in a browser).
 */
export function writeH5ad(adata: AnnData, path: string, options?: WriteH5adOptions): Promise<void>;
export function writeH5ad(adata: AnnData, path?: undefined, options?: WriteH5adOptions): Promise<Uint8Array>;
export async function writeH5ad(adata: AnnData, path?: string, options: WriteH5adOptions = {}): Promise<void | Uint8Array> {
  if (!(adata instanceof AnnData)) throw new TypeError(`${FN}: adata must be an AnnData, got ${adata === null ? 'null' : typeof adata === 'object' ? (adata as object).constructor?.name : typeof adata}`);
  try {
    adata.check();
  } catch (e) {
    throw new RangeError(`${FN}: adata is inconsistent: ${(e as Error).message}`);
  }
  const settings = settingsFrom(options);
  if (path === undefined) return toBytes(adata, settings);
  if (typeof path !== 'string' || path === '') throw new TypeError(`${FN}: path must be a non-empty string or undefined, got ${JSON.stringify(path)}`);
  if (!isNode()) throw new TypeError(`${FN}: a path needs Node.js; in a browser call writeH5ad(adata) for the file's bytes, got path '${path}'`);
  return toPath(adata, path, settings);
}
