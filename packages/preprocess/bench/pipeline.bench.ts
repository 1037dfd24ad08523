// `pnpm bench` for @vitae/preprocess: scanpy's standard pipeline on the real pbmc3k counts
// (2,700 cells × 32,738 genes → 2,000 HVGs, 50 PCs, k = 15), each step timed as the median of
// REPEATS runs on the wasm backend, the PCA solvers with their largest relative error of the
// variance ratios against the numpy / LAPACK reference (fixture preprocess.json); then the
// exact kNN on clustered 50-dimensional points at growing n (one run each; `--large` adds 50k).
import { DenseArray, read10xMtx } from '@vitae/anndata';
import { median, printTable } from '@vitae/bench-harness';
import { loadFixture } from '@vitae/fixtures/load';
import { dataset } from '@vitae/fixtures/shared-data';
import { Prng, ready, setBackend } from '@vitae/tensor';

import { filterCells, filterGenes, highlyVariableGenes, log1p, neighborGraph, neighbors, normalizeTotal, pca, scale } from '../src/index.js';
import { normals } from '../src/util/random.js';

import type { AnnData } from '@vitae/anndata';
import type { PcaOptions } from '../src/index.js';

const REPEATS = 3;
const { path, skip } = dataset('pbmc3k');
if (skip !== undefined) {
  console.log(`@vitae/preprocess bench skipped: ${skip}`);
  process.exit(0);
}
await setBackend('wasm');
await ready();

/** Median seconds of `f` over REPEATS runs, and its last result. */
function time<T>(f: () => T): { seconds: number; result: T } {
  const seconds: number[] = [];
  let result: T | undefined;
  for (let r = 0; r < REPEATS; r++) {
    const t = performance.now();
    result = f();
    seconds.push((performance.now() - t) / 1000);
  }
  return { seconds: median(seconds), result: result as T };
}

const reference = loadFixture<{ pbmc3k: { pca: { varianceRatio: number[] } } }>('preprocess').pbmc3k.pca.varianceRatio;
const ratioErrors = (a: AnnData): string => {
  const got = (a.uns.pca as { variance_ratio: Float64Array }).variance_ratio;
  const worst = (n: number): number => Math.max(...reference.slice(0, n).map((want, c) => Math.abs((got[c] as number) - want) / want));
  return `${worst(10).toExponential(1)} / ${worst(50).toExponential(1)}`;
};

const raw = await read10xMtx(path);
const rows: Record<string, string | number>[] = [];
const step = <T>(name: string, f: () => T, error = ''): T => {
  const { seconds, result } = time(f);
  rows.push({ step: name, 'median s': seconds.toFixed(3), 'variance-ratio error, PCs 1-10 / 1-50': error });
  return result;
};

const counts = step('filterCells(minGenes 200) + filterGenes(minCells 3)', () => filterGenes(filterCells(raw, { minGenes: 200 }), { minCells: 3 }));
step('highlyVariableGenes seurat_v3 (counts, 2000)', () => highlyVariableGenes(counts, { flavor: 'seurat_v3', nTopGenes: 2000 }));
const logged = step('normalizeTotal(1e4) + log1p', () => log1p(normalizeTotal(counts, { targetSum: 1e4 })));
const hvg = step('highlyVariableGenes seurat (log, 2000)', () => highlyVariableGenes(logged, { flavor: 'seurat', nTopGenes: 2000 }));
const scaled = step('subset to HVGs + scale(maxValue 10)', () => scale(hvg.subset({ var: hvg.var.get('highly_variable') as boolean[] }), { maxValue: 10 }));
const solvers: [string, PcaOptions][] = [
  ['pca exact, tensor products (default on wasm)', { nComps: 50 }],
  ['pca exact, js products (default on cpu)', { nComps: 50, products: 'js' }],
  ['pca randomized, defaults', { nComps: 50, svdSolver: 'randomized', seed: 0 }],
];
let withPca: AnnData | undefined;
for (const [name, options] of solvers) {
  const { seconds, result } = time(() => pca(scaled, options));
  rows.push({ step: name, 'median s': seconds.toFixed(3), 'variance-ratio error, PCs 1-10 / 1-50': ratioErrors(result) });
  withPca ??= result;
}
const knn = step('neighbors (exact, k = 15, 50 PCs)', () => neighbors(withPca as AnnData, { nNeighbors: 15 }));
step('neighborGraph (UMAP connectivities from that kNN)', () => neighborGraph(withPca as AnnData, { knn }));

console.log(`\n@vitae/preprocess on pbmc3k (${raw.nObs} × ${raw.nVars}), wasm backend, median of ${REPEATS}:\n`);
printTable(rows);

// Exact kNN cost grows as n²: clustered points (20 Gaussian clusters in 50 dimensions).
const sizes = process.argv.includes('--large') ? [5000, 10000, 20000, 50000] : [5000, 10000, 20000];
const knnRows: Record<string, string | number>[] = [];
for (const n of sizes) {
  const prng = new Prng(n);
  const centers = normals(prng, 20 * 50).map((v) => 4 * v);
  const noise = normals(prng, n * 50);
  const coords = new Float32Array(n * 50);
  for (let i = 0; i < n; i++) for (let d = 0; d < 50; d++) coords[i * 50 + d] = (centers[(i % 20) * 50 + d] as number) + (noise[i * 50 + d] as number);
  const t = performance.now();
  neighbors(new DenseArray(coords, n, 50), { nNeighbors: 15 });
  knnRows.push({ cells: n, 'seconds (one run)': ((performance.now() - t) / 1000).toFixed(2) });
}
console.log('\nExact kNN, k = 15, clustered 50-dimensional points:\n');
printTable(knnRows);
