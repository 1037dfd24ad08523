// The scVelo steps of veloVI's tutorial on pancreas739 (shared/datasets), against the numpy / scipy
// reference in tooling/fixtures/data/scvelo.json (generators/scvelo_steps.py). Skips with a reason
// when the data set is absent, unless VITAE_REQUIRE_DATA=1.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { readH5ad, toDenseValues } from '@vitae/anndata';
import { loadFixture } from '@vitae/fixtures/load';
import { beforeAll, describe, expect, it } from 'vitest';

import { filterAndNormalize, scveloFilterGenesMask } from './filter-normalize.js';
import { moments } from './moments.js';
import { preprocessVelocityData } from './preprocess-velocity.js';
import { minMaxScale } from './scale.js';
import { steadyStateVelocity } from './velocity.js';

import type { AnnData, CsrMatrix, DenseArray } from '@vitae/anndata';

interface FnEntry {
  minSharedCounts: number;
  nAfterSharedFilter: number;
  genes: number[];
  medians: Record<string, number>;
  cutoff: number;
  dispersionsNorm?: number[];
  means?: number[];
  obs?: Record<string, number[]>;
  splicedTotals?: number[];
  unsplicedTotals?: number[];
  logXTotals?: number[];
  sampleGenes?: number[];
  logX?: number[];
  spliced?: number[];
  geneCountCorr?: number[] | null;
  cellRangerGenes?: number[];
}

interface ScveloFixture {
  nObs: number;
  nVars: number;
  sampleCells: number[];
  filterAndNormalize: Record<'30' | '20', FnEntry>;
  moments: {
    singularValues: number[];
    xPca: number[];
    knnIndices: number[][];
    knnDistances: number[];
    knnMinGap: number;
    neighbourCounts: number[];
    Ms: number[];
    Mu: number[];
    MsRowSums: number[];
    MuRowSums: number[];
    MsDistancesMode: number[];
  };
  minMaxScale: { Ms: number[]; Mu: number[] };
  steadyState: {
    gamma: number[];
    r2: number[];
    nUsed: number[];
    velocityGenes: number[];
    velocity: number[];
    fitOffsetFirst200: { gamma: number[]; offset: number[]; r2: number[]; velocityGenes: number[] };
  };
  preprocessData: { kept: number[]; keptNames: string[] };
}

const DATA = fileURLToPath(new URL('../../../../../shared/datasets/pancreas739/pancreas739.h5ad', import.meta.url));
let skip: string | undefined;
if (!existsSync(DATA)) {
  skip = `dataset pancreas739 not found at ${DATA}`;
  if (process.env.VITAE_REQUIRE_DATA === '1') throw new Error(`${skip} (VITAE_REQUIRE_DATA=1)`);
}

const ref = loadFixture<ScveloFixture>('scvelo');
const cells = ref.sampleCells;

/** Values of a row-major matrix at cells × genes. */
function pick(values: ArrayLike<number>, nCols: number, rows: readonly number[], cols: readonly number[]): number[] {
  return rows.flatMap((i) => cols.map((j) => values[i * nCols + j] as number));
}

/** max |a - b| / (|b| + floor) over the pairs. */
function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>, floor: number): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let k = 0; k < b.length; k++) worst = Math.max(worst, Math.abs((a[k] as number) - (b[k] as number)) / (Math.abs(b[k] as number) + floor));
  return worst;
}

