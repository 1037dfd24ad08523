import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { dataset } from '../../test/shared-data.js';
import { Categorical } from '../frame/categorical.js';
import { checkCompressed, CsrMatrix } from '../matrix/csr.js';
import { read10xMtx } from './mtx.js';

import type { AnnData } from '../anndata.js';

const pbmc = dataset('pbmc3k');
const chr21 = dataset('formats/10x-v3-chr21');

function csr(a: AnnData): CsrMatrix {
  if (!(a.X instanceof CsrMatrix)) throw new Error('X should be a CsrMatrix');
  return a.X;
}

/** Value at (cell name, gene name). */
function at(a: AnnData, cell: string, gene: string): number {
  const i = a.obsNames.indexOf(cell);
  const j = a.varNames.indexOf(gene);
  if (i < 0 || j < 0) throw new Error(`no cell ${cell} or gene ${gene}`);
  return csr(a).get(i, j);
}

function total(m: CsrMatrix): number {
  let s = 0;
  for (const v of m.data) s += v;
  return s;
}

/** Columns strictly ascending in every row (canonical CSR, as scipy's tocsr gives after sum_duplicates). */
function expectCanonical(m: CsrMatrix): void {
  checkCompressed(m, m.nRows, m.nCols, 'X');
  let unordered = 0;
  for (let i = 0; i < m.nRows; i++) {
    for (let p = (m.indptr[i] as number) + 1; p < (m.indptr[i + 1] as number); p++) if ((m.indices[p] as number) <= (m.indices[p - 1] as number)) unordered++;
  }
  expect(unordered).toBe(0);
}

describe.skipIf(pbmc.skip !== undefined)(`pbmc3k (CellRanger v2, gzipped matrix)${pbmc.skip ? ` — skipped: ${pbmc.skip}` : ''}`, () => {
  let a: AnnData;
  beforeAll(async () => {
    a = await read10xMtx(pbmc.path);
  });

  it('has the shape, non-zeros and total count scipy gives', () => {
    expect(a.shape).toEqual([2700, 32738]);
    const X = csr(a);
    expect(X.nnz).toBe(2_286_884);
    // 6,390,631 = scipy.io.mmread('pbmc3k/matrix.mtx.gz').T.tocsr().sum() (scipy 1.x, int64 sum).
    expect(total(X)).toBe(6_390_631);
    expectCanonical(X);
    expect(X.isCounts()).toBe(true);
  });

  it('indexes cells by barcode and genes by unique symbol, with gene_ids', () => {
    expect(a.obsNames[0]).toBe('AAACATACAACCAC-1');
    expect(a.obsNames[2699]).toBe('TTTGCATGCCTCAC-1');
    expect(a.varNames[0]).toBe('MIR1302-10');
    expect(a.var.columnNames).toEqual(['gene_ids']);
    expect(a.var.strings('gene_ids')[0]).toBe('ENSG00000243485');
    // Repeated symbols get '-1' like anndata's var_names_make_unique (91 symbols repeat in pbmc3k).
    expect(a.varNames[367]).toBe('U1');
    expect(a.varNames[377]).toBe('U1-1');
    expect(a.varNames[2026]).toBe('EFNA3-1');
    expect(new Set(a.varNames).size).toBe(32738);
  });

  it('holds the entries scipy reads', () => {
    // Values from scipy.io.mmread(...).T.tocsr()[cell, gene] with scanpy's gene symbols.
    expect(at(a, 'AAACATACAACCAC-1', 'CD3D')).toBe(4);
    expect(at(a, 'AAACATACAACCAC-1', 'MALAT1')).toBe(49);
    expect(at(a, 'AAACATTGAGCTAC-1', 'CD74')).toBe(51);
    expect(at(a, 'TTTGCATGCCTCAC-1', 'FTL')).toBe(11);
    expect(at(a, 'AAGATTACAGATCC-1', 'LYZ')).toBe(49);
    expect(csr(a).rowSums()[0]).toBe(2421);
    expect(csr(a).colSums()[a.varNames.indexOf('MALAT1')]).toBe(161685);
  });
});

