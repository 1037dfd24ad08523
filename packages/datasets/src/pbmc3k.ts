// pbmc3k: the 10x Genomics PBMC 3k dataset, the data of the scanpy / Seurat / scvi-tools
// tutorials, as raw UMI counts of all 2,700 cells on a documented gene subset (see README).
import { readH5ad } from '@vitae/anndata';
import { loadDataFile } from './load-file.js';

import type { AnnData } from '@vitae/anndata';

export interface Pbmc3kOptions {
  /** Keep only the 2,000 seurat_v3 highly variable genes (drop the extra marker genes). Default false. */
  hvgOnly?: boolean;
}

/**
 * PBMC 3k: X = raw UMI counts (CSR, 2,700 cells × 2,005 genes: the 2,000 seurat_v3 highly
 * variable genes of the full 32,738-gene matrix plus those of the Seurat tutorial's 16 marker
 * genes that are not among them); var names are gene symbols, var `gene_ids` the
 * Ensembl ids, `highly_variable` and `marker` flags; obs `cell_type` = the Seurat tutorial's
 * labels (categorical, 62 unlabelled cells missing), `total_counts` = UMIs over all 32,738
 * genes. Read from the package, no network.
 */
export async function pbmc3k(options: Pbmc3kOptions = {}): Promise<AnnData> {
  if (typeof options !== 'object' || options === null) throw new TypeError(`pbmc3k: options must be an object, got ${String(options)}`);
  const adata = await readH5ad(await loadDataFile('pbmc3k.h5ad'));
  if (!options.hvgOnly) return adata;
  return adata.subset({ var: [...(adata.var.get('highly_variable') as readonly boolean[])] });
}
