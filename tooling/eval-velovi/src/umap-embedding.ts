// A 2-D UMAP of the cells (umap-js, PAIR-code's port of McInnes' umap-learn), as scVelo's
// pancreas data ships with one (scanpy's sc.tl.umap: min_dist 0.5, spread 1) and velocity
// papers score CBDir on it. The input is moments' X_pca; umap-js builds its own kNN graph there
// (nn-descent, nNeighbors 30 as the moments graph) where scanpy reuses the neighbours graph.
// Seeded through @vitae/tensor's Prng, so a seed gives the same embedding every run.
import { Prng } from '@vitae/tensor';
import { UMAP } from 'umap-js';

import type { Matrix2D } from './velocity-graph.js';

export interface UmapOptions {
  seed: number;
  /** Default 30 (the moments graph's). */
  nNeighbors?: number;
  /** Default 0.5 (scanpy's). */
  minDist?: number;
}

export function umapEmbedding(x: Matrix2D, options: UmapOptions): Matrix2D {
  const rows = Array.from({ length: x.nRows }, (_, i) => Array.from({ length: x.nCols }, (_, j) => x.values[i * x.nCols + j] as number));
  const prng = new Prng(options.seed);
  const umap = new UMAP({ nComponents: 2, nNeighbors: options.nNeighbors ?? 30, minDist: options.minDist ?? 0.5, spread: 1, random: () => prng.nextDouble() });
  const embedded = umap.fit(rows);
  return { values: Float64Array.from(embedded.flat()), nRows: x.nRows, nCols: 2 };
}
