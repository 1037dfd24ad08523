// sc.pp.neighbors as an AnnData step: exact kNN, then obsp.distances / obsp.connectivities and
// uns.neighbors { connectivities_key, distances_key, params }.
import { checkOptions, fail, optionalNumber, show } from '../util/args.js';
import { withChanges } from '../util/adata.js';
import { knnDistances, umapConnectivities } from './connectivities.js';
import { neighbors } from './knn.js';

import type { AnnData } from '@vitae/anndata';
import type { KnnOptions, KnnResult } from './knn.js';

export interface NeighborGraphOptions extends KnnOptions {
  /** A kNN result computed before (its nNeighbors is used); otherwise `neighbors` runs. */
  knn?: KnnResult;
  /** Store under obsp[`${keyAdded}_distances`] etc. and uns[keyAdded] (default: 'distances', 'connectivities', uns.neighbors). */
  keyAdded?: string;
  setOpMixRatio?: number;
  localConnectivity?: number;
}

export function neighborGraph(adata: AnnData, options: NeighborGraphOptions = {}): AnnData {
  const fn = 'neighborGraph';
  checkOptions(fn, options, ['nNeighbors', 'useRep', 'nPcs', 'metric', 'knn', 'keyAdded', 'setOpMixRatio', 'localConnectivity']);
  const { knn: given, keyAdded, setOpMixRatio, localConnectivity, ...knnOptions } = options;
  const knn = given ?? neighbors(adata, knnOptions);
  if (knn.nObs !== adata.nObs) fail(fn, `option 'knn' must come from this AnnData's ${adata.nObs} cells, got a kNN of ${knn.nObs}`);
  if (keyAdded !== undefined && (typeof keyAdded !== 'string' || keyAdded === '')) fail(fn, `option 'keyAdded' must be a non-empty string, got ${show(keyAdded)}`);
  optionalNumber(fn, 'setOpMixRatio', setOpMixRatio, { min: 0, max: 1 });
  const { connectivities } = umapConnectivities(knn, { setOpMixRatio, localConnectivity });
  const distKey = keyAdded === undefined ? 'distances' : `${keyAdded}_distances`;
  const connKey = keyAdded === undefined ? 'connectivities' : `${keyAdded}_connectivities`;
  const params: Record<string, string | number> = { n_neighbors: knn.nNeighbors, method: 'umap', metric: 'euclidean', use_rep: options.useRep ?? 'X_pca' };
  if (options.nPcs !== undefined) params.n_pcs = options.nPcs;
  return withChanges(adata, {
    obsp: { [distKey]: knnDistances(knn), [connKey]: connectivities },
    uns: { [keyAdded ?? 'neighbors']: { connectivities_key: connKey, distances_key: distKey, params } },
  });
}
