import { describe, expect, it } from 'vitest';

import { AnnData } from './anndata.js';
import { Categorical } from './frame/categorical.js';
import { DataFrame } from './frame/data-frame.js';
import { CsrMatrix } from './matrix/csr.js';
import { DenseArray } from './matrix/dense.js';
import { toDenseValues } from './matrix/matrix.js';

function small(prefix = 'c'): AnnData {
  const X = CsrMatrix.fromDense([1, 0, 2, 0, 0, 3, 4, 0, 0], 3, 3);
  const obs = new DataFrame([`${prefix}0`, `${prefix}1`, `${prefix}2`], {
    type: Categorical.fromValues(['T', 'B', 'T']),
    n_counts: new Float64Array([3, 3, 4]),
    ok: [true, false, true],
  });
  const vars = new DataFrame(['g0', 'g1', 'g2'], { symbol: ['A', 'B', null] });
  return new AnnData({ X, obs, var: vars, layers: { counts: X.clone() }, obsm: { X_pca: new DenseArray(new Float32Array([1, 2, 3, 4, 5, 6]), 3, 2) }, uns: { note: 'hi', nested: { k: [1, 2] } } });
}

describe('DataFrame and Categorical', () => {
  it('keeps categories sorted, codes -1 for missing, and counts per category', () => {
    const c = Categorical.fromValues(['b', null, 'a', 'b']);
    expect(c.categories).toEqual(['a', 'b']);
    expect(Array.from(c.codes)).toEqual([1, -1, 0, 1]);
    expect(c.values()).toEqual(['b', null, 'a', 'b']);
    expect([...c.counts()]).toEqual([['a', 1], ['b', 2]]);
    expect(() => Categorical.fromValues(['x'], { categories: ['a'] })).toThrow(/value 'x' at row 0 is not among the categories/);
    expect(() => new Categorical(new Int32Array([2]), ['a', 'b'])).toThrow(/code 2 at row 0 is outside \[-1, 2\)/);
  });

  it('selects rows of every column kind and names missing columns', () => {
    const df = small().obs.select([2, 0]);
    expect(df.index).toEqual(['c2', 'c0']);
    expect(df.strings('type')).toEqual(['T', 'T']);
    expect(Array.from(df.get('n_counts') as Float64Array)).toEqual([4, 3]);
    expect(df.get('ok')).toEqual([true, true]);
    expect(() => df.get('nope')).toThrow(/no column 'nope'; the columns are \["type","n_counts","ok"\]/);
    expect(() => df.set('bad', new Float64Array(3))).toThrow(/column 'bad' has 3 values, the frame has 2 rows/);
  });
});

describe('AnnData', () => {
  it('knows its shape and checks every matrix against it', () => {
    const a = small();
    expect(a.shape).toEqual([3, 3]);
    expect(a.obsNames).toEqual(['c0', 'c1', 'c2']);
    expect(a.layer('counts')).toBe(a.layers.counts);
    expect(() => a.layer('spliced')).toThrow(/no layer 'spliced'; the layers are \["counts"\]/);
    expect(() => a.setLayer('bad', CsrMatrix.fromDense([1, 2], 1, 2))).toThrow(/layer 'bad' must be a matrix of shape \[3, 3\], got \[1, 2\]/);
    expect(() => new AnnData({ X: CsrMatrix.fromDense([1, 2], 1, 2), obs: ['a', 'b'] })).toThrow(/X has shape \[1, 2\], expected \[2, 2\]/);
  });

  it('subsets cells and genes by index or name, copying every part', () => {
    const a = small();
    const s = a.subset({ obs: ['c2', 'c0'], var: [true, false, true] });
    expect(s.shape).toEqual([2, 2]);
    expect(Array.from(toDenseValues(s.X as CsrMatrix))).toEqual([4, 0, 1, 2]);
    expect(Array.from(toDenseValues(s.layers.counts as CsrMatrix))).toEqual([4, 0, 1, 2]);
    expect(Array.from((s.obsm.X_pca as DenseArray).values)).toEqual([5, 6, 1, 2]);
    expect(s.var.strings('symbol')).toEqual(['A', null]);
    (s.uns.nested as { k: number[] }).k.push(3);
    expect((a.uns.nested as { k: number[] }).k).toEqual([1, 2]);
    const withMatrix = new AnnData({ X: a.X, obs: a.obs, var: a.var, uns: { graph: CsrMatrix.fromDense([1, 0, 0, 2], 2, 2) } }).subset({ obs: [0] });
    expect(withMatrix.uns.graph).toBeInstanceOf(CsrMatrix);
    expect(() => a.subset({ obs: ['zz'] })).toThrow(/no cell named 'zz'/);
  });

  it('concatenates along cells with a batch column and the genes in common', () => {
    const a = small('a');
    const b = small('b').subset({ var: [2, 0] });
    const c = AnnData.concat([a, b], { batchKey: 'batch', batchCategories: ['one', 'two'] });
    expect(c.shape).toEqual([6, 2]);
    expect(c.varNames).toEqual(['g0', 'g2']);
    expect(c.obs.strings('batch')).toEqual(['one', 'one', 'one', 'two', 'two', 'two']);
    expect(c.obs.strings('type')).toEqual(['T', 'B', 'T', 'T', 'B', 'T']);
    expect(Array.from(toDenseValues(c.X as CsrMatrix))).toEqual([1, 2, 0, 3, 4, 0, 1, 2, 0, 3, 4, 0]);
    expect((c.obsm.X_pca as DenseArray).nRows).toBe(6);
    expect(() => AnnData.concat([a, a])).toThrow(/cell name 'a0' occurs in more than one part; pass indexUnique/);
    expect(AnnData.concat([a, a], { indexUnique: '-' }).obsNames.slice(2, 4)).toEqual(['a2-0', 'a0-1']);
  });
});
