// The HDF5 library: h5wasm (HDF5 2.0 compiled to WebAssembly), in one of two builds.
//
// - 'node' (h5wasm/node) reaches the real file system directly (Emscripten NODERAWFS), so a file
//   given by path is read and written in place without holding a copy of it in memory.
// - 'memory' (the browser build, which also runs in Node) works on an in-memory file system;
//   bytes (ArrayBuffer, Uint8Array, Blob) are written into it, and files written there are read
//   back as bytes.
//
// Both are imported lazily so that a bundler building for the browser never has to follow the
// Node-only build, and a program that only reads bytes never loads the Node build.
import type H5Wasm from 'h5wasm';
import type * as H5WasmModule from 'h5wasm';
import type { Dataset } from 'h5wasm';
import type * as FsPromises from 'node:fs/promises';

export type H5Api = typeof H5Wasm;
export type H5Module = Awaited<H5Api['ready']>;

export interface Runtime {
  readonly kind: 'node' | 'memory';
  readonly api: H5Api;
  readonly module: H5Module;
  /** Filter plugins written into the in-memory file system so far ('memory' only). */
  readonly installed: Set<string>;
}

/**
 * HDF5 filters that h5wasm lacks and h5wasm-plugins provides, by registered filter id (see the
 * HDF Group's list of registered filter plugins). gzip (1), shuffle (2), fletcher32 (3), nbit (5)
 * and scale-offset (6) are built into h5wasm.
 */
export const PLUGIN_FILTERS: ReadonlyMap<number, string> = new Map([
  [307, 'bz2'],
  [32000, 'lzf'],
  [32001, 'blosc'],
  [32004, 'lz4'],
  [32008, 'bshuf'],
  [32013, 'zfp'],
  [32015, 'zstd'],
  [32019, 'jpeg'],
  [32022, 'bitgroom'],
  [32023, 'bitround'],
  [32026, 'blosc2'],
]);

export const LZF_FILTER = 32000;

// Node-only modules are imported through variables: bundlers leave such imports alone instead of
// trying to resolve them for the browser, where these code paths never run.
const H5WASM_NODE = 'h5wasm/node';
const FS_PROMISES = 'node:fs/promises';

let nodeRuntime: Promise<Runtime> | undefined;
let memoryRuntime: Promise<Runtime> | undefined;

/** True in Node.js (and runtimes that mimic it, such as Bun or Deno's Node mode). */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** The h5wasm build `kind`, loaded once (a failed load is retried on the next call). */
export function loadRuntime(kind: 'node' | 'memory'): Promise<Runtime> {
  if (kind === 'node') {
    nodeRuntime ??= (async () => {
      const { default: api } = (await import(/* @vite-ignore */ H5WASM_NODE)) as typeof H5WasmModule;
      const module = await api.ready;
      // Puts h5wasm-plugins' folder first on HDF5's plugin path; HDF5 loads a plugin from there
      // the first time a dataset needs its filter, so nothing is read before it is needed.
      const plugins = await import('h5wasm-plugins');
      plugins.install_local_plugins(module);
      return { kind, api, module, installed: new Set<string>() };
    })().catch((e: unknown) => {
      nodeRuntime = undefined;
      throw e;
    });
    return nodeRuntime;
  }
  memoryRuntime ??= (async () => {
    const { default: api } = await import('h5wasm');
    const module = await api.ready;
    return { kind, api, module, installed: new Set<string>() };
  })().catch((e: unknown) => {
    memoryRuntime = undefined;
    throw e;
  });
  return memoryRuntime;
}

/** The bytes of h5wasm-plugins' libH5Z<name>.so: from disk in Node, over fetch in a browser. */
async function pluginBytes(name: string): Promise<Uint8Array> {
  const { base_url } = await import('h5wasm-plugins');
  const url = new URL(`${base_url}/plugins/libH5Z${name}.so`);
  if (url.protocol === 'file:') {
    const { readFile } = (await import(/* @vite-ignore */ FS_PROMISES)) as typeof FsPromises;
    return new Uint8Array(await readFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url.href} answered ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * Makes the filter `filterId` available to `runtime`. The Node build already searches
 * h5wasm-plugins' folder; the in-memory build gets the plugin file written into its own file
 * system, once. Returns the plugin name, or undefined for filters h5wasm has built in.
 */
export async function ensureFilter(runtime: Runtime, filterId: number): Promise<string | undefined> {
  const name = PLUGIN_FILTERS.get(filterId);
  if (name === undefined || runtime.kind === 'node' || runtime.installed.has(name)) return name;
  const dir = runtime.module.get_plugin_search_paths()[0];
  if (dir === undefined) throw new Error('h5wasm has no plugin search path');
  const bytes = await pluginBytes(name);
  runtime.module.FS.mkdirTree(dir);
  runtime.module.FS.writeFile(`${dir}/libH5Z${name}.so`, bytes);
  runtime.installed.add(name);
  return name;
}

/** Installs whatever plugins the filters of `ds` need; errors name the filter and the plugin file. */
export async function ensureDatasetFilters(runtime: Runtime, ds: Dataset): Promise<void> {
  for (const filter of ds.filters) {
    try {
      await ensureFilter(runtime, filter.id);
    } catch (e) {
      const name = PLUGIN_FILTERS.get(filter.id) ?? String(filter.id);
      throw new Error(`it is compressed with the HDF5 filter ${filter.id} (${name}), whose h5wasm-plugins file libH5Z${name}.so could not be loaded: ${(e as Error).message}`);
    }
  }
}

const handlerDepth = new WeakMap<Runtime, number>();

/**
 * HDF5's diagnostic trace reduced to its innermost "function(): message" entries, e.g.
 * "H5Z_pipeline(): filter returned failure".
 */
export function summarizeHdf5Error(text: string): string {
  const entries = [...text.matchAll(/#\d+: .* in (\w+)\(\): (.+)$/gm)].map((m) => `${m[1]}(): ${m[2]}`);
  if (entries.length === 0) return text.trim().split('\n')[0] ?? text;
  const last = entries.slice(-2);
  return last.join('; ');
}

/**
 * Runs `work` with h5wasm's throwing error handler: an HDF5 failure becomes an exception (with
 * HDF5's own message) instead of a diagnostic printed to stderr and a status code h5wasm often
 * ignores, which for a failed chunk write would silently lose data. `work` must be synchronous,
 * since the handler is global to the module.
 */
export function withHdf5Errors<T>(runtime: Runtime, work: () => T): T {
  const depth = handlerDepth.get(runtime) ?? 0;
  if (depth === 0) runtime.module.activate_throwing_error_handler();
  handlerDepth.set(runtime, depth + 1);
  try {
    return work();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (message.includes('HDF5-DIAG')) throw new Error(summarizeHdf5Error(message), { cause: e });
    throw e;
  } finally {
    handlerDepth.set(runtime, depth);
    if (depth === 0) runtime.module.deactivate_throwing_error_handler();
  }
}

let memoryFileCounter = 0;

/** A fresh path in the in-memory file system, so concurrent reads and writes never collide. */
export function memoryPath(what: string): string {
  memoryFileCounter += 1;
  return `/vitae-${what}-${memoryFileCounter}.h5`;
}
