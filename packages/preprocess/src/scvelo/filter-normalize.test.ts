import { AnnData, CsrMatrix, DenseArray, toDenseValues } from '@vitae/anndata';
import { describe, expect, it } from 'vitest';

import { filterAndNormalize, filterGenesDispersion, scveloFilterGenesMask, geneCountCorr, looksLikeCounts, normalizePerCell, pandasCutCodes, sharedCounts } from './filter-normalize.js';

const f32 = Math.fround;

// 4 cells × 5 genes. Gene 0: both layers in every cell; gene 1: spliced only; gene 2: unspliced
// only; gene 3: both in cell 0 only; gene 4: nothing.
const S = [
  [5, 3, 0, 2, 0],
  [1, 4, 0, 0, 0],
  [2, 0, 0, 0, 0],
  [7, 1, 0, 0, 0],
];
const U = [
  [1, 0, 2, 9, 0],
  [2, 0, 3, 0, 0],
  [1, 0, 1, 1, 0],
  [3, 0, 0, 0, 0],
];

function counts(rows: number[][]): CsrMatrix {
  return CsrMatrix.fromDense(rows.flat(), rows.length, (rows[0] as number[]).length);
}

function small(): AnnData {
  return new AnnData({ X: counts(S), layers: { spliced: counts(S), unspliced: counts(U) }, var: ['g0', 'g1', 'g2', 'g3', 'g4'] });
}

describe('scVelo gene filters', () => {
  it('sums spliced + unspliced over the cells where both are detected (min_shared_counts)', () => {
    const sh = sharedCounts(counts(S), counts(U));
    expect(Array.from(sh.counts)).toEqual([5 + 1 + 1 + 2 + 2 + 1 + 7 + 3, 0, 0, 2 + 9, 0]);
    expect(Array.from(sh.cells)).toEqual([4, 0, 0, 1, 0]);
    // gene 3 has 11 shared counts in 1 cell
    expect(scveloFilterGenesMask(counts(S), counts(U), { minSharedCounts: 11 })).toEqual([true, false, false, true, false]);
    expect(scveloFilterGenesMask(counts(S), counts(U), { minSharedCounts: 12 })).toEqual([true, false, false, false, false]);
    expect(scveloFilterGenesMask(counts(S), counts(U), { minSharedCells: 2 })).toEqual([true, false, false, false, false]);
  });

  it('applies min_counts / min_cells to spliced and the _u bounds to unspliced', () => {
    expect(scveloFilterGenesMask(counts(S), counts(U), { minCounts: 3 })).toEqual([true, true, false, false, false]);
    expect(scveloFilterGenesMask(counts(S), counts(U), { minCells: 3 })).toEqual([true, true, false, false, false]);
    expect(scveloFilterGenesMask(counts(S), counts(U), { minCountsU: 6 })).toEqual([true, false, true, true, false]);
    expect(scveloFilterGenesMask(counts(S), counts(U), { minCellsU: 3 })).toEqual([true, false, true, false, false]);
    expect(scveloFilterGenesMask(counts(S), counts(U), {})).toEqual([true, true, true, true, true]);
  });
});

