#!/usr/bin/env python3
"""The velocity of the cells of cluster A that border cluster B, in gene space, from an AnnData
written by `pnpm eval:velovi --h5ad F`: for each A cell with B cells among its neighbours in the
moments kNN graph (obsp distances), the mean Pearson correlation of its velocity (layer
`velocity`) with Ms_j - Ms_i over its B neighbours and over its A neighbours (scVelo's cosine
correlation, centred over genes); and the mean obs latent_time of both clusters.

  /usr/bin/python3 reference/boundary_velocity.py F.h5ad ["Ductal"] ["Ngn3 low EP"]
"""
import sys

import h5py
import numpy as np
import scipy.sparse as sp

path = sys.argv[1]
A = sys.argv[2] if len(sys.argv) > 2 else "Ductal"
B = sys.argv[3] if len(sys.argv) > 3 else "Ngn3 low EP"
with h5py.File(path, "r") as f:
    o = f["obs"]["clusters"]
    if isinstance(o, h5py.Group):
        cats = np.array([c.decode() if isinstance(c, bytes) else c for c in o["categories"][:]])
        clusters = cats[o["codes"][:]]
    else:
        clusters = np.array([c.decode() for c in o[:]])
    ms = f["layers"]["Ms"][:]
    v = f["layers"]["velocity"][:]
    d = f["obsp"]["distances"]
    graph = sp.csr_matrix((d["data"][:], d["indices"][:], d["indptr"][:]), shape=(len(clusters), len(clusters)))
    latent = f["obs"]["latent_time"][:]


def corr(a, b):
    a = a - a.mean()
    b = b - b.mean()
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


to_b, to_a = [], []
for i in np.where(clusters == A)[0]:
    nb = graph[i].indices
    nb_b, nb_a = nb[clusters[nb] == B], nb[clusters[nb] == A]
    if len(nb_b) == 0:
        continue
    to_b.append(np.mean([corr(ms[j] - ms[i], v[i]) for j in nb_b]))
    to_a.append(np.mean([corr(ms[j] - ms[i], v[i]) for j in nb_a]) if len(nb_a) else np.nan)
to_b, to_a = np.array(to_b), np.array(to_a)
print(f"{path}: {len(to_b)} of {np.sum(clusters == A)} {A} cells border {B}")
print(f"  mean correlation of their velocity with the step to a {B} neighbour {to_b.mean():.4f} ({np.mean(to_b > 0):.0%} of them > 0), to an {A} neighbour {np.nanmean(to_a):.4f}")
print(f"  mean latent_time: {A} {latent[clusters == A].mean():.3f}, {B} {latent[clusters == B].mean():.3f}")
