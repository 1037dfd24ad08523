import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CsrMatrix } from '../matrix/csr.js';
import { readCsv } from './csv.js';

import type { AnnData } from '../anndata.js';

function dense(a: AnnData): number[] {
  if (!(a.X instanceof CsrMatrix)) throw new Error('X should be a CsrMatrix');
  return Array.from(a.X.toDense());
}

const cellsByGenes = ',g1,g2,g3\nc1,0,1,0\nc2,2,0,3.5\n';

describe('readCsv', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'vitae-csv-'));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('reads rows as cells and columns as genes, storing only non-zeros', async () => {
    const a = await readCsv({ text: cellsByGenes });
    expect(a.shape).toEqual([2, 3]);
    expect(a.obsNames).toEqual(['c1', 'c2']);
    expect(a.varNames).toEqual(['g1', 'g2', 'g3']);
    expect(dense(a)).toEqual([0, 1, 0, 2, 0, 3.5]);
    expect((a.X as CsrMatrix).nnz).toBe(3);
  });

  it('reads genes × cells with transpose (scanpy read_csv(...).T), from a file path', async () => {
    const path = join(root, 'genes-by-cells.csv');
    writeFileSync(path, 'gene,c1,c2\ng1,0,2\ng2,1,0\ng3,0,3.5\n');
    const a = await readCsv(path, { transpose: true });
    expect(a.obsNames).toEqual(['c1', 'c2']);
    expect(a.varNames).toEqual(['g1', 'g2', 'g3']);
    expect(a.var.indexName).toBe('gene');
    expect(dense(a)).toEqual([0, 1, 0, 2, 0, 3.5]);
  });

  it('accepts a header without the corner field, tabs (auto-detected), CRLF, a BOM, blank lines and gzip', async () => {
    const tsv = '\ufeffg1\tg2\tg3\r\nc1\t0\t1\t0\r\n\r\nc2\t2\t0\t3.5\r\n';
    const gz = gzipSync(tsv);
    for (const input of [{ text: tsv }, gz, new Blob([gz]), new Uint8Array(gz).buffer]) {
      const a = await readCsv(input);
      expect(a.varNames).toEqual(['g1', 'g2', 'g3']);
      expect(a.obsNames).toEqual(['c1', 'c2']);
      expect(dense(a)).toEqual([0, 1, 0, 2, 0, 3.5]);
    }
  });

  it('reads quoted fields (delimiters, doubled quotes, line breaks) and numbers in every notation', async () => {
    const text = '"","g,1","g ""2""","g\n3"\n"c,1","1",-2.5e-1,+7\n"c2",1E3, 0.0 ,-0\n';
    const a = await readCsv({ text }, { delimiter: ',' });
    expect(a.varNames).toEqual(['g,1', 'g "2"', 'g\n3']);
    expect(a.obsNames).toEqual(['c,1', 'c2']);
    expect(dense(a)).toEqual([1, -0.25, 7, 1000, 0, 0]);
  });

  it('takes other delimiters', async () => {
    const a = await readCsv({ text: ';g1;g2\nc1;1;2\n' }, { delimiter: ';' });
    expect(dense(a)).toEqual([1, 2]);
  });

  it('errors on ragged rows, naming the line', async () => {
    await expect(readCsv({ text: ',g1,g2\nc1,1,2\nc2,1\n' })).rejects.toThrow(/readCsv: line 3 has 2 fields, expected 3 as on the first data line \(ragged rows\)/);
    await expect(readCsv({ text: 'a,g1,g2,g3,g4\nc1,1,2\n' })).rejects.toThrow(/line 2 has 3 fields \(a name and 2 values\) but the header \(line 1\) has 5/);
  });

  it('errors on a non-numeric value with its line, column and text', async () => {
    await expect(readCsv({ text: ',g1,g2\nc1,1,2\nc2,1,NA\n' })).rejects.toThrow(/line 3, field 3 \(column 'g2'\): expected a number, got "NA"/);
    await expect(readCsv({ text: ',g1,g2\nc1,,2\n' })).rejects.toThrow(/line 2, field 2: expected a number, got ""/);
  });

  it('errors on duplicate names', async () => {
    await expect(readCsv({ text: ',g1,g2\nc1,1,2\nc1,1,2\n' })).rejects.toThrow(/duplicate row names \(first column\) \('c1' ×2\)/);
    await expect(readCsv({ text: ',g1,g1\nc1,1,2\n' })).rejects.toThrow(/duplicate column names \(header\) \('g1' ×2\)/);
  });

  it('errors on empty input, an unclosed quote and bad arguments', async () => {
    await expect(readCsv({ text: '\n\n' })).rejects.toThrow(/the file is empty/);
    await expect(readCsv({ text: ',g1\n"c1,1\n' })).rejects.toThrow(/line 2: a quoted field is not closed/);
    await expect(readCsv(join(root, 'missing.csv'))).rejects.toThrow(/readCsv: file ".*missing\.csv" does not exist/);
    await expect(readCsv(3 as never)).rejects.toThrow(/input must be a file path \(Node\), an ArrayBuffer, a Uint8Array, a Blob or \{ text: string \}, got number 3/);
    await expect(readCsv({ text: cellsByGenes }, { delimiter: '||' })).rejects.toThrow(/options\.delimiter must be 'auto' or one ASCII character.*got "\|\|"/);
    await expect(readCsv({ text: cellsByGenes }, { transpose: 'yes' as never })).rejects.toThrow(/options\.transpose must be a boolean, got "yes"/);
    await expect(readCsv({ text: cellsByGenes }, { sep: ',' } as never)).rejects.toThrow(/unknown option 'sep'/);
  });
});
