#!/usr/bin/env python3
"""A 2-D UMAP of the pancreas cells made as scanpy's `sc.tl.umap` makes it, for
`pnpm eval:velovi --extra-embedding F.json`: umap-learn's `simplicial_set_embedding` on the
neighbours graph that `moments` stored (obsp connectivities: umap-learn's fuzzy simplicial set of
the 30-NN graph of X_pca, as scanpy's `sc.pp.neighbors`), with sc.tl.umap's defaults: min_dist 0.5,
spread 1 (a, b from `find_ab_params`), initial alpha 1, gamma 1, negative_sample_rate 5, spectral
initialisation, n_epochs 0 (umap-learn's 500 for small data), random_state R.

eval:velovi's judged UMAP is umap-js (random initialisation, its own nn-descent graph); this is the
embedding scanpy would give scVelo on the same cells, so the two can be compared on the same runs.
Needs Debian's umap-learn and python3-h5py (no scanpy). The input is any h5ad written by
`pnpm eval:velovi --h5ad F` (the preprocessing does not depend on the seed).

  /usr/bin/python3 reference/scanpy_umap.py --h5ad /tmp/ev/seed4.h5ad --random-state 0 --out results/umap-learn-rs0.json
"""
import argparse
import json

import h5py
import numpy as np
import scipy.sparse as sp
import umap
from umap.umap_ import find_ab_params, simplicial_set_embedding

p = argparse.ArgumentParser()
p.add_argument("--h5ad", required=True)
p.add_argument("--random-state", type=int, default=0)
p.add_argument("--out", required=True)
args = p.parse_args()

with h5py.File(args.h5ad, "r") as f:
    x_pca = f["obsm"]["X_pca"][:].astype(np.float32)
    c = f["obsp"]["connectivities"]
    n = x_pca.shape[0]
    graph = sp.csr_matrix((c["data"][:], c["indices"][:], c["indptr"][:]), shape=(n, n))
    index = f["obs"].attrs.get("_index", "_index")
    obs_names = [s.decode() if isinstance(s, bytes) else str(s) for s in f["obs"][index][:]]

a, b = find_ab_params(1.0, 0.5)
embedding, _ = simplicial_set_embedding(
    data=x_pca,
    graph=graph.tocoo(),
    n_components=2,
    initial_alpha=1.0,
    a=a,
    b=b,
    gamma=1.0,
    negative_sample_rate=5,
    n_epochs=0,
    init="spectral",
    random_state=np.random.RandomState(args.random_state),
    metric="euclidean",
    metric_kwds={},
    densmap=False,
    densmap_kwds={},
    output_dens=False,
)
out = {
    "name": f"UMAP umap-learn rs{args.random_state}",
    "source": f"umap-learn {umap.__version__} simplicial_set_embedding on obsp connectivities as scanpy's sc.tl.umap "
    f"(min_dist 0.5, spread 1, spectral init, random_state {args.random_state})",
    "obsNames": obs_names,
    "nRows": int(embedding.shape[0]),
    "nCols": int(embedding.shape[1]),
    "values": [round(float(v), 6) for v in embedding.astype(np.float64).ravel()],
}
with open(args.out, "w") as f:
    json.dump(out, f)
print(f"wrote {args.out}: {embedding.shape[0]} cells, a = {a:.4f}, b = {b:.4f}")
