// File access for Node callers that pass a path. node:fs is imported on demand through a
// variable specifier, so bundlers building the browser path neither resolve nor bundle it, and a
// browser caller that passes a path gets a clear error instead of a failed import.
import type * as FsPromises from 'node:fs/promises';

const FS_MODULE = 'node:fs/promises';

function inNode(): boolean {
  return typeof process !== 'undefined' && typeof process.versions === 'object' && typeof process.versions.node === 'string';
}

async function fs(what: string): Promise<typeof FsPromises> {
  if (!inNode()) {
    throw new TypeError(`${what}: a path can only be read in Node; in the browser pass the file contents (ArrayBuffer, Uint8Array or Blob)`);
  }
  return (await import(/* @vite-ignore */ FS_MODULE)) as typeof FsPromises;
}

/** `dir` joined with `name` ('/' works on Windows too). */
export function joinPath(dir: string, name: string): string {
  return `${dir.replace(/[\\/]+$/, '')}/${name}`;
}

/** The names in directory `dir`; `what` (the calling function) prefixes errors. */
export async function listDirectory(dir: string, what: string): Promise<string[]> {
  const f = await fs(what);
  try {
    return await f.readdir(dir);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw new Error(`${what}: directory ${JSON.stringify(dir)} does not exist`, { cause: e });
    if (code === 'ENOTDIR') throw new Error(`${what}: ${JSON.stringify(dir)} is a file, expected a directory`, { cause: e });
    throw e;
  }
}

/** The bytes of file `path`. */
export async function readFileBytes(path: string, what: string): Promise<Uint8Array> {
  const f = await fs(what);
  try {
    return await f.readFile(path);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw new Error(`${what}: file ${JSON.stringify(path)} does not exist`, { cause: e });
    throw e;
  }
}
