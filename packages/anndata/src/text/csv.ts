// readCsv: a counts table (header row of names, first column of names) → AnnData with X as CSR.
// Rows are cells by default; `transpose: true` reads rows as genes, like scanpy's
// read_csv(...).T for the genes × cells tables many papers publish.
import { AnnData } from '../anndata.js';
import { DataFrame } from '../frame/data-frame.js';
import { parseTable } from './csv-parse.js';
import { describeDuplicates, duplicateNames } from './make-unique.js';
import { readFileBytes } from './node-files.js';
import { allBytes, describe, isByteSource } from './source.js';

import type { ByteSource } from './source.js';

/** A file path (Node), the file's contents (gzip allowed), or `{ text }` holding the table itself. */
export type CsvInput = string | ByteSource | { text: string };

export interface ReadCsvOptions {
  /** Rows of the file are genes and columns cells (default false: rows are cells). */
  transpose?: boolean;
  /** The field separator, one character; default 'auto': '\t' if the header has more tabs than commas, else ','. */
  delimiter?: string;
}

const WHAT = 'readCsv';
const OPTION_KEYS = new Set(['transpose', 'delimiter']);

function checkOptions(options: unknown): { transpose: boolean; delimiter: string | undefined } {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new TypeError(`${WHAT}: options must be an object, got ${describe(options)}`);
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!OPTION_KEYS.has(key)) throw new TypeError(`${WHAT}: unknown option '${key}'; the options are ${[...OPTION_KEYS].join(', ')}`);
  }
  const transpose = o.transpose ?? false;
  if (typeof transpose !== 'boolean') throw new TypeError(`${WHAT}: options.transpose must be a boolean, got ${describe(transpose)}`);
  const delimiter = o.delimiter ?? 'auto';
  // One ASCII character: the parser compares bytes, and quotes / line ends have their own meaning.
  if (typeof delimiter !== 'string' || (delimiter !== 'auto' && (delimiter.length !== 1 || delimiter.charCodeAt(0) > 127 || '"\r\n'.includes(delimiter) || /[0-9.+-]/.test(delimiter)))) {
    throw new TypeError(`${WHAT}: options.delimiter must be 'auto' or one ASCII character other than a quote, a line end, a digit, '.', '+' or '-', got ${describe(delimiter)}`);
  }
  return { transpose, delimiter: delimiter === 'auto' ? undefined : delimiter };
}

async function inputBytes(input: unknown): Promise<{ bytes: Uint8Array; label: string }> {
  if (typeof input === 'string') {
    if (input === '') throw new TypeError(`${WHAT}: input must be a file path, file contents or { text }, got an empty string`);
    const raw = await readFileBytes(input, WHAT);
    return { bytes: await allBytes(raw), label: `${WHAT}: ${input}` };
  }
  if (isByteSource(input)) return { bytes: await allBytes(input), label: WHAT };
  if (typeof input === 'object' && input !== null && typeof (input as { text?: unknown }).text === 'string') {
    return { bytes: new TextEncoder().encode((input as { text: string }).text), label: WHAT };
  }
  throw new TypeError(`${WHAT}: input must be a file path (Node), an ArrayBuffer, a Uint8Array, a Blob or { text: string }, got ${describe(input)}`);
}

function checkUnique(names: readonly string[], what: string, label: string): void {
  const dups = duplicateNames(names);
  if (dups.length > 0) throw new Error(`${label}: duplicate ${what} (${describeDuplicates(dups)}); names must be unique`);
}

/**
 * Reads a table of counts: a header row of column names (with or without a name for the first
 * column), then one row per line, a name and then numbers. Returns AnnData with X as CSR
 * (zeros not stored): rows cells and columns genes, or the reverse with `transpose: true`.
 */
export async function readCsv(input: CsvInput, options: ReadCsvOptions = {}): Promise<AnnData> {
  const opts = checkOptions(options);
  const { bytes, label } = await inputBytes(input);
  const table = parseTable(bytes, opts.delimiter, label);
  checkUnique(table.rowNames, 'row names (first column)', label);
  checkUnique(table.colNames, 'column names (header)', label);
  const rowFrame = new DataFrame(table.rowNames, {}, { indexName: table.corner === undefined || table.corner === '' ? null : table.corner });
  const colFrame = new DataFrame(table.colNames);
  if (opts.transpose) return new AnnData({ X: table.X.transpose(), obs: colFrame, var: rowFrame });
  return new AnnData({ X: table.X, obs: rowFrame, var: colFrame });
}
