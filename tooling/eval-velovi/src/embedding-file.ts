// An embedding of the cells made outside eval:velovi (reference/scanpy_umap.py writes one with
// umap-learn, as scanpy's sc.tl.umap), read for scoring beside the built-in ones. The file names
// its cells, so an embedding of other cells or of the same cells in another order is refused
// instead of being scored against the wrong velocities.
import { readFile } from 'node:fs/promises';

import type { Matrix2D } from './velocity-graph.js';

export interface EmbeddingFile {
  name: string;
  obsNames: string[];
  nRows: number;
  nCols: number;
  /** Row-major, nRows × nCols. */
  values: number[];
}

/** Checks a parsed embedding file against the cells it must describe; returns its name and coordinates. */
export function parseEmbedding(json: unknown, obsNames: readonly string[], where: string): { name: string; coords: Matrix2D } {
  const e = json as Partial<EmbeddingFile> | null;
  if (typeof e !== 'object' || e === null || typeof e.name !== 'string' || !Array.isArray(e.obsNames) || !Array.isArray(e.values) || !Number.isInteger(e.nRows) || !Number.isInteger(e.nCols)) {
    throw new TypeError(`eval:velovi: --extra-embedding ${where} must be a JSON object { name, obsNames, nRows, nCols, values }`);
  }
  const { name, nRows, nCols, values } = e as EmbeddingFile;
  if (nRows !== obsNames.length || e.obsNames.length !== nRows) {
    throw new RangeError(`eval:velovi: --extra-embedding ${where} must hold the ${obsNames.length} cells of the data, got nRows ${nRows} and ${e.obsNames.length} obsNames`);
  }
  const mismatch = obsNames.findIndex((c, i) => e.obsNames?.[i] !== c);
  if (mismatch >= 0) throw new RangeError(`eval:velovi: --extra-embedding ${where} must list the data's cells in its order; cell ${mismatch} is '${e.obsNames[mismatch]}', the data's is '${obsNames[mismatch]}'`);
  if (nCols < 1 || values.length !== nRows * nCols || !values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw new RangeError(`eval:velovi: --extra-embedding ${where} must have nRows × nCols = ${nRows * nCols} finite values (nCols >= 1), got ${values.length} values with nCols ${nCols}`);
  }
  return { name, coords: { values: Float64Array.from(values), nRows, nCols } };
}

export async function readEmbeddingFile(path: string, obsNames: readonly string[]): Promise<{ name: string; coords: Matrix2D }> {
  return parseEmbedding(JSON.parse(await readFile(path, 'utf8')), obsNames, path);
}
