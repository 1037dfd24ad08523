// Opening an HDF5 file for reading from what a user has: a path in Node, or the file's bytes
// (ArrayBuffer, Uint8Array, Blob / File from an <input type="file">) anywhere.
import { checkHdf5Header } from './hdf5-header.js';
import { isNode, loadRuntime, memoryPath, withHdf5Errors } from './runtime.js';

import type { File as H5File } from 'h5wasm';
import type * as FsPromises from 'node:fs/promises';
import type * as NodePath from 'node:path';
import type { ByteReader } from './hdf5-header.js';
import type { Runtime } from './runtime.js';

// Node-only modules, imported through variables so that bundlers leave them out of browser builds.
const FS_PROMISES = 'node:fs/promises';
const PATH = 'node:path';

/** A file path (Node only), or the bytes of an HDF5 file. */
export type H5Input = string | ArrayBuffer | Uint8Array | Blob;

export interface OpenedH5 {
  readonly file: H5File;
  readonly runtime: Runtime;
  /** How errors name the file: its path, its File name, or "<N bytes>". */
  readonly name: string;
  /** Closes the file (and removes its in-memory copy); safe to call twice. */
  close(): void;
}

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (typeof input !== 'object') return `${typeof input} ${JSON.stringify(input)}`;
  return (input as object).constructor?.name ?? 'object';
}

async function openPath(path: string, fn: string): Promise<OpenedH5> {
  if (!isNode()) throw new TypeError(`${fn}: a file path needs Node.js; in a browser pass the file's bytes (ArrayBuffer, Uint8Array, Blob or File), got '${path}'`);
  const fs = (await import(/* @vite-ignore */ FS_PROMISES)) as typeof FsPromises;
  const nodePath = (await import(/* @vite-ignore */ PATH)) as typeof NodePath;
  const abs = nodePath.resolve(path);
  let size: number;
  try {
    const stat = await fs.stat(abs);
    if (!stat.isFile()) throw new Error(`${fn}: ${path} is not a file`);
    size = stat.size;
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw new Error(`${fn}: ${path} does not exist`);
    throw e;
  }
  const handle = await fs.open(abs, 'r');
  try {
    const read: ByteReader = async (offset, length) => {
      const buf = new Uint8Array(length);
      const { bytesRead } = await handle.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    };
    const verdict = await checkHdf5Header(read, size);
    if (!verdict.ok) throw new Error(`${fn}: ${path} ${verdict.problem}`);
  } finally {
    await handle.close();
  }
  const runtime = await loadRuntime('node');
  const file = openWithHdf5(runtime, abs, path, fn);
  let open = true;
  return {
    file,
    runtime,
    name: path,
    close() {
      if (open) file.close();
      open = false;
    },
  };
}

async function openBytes(input: ArrayBuffer | Uint8Array | Blob, fn: string): Promise<OpenedH5> {
  let bytes: Uint8Array;
  let name: string;
  if (typeof Blob !== 'undefined' && input instanceof Blob) {
    bytes = new Uint8Array(await input.arrayBuffer());
    const fileName = (input as { name?: unknown }).name;
    name = typeof fileName === 'string' && fileName !== '' ? fileName : `<Blob of ${bytes.length} bytes>`;
  } else if (input instanceof ArrayBuffer) {
    bytes = new Uint8Array(input);
    name = `<ArrayBuffer of ${bytes.length} bytes>`;
  } else {
    bytes = input as Uint8Array;
    name = `<Uint8Array of ${bytes.length} bytes>`;
  }
  const verdict = await checkHdf5Header(async (offset, length) => bytes.subarray(offset, offset + length), bytes.length);
  if (!verdict.ok) throw new Error(`${fn}: ${name} ${verdict.problem}`);
  const runtime = await loadRuntime('memory');
  const path = memoryPath('read');
  runtime.module.FS.writeFile(path, bytes);
  let file: H5File;
  try {
    file = openWithHdf5(runtime, path, name, fn);
  } catch (e) {
    runtime.module.FS.unlink(path);
    throw e;
  }
  let open = true;
  return {
    file,
    runtime,
    name,
    close() {
      if (!open) return;
      open = false;
      try {
        file.close();
      } finally {
        runtime.module.FS.unlink(path);
      }
    },
  };
}

function openWithHdf5(runtime: Runtime, path: string, name: string, fn: string): H5File {
  try {
    return withHdf5Errors(runtime, () => new runtime.api.File(path, 'r'));
  } catch (e) {
    throw new Error(`${fn}: ${name}: HDF5 could not open the file, it may be damaged (${(e as Error).message})`);
  }
}

/**
 * Opens `input` (argument `arg` of `fn`) read-only. The caller must call `close()`, also when it
 * fails, e.g. in a finally block.
 */
export async function openForRead(input: H5Input, fn: string, arg: string): Promise<OpenedH5> {
  if (typeof input === 'string') {
    if (input === '') throw new TypeError(`${fn}: ${arg} must be a non-empty file path or the file's bytes, got ''`);
    return openPath(input, fn);
  }
  const isBytes = input instanceof ArrayBuffer || input instanceof Uint8Array || (typeof Blob !== 'undefined' && input instanceof Blob);
  if (!isBytes) throw new TypeError(`${fn}: ${arg} must be a file path (Node) or an ArrayBuffer, Uint8Array, Blob or File, got ${describe(input)}`);
  return openBytes(input, fn);
}