describe('scVelo normalize_per_cell', () => {
  it('divides each cell by initial size / median initial size with float32 steps', () => {
    const out = filterAndNormalize(small(), { minSharedCounts: 1, logX: false });
    expect(out.varNames).toEqual(['g0', 'g3']);
    // initial sizes come from all 5 genes, before the filter
    const sizeS = [10, 5, 2, 8];
    expect(Array.from(out.obs.get('initial_size_spliced') as Float32Array)).toEqual(sizeS);
    expect(Array.from(out.obs.get('initial_size_unspliced') as Float32Array)).toEqual([12, 5, 3, 3]);
    expect(Array.from(out.obs.get('initial_size') as Float32Array)).toEqual(sizeS);
    expect(out.obs.columnNames).toEqual(['initial_size_unspliced', 'initial_size_spliced', 'initial_size', 'n_counts']);
    const median = f32((5 + 8) / 2);
    const expected = [
      [5, 2],
      [1, 0],
      [2, 0],
      [7, 0],
    ].map((row, i) => row.map((v) => f32(v * f32(1 / f32((sizeS[i] as number) / median)))));
    expect(Array.from(toDenseValues(out.layer('spliced')))).toEqual(expected.flat());
    expect(Array.from(toDenseValues(out.layer('X')))).toEqual(expected.flat());
    expect(Array.from(out.obs.get('n_counts') as Float32Array)).toEqual(expected.map((r) => f32((r[0] as number) + (r[1] as number))));
    const medU = f32((3 + 5) / 2);
    expect(toDenseValues(out.layer('unspliced'))[0]).toBe(f32(1 * f32(1 / f32(12 / medU))));
  });

  it('treats a zero size as 1 and skips matrices that do not look like counts', () => {
    const X = CsrMatrix.fromDense([0, 0, 2, 2, 4, 4], 3, 2);
    const ad = new AnnData({ X, layers: { spliced: X.clone(), unspliced: new DenseArray(new Float32Array([0.5, 1, 1, 1, 1, 1]), 3, 2) } });
    expect(looksLikeCounts(ad.layer('unspliced'))).toBe(false);
    const out = normalizePerCell(ad);
    expect(Array.from(toDenseValues(out.layer('unspliced')))).toEqual([0.5, 1, 1, 1, 1, 1]); // untouched
    // sizes 0, 4, 8, median 4: factors 1 (0 -> 1), 1, 2
    expect(Array.from(toDenseValues(out.layer('X')))).toEqual([0, 0, 2, 2, 2, 2]);
  });

  it('adds gene_count_corr (Pearson with genes detected per cell, 4 decimals)', () => {
    const m = new DenseArray(new Float32Array([1, 0, 2, 0, 3, 1, 0, 1, 4, 5, 0, 0]), 4, 3);
    // detected per cell: 2, 2, 2, 1
    const y = [2, 2, 2, 1];
    const col = [1, 0, 0, 5];
    const my = 7 / 4;
    const mx = 6 / 4;
    const cov = col.reduce((a, x, i) => a + (x - mx) * ((y[i] as number) - my), 0);
    const r = cov / Math.sqrt(col.reduce((a, x) => a + (x - mx) ** 2, 0) * y.reduce((a, v) => a + (v - my) ** 2, 0));
    expect(geneCountCorr(m)[0]).toBeCloseTo(Math.round(r * 1e4) / 1e4, 10);
  });
});

