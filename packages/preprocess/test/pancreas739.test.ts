// HVG with batches, normalize_total, PCA and kNN on the real pancreas739 spliced counts, against
// tooling/fixtures/generators/preprocess.py (fixture preprocess.json).
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFixture } from '@vitae/fixtures/load';
import { readH5ad } from '@vitae/anndata';

import { filterGenes, highlyVariableGenes, log1p, neighbors, normalizeTotal, pca } from '../src/index.js';
import { dataset } from './shared-data.js';

import type { AnnData } from '@vitae/anndata';

interface GeneSet {
  names: string[];
}
interface Fixture {
  pancreas739: {
    shape: [number, number];
    genesMinCells3: number;
    seuratV3: { set: GeneSet; batchSet: GeneSet; batchGenes: { name: string; rank: number; nBatches: number; variancesNorm: number }[] };
    normalizeTotal: { defaultTargetSum: number; totals: Record<string, number> };
    seuratBatch: { set: GeneSet; nBatchesOfFirst: { name: string; nBatches: number; dispersionsNorm: number }[] };
    pca: { nComps: number; varianceRatio: number[] };
    neighbors: { nNeighbors: number; rows: { cell: number; indices: number[]; distances: number[]; nextDistance: number }[] };
  };
}

const fx = loadFixture<Fixture>('preprocess').pancreas739;
const { path, skip } = dataset('pancreas739/pancreas739.h5ad');
const relErr = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
const selected = (a: AnnData): string[] => a.varNames.filter((_, j) => (a.var.get('highly_variable') as boolean[])[j]).sort();

describe.skipIf(skip !== undefined)(`pancreas739 vs numpy reference ${skip ?? ''}`, () => {
  let counts: AnnData;
  let v3: AnnData;
  let logged: AnnData;

  beforeAll(async () => {
    const raw = await readH5ad(path);
    expect(raw.shape).toEqual(fx.shape);
    counts = filterGenes(raw, { minCells: 3 });
    v3 = highlyVariableGenes(counts, { flavor: 'seurat_v3', nTopGenes: 2000 });
    logged = log1p(normalizeTotal(counts, { keyAdded: 'factor' }));
  });

  it('seurat_v3 without and with batches (median rank over the 8 clusters, ties by number of batches)', () => {
    expect(counts.nVars).toBe(fx.genesMinCells3);
    expect(selected(v3)).toEqual(fx.seuratV3.set.names);
    const b = highlyVariableGenes(counts, { flavor: 'seurat_v3', nTopGenes: 2000, batchKey: 'clusters' });
    expect(selected(b)).toEqual(fx.seuratV3.batchSet.names);
    const pos = b.var.indexPositions();
    for (const g of fx.seuratV3.batchGenes) {
      const j = pos.get(g.name) as number;
      expect((b.var.get('highly_variable_rank') as Float32Array)[j]).toBe(g.rank);
      expect((b.var.get('highly_variable_nbatches') as Int32Array)[j]).toBe(g.nBatches);
      expect(relErr((b.var.get('variances_norm') as Float64Array)[j] as number, g.variancesNorm)).toBeLessThan(1e-9);
    }
  });

  it('normalize_total with the default target (median of the cell totals)', () => {
    const f = logged.obs.get('factor') as Float64Array;
    for (const [cell, total] of Object.entries(fx.normalizeTotal.totals)) expect((f[Number(cell)] as number) * fx.normalizeTotal.defaultTargetSum).toBeCloseTo(total, 6);
  });

  it('seurat with batches: per-cluster selection, ranked by number of batches then mean normalised dispersion', () => {
    const h = highlyVariableGenes(logged, { flavor: 'seurat', nTopGenes: 1000, batchKey: 'clusters' });
    expect(selected(h)).toEqual(fx.seuratBatch.set.names);
    const pos = h.var.indexPositions();
    for (const g of fx.seuratBatch.nBatchesOfFirst) {
      const j = pos.get(g.name) as number;
      expect((h.var.get('highly_variable_nbatches') as Int32Array)[j]).toBe(g.nBatches);
      expect(relErr((h.var.get('dispersions_norm') as Float32Array)[j] as number, g.dispersionsNorm)).toBeLessThan(1e-6);
    }
  });

  it('PCA of the log data on the seurat_v3 genes and exact kNN (30)', () => {
    const withHv = logged.subset({});
    withHv.var.set('highly_variable', v3.var.get('highly_variable'));
    const p = pca(withHv, { nComps: fx.pca.nComps });
    const ratio = (p.uns.pca as { variance_ratio: Float64Array }).variance_ratio;
    fx.pca.varianceRatio.forEach((r, c) => expect(relErr(ratio[c] as number, r)).toBeLessThan(1e-5));
    const knn = neighbors(p, { nNeighbors: fx.neighbors.nNeighbors });
    const k = fx.neighbors.nNeighbors;
    for (const row of fx.neighbors.rows) {
      const got = Array.from(knn.indices.subarray(row.cell * k, (row.cell + 1) * k));
      expect(got[0]).toBe(row.cell);
      if (row.nextDistance - (row.distances[k - 1] as number) < 1e-4 * row.nextDistance) continue;
      expect(got.sort((a, b) => a - b)).toEqual([...row.indices].sort((a, b) => a - b));
    }
  });
});