describe.skipIf(chr21.skip !== undefined)(`10x v3 chr21 (gzipped features / barcodes / matrix)${chr21.skip ? ` — skipped: ${chr21.skip}` : ''}`, () => {
  it('reads shape, totals, var columns and entries', async () => {
    const a = await read10xMtx(chr21.path);
    expect(a.shape).toEqual([1107, 507]);
    const X = csr(a);
    expect(X.nnz).toBe(23866);
    // 41,549 = scipy.io.mmread('formats/10x-v3-chr21/matrix.mtx.gz').sum().
    expect(total(X)).toBe(41549);
    expectCanonical(X);
    expect(a.var.columnNames).toEqual(['gene_ids', 'feature_types']);
    const types = a.var.get('feature_types');
    expect(types).toBeInstanceOf(Categorical);
    expect((types as Categorical).categories).toEqual(['Gene Expression']);
    expect(a.varNames.slice(0, 2)).toEqual(['CH507-9B2.2', 'CH507-9B2.1']);
    expect(a.obsNames[0]).toBe('AAACCCAAGGAGAGTA-1');
    expect(at(a, 'AAACCCAAGGAGAGTA-1', 'ATP5J')).toBe(1);
    expect(at(a, 'TTTGGTTGTAGAATAC-1', 'DIP2A')).toBe(1);
  });

  it("names genes by id with varNames: 'gene_ids' (symbols become a column)", async () => {
    const a = await read10xMtx(chr21.path, { varNames: 'gene_ids' });
    expect(a.varNames[0]).toBe('ENSG00000279493');
    expect(a.var.columnNames).toEqual(['gene_symbols', 'feature_types']);
    expect(a.var.strings('gene_symbols')[0]).toBe('CH507-9B2.2');
  });

  it('reads the same from contents: Uint8Array, ArrayBuffer and Blob (the browser form)', async () => {
    const fromDir = await read10xMtx(chr21.path);
    const bytes = (name: string): Uint8Array<ArrayBuffer> => new Uint8Array(readFileSync(join(chr21.path, name)));
    const u8 = { matrix: bytes('matrix.mtx.gz'), features: bytes('features.tsv.gz'), barcodes: bytes('barcodes.tsv.gz') };
    const buffers = { matrix: u8.matrix.slice().buffer, features: u8.features.slice().buffer, barcodes: u8.barcodes.slice().buffer };
    const blobs = { matrix: new Blob([u8.matrix]), features: new Blob([u8.features]), barcodes: new Blob([u8.barcodes]) };
    for (const files of [u8, buffers, blobs]) {
      const a = await read10xMtx(files);
      expect(a.shape).toEqual(fromDir.shape);
      expect(a.varNames).toEqual(fromDir.varNames);
      expect(a.obsNames).toEqual(fromDir.obsNames);
      expect(Array.from(csr(a).indptr)).toEqual(Array.from(csr(fromDir).indptr));
      expect(Array.from(csr(a).data)).toEqual(Array.from(csr(fromDir).data));
    }
  });
});

