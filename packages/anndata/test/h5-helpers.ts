// Test helpers for the HDF5 readers / writers: temporary folders, hand-made HDF5 files (layouts
// writeH5ad does not produce: anndata 0.7, 10x v2, broken encodings) and a Python with h5py.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadRuntime, memoryPath } from '../src/h5ad/runtime.js';

import type { File as H5File } from 'h5wasm';

/** A fresh temporary folder and a function removing it. */
export function tempFolder(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'vitae-h5-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The bytes of an HDF5 file that `build` fills through h5wasm's API. */
export async function buildH5(build: (f: H5File) => void): Promise<Uint8Array> {
  const rt = await loadRuntime('memory');
  const path = memoryPath('test');
  const f = new rt.api.File(path, 'w');
  try {
    build(f);
  } finally {
    f.close();
  }
  const bytes = rt.module.FS.readFile(path);
  rt.module.FS.unlink(path);
  return bytes;
}

export interface H5pyPython {
  /** The interpreter that imports h5py and numpy, or undefined. */
  python: string | undefined;
  /** Why h5py tests skip (when python is undefined). */
  reason: string;
}

/**
 * A Python that imports h5py and numpy: $VITAE_PYTHON, then /usr/bin/python3 (Debian's
 * python3-h5py), then python3 / python on PATH (a pyenv python3 may lack h5py).
 */
export function findH5pyPython(): H5pyPython {
  const candidates = [process.env.VITAE_PYTHON, '/usr/bin/python3', 'python3', 'python'].filter((c): c is string => typeof c === 'string' && c !== '');
  for (const c of candidates) {
    const r = spawnSync(c, ['-c', 'import h5py, numpy'], { encoding: 'utf8' });
    if (r.status === 0) return { python: c, reason: '' };
  }
  return { python: undefined, reason: `no Python with h5py and numpy found (tried ${candidates.join(', ')}); set VITAE_PYTHON or install python3-h5py` };
}

/** Runs `python script args…`, returning stdout; throws with stderr on failure. */
export function runPython(python: string, args: string[], input?: string): string {
  const r = spawnSync(python, args, { encoding: 'utf8', input, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${python} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
