// pancreas: mouse pancreas endocrinogenesis (Bastidas-Ponce et al. 2019), the scVelo / veloVI
// benchmark, subsampled to 739 cells, with spliced and unspliced counts.
import { readH5ad } from '@vitae/anndata';
import { loadDataFile } from './load-file.js';

import type { AnnData } from '@vitae/anndata';

/** The differentiation order of the clusters, from progenitors to the four endocrine fates. */
export const PANCREAS_CLUSTER_ORDER = ['Ductal', 'Ngn3 low EP', 'Ngn3 high EP', 'Pre-endocrine', 'Alpha', 'Beta', 'Delta', 'Epsilon'] as const;

/** The known transitions of the lineage (source → target), for velocity checks. */
export const PANCREAS_TRANSITIONS: readonly (readonly [string, string])[] = [
  ['Ductal', 'Ngn3 low EP'],
  ['Ngn3 low EP', 'Ngn3 high EP'],
  ['Ngn3 high EP', 'Pre-endocrine'],
  ['Pre-endocrine', 'Alpha'],
  ['Pre-endocrine', 'Beta'],
  ['Pre-endocrine', 'Delta'],
  ['Pre-endocrine', 'Epsilon'],
];

/**
 * Pancreas endocrinogenesis: 739 cells × 7,192 genes; layers `spliced` and `unspliced`
 * (counts, CSR) and X = spliced (as scVelo's dataset); obs `clusters` (categorical: Ductal,
 * Ngn3 low EP, Ngn3 high EP, Pre-endocrine, Alpha, Beta, Delta, Epsilon). Read from the
 * package, no network.
 */
export async function pancreas(): Promise<AnnData> {
  const adata = await readH5ad(await loadDataFile('pancreas.h5ad'));
  // The file leaves X out (it equals the spliced layer) to keep the package small.
  adata.X = adata.layer('spliced');
  return adata;
}
