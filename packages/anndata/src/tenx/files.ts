// Finding the three files of a 10x CellRanger matrix directory: v3 writes matrix.mtx.gz,
// features.tsv.gz, barcodes.tsv.gz; v2 writes matrix.mtx, genes.tsv, barcodes.tsv. Either may
// have been (un)gzipped by hand, so both spellings of every name are looked for, and the
// contents decide about gzip later (magic bytes), not the names.
import { checkByteSource, describe } from '../text/source.js';
import { joinPath, listDirectory, readFileBytes } from '../text/node-files.js';

import type { ByteSource } from '../text/source.js';

/** The files of a 10x matrix as contents (the browser form of read10xMtx's input). */
export type TenxMtxFiles = { matrix: ByteSource; barcodes: ByteSource } & ({ features: ByteSource; genes?: undefined } | { genes: ByteSource; features?: undefined });

export interface NamedSource {
  /** For error messages: the path, or the key of the files object. */
  name: string;
  source: ByteSource;
}

export interface TenxSources {
  matrix: NamedSource;
  features: NamedSource;
  barcodes: NamedSource;
}

const LOOK_FOR = {
  matrix: ['matrix.mtx.gz', 'matrix.mtx'],
  features: ['features.tsv.gz', 'features.tsv', 'genes.tsv.gz', 'genes.tsv'],
  barcodes: ['barcodes.tsv.gz', 'barcodes.tsv'],
} as const;

/** Reads the files of the 10x directory `dir` (names optionally starting with `prefix`). */
export async function tenxSourcesFromDirectory(dir: string, prefix: string, what: string): Promise<TenxSources> {
  const present = new Set(await listDirectory(dir, what));
  const pick = (role: keyof typeof LOOK_FOR): string | undefined => LOOK_FOR[role].map((n) => prefix + n).find((n) => present.has(n));
  const names = { matrix: pick('matrix'), features: pick('features'), barcodes: pick('barcodes') };
  const missing = (Object.keys(names) as Array<keyof typeof names>).filter((role) => names[role] === undefined);
  if (missing.length > 0) {
    const wanted = missing.map((role) => `${role} (${LOOK_FOR[role].map((n) => prefix + n).join(' or ')})`).join(', ');
    throw new Error(`${what}: directory ${JSON.stringify(dir)} lacks the 10x file(s) ${wanted}; it holds ${present.size === 0 ? 'nothing' : [...present].sort().slice(0, 20).join(', ')}`);
  }
  const read = async (name: string): Promise<NamedSource> => {
    const path = joinPath(dir, name);
    return { name: path, source: await readFileBytes(path, what) };
  };
  const [matrix, features, barcodes] = await Promise.all([read(names.matrix as string), read(names.features as string), read(names.barcodes as string)]);
  return { matrix, features, barcodes };
}

/** Checks the browser form `{ matrix, features | genes, barcodes }`. */
export function tenxSourcesFromObject(files: TenxMtxFiles, what: string): TenxSources {
  const f = files as Partial<Record<'matrix' | 'features' | 'genes' | 'barcodes', unknown>>;
  const missing = ['matrix', 'barcodes'].filter((k) => f[k as 'matrix'] === undefined);
  if (f.features === undefined && f.genes === undefined) missing.push('features (or genes)');
  if (missing.length > 0) throw new TypeError(`${what}: files must have the keys matrix, features (or genes) and barcodes; missing ${missing.join(', ')}`);
  if (f.features !== undefined && f.genes !== undefined) throw new TypeError(`${what}: files has both features and genes; give one (features for CellRanger >= 3, genes for v2)`);
  const featureKey = f.features !== undefined ? 'features' : 'genes';
  for (const key of ['matrix', featureKey, 'barcodes'] as const) checkByteSource(f[key], `${what}: files.${key}`);
  const named = (key: 'matrix' | 'features' | 'genes' | 'barcodes'): NamedSource => ({ name: key === 'matrix' ? 'matrix.mtx' : `${key}.tsv`, source: f[key] as ByteSource });
  return { matrix: named('matrix'), features: named(featureKey), barcodes: named('barcodes') };
}

/** Directory path (Node) or file contents → the three named sources. */
export async function tenxSources(input: unknown, prefix: string, what: string): Promise<TenxSources> {
  if (typeof input === 'string') {
    if (input === '') throw new TypeError(`${what}: dir must be a directory path or an object { matrix, features | genes, barcodes }, got an empty string`);
    return tenxSourcesFromDirectory(input, prefix, what);
  }
  if (typeof input === 'object' && input !== null && !Array.isArray(input) && !ArrayBuffer.isView(input)) return tenxSourcesFromObject(input as TenxMtxFiles, what);
  throw new TypeError(`${what}: dir must be a directory path or an object { matrix, features | genes, barcodes } of ArrayBuffer / Uint8Array / Blob, got ${describe(input)}`);
}
