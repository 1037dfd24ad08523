import { describe, expect, it } from 'vitest';
import { parseEmbedding } from './embedding-file.js';

const cells = ['a', 'b', 'c'];
const file = { name: 'UMAP x', obsNames: cells, nRows: 3, nCols: 2, values: [0, 1, 2, 3, 4, 5] };

describe('parseEmbedding', () => {
  it('returns the name and the row-major coordinates', () => {
    const { name, coords } = parseEmbedding(file, cells, 'f.json');
    expect(name).toBe('UMAP x');
    expect([coords.nRows, coords.nCols, ...Array.from(coords.values)]).toEqual([3, 2, 0, 1, 2, 3, 4, 5]);
  });

  it('refuses other cells, another order, a wrong size, non-finite values and a malformed file', () => {
    expect(() => parseEmbedding(file, ['a', 'b'], 'f.json')).toThrow(/must hold the 2 cells of the data, got nRows 3/);
    expect(() => parseEmbedding(file, ['a', 'c', 'b'], 'f.json')).toThrow(/cell 1 is 'b', the data's is 'c'/);
    expect(() => parseEmbedding({ ...file, values: [0, 1, 2] }, cells, 'f.json')).toThrow(/nRows × nCols = 6 finite values/);
    expect(() => parseEmbedding({ ...file, values: [0, 1, 2, 3, 4, Number.NaN] }, cells, 'f.json')).toThrow(/finite values/);
    expect(() => parseEmbedding({ name: 'x' }, cells, 'f.json')).toThrow(/f.json must be a JSON object \{ name, obsNames, nRows, nCols, values \}/);
  });
});
