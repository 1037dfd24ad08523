"""Reference values for @vitae/eval-velovi's velocity graph, transition matrix, velocity embedding
and CBDir: scVelo's velocity_graph / transition_matrix / velocity_embedding (scVelo at theislab/scvelo
ecb713d, scvelo/tools/*.py) and VeloAE / UniTVelo's cross_boundary_correctness, re-implemented in
numpy + scipy.sparse step by step as those functions run (same sparse operations, so scipy's
handling of explicit zeros is the same), on a small random case.

    python3 tooling/eval-velovi/tooling/scvelo_projection.py  # writes ../fixtures/scvelo-projection.json

Needs numpy and scipy only (no scVelo, no anndata). Differences from scVelo on purpose: float64
throughout (scVelo casts X and V to float32), and no autoscale of the embedded arrows (a single
positive factor from matplotlib's quiver).
"""

import json
import os

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix

rng = np.random.default_rng(7)
N, G, K = 40, 9, 5  # cells, genes, stored neighbours per cell (self excluded, as scanpy stores them)


def l2_norm(x, axis=-1):
    return np.sqrt(np.sum(x * x, axis=axis))


# ---- inputs ------------------------------------------------------------------------------
X = rng.normal(size=(N, G)).cumsum(axis=0) * 0.3 + rng.normal(size=(N, G))  # a drifting cloud
V = rng.normal(size=(N, G)) + 0.5 * (X[np.minimum(np.arange(N) + 3, N - 1)] - X)
V[5] = 0.0  # a cell without velocity: no graph row
V[6] = 2.5  # constant over genes: centred to zero, also no row
X[8] = X[9]  # identical states: cosine NaN -> 0, not stored
emb = np.stack([np.arange(N) * 0.2 + rng.normal(scale=0.3, size=N), rng.normal(size=N)], axis=1)
emb[11] = emb[12]  # identical embedding positions: unit displacement 0

# kNN distances graph in the embedding's 2-D + X space (any graph works), self excluded,
# cell 0 with two extra neighbours (scVelo's get_indices trims rows to the minimum count).
coords = np.concatenate([X, emb], axis=1)
D = np.sqrt(((coords[:, None, :] - coords[None, :, :]) ** 2).sum(-1))
rows, cols, vals = [], [], []
for i in range(N):
    order = [j for j in np.argsort(D[i], kind="stable") if j != i]
    k = K + 2 if i == 0 else K
    for j in order[:k]:
        rows.append(i)
        cols.append(j)
        vals.append(D[i, j])
dist = csr_matrix((vals, (rows, cols)), shape=(N, N))
dist.sort_indices()


# ---- scVelo get_indices (mode_neighbors='distances', n_neighbors=None) ---------------------
def get_indices(dist):
    D = dist.copy()
    D.data += 1e-6
    n_counts = np.asarray((D > 0).sum(axis=1)).ravel()
    n_neighbors = n_counts.min()
    rows = np.where(n_counts > n_neighbors)[0]
    cumsum_neighs = np.insert(n_counts.cumsum(), 0, 0)
    dat = D.data
    for row in rows:
        n0, n1 = cumsum_neighs[row], cumsum_neighs[row + 1]
        rm_idx = n0 + dat[n0:n1].argsort()[n_neighbors:]
        dat[rm_idx] = 0
    D.eliminate_zeros()
    D.data -= 1e-6
    return D.indices.reshape((-1, n_neighbors))


def get_iterative_indices(indices, index, n_recurse_neighbors=2):
    def iterate_indices(indices, index, n_recurse_neighbors):
        if n_recurse_neighbors > 1:
            index = iterate_indices(indices, index, n_recurse_neighbors - 1)
        ix = np.append(index, indices[index])
        return ix.astype(int)

    return np.unique(iterate_indices(indices, index, n_recurse_neighbors))


def cosine_correlation(dX, Vi):
    dx = dX - dX.mean(-1)[:, None]
    Vi_norm = l2_norm(Vi, axis=0)
    with np.errstate(all="ignore"):
        if Vi_norm == 0:
            return np.zeros(dx.shape[0])
        return np.einsum("ij, j", dx, Vi) / (l2_norm(dx, axis=1) * Vi_norm)[None, :]


# ---- velocity_graph ------------------------------------------------------------------------
indices = get_indices(dist)
Vc = V - np.nanmean(V, axis=1)[:, None]
g_vals, g_rows, g_cols = [], [], []
for i in range(N):
    if Vc[i].max() != 0 or Vc[i].min() != 0:
        nb = get_iterative_indices(indices, i, 2)
        dX = X[nb] - X[i, None]
        val = cosine_correlation(dX, Vc[i])
        g_vals.extend(np.ravel(val))
        g_rows.extend(np.ones(len(nb)) * i)
        g_cols.extend(nb)
