import { describe, expect, it } from 'vitest';
import { CsrMatrix } from '@vitae/anndata';

import summary from '../data/datasets.json' with { type: 'json' };
import { PANCREAS_CLUSTER_ORDER, pancreas } from './pancreas.js';
import { pbmc3k } from './pbmc3k.js';

import type { Categorical } from '@vitae/anndata';

// data/datasets.json is written by tooling/datasets/build.py from ../shared/datasets with
// numpy / scipy / h5py: the shapes, sums and label counts the loaders must reproduce.

function sum(m: CsrMatrix): number {
  let s = 0;
  for (const v of m.data) s += v;
  return s;
}

describe('pbmc3k', () => {
  it('loads the shipped counts with the documented shape, totals and labels', async () => {
    const adata = await pbmc3k();
    const X = adata.X as CsrMatrix;
    expect(X).toBeInstanceOf(CsrMatrix);
    expect(adata.shape).toEqual(summary.pbmc3k.shape);
    expect(X.nnz).toBe(summary.pbmc3k.nnz);
    expect(sum(X)).toBe(summary.pbmc3k.sum);
    expect(X.isCounts()).toBe(true);
    const types = adata.obs.get('cell_type') as Categorical;
    expect(Object.fromEntries(types.counts())).toEqual(summary.pbmc3k.cell_type_counts);
    expect(types.values().filter((v) => v === null)).toHaveLength(62);
    expect((adata.var.get('highly_variable') as boolean[]).filter(Boolean)).toHaveLength(2000);
    for (const marker of summary.pbmc3k.markers) expect(adata.varNames).toContain(marker);
    expect(adata.obsNames[0]).toBe('AAACATACAACCAC-1');
    expect(adata.uns.provenance).toMatch(/10x Genomics PBMC 3k/);
  });

  it('keeps only the highly variable genes when asked', async () => {
    const adata = await pbmc3k({ hvgOnly: true });
    expect(adata.shape).toEqual([2700, 2000]);
    expect((adata.var.get('highly_variable') as boolean[]).every(Boolean)).toBe(true);
  });
});

describe('pancreas', () => {
  it('loads spliced / unspliced counts and the clusters, X = spliced', async () => {
    const adata = await pancreas();
    expect(adata.shape).toEqual(summary.pancreas.shape);
    const spliced = adata.layer('spliced') as CsrMatrix;
    const unspliced = adata.layer('unspliced') as CsrMatrix;
    expect(sum(spliced)).toBe(summary.pancreas.spliced_sum);
    expect(sum(unspliced)).toBe(summary.pancreas.unspliced_sum);
    expect(unspliced.nnz).toBe(summary.pancreas.unspliced_nnz);
    expect(adata.X).toBe(spliced);
    const clusters = adata.obs.get('clusters') as Categorical;
    expect(Object.fromEntries(clusters.counts())).toEqual(summary.pancreas.clusters);
    expect([...clusters.categories].sort()).toEqual([...PANCREAS_CLUSTER_ORDER].sort());
  });
});
