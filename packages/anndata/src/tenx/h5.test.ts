import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

import { describe, expect, it } from 'vitest';

import { buildH5 } from '../../test/h5-helpers.js';
import { firstDifference } from '../../test/h5ad-fixture.js';
import { dataset } from '../../test/shared-data.js';
import { CsrMatrix } from '../matrix/csr.js';
import { read10xH5 } from './h5.js';

import type { Group } from 'h5wasm';
import type { Categorical } from '../frame/categorical.js';

const tenx = dataset('formats/10x-v3-chr21');
const H5 = join(tenx.path, 'filtered_feature_bc_matrix.h5');

function gzLines(file: string): string[] {
  return gunzipSync(readFileSync(join(tenx.path, file))).toString('utf8').split('\n').filter((l) => l !== '');
}

/** The Matrix Market file (genes × cells, 1-based) as CSR cells × genes, parsed here independently of the readers. */
function mtxAsCellsByGenes(): CsrMatrix {
  const lines = gzLines('matrix.mtx.gz').filter((l) => !l.startsWith('%'));
  const [nGenes, nCells] = (lines[0] as string).split(/\s+/).map(Number) as [number, number];
  const rows: number[] = [];
  const cols: number[] = [];
  const values: number[] = [];
  for (const line of lines.slice(1)) {
    const [g, c, v] = line.split(/\s+/).map(Number) as [number, number, number];
    rows.push(c - 1);
    cols.push(g - 1);
    values.push(v);
  }
  return CsrMatrix.fromCoo(rows, cols, values, nCells, nGenes);
}

/** A CellRanger 2 style file (one group per genome) holding `genomes`, each a copy of a few cells. */
function v2File(genomes: string[]): Promise<Uint8Array> {
  return buildH5((f) => {
    genomes.forEach((name, k) => {
      const g = f.create_group(name);
      // 3 genes × 2 cells, CSC by cell: cell 0 = [1, 0, 2], cell 1 = [0, 3 + k, 0].
      g.create_dataset({ name: 'barcodes', data: ['AAAC-1', 'GGGT-1'], dtype: 'S6' });
      g.create_dataset({ name: 'genes', data: ['ENSG1', 'ENSG2', 'ENSG3'], dtype: 'S5' });
      g.create_dataset({ name: 'gene_names', data: ['A', 'B', 'A'], dtype: 'S1' });
      g.create_dataset({ name: 'data', data: new Int32Array([1, 2, 3 + k]) });
      g.create_dataset({ name: 'indices', data: new BigInt64Array([0n, 2n, 1n]) });
      g.create_dataset({ name: 'indptr', data: new BigInt64Array([0n, 2n, 3n]) });
      g.create_dataset({ name: 'shape', data: new Int32Array([3, 2]) });
    });
  });
}

describe.skipIf(tenx.skip !== undefined)(`10x CellRanger v3 .h5${tenx.skip ? ` — skipped: ${tenx.skip}` : ''}`, () => {
  it('reads 1,107 cells × 507 features, the same counts as matrix.mtx.gz', async () => {
    const a = await read10xH5(H5);
    expect(a.shape).toEqual([1107, 507]);
    const X = a.X as CsrMatrix;
    expect(X).toBeInstanceOf(CsrMatrix);
    expect(X.data).toBeInstanceOf(Float32Array);
    // Totals computed once with h5py: 23,866 stored values summing to 41,549.
    expect(X.nnz).toBe(23866);
    expect(X.data.reduce((s, v) => s + v, 0)).toBe(41549);
    const fromMtx = mtxAsCellsByGenes();
    expect(firstDifference(X.toDense(), fromMtx.toDense())).toBe(-1);
    expect(a.obsNames).toEqual(gzLines('barcodes.tsv.gz'));
    const features = gzLines('features.tsv.gz').map((l) => l.split('\t'));
    expect(a.varNames).toEqual(features.map((f) => f[1]));
    expect(a.var.get('gene_ids')).toEqual(features.map((f) => f[0]));
    expect((a.var.get('feature_types') as Categorical).values()).toEqual(features.map((f) => f[2]));
    expect([...(a.var.get('genome') as Categorical).counts()]).toEqual([['GRCh38_chr21', 507]]);
  });

  it('reads the bytes as well as the path, and gene ids as names on request', async () => {
    const bytes = readFileSync(H5);
    const a = await read10xH5(new Blob([bytes]), { varNames: 'gene_ids' });
    expect(a.varNames[0]).toBe('ENSG00000279493');
    expect(a.var.get('gene_symbols')).toHaveLength(507);
    const b = await read10xH5(bytes, { genome: 'GRCh38_chr21' });
    expect(b.shape).toEqual([1107, 507]);
    await expect(read10xH5(bytes, { genome: 'mm10' })).rejects.toThrow(/has no features of genome 'mm10'; its genomes are \["GRCh38_chr21"\]/);
  });
});

