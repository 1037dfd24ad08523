// read10xH5: a 10x CellRanger HDF5 matrix (filtered_feature_bc_matrix.h5 / raw_…) → AnnData,
// with the defaults of read10xMtx (and of scanpy's read_10x_mtx): X cells × genes as CSR,
// obs indexed by barcode, var indexed by gene symbol made unique.
//
// Layouts: CellRanger >= 3 keeps one group 'matrix' with barcodes, data, indices, indptr, shape
// and a 'features' group (id, name, feature_type, genome, …); CellRanger 2 keeps one group per
// genome (e.g. 'hg19') with barcodes, data, indices, indptr, shape, genes (ids), gene_names.
// Either way the matrix is CSC genes × cells, which is exactly CSR cells × genes.
import { AnnData } from '../anndata.js';
import { Categorical } from '../frame/categorical.js';
import { DataFrame } from '../frame/data-frame.js';
import { openForRead } from '../h5ad/input.js';
import { ReadContext, isDataset, isGroup, readNumbers, readStrings, toFloat32, toInt32 } from '../h5ad/read-values.js';
import { CsrMatrix } from '../matrix/csr.js';
import { describeDuplicates, duplicateNames, makeUnique } from '../text/make-unique.js';

import type { Group } from 'h5wasm';
import type { Column } from '../frame/data-frame.js';
import type { H5Input } from '../h5ad/input.js';

export interface Read10xH5Options {
  /** Which feature field names the genes: 'gene_symbols' (default, as scanpy) or 'gene_ids'. */
  varNames?: 'gene_symbols' | 'gene_ids';
  /** Suffix repeated gene names '-1', '-2', … as anndata's var_names_make_unique (default true); false makes repeats an error. */
  makeUnique?: boolean;
  /** CellRanger 2 files with several genomes: which one to read (required then). CellRanger >= 3: keep only the features of this genome. */
  genome?: string;
}

const FN = 'read10xH5';
const OPTION_KEYS = new Set(['varNames', 'makeUnique', 'genome']);

function checkOptions(options: unknown): { varNames: 'gene_symbols' | 'gene_ids'; makeUnique: boolean; genome: string | undefined } {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new TypeError(`${FN}: options must be an object, got ${options === null ? 'null' : typeof options}`);
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!OPTION_KEYS.has(key)) throw new TypeError(`${FN}: unknown option '${key}'; the options are ${[...OPTION_KEYS].join(', ')}`);
  }
  const varNames = o.varNames ?? 'gene_symbols';
  if (varNames !== 'gene_symbols' && varNames !== 'gene_ids') throw new TypeError(`${FN}: options.varNames must be 'gene_symbols' or 'gene_ids', got ${JSON.stringify(varNames)}`);
  const unique = o.makeUnique ?? true;
  if (typeof unique !== 'boolean') throw new TypeError(`${FN}: options.makeUnique must be a boolean, got ${JSON.stringify(unique)}`);
  if (o.genome !== undefined && (typeof o.genome !== 'string' || o.genome === '')) throw new TypeError(`${FN}: options.genome must be a non-empty string, got ${JSON.stringify(o.genome)}`);
  return { varNames, makeUnique: unique, genome: o.genome as string | undefined };
}

interface Features {
  ids: string[];
  symbols: string[];
  /** Further per-feature string fields (v3: feature_type, genome, and e.g. pattern / read / sequence for antibody capture). */
  extra: Map<string, string[]>;
}

async function strings(ctx: ReadContext, g: Group, name: string): Promise<string[] | undefined> {
  const ds = g.get(name);
  return isDataset(ds) ? readStrings(ctx, ds, `${g.path}/${name}`) : undefined;
}

async function need(ctx: ReadContext, g: Group, name: string): Promise<string[]> {
  const v = await strings(ctx, g, name);
  if (v === undefined) throw ctx.fail(`${g.path}/${name}`, 'is missing; the 10x matrix group must have it');
  return v;
}

async function featuresV3(ctx: ReadContext, m: Group): Promise<Features> {
  const f = m.get('features');
  if (!isGroup(f)) throw ctx.fail(`${m.path}/features`, "is missing; CellRanger >= 3 files keep the genes in 'matrix/features'");
  const ids = await need(ctx, f, 'id');
  const symbols = await need(ctx, f, 'name');
  const extra = new Map<string, string[]>();
  for (const key of f.keys()) {
    if (key === 'id' || key === 'name' || key.startsWith('_')) continue;
    const ds = f.get(key);
    if (!isDataset(ds) || ds.shape?.length !== 1 || ds.shape[0] !== ids.length) continue;
    const v = await strings(ctx, f, key).catch(() => undefined);
    if (v !== undefined) extra.set(key, v);
  }
  return { ids, symbols, extra };
}

