#!/usr/bin/env python3
"""Builds the real data files shipped in @vitae/datasets (packages/datasets/data/) from
../shared/datasets. Run from the repo root with an interpreter that has numpy, scipy, h5py
(Debian: /usr/bin/python3 with python3-scipy python3-h5py):

    /usr/bin/python3 tooling/datasets/build.py

pbmc3k.h5ad     10x PBMC 3k raw UMI counts, all 2,700 cells, restricted to the 2,000 seurat_v3
                highly variable genes (computed on the counts of all 32,738 genes, scanpy's
                flavour, by tooling/fixtures/generators/scanpy_reference.py) plus the Seurat
                tutorial's marker genes; obs cell_type = the Seurat tutorial labels (62 cells
                unlabelled = missing), total_counts = the cell's UMI total over ALL genes.
pancreas.h5ad   mouse pancreas endocrinogenesis, 739 cells x 7,192 genes, layers spliced /
                unspliced (counts), obs clusters. X is not stored (the loader sets X = spliced)
                to keep the package small.
"""
import csv
import hashlib
import json
import os
import sys

import numpy as np
import scipy.io
import scipy.sparse as sp

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.join(ROOT, "..", "shared", "datasets")
OUT = os.path.join(ROOT, "packages", "datasets", "data")
sys.path.insert(0, os.path.join(ROOT, "tooling", "fixtures", "generators"))
sys.path.insert(0, HERE)

from h5ad_writer import write_h5ad  # noqa: E402

# The markers of the Seurat PBMC 3k tutorial (its FeaturePlot / cluster-identity table).
MARKERS = ["IL7R", "CCR7", "S100A4", "CD14", "LYZ", "MS4A1", "CD79A", "CD8A", "FCGR3A", "MS4A7",
           "GNLY", "NKG7", "FCER1A", "CST3", "PPBP", "CD3E"]


def pbmc3k():
    from scanpy_reference import hvg_seurat_v3  # noqa: E402  (written beside the fixture generators)

    d = os.path.join(SHARED, "pbmc3k")
    counts = sp.csr_matrix(scipy.io.mmread(os.path.join(d, "matrix.mtx.gz")).T.astype(np.int64))  # cells x genes
    genes = [line.rstrip("\n").split("\t") for line in open(os.path.join(d, "genes.tsv"))]
    gene_ids = [g[0] for g in genes]
    symbols = [g[1] for g in genes]
    barcodes = [line.strip() for line in open(os.path.join(d, "barcodes.tsv"))]
    labels = {}
    with open(os.path.join(d, "pbmc3k_seurat_annotations.csv")) as fh:
        for row in csv.DictReader(fh):
            if row["manual_annot"] not in ("", "NA"):  # 62 cells are unlabelled ("NA")
                labels[row["cells"] + "-1"] = row["manual_annot"]

    hvg = hvg_seurat_v3(counts, n_top_genes=2000)
    keep = np.asarray(hvg["highly_variable"], dtype=bool).copy()
    symbol_position = {}
    for j, s in enumerate(symbols):
        symbol_position.setdefault(s, j)
    for m in MARKERS:
        keep[symbol_position[m]] = True
    cols = np.flatnonzero(keep)
    X = counts[:, cols].astype(np.int32)
    X.sort_indices()

    categories = sorted({v for v in labels.values() if v})
    codes = [categories.index(labels[b]) if labels.get(b) else -1 for b in barcodes]
    # Gene symbols are unique among the kept genes; scanpy's var_names are symbols.
    kept_symbols = [symbols[j] for j in cols]
    assert len(set(kept_symbols)) == len(kept_symbols)
    obs = {
        "cell_type": {"codes": codes, "categories": categories},
        "total_counts": np.asarray(counts.sum(axis=1)).ravel().astype(np.float32),
    }
    var = {
        "gene_ids": [gene_ids[j] for j in cols],
        "highly_variable": keep[cols] & np.asarray(hvg["highly_variable"], dtype=bool)[cols],
        "marker": np.isin(kept_symbols, MARKERS),
    }
    uns = {"provenance": "10x Genomics PBMC 3k (filtered_gene_bc_matrices/hg19) raw UMI counts; labels: "
                         "Seurat PBMC 3k tutorial annotation (manual_annot); genes: 2,000 seurat_v3 HVGs "
                         "(scanpy flavour, on all 32,738 genes) + the tutorial's marker genes. "
                         "Built by tooling/datasets/build.py."}
    path = os.path.join(OUT, "pbmc3k.h5ad")
    write_h5ad(path, X, barcodes, obs, kept_symbols, var, uns=uns)
    return path, {"shape": list(X.shape), "nnz": int(X.nnz), "sum": int(X.sum()),
                  "hvg": int(var["highly_variable"].sum()), "markers": MARKERS,
                  "labelled": int(sum(c >= 0 for c in codes)),
                  "cell_type_counts": {c: codes.count(i) for i, c in enumerate(categories)},
                  "var_names_sha256": hashlib.sha256("\n".join(kept_symbols).encode()).hexdigest()}


def pancreas():
    from scanpy_reference import read_pancreas739  # noqa: E402

    data = read_pancreas739(os.path.join(SHARED, "pancreas739", "pancreas739.h5ad"))
    spliced, unspliced = data["spliced"], data["unspliced"]
    obs_index, var_index = data["obs_names"], data["var_names"]
    categories = data["cluster_categories"]
    codes = [categories.index(c) if c is not None else -1 for c in data["clusters"]]
    for m in (spliced, unspliced):
        assert np.all(m.data == np.round(m.data)) and np.all(m.data >= 0), "counts expected"
    layers = {"spliced": spliced.astype(np.int32), "unspliced": unspliced.astype(np.int32)}
    uns = {"provenance": "Bastidas-Ponce et al. 2019 mouse pancreas endocrinogenesis (E15.5), the scVelo / "
                         "veloVI benchmark, subsampled to 739 cells (JEFworks-Lab/veloviz data/pancreas.rda). "
                         "Built by tooling/datasets/build.py."}
    path = os.path.join(OUT, "pancreas.h5ad")
    # X is left out on purpose: it equals layers['spliced']; the loader restores it.
    write_h5ad(path, None, obs_index, {"clusters": {"codes": codes, "categories": categories}}, var_index, {},
               layers=layers, uns=uns)
    return path, {"shape": list(spliced.shape), "spliced_sum": int(spliced.sum()), "unspliced_sum": int(unspliced.sum()),
                  "spliced_nnz": int(spliced.nnz), "unspliced_nnz": int(unspliced.nnz),
                  "clusters": {c: codes.count(i) for i, c in enumerate(categories)}}


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    summary = {}
    for name, build in [("pancreas", pancreas), ("pbmc3k", pbmc3k)]:
        if len(sys.argv) > 1 and name not in sys.argv[1:]:
            continue
        path, info = build()
        info["bytes"] = os.path.getsize(path)
        info["sha256"] = hashlib.sha256(open(path, "rb").read()).hexdigest()
        summary[name] = info
        print(name, json.dumps(info)[:400])
    summary_path = os.path.join(OUT, "datasets.json")
    previous = json.load(open(summary_path)) if os.path.exists(summary_path) else {}
    previous.update(summary)
    with open(summary_path, "w") as fh:
        json.dump(previous, fh, indent=1, sort_keys=True)
        fh.write("\n")