describe.skipIf(skip !== undefined)(`scVelo steps on pancreas739${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let raw: AnnData;
  let fn30: AnnData;
  let mom: AnnData;

  beforeAll(async () => {
    raw = await readH5ad(DATA);
    fn30 = filterAndNormalize(raw, { minSharedCounts: 30, nTopGenes: 2000 });
    mom = moments(fn30, { nPcs: 30, nNeighbors: 30 });
  }, 60_000);

  it('filter_and_normalize(min_shared_counts=30, n_top_genes=2000): the same genes, sizes and normalized values', () => {
    const e = ref.filterAndNormalize['30'];
    expect(fn30.varNames).toEqual(e.genes.map((i) => raw.varNames[i]));
    const obs = e.obs as Record<string, number[]>;
    for (const key of ['initial_size', 'initial_size_spliced', 'initial_size_unspliced', 'n_counts']) {
      const col = fn30.obs.get(key) as Float32Array;
      expect(cells.map((i) => col[i])).toEqual(obs[key]); // float32 steps as scVelo: bit for bit
    }
    const genes = e.sampleGenes as number[];
    // normalized spliced (float32 size factors, as scVelo): bit for bit; log1p X rounded from float64
    expect(pick(toDenseValues(fn30.layer('spliced')), fn30.nVars, cells, genes)).toEqual(e.spliced);
    expect(pick(toDenseValues(fn30.layer('X')), fn30.nVars, cells, genes)).toEqual(e.logX);
    const totals = (name: string): number[] => {
      const v = toDenseValues(fn30.layer(name));
      return cells.map((i) => {
        let t = 0;
        for (let j = 0; j < fn30.nVars; j++) t += v[i * fn30.nVars + j] as number;
        return t;
      });
    };
    expect(maxRelDiff(totals('spliced'), e.splicedTotals as number[], 0)).toBeLessThan(1e-12);
    expect(maxRelDiff(totals('unspliced'), e.unsplicedTotals as number[], 0)).toBeLessThan(1e-12);
    expect(maxRelDiff(totals('X'), e.logXTotals as number[], 0)).toBeLessThan(1e-12);
    // dispersion statistics of the kept genes (float64 in both)
    const shared = scveloFilterGenesMask(raw.layer('spliced'), raw.layer('unspliced'), { minSharedCounts: 30 });
    const position = new Map<number, number>();
    shared.forEach((k, j) => k && position.set(j, position.size));
    expect(position.size).toBe(e.nAfterSharedFilter);
    const norm = fn30.var.get('dispersions_norm') as Float64Array;
    const refNorm = e.genes.map((g) => (e.dispersionsNorm as number[])[position.get(g) as number] as number);
    expect(maxRelDiff(norm, refNorm, 1e-3)).toBeLessThan(1e-9);
    expect(Math.min(...norm)).toBeGreaterThanOrEqual(e.cutoff - 1e-12);
    const corr = fn30.var.get('gene_count_corr') as Float64Array;
    const maxCorrDiff = Math.max(...genes.map((g, k) => Math.abs((corr[g] as number) - ((e.geneCountCorr as number[])[k] as number))));
    expect(maxCorrDiff).toBeLessThanOrEqual(1.0001e-4); // 4-decimal rounding may differ by one unit
  });

  it('filter_and_normalize(min_shared_counts=20, n_top_genes=2000) and flavor cell_ranger: the same genes', () => {
    const e = ref.filterAndNormalize['20'];
    const out = filterAndNormalize(raw, { minSharedCounts: 20, nTopGenes: 2000 });
    expect(out.varNames).toEqual(e.genes.map((i) => raw.varNames[i]));
    const cr = filterAndNormalize(raw, { minSharedCounts: 30, nTopGenes: 2000, flavor: 'cell_ranger' });
    expect(cr.varNames).toEqual((ref.filterAndNormalize['30'].cellRangerGenes as number[]).map((i) => raw.varNames[i]));
  });

  it('moments(n_pcs=30, n_neighbors=30): PCA, the kNN and Ms / Mu', () => {
    const m = ref.moments;
    const genes = ref.filterAndNormalize['30'].sampleGenes as number[];
    const variance = (mom.uns.pca as { variance: Float64Array }).variance;
    const sv = Array.from(variance, (v) => Math.sqrt(v * (mom.nObs - 1)));
    expect(maxRelDiff(sv, m.singularValues, 0)).toBeLessThan(1e-9);
    // scores with scanpy 1.9's signs
    const xPca = mom.obsm.X_pca as DenseArray;
    expect(xPca.nCols).toBe(30);
    expect(maxRelDiff(pick(xPca.values, 30, cells, Array.from({ length: 30 }, (_, c) => c)), m.xPca, 1)).toBeLessThan(1e-6);
    // the same neighbours (the graph's rows), cell by cell
    const dist = mom.obsp.distances as CsrMatrix;
    cells.forEach((i, r) => {
      const row = Array.from(dist.indices.subarray(dist.indptr[i], dist.indptr[i + 1])).sort((a, b) => a - b);
      expect(row).toEqual((m.knnIndices[r] as number[]).filter((j) => j !== i).sort((a, b) => a - b));
    });
    const conn = mom.obsp.connectivities as CsrMatrix;
    expect(Array.from(conn.rowNnz(), (c) => c + 1)).toEqual(m.neighbourCounts);
    const ms = (mom.layers.Ms as DenseArray).values;
    const mu = (mom.layers.Mu as DenseArray).values;
    expect(maxRelDiff(pick(ms, mom.nVars, cells, genes), m.Ms, 1e-6)).toBeLessThan(1e-6);
    expect(maxRelDiff(pick(mu, mom.nVars, cells, genes), m.Mu, 1e-6)).toBeLessThan(1e-6);
    const rowSum = (v: ArrayLike<number>, i: number): number => {
      let t = 0;
      for (let j = 0; j < mom.nVars; j++) t += v[i * mom.nVars + j] as number;
      return t;
    };
    expect(maxRelDiff(cells.map((i) => rowSum(ms, i)), m.MsRowSums, 0)).toBeLessThan(1e-6);
    expect(maxRelDiff(cells.map((i) => rowSum(mu, i)), m.MuRowSums, 0)).toBeLessThan(1e-6);
    const byDistances = moments(fn30, { nPcs: 30, nNeighbors: 30, mode: 'distances' });
    expect(maxRelDiff(pick((byDistances.layers.Ms as DenseArray).values, mom.nVars, cells, genes), m.MsDistancesMode, 1e-6)).toBeLessThan(1e-6);
  });

  it('preprocess_data: min-max scaling, the steady-state fit and the kept genes', () => {
    const genes = ref.filterAndNormalize['30'].sampleGenes as number[];
    const scaled = minMaxScale(mom);
    expect(maxRelDiff(pick((scaled.layers.Ms as DenseArray).values, mom.nVars, cells, genes), ref.minMaxScale.Ms, 1e-6)).toBeLessThan(1e-5);
    expect(maxRelDiff(pick((scaled.layers.Mu as DenseArray).values, mom.nVars, cells, genes), ref.minMaxScale.Mu, 1e-6)).toBeLessThan(1e-5);
    const fit = steadyStateVelocity(scaled);
    const s = ref.steadyState;
    const gamma = fit.var.get('velocity_gamma') as Float64Array;
    const r2 = fit.var.get('velocity_r2') as Float64Array;
    // the same cells in every gene's extreme-quantile fit (float32 bound as numpy computes it)
    expect(maxRelDiff(gamma, s.gamma, 1e-3)).toBeLessThan(1e-9);
    expect(maxRelDiff(r2, s.r2, 1)).toBeLessThan(1e-9);
    const vg = fit.var.get('velocity_genes') as boolean[];
    expect(vg.flatMap((v, j) => (v ? [j] : []))).toEqual(s.velocityGenes);
    expect(maxRelDiff(pick((fit.layers.velocity as DenseArray).values, mom.nVars, cells, genes), s.velocity, 1e-3)).toBeLessThan(1e-4);
    const first200 = scaled.subset({ var: { start: 0, end: 200 } });
    const fo = steadyStateVelocity(first200, { fitOffset: true });
    expect(maxRelDiff(fo.var.get('velocity_gamma') as Float64Array, s.fitOffsetFirst200.gamma, 1e-3)).toBeLessThan(1e-9);
    expect(maxRelDiff(fo.var.get('velocity_offset') as Float64Array, s.fitOffsetFirst200.offset, 1e-3)).toBeLessThan(1e-9);
    expect(maxRelDiff(fo.var.get('velocity_r2') as Float64Array, s.fitOffsetFirst200.r2, 1)).toBeLessThan(1e-9);
    expect((fo.var.get('velocity_genes') as boolean[]).flatMap((v, j) => (v ? [j] : []))).toEqual(s.fitOffsetFirst200.velocityGenes);
    const out = preprocessVelocityData(mom);
    expect(out.varNames).toEqual(ref.preprocessData.keptNames);
    expect(out.nVars).toBe(ref.preprocessData.kept.length);
  });
});