g_vals = np.hstack(g_vals)
g_vals[np.isnan(g_vals)] = 0
graph = coo_matrix((g_vals, (g_rows, g_cols)), shape=(N, N))
graph_neg = graph.copy()
graph.data = np.clip(graph.data, 0, 1)
graph_neg.data = np.clip(graph_neg.data, -1, 0)
graph.eliminate_zeros()
graph_neg.eliminate_zeros()
graph, graph_neg = graph.tocsr(), graph_neg.tocsr()
confidence = graph.max(1).toarray().flatten()
self_prob = np.clip(np.percentile(confidence, 98) - confidence, 0, 1)


# ---- transition_matrix (basis None, no thresholds) ----------------------------------------
def normalize(X):
    with np.errstate(all="ignore"):
        return X.multiply(csr_matrix(1.0 / np.abs(X).sum(1)))


def transition_matrix(scale=10, self_transitions=True, use_negative_cosines=False):
    g = csr_matrix(graph).copy()
    if self_transitions:
        conf = g.max(1).toarray().flatten()
        ub = np.percentile(conf, 98)
        g.setdiag(np.clip(ub - conf, 0, 1))
    T = np.expm1(g * scale)
    if use_negative_cosines:
        T -= np.expm1(-graph_neg * scale)
    else:
        T += np.expm1(graph_neg * scale)
        T.data += 1
    return csr_matrix(normalize(T))


def velocity_embedding(scale=10):
    T = transition_matrix(scale=scale, self_transitions=True, use_negative_cosines=True)
    T.setdiag(0)
    T.eliminate_zeros()
    TA = T.toarray()
    V_emb = np.zeros(emb.shape)
    with np.errstate(all="ignore"):
        for i in range(N):
            idx = T[i].indices
            dX = emb[idx] - emb[i, None]
            dX /= l2_norm(dX)[:, None]
            dX[np.isnan(dX)] = 0
            probs = TA[i, idx]
            V_emb[i] = probs.dot(dX) - (probs.mean() if len(probs) else np.nan) * dX.sum(0)
    return V_emb


T_default = transition_matrix()
T_negative = transition_matrix(use_negative_cosines=True)
V_emb = velocity_embedding()

# ---- cross_boundary_correctness (VeloAE / UniTVelo) -----------------------------------------
clusters = np.array(["A"] * 14 + ["B"] * 13 + ["C"] * 13)
edges = [("A", "B"), ("B", "C"), ("C", "A")]


def cosine_similarity_rows(P, v):
    pn = l2_norm(P, axis=1)
    vn = l2_norm(v)
    out = np.zeros(P.shape[0])
    ok = (pn > 0) & (vn > 0)
    out[ok] = P[ok].dot(v) / (pn[ok] * vn)
    return out


cbdir = {}
for u, v in edges:
    sel = np.where(clusters == u)[0]
    scores = []
    for i in sel:
        nodes = indices[i][clusters[indices[i]] == v]
        if len(nodes) == 0:
            continue
        scores.append(np.mean(cosine_similarity_rows(emb[nodes] - emb[i], V_emb[i])))
    cbdir[f"{u}->{v}"] = {"score": float(np.mean(scores)) if scores else None, "nCells": len(scores)}

out = {
    "source": "tooling/eval-velovi/tooling/scvelo_projection.py (scVelo ecb713d velocity_graph / transition_matrix / velocity_embedding; VeloAE / UniTVelo cross_boundary_correctness)",
    "n": N,
    "g": G,
    "X": X.ravel().tolist(),
    "V": V.ravel().tolist(),
    "embedding": emb.ravel().tolist(),
    "distances": {"indptr": dist.indptr.tolist(), "indices": dist.indices.tolist(), "data": dist.data.tolist()},
    "neighborIndices": indices.tolist(),
    "graph": (graph + graph_neg).toarray().ravel().tolist(),
    "selfProb": self_prob.tolist(),
    "transitionDefault": T_default.toarray().ravel().tolist(),
    "transitionNegative": T_negative.toarray().ravel().tolist(),
    "velocityEmbedding": [None if np.isnan(x) else x for x in V_emb.ravel().tolist()],  # NaN: no transitions
    "clusters": clusters.tolist(),
    "edges": [list(e) for e in edges],
    "cbdir": cbdir,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures", "scvelo-projection.json")
with open(path, "w") as f:
    json.dump(out, f)
    f.write("\n")
print(f"wrote {os.path.normpath(path)}: {N} cells, {G} genes, graph nnz {graph.nnz + graph_neg.nnz}, cbdir {cbdir}")