describe('scVelo filter_genes_dispersion', () => {
  it('bins like pd.cut: right-closed equal-width bins, the first edge lowered by 0.1%', () => {
    expect(Array.from(pandasCutCodes(Float64Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), 5))).toEqual([0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(Array.from(pandasCutCodes(Float64Array.from([3, 3]), 4))).toEqual([1, 1]);
  });

  it('z-scores log dispersions within mean bins and keeps the top genes (ties kept)', () => {
    // 6 cells; gene means differ so that genes share bins in pairs
    const cols = [
      [1, 1, 1, 1, 1, 1], // variance 0 -> dispersion NaN -> normalized 0
      [0, 2, 0, 2, 0, 2],
      [0, 0, 0, 0, 0, 6],
      [10, 0, 10, 0, 10, 0],
      [20, 0, 0, 0, 10, 0],
    ];
    const n = 6;
    const values = new Float32Array(n * cols.length);
    cols.forEach((c, j) => c.forEach((v, i) => (values[i * cols.length + j] = v)));
    const r = filterGenesDispersion(new DenseArray(values, n, cols.length), { nTopGenes: 2, nBins: 2 });
    const mean = cols.map((c) => c.reduce((a, b) => a + b, 0) / n);
    const variance = cols.map((c, j) => c.reduce((a, b) => a + (b - (mean[j] as number)) ** 2, 0) / (n - 1));
    const disp = variance.map((v, j) => (v === 0 ? NaN : Math.log(v / (mean[j] as number))));
    for (let j = 0; j < cols.length; j++) {
      expect(r.means[j]).toBeCloseTo(Math.log1p(mean[j] as number), 12);
      if (Number.isNaN(disp[j])) expect(r.dispersions[j]).toBeNaN();
      else expect(r.dispersions[j]).toBeCloseTo(disp[j] as number, 12);
    }
    // means 1, 1, 1, 5, 5: log1p(mean) is log 2 (bin 0: genes 0, 1, 2) or log 6 (bin 1: genes 3, 4)
    const bin0 = [disp[1] as number, disp[2] as number];
    const m0 = (bin0[0]! + bin0[1]!) / 2;
    const s0 = Math.sqrt(((bin0[0]! - m0) ** 2 + (bin0[1]! - m0) ** 2) / 1);
    expect(r.dispersionsNorm[0]).toBe(0);
    expect(r.dispersionsNorm[1]).toBeCloseTo((bin0[0]! - m0) / s0, 12);
    expect(r.dispersionsNorm[2]).toBeCloseTo((bin0[1]! - m0) / s0, 12);
    const top = [...r.dispersionsNorm].sort((a, b) => b - a)[1] as number;
    expect(r.highlyVariable).toEqual(Array.from(r.dispersionsNorm, (v) => v >= top));
    expect(r.highlyVariable.filter(Boolean).length).toBe(2);
  });

  it('gives a gene alone in its bin normalized dispersion 1', () => {
    const values = new Float32Array([0, 1, 0, 100, 2, 0, 0, 300, 4, 1, 0, 200, 0, 1, 5, 0]);
    const r = filterGenesDispersion(new DenseArray(values, 4, 4), { nBins: 20 });
    // gene 3 (mean 150) is the only one in the top bin
    expect(r.dispersionsNorm[3]).toBeCloseTo(1, 12);
  });
});

describe('filterAndNormalize', () => {
  it('selects by dispersion, log1p-transforms X only, and leaves the input unchanged', () => {
    const ad = small();
    const before = Array.from(toDenseValues(ad.layer('X')));
    const out = filterAndNormalize(ad, { nTopGenes: 3 });
    expect(Array.from(toDenseValues(ad.layer('X')))).toEqual(before);
    expect(out.nVars).toBe(3);
    expect(out.var.get('highly_variable')).toEqual([true, true, true]);
    expect(out.var.columnNames).toEqual(['means', 'dispersions', 'dispersions_norm', 'highly_variable']);
    const sp = toDenseValues(out.layer('spliced'));
    const x = toDenseValues(out.layer('X'));
    for (let k = 0; k < sp.length; k++) expect(x[k]).toBe(f32(Math.log1p(sp[k] as number)));
  });

  it('skips the dispersion selection when there are fewer genes than nTopGenes', () => {
    const out = filterAndNormalize(small(), { nTopGenes: 10 });
    expect(out.nVars).toBe(5);
    expect(out.var.has('highly_variable')).toBe(false);
  });

  it('does not log X when it does not hold the spliced counts', () => {
    const ad = small();
    ad.X = counts(U);
    const out = filterAndNormalize(ad, {});
    expect(toDenseValues(out.layer('X'))[0]).toBe(toDenseValues(normalizePerCell(ad).layer('X'))[0]);
  });

  it('names what is wrong', () => {
    const ad = small();
    expect(() => filterAndNormalize(ad, { splicedLayer: 'S' })).toThrow(/filterAndNormalize: argument 'splicedLayer' names layer 'S', which is not there; the layers are \["spliced","unspliced"\]/);
    expect(() => filterAndNormalize(new AnnData({ X: counts(S) }), {})).toThrow(/layer 'spliced', which is not there; the layers are \[\]/);
    expect(() => filterAndNormalize(ad, { minSharedCounts: -1 })).toThrow(/option 'minSharedCounts' must be a number >= 0, got -1/);
    expect(() => filterAndNormalize(ad, { nTopGenes: 2.5 })).toThrow(/option 'nTopGenes' must be a positive integer, got 2.5/);
    expect(() => filterAndNormalize(ad, { flavor: 'svr' as 'seurat' })).toThrow(/option 'flavor' must be 'seurat' or 'cell_ranger', got "svr"/);
    expect(() => filterAndNormalize(ad, { minSharedCounts: 1000 })).toThrow(/no gene passes the gene filters \(minSharedCounts = 1000\)/);
  });
});