describe('synthetic 10x directories', () => {
  let root: string;
  let n = 0;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'vitae-10x-'));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  /** A fresh directory holding `files`. */
  function dir(files: Record<string, string | Uint8Array>): string {
    const d = join(root, `d${n++}`);
    mkdirSync(d);
    for (const [name, contents] of Object.entries(files)) writeFileSync(join(d, name), contents);
    return d;
  }

  const header = '%%MatrixMarket matrix coordinate integer general\n%\n';
  const genes = 'G1\tA\nG2\tB\nG3\tC\n';
  const barcodes = 'c1\nc2\n';

  it('reads CellRanger v2 plain files into cells × genes, summing duplicates and sorting columns', async () => {
    // 3 genes × 2 cells, entries in no particular order, (2, 1) twice, CRLF line ends.
    const mtx = `${header}3 2 5\r\n2 1 3\r\n1 2 7\r\n3 1 1\r\n2 1 2\r\n3 2 4`;
    const a = await read10xMtx(dir({ 'matrix.mtx': mtx, 'genes.tsv': genes, 'barcodes.tsv': barcodes }));
    expect(a.shape).toEqual([2, 3]);
    expect(a.obsNames).toEqual(['c1', 'c2']);
    expect(a.varNames).toEqual(['A', 'B', 'C']);
    expect(a.var.strings('gene_ids')).toEqual(['G1', 'G2', 'G3']);
    expect(Array.from(csr(a).toDense())).toEqual([0, 5, 1, 7, 0, 4]);
    expectCanonical(csr(a));
  });

  it('sorts rows and sums duplicates when the file is column-ordered but not row-ordered', async () => {
    const mtx = `${header}3 2 5\n3 1 1\n1 1 2\n3 1 4\n2 2 6\n1 2 1\n`;
    const a = await read10xMtx(dir({ 'matrix.mtx': mtx, 'genes.tsv': genes, 'barcodes.tsv': barcodes }));
    expect(Array.from(csr(a).toDense())).toEqual([2, 0, 5, 1, 6, 0]);
    expect(csr(a).nnz).toBe(4);
    expectCanonical(csr(a));
  });

  it('detects gzip from the bytes, not the name, and reads real values and a prefix', async () => {
    const mtx = '%%MatrixMarket matrix coordinate real general\n3 2 3\n1 1 0.5\n2 2 -1.25e1\n3 2 +3.\n';
    const d = dir({ 'GSM1_matrix.mtx': gzipSync(mtx), 'GSM1_features.tsv': gzipSync('G1\tA\tGene Expression\nG2\tB\tGene Expression\nG3\tC\tAntibody Capture\n'), 'GSM1_barcodes.tsv.gz': barcodes });
    const a = await read10xMtx(d, { prefix: 'GSM1_' });
    expect(Array.from(csr(a).toDense())).toEqual([0.5, 0, 0, 0, -12.5, 3]);
    expect((a.var.get('feature_types') as Categorical).values()).toEqual(['Gene Expression', 'Gene Expression', 'Antibody Capture']);
  });

  it("makes repeated symbols unique like anndata ('-1' skipped when taken), or names them in an error", async () => {
    const d = dir({ 'matrix.mtx': `${header}4 1 1\n1 1 1\n`, 'genes.tsv': 'G1\tA\nG2\tA\nG3\tA\nG4\tA-1\n', 'barcodes.tsv': 'c1\n' });
    expect((await read10xMtx(d)).varNames).toEqual(['A', 'A-2', 'A-3', 'A-1']);
    await expect(read10xMtx(d, { makeUnique: false })).rejects.toThrow(/genes\.tsv has repeated gene symbols \('A' ×3\); pass makeUnique: true/);
    expect((await read10xMtx(d, { varNames: 'gene_ids', makeUnique: false })).varNames).toEqual(['G1', 'G2', 'G3', 'G4']);
  });

  it('lists the files it looked for when some are missing', async () => {
    const d = dir({ 'matrix.mtx.gz': gzipSync(`${header}1 1 0\n`) });
    await expect(read10xMtx(d)).rejects.toThrow(/lacks the 10x file\(s\) features \(features\.tsv\.gz or features\.tsv or genes\.tsv\.gz or genes\.tsv\), barcodes \(barcodes\.tsv\.gz or barcodes\.tsv\)/);
    await expect(read10xMtx(join(root, 'nowhere'))).rejects.toThrow(/directory .*nowhere" does not exist/);
  });

  const cases: Array<[string, string, RegExp]> = [
    ['pattern', '%%MatrixMarket matrix coordinate pattern general\n3 2 1\n1 1\n', /matrix\.mtx: Matrix Market field 'pattern' is not supported.*a pattern file has no values/],
    ['complex', '%%MatrixMarket matrix coordinate complex general\n3 2 1\n1 1 1 0\n', /field 'complex' is not supported/],
    ['symmetric', '%%MatrixMarket matrix coordinate integer symmetric\n3 2 1\n1 1 1\n', /symmetry 'symmetric' is not supported, only 'general'/],
    ['array', '%%MatrixMarket matrix array integer general\n3 2\n1\n', /the Matrix Market 'array' \(dense\) format is not supported/],
    ['not Matrix Market', 'hello\n', /not a Matrix Market file: the first line should start with '%%MatrixMarket'/],
    ['no size line', `${header}`, /the header has no size line/],
    ['more genes in the matrix', `${header}4 2 1\n1 1 1\n`, /matrix\.mtx has 4 rows \(genes\) but .*genes\.tsv lists 3 features/],
    ['more cells in the matrix', `${header}3 5 1\n1 1 1\n`, /matrix\.mtx has 5 columns \(cells\) but .*barcodes\.tsv lists 2 barcodes/],
    ['row out of range', `${header}3 2 2\n1 1 1\n4 1 1\n`, /matrix\.mtx: line 5: row index 4 is outside 1\.\.3/],
    ['column out of range', `${header}3 2 1\n1 0 1\n`, /line 4: column index 0 is outside 1\.\.2/],
    ['truncated', `${header}3 2 4\n1 1 1\n2 1 1\n`, /announces 4 entries but the file ends after 2 .*truncated/],
    ['truncated mid-line', `${header}3 2 4\n1 1 1\n2 1`, /ends in the middle of line 5 after 1 of the 4 entries .*truncated/],
    ['too many entries', `${header}3 2 1\n1 1 1\n2 1 1\n`, /line 5: more entries than the 1 the header announces/],
    ['non-numeric value', `${header}3 2 1\n1 1 x\n`, /line 4: expected a number as the third field, got "x"/],
    ['missing value', `${header}3 2 1\n1 1\n`, /line 4: expected three fields: row, column, value; the line is "1 1"/],
    ['fraction in an integer file', `${header}3 2 1\n1 1 1.5\n`, /line 4: expected an integer value \(the header declares 'integer'\), got 1\.5/],
    ['exponent fraction in an integer file', `${header}3 2 1\n1 1 25e-1\n`, /line 4: expected an integer value \(the header declares 'integer'\), got 2\.5/],
  ];
  for (const [name, mtx, message] of cases) {
    it(`errors clearly: ${name}`, async () => {
      await expect(read10xMtx(dir({ 'matrix.mtx': mtx, 'genes.tsv': genes, 'barcodes.tsv': barcodes }))).rejects.toThrow(message);
    });
  }

  it('errors on a truncated gzip stream, naming the file', async () => {
    const gz = gzipSync(`${header}3 2 1\n1 1 1\n`.repeat(1));
    await expect(read10xMtx(dir({ 'matrix.mtx.gz': gz.subarray(0, gz.length - 12), 'genes.tsv': genes, 'barcodes.tsv': barcodes }))).rejects.toThrow(/matrix\.mtx\.gz: .*gzip data is corrupt or truncated/);
  });

  it('validates its arguments', async () => {
    await expect(read10xMtx(42 as unknown as string)).rejects.toThrow(/dir must be a directory path or an object \{ matrix, features \| genes, barcodes \}.*got number 42/);
    await expect(read10xMtx({ matrix: new Uint8Array(0) } as never)).rejects.toThrow(/missing barcodes, features \(or genes\)/);
    await expect(read10xMtx({ matrix: 'x', genes: new Uint8Array(0), barcodes: new Uint8Array(0) } as never)).rejects.toThrow(/files\.matrix must be an ArrayBuffer, a Uint8Array or a Blob, got "x"/);
    await expect(read10xMtx('.', { varNames: 'symbols' as never })).rejects.toThrow(/options\.varNames must be 'gene_symbols' or 'gene_ids', got "symbols"/);
    await expect(read10xMtx('.', { makeUnique: 1 as never })).rejects.toThrow(/options\.makeUnique must be a boolean, got number 1/);
    await expect(read10xMtx('.', { unique: true } as never)).rejects.toThrow(/unknown option 'unique'/);
  });
});
