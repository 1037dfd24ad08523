import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

import { MatrixMarketReader, readMatrixMarket } from './matrix-market.js';
import { byteChunks } from './source.js';

const text = [
  '%%MatrixMarket matrix coordinate real general',
  '% a comment',
  '%',
  '4 3 6',
  '1 1 1',
  '3   1\t2.5',
  '',
  '2 2 -0.125',
  '4 2 1e3',
  '1 3 123456789012345678',
  '4 3 7',
].join('\n');

function read(chunks: Uint8Array[]): ReturnType<MatrixMarketReader['finish']> {
  const r = new MatrixMarketReader('m.mtx');
  for (const c of chunks) r.push(c);
  return r.finish();
}

describe('MatrixMarketReader', () => {
  it('parses blanks, comments, exponents and long mantissas (through Number) into 0-based entries', () => {
    const coo = read([new TextEncoder().encode(text)]);
    expect([coo.nRows, coo.nCols, coo.field]).toEqual([4, 3, 'real']);
    expect(Array.from(coo.rows)).toEqual([0, 2, 1, 3, 0, 3]);
    expect(Array.from(coo.cols)).toEqual([0, 0, 1, 1, 2, 2]);
    expect(Array.from(coo.values)).toEqual([1, 2.5, -0.125, 1000, Math.fround(Number('123456789012345678')), 7]);
    expect(coo.colsSorted).toBe(true);
  });

  it('gives the same entries however the bytes are cut into chunks', () => {
    const bytes = new TextEncoder().encode(text);
    const whole = read([bytes]);
    for (let cut = 1; cut < bytes.length; cut++) {
      for (const size of [1, 2, 7]) {
        const chunks = [bytes.subarray(0, cut)];
        for (let at = cut; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
        const coo = read(chunks);
        expect([Array.from(coo.rows), Array.from(coo.cols), Array.from(coo.values)]).toEqual([Array.from(whole.rows), Array.from(whole.cols), Array.from(whole.values)]);
      }
    }
  });

  it('notices columns out of order', () => {
    const coo = read([new TextEncoder().encode('%%MatrixMarket matrix coordinate integer general\n2 2 2\n1 2 1\n1 1 1\n')]);
    expect(coo.colsSorted).toBe(false);
  });

  it('reads the same through both gunzip engines (node:zlib and DecompressionStream)', async () => {
    // Large enough for many chunks in either engine.
    const lines = ['%%MatrixMarket matrix coordinate integer general', '1000 300 30000'];
    for (let k = 0; k < 30000; k++) lines.push(`${(k % 1000) + 1} ${Math.floor(k / 100) + 1} ${(k * 7) % 13}`);
    const gz = gzipSync(lines.join('\n'));
    const node = await readMatrixMarket(byteChunks(gz, 'node'), 'x');
    const web = await readMatrixMarket(byteChunks(gz, 'web'), 'x');
    const blob = await readMatrixMarket(byteChunks(new Blob([gz])), 'x');
    const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.prototype.every.call(a, (v: number, k: number) => v === b[k]);
    for (const other of [web, blob]) expect([same(other.values, node.values), same(other.rows, node.rows), same(other.cols, node.cols)]).toEqual([true, true, true]);
    expect(node.values[29999]).toBe((29999 * 7) % 13);
  });
});
