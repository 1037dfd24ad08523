import { describe, expect, it } from 'vitest';
import { AnnData, CsrMatrix, DenseArray } from '@vitae/anndata';

import { filterCells, filterCellsMask, filterGenes, filterGenesMask } from './index.js';

// 4 cells × 3 genes: row sums 6, 0, 3, 10; genes > 0 per cell 2, 0, 1, 3.
const values = [1, 0, 5, 0, 0, 0, 0, 3, 0, 2, 4, 4];
const counts = (): AnnData =>
  new AnnData({ X: CsrMatrix.fromDense(values, 4, 3), obs: ['a', 'b', 'c', 'd'], var: ['g1', 'g2', 'g3'], layers: { dense: new DenseArray(Float32Array.from(values), 4, 3) } });

describe('filterCells / filterGenes', () => {
  it('keeps what passes every bound and records n_counts / n_genes (n_cells) like scanpy', () => {
    const a = counts();
    const c = filterCells(a, { minGenes: 1 });
    expect(c.obsNames).toEqual(['a', 'c', 'd']);
    expect(Array.from(c.obs.get('n_genes') as Int32Array)).toEqual([2, 1, 3]);
    expect(c.obs.has('n_counts')).toBe(false);
    const both = filterCells(a, { minCounts: 4, maxGenes: 2 });
    expect(both.obsNames).toEqual(['a']);
    expect(Array.from(both.obs.get('n_counts') as Float64Array)).toEqual([6]);
    const g = filterGenes(a, { minCells: 2 });
    expect(g.varNames).toEqual(['g1', 'g2', 'g3']);
    expect(Array.from(g.var.get('n_cells') as Int32Array)).toEqual([2, 2, 2]);
    expect(filterGenes(a, { maxCounts: 7 }).varNames).toEqual(['g1', 'g2']);
    expect(Array.from(filterGenes(a, { maxCounts: 7 }).var.get('n_counts') as Float64Array)).toEqual([3, 7]);
    // the input is untouched
    expect(a.shape).toEqual([4, 3]);
    expect(a.obs.columnNames).toEqual([]);
  });

  it('works on a dense layer and as masks on bare matrices', () => {
    const a = counts();
    expect(filterCells(a, { minCounts: 1, layer: 'dense' }).obsNames).toEqual(['a', 'c', 'd']);
    const m = filterCellsMask(a.X as CsrMatrix, { maxCounts: 6 });
    expect(m.keep).toEqual([true, true, true, false]);
    expect(m.nKept).toBe(3);
    expect(filterGenesMask(a.layers.dense as DenseArray, { minCounts: 8 }).keep).toEqual([false, false, true]);
  });

  it('rejects bad options with the option, the constraint and the value', () => {
    const a = counts();
    expect(() => filterCells(a, {})).toThrow(/give at least one of the options 'minCounts'/);
    expect(() => filterCells(a, { minGenes: -1 })).toThrow("filterCells: option 'minGenes' must be a number >= 0, got -1");
    expect(() => filterGenes(a, { minCells: 'x' as unknown as number })).toThrow(`option 'minCells' must be a number >= 0, got "x"`);
    expect(() => filterCells(a, { minGenes: 1, layer: 'counts' })).toThrow(`filterCells: option 'layer' must name a layer of the AnnData, got "counts"; the layers are ["dense"]`);
    expect(() => filterGenes(a, { minCell: 1 } as unknown as { minCells: number })).toThrow("filterGenes: unknown option 'minCell'");
  });
});