describe('10x CellRanger v2 .h5 (one group per genome)', () => {
  it('reads barcodes, genes and counts; repeated symbols made unique', async () => {
    const a = await read10xH5(await v2File(['hg19']));
    expect(a.shape).toEqual([2, 3]);
    expect(a.obsNames).toEqual(['AAAC-1', 'GGGT-1']);
    expect(a.varNames).toEqual(['A', 'B', 'A-1']);
    expect(a.var.get('gene_ids')).toEqual(['ENSG1', 'ENSG2', 'ENSG3']);
    expect(Array.from((a.X as CsrMatrix).toDense())).toEqual([1, 0, 2, 0, 3, 0]);
    await expect(read10xH5(await v2File(['hg19']), { makeUnique: false })).rejects.toThrow(/has repeated gene symbols/);
  });

  it('needs options.genome when there are several genomes', async () => {
    const bytes = await v2File(['hg19', 'mm10']);
    await expect(read10xH5(bytes)).rejects.toThrow(/holds several genomes \["hg19","mm10"\]; choose one with options\.genome/);
    const mm = await read10xH5(bytes, { genome: 'mm10' });
    expect(Array.from((mm.X as CsrMatrix).toDense())).toEqual([1, 0, 2, 0, 4, 0]);
    await expect(read10xH5(bytes, { genome: 'dm6' })).rejects.toThrow(/has no genome 'dm6'; it has \["hg19","mm10"\]/);
  });
});

describe('read10xH5 errors', () => {
  it('rejects files that are not 10x matrices and bad options', async () => {
    const notTenx = await buildH5((f) => {
      (f.create_group('obs') as Group).create_attribute('_index', '_index');
    });
    await expect(read10xH5(notTenx)).rejects.toThrow(/read10xH5: <Uint8Array of \d+ bytes> is not a 10x CellRanger matrix: it has neither a 'matrix' group \(CellRanger >= 3\) nor a genome group with barcodes and indptr \(CellRanger 2\); top-level entries: \["obs"\]/);
    await expect(read10xH5(new Uint8Array([1, 2, 3]))).rejects.toThrow(/read10xH5: <Uint8Array of 3 bytes> is not an HDF5 file/);
    // @ts-expect-error unknown option
    await expect(read10xH5(notTenx, { gene: 'x' })).rejects.toThrow("read10xH5: unknown option 'gene'; the options are varNames, makeUnique, genome");
    // @ts-expect-error bad value
    await expect(read10xH5(notTenx, { varNames: 'symbols' })).rejects.toThrow(`read10xH5: options.varNames must be 'gene_symbols' or 'gene_ids', got "symbols"`);
    const badShape = await buildH5((f) => {
      const m = f.create_group('matrix');
      m.create_dataset({ name: 'barcodes', data: ['a'] });
      const feats = m.create_group('features');
      feats.create_dataset({ name: 'id', data: ['g1', 'g2'] });
      feats.create_dataset({ name: 'name', data: ['G1', 'G2'] });
      m.create_dataset({ name: 'data', data: new Int32Array([1]) });
      m.create_dataset({ name: 'indices', data: new Int32Array([0]) });
      m.create_dataset({ name: 'indptr', data: new Int32Array([0, 1]) });
      m.create_dataset({ name: 'shape', data: new Int32Array([3, 1]) });
    });
    await expect(read10xH5(badShape)).rejects.toThrow(/\/matrix\/shape: is \[3, 1\], expected \[genes, cells\] = \[2, 1\] from the features and barcodes/);
  });
});