/** The group holding the matrix, and whether it has the v3 layout; `genome` picks a v2 genome group (v3 filters features later). */
function matrixGroup(ctx: ReadContext, root: Group, genome: string | undefined): { g: Group; v3: boolean } {
  const keys = root.keys();
  const m = root.get('matrix');
  if (isGroup(m)) return { g: m, v3: true };
  const genomes = keys.filter((k) => {
    const g = root.get(k);
    return isGroup(g) && g.keys().includes('barcodes') && g.keys().includes('indptr');
  });
  if (genomes.length === 0) throw new Error(`${FN}: ${ctx.opened.name} is not a 10x CellRanger matrix: it has neither a 'matrix' group (CellRanger >= 3) nor a genome group with barcodes and indptr (CellRanger 2); top-level entries: ${JSON.stringify(keys)}`);
  const pick = genome ?? (genomes.length === 1 ? genomes[0] : undefined);
  if (pick === undefined) throw new Error(`${FN}: ${ctx.opened.name} holds several genomes ${JSON.stringify(genomes)}; choose one with options.genome`);
  if (!genomes.includes(pick)) throw new Error(`${FN}: ${ctx.opened.name} has no genome '${pick}'; it has ${JSON.stringify(genomes)}`);
  return { g: root.get(pick) as Group, v3: false };
}

/**
 * Reads a 10x CellRanger .h5 matrix (v2 or v3): a path (Node) or the file's bytes (ArrayBuffer,
 * Uint8Array, Blob / File). X is CSR cells × genes with float32 counts; obs is indexed by
 * barcode; var by gene symbol (or id, `varNames`) with columns gene_ids (or gene_symbols) and,
 * for v3, feature_types, genome and any other per-feature field.
 */
export async function read10xH5(input: H5Input, options: Read10xH5Options = {}): Promise<AnnData> {
  const opts = checkOptions(options);
  const opened = await openForRead(input, FN, 'input');
  try {
    const ctx = new ReadContext(FN, opened);
    const { g, v3 } = matrixGroup(ctx, opened.file, opts.genome);
    const features: Features = v3 ? await featuresV3(ctx, g) : { ids: await need(ctx, g, 'genes'), symbols: await need(ctx, g, 'gene_names'), extra: new Map() };
    const barcodes = await need(ctx, g, 'barcodes');
    const part = async (name: string) => {
      const ds = g.get(name);
      if (!isDataset(ds)) throw ctx.fail(`${g.path}/${name}`, 'is missing; the 10x matrix group must have it');
      return readNumbers(ctx, ds, `${g.path}/${name}`);
    };
    const shape = Array.from(await part('shape') as ArrayLike<number | bigint>, Number);
    const nGenes = features.ids.length;
    if (shape.length !== 2 || shape[0] !== nGenes || shape[1] !== barcodes.length) {
      throw ctx.fail(`${g.path}/shape`, `is [${shape.join(', ')}], expected [genes, cells] = [${nGenes}, ${barcodes.length}] from the features and barcodes`);
    }
    const data = toFloat32(await part('data'));
    const indices = toInt32(ctx, await part('indices'), `${g.path}/indices`);
    const indptr = toInt32(ctx, await part('indptr'), `${g.path}/indptr`);
    let X: CsrMatrix;
    try {
      X = new CsrMatrix({ nRows: barcodes.length, nCols: nGenes, data, indices, indptr });
    } catch (e) {
      throw ctx.fail(g.path, (e as Error).message);
    }
    return buildAnnData(ctx, X, barcodes, features, opts);
  } finally {
    opened.close();
  }
}

function buildAnnData(ctx: ReadContext, X: CsrMatrix, barcodes: string[], features: Features, opts: ReturnType<typeof checkOptions>): AnnData {
  let { ids, symbols } = features;
  let extra = features.extra;
  const genomes = extra.get('genome');
  if (opts.genome !== undefined && genomes !== undefined) {
    const keep = Int32Array.from(genomes.flatMap((g, j) => (g === opts.genome ? [j] : [])));
    if (keep.length === 0) throw new Error(`${FN}: ${ctx.opened.name} has no features of genome '${opts.genome}'; its genomes are ${JSON.stringify([...new Set(genomes)])}`);
    X = X.selectColumns(keep);
    const pick = (a: string[]) => Array.from(keep, (j) => a[j] as string);
    ids = pick(ids);
    symbols = pick(symbols);
    extra = new Map([...extra].map(([k, v]) => [k, pick(v)]));
  }
  const rawNames = opts.varNames === 'gene_symbols' ? symbols : ids;
  const dups = duplicateNames(rawNames);
  if (dups.length > 0 && !opts.makeUnique) {
    throw new Error(`${FN}: ${ctx.opened.name} has repeated ${opts.varNames === 'gene_symbols' ? 'gene symbols' : 'gene ids'} (${describeDuplicates(dups)}); pass makeUnique: true to suffix repeats '-1', '-2', … as scanpy does`);
  }
  const columns: Record<string, Column> = opts.varNames === 'gene_symbols' ? { gene_ids: ids } : { gene_symbols: symbols };
  // scanpy's names for the v3 fields: feature_type → feature_types; few distinct values, so categorical.
  for (const [key, values] of extra) {
    const name = key === 'feature_type' ? 'feature_types' : key;
    columns[name] = key === 'feature_type' || key === 'genome' ? Categorical.fromValues(values) : values;
  }
  const varFrame = new DataFrame(dups.length > 0 ? makeUnique(rawNames) : rawNames, columns);
  return new AnnData({ X, obs: new DataFrame(barcodes), var: varFrame });
}
