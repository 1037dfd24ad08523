// read10xMtx: a 10x CellRanger matrix directory (v2 or v3, gzipped or not) → AnnData, with the
// defaults of scanpy's read_10x_mtx: X cells × genes, var_names = gene symbols made unique,
// var columns gene_ids (and feature_types for v3), obs_names = barcodes.
import { AnnData } from '../anndata.js';
import { Categorical } from '../frame/categorical.js';
import { DataFrame } from '../frame/data-frame.js';
import { cooToCsr } from '../text/coo-to-csr.js';
import { describeDuplicates, duplicateNames, makeUnique } from '../text/make-unique.js';
import { readMatrixMarket } from '../text/matrix-market.js';
import { byteChunks, allText, describe } from '../text/source.js';
import { parseTsv } from '../text/tsv.js';
import { tenxSources } from './files.js';

import type { Column } from '../frame/data-frame.js';
import type { NamedSource, TenxMtxFiles } from './files.js';

export type { TenxMtxFiles } from './files.js';

export interface Read10xMtxOptions {
  /** Which feature column names the genes: 'gene_symbols' (default, as scanpy) or 'gene_ids'. */
  varNames?: 'gene_symbols' | 'gene_ids';
  /** Suffix repeated gene names '-1', '-2', … as anndata's var_names_make_unique (default true); false makes repeats an error. */
  makeUnique?: boolean;
  /** Node directories only: a prefix of every file name, as in 'GSM123_matrix.mtx.gz' (default ''). */
  prefix?: string;
}

const WHAT = 'read10xMtx';
const OPTION_KEYS = new Set(['varNames', 'makeUnique', 'prefix']);

function checkOptions(options: unknown): Required<Read10xMtxOptions> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new TypeError(`${WHAT}: options must be an object, got ${describe(options)}`);
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!OPTION_KEYS.has(key)) throw new TypeError(`${WHAT}: unknown option '${key}'; the options are ${[...OPTION_KEYS].join(', ')}`);
  }
  const varNames = o.varNames ?? 'gene_symbols';
  if (varNames !== 'gene_symbols' && varNames !== 'gene_ids') throw new TypeError(`${WHAT}: options.varNames must be 'gene_symbols' or 'gene_ids', got ${describe(varNames)}`);
  const unique = o.makeUnique ?? true;
  if (typeof unique !== 'boolean') throw new TypeError(`${WHAT}: options.makeUnique must be a boolean, got ${describe(unique)}`);
  const prefix = o.prefix ?? '';
  if (typeof prefix !== 'string' || /[\\/]/.test(prefix)) throw new TypeError(`${WHAT}: options.prefix must be a file-name prefix without slashes, got ${describe(prefix)}`);
  return { varNames, makeUnique: unique, prefix };
}

/** Errors while reading `file` (gzip, Matrix Market, TSV) name the function and the file. */
async function inFile<T>(file: NamedSource, work: (label: string) => Promise<T>): Promise<T> {
  const label = `${WHAT}: ${file.name}`;
  try {
    return await work(label);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith(label)) throw e;
    throw new Error(`${label}: ${(e as Error).message}`, { cause: e });
  }
}

async function readTsv(file: NamedSource): Promise<string[][]> {
  return inFile(file, async (label) => parseTsv(await allText(file.source), label));
}

/** The features / genes table: ids, symbols and (v3) feature types, all rows the same width. */
function featureColumns(rows: string[][], file: string): { ids: string[]; symbols: string[]; types: string[] | undefined } {
  const width = rows[0]?.length ?? 2;
  rows.forEach((r, n) => {
    if (r.length !== width) throw new Error(`${file}: line ${n + 1} has ${r.length} tab-separated fields, line 1 has ${width}`);
  });
  const ids = rows.map((r) => r[0] as string);
  // A one-column genes file (some hand-made ones) names genes by id only.
  const symbols = width >= 2 ? rows.map((r) => r[1] as string) : ids;
  const types = width >= 3 ? rows.map((r) => r[2] as string) : undefined;
  return { ids, symbols, types };
}

/**
 * Reads a 10x CellRanger matrix: `dir` is a directory path (Node) holding matrix.mtx[.gz] with
 * features.tsv[.gz] (v3) or genes.tsv[.gz] (v2) and barcodes.tsv[.gz], or, in the browser, an
 * object `{ matrix, features | genes, barcodes }` of their contents (ArrayBuffer, Uint8Array or
 * Blob). gzip is detected from the bytes. Returns X as CSR cells × genes (the file is genes ×
 * cells), obs indexed by barcode, var indexed by gene symbol (or id, `varNames`).
 */
export async function read10xMtx(dir: string | TenxMtxFiles, options: Read10xMtxOptions = {}): Promise<AnnData> {
  const opts = checkOptions(options);
  const files = await tenxSources(dir, opts.prefix, WHAT);
  // The small tables decode while the matrix streams.
  const [coo, featureRows, barcodeRows] = await Promise.all([inFile(files.matrix, (label) => readMatrixMarket(byteChunks(files.matrix.source), label)), readTsv(files.features), readTsv(files.barcodes)]);
  const { ids, symbols, types } = featureColumns(featureRows, `${WHAT}: ${files.features.name}`);
  const barcodes = barcodeRows.map((r) => r[0] as string);
  if (coo.nRows !== ids.length) {
    throw new Error(`${WHAT}: ${files.matrix.name} has ${coo.nRows} rows (genes) but ${files.features.name} lists ${ids.length} features; the files do not belong together`);
  }
  if (coo.nCols !== barcodes.length) {
    throw new Error(`${WHAT}: ${files.matrix.name} has ${coo.nCols} columns (cells) but ${files.barcodes.name} lists ${barcodes.length} barcodes; the files do not belong together`);
  }
  // Cells are the file's columns: CSR rows = mtx columns.
  const X = cooToCsr(coo.cols, coo.rows, coo.values, coo.nCols, coo.nRows, coo.colsSorted);

  const rawNames = opts.varNames === 'gene_symbols' ? symbols : ids;
  const dups = duplicateNames(rawNames);
  if (dups.length > 0 && !opts.makeUnique) {
    throw new Error(
      `${WHAT}: ${files.features.name} has repeated ${opts.varNames === 'gene_symbols' ? 'gene symbols' : 'gene ids'} (${describeDuplicates(dups)}); ` +
        `pass makeUnique: true to suffix repeats '-1', '-2', … as scanpy does${opts.varNames === 'gene_symbols' ? ", or varNames: 'gene_ids'" : ''}`,
    );
  }
  const columns: Record<string, Column> = opts.varNames === 'gene_symbols' ? { gene_ids: ids } : { gene_symbols: symbols };
  if (types !== undefined) columns.feature_types = Categorical.fromValues(types);
  const varFrame = new DataFrame(dups.length > 0 ? makeUnique(rawNames) : rawNames, columns);
  return new AnnData({ X, obs: new DataFrame(barcodes), var: varFrame });
}
