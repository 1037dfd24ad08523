#!/usr/bin/env python3
"""Check an .h5ad file against the AnnData >= 0.8 on-disk specification with h5py alone
(anndata itself is not installable on every machine), and print its contents as JSON.

Usage: check_h5ad.py FILE

Prints one JSON object:
  errors    list of "path: problem" strings (empty when the file follows the spec)
  contents  every element decoded the way anndata reads it: data frames as
            {index, index_name, columns}, categoricals as value lists (null = missing),
            sparse and dense matrices as nested lists, uns as nested objects; each with the
            numpy dtype where it matters, so the caller can compare exact values.

The vitae test suite (src/h5ad/h5py-check.test.ts) writes a file with every element kind,
runs this script and compares the JSON with what it wrote.
"""
import json
import sys

import h5py
import numpy as np

errors = []


def err(path, problem):
    errors.append(f"{path}: {problem}")


def attr_str(obj, name):
    if name not in obj.attrs:
        return None
    v = obj.attrs[name]
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, str):
        return v
    return None


def encoding(obj, path, expect_type=None, expect_version=None):
    et = attr_str(obj, "encoding-type")
    ev = attr_str(obj, "encoding-version")
    if et is None or ev is None:
        err(path, "encoding-type / encoding-version attributes missing or not strings")
    if expect_type is not None and et != expect_type:
        err(path, f"encoding-type is {et!r}, expected {expect_type!r}")
    if expect_version is not None and ev != expect_version:
        err(path, f"encoding-version is {ev!r}, expected {expect_version!r}")
    return et, ev


def check_vlen_utf8(ds, path):
    info = h5py.check_string_dtype(ds.dtype)
    if info is None or info.length is not None or info.encoding != "utf-8":
        err(path, f"strings must be variable-length UTF-8, got dtype {ds.dtype} ({info})")


def plain(a):
    """numpy values -> JSON values (floats stay exact: float32 widens to the same double)."""
    if isinstance(a, np.ndarray):
        return [plain(x) for x in a.tolist()] if a.ndim > 0 else plain(a[()])
    if isinstance(a, (bytes, np.bytes_)):
        return a.decode("utf-8")
    if isinstance(a, (np.integer,)):
        return int(a)
    if isinstance(a, (np.floating,)):
        return float(a)
    if isinstance(a, (np.bool_,)):
        return bool(a)
    if isinstance(a, list):
        return [plain(x) for x in a]
    return a


def read_string_array(ds, path):
    encoding(ds, path, "string-array", "0.2.0")
    check_vlen_utf8(ds, path)
    if ds.ndim != 1:
        err(path, f"string arrays here are 1-D, got shape {ds.shape}")
    return [s for s in ds.asstr()[...].tolist()]


def read_array(ds, path):
    encoding(ds, path, "array", "0.2.0")
    if ds.dtype.kind not in "biuf":
        err(path, f"a dense array must be numeric, got dtype {ds.dtype}")
    return {"dtype": str(ds.dtype), "shape": list(ds.shape), "values": plain(ds[...]), "attrs": extra_attrs(ds)}


def extra_attrs(obj, known=("encoding-type", "encoding-version")):
    """Attributes beyond those the spec defines for the element (e.g. vitae-kind)."""
    return {k: plain(v) if not isinstance(v, str) else v for k, v in obj.attrs.items() if k not in known}


def read_categorical(g, path):
    encoding(g, path, "categorical", "0.2.0")
    if "ordered" not in g.attrs:
        err(path, "categorical without the 'ordered' attribute")
    ordered = bool(g.attrs.get("ordered", False))
    if "codes" not in g or "categories" not in g:
        err(path, "categorical must hold 'codes' and 'categories'")
        return None
    codes = g["codes"]
    if codes.dtype.kind != "i":
        err(path + "/codes", f"codes must be signed integers, got {codes.dtype}")
    cats = read_string_array(g["categories"], path + "/categories")
    c = codes[...]
    if c.size and (c.max() >= len(cats) or c.min() < -1):
        err(path + "/codes", "codes outside [-1, n_categories)")
    values = [None if int(k) < 0 else cats[int(k)] for k in c]
    return {"kind": "categorical", "ordered": ordered, "categories": cats, "codes_dtype": str(codes.dtype), "values": values, "attrs": extra_attrs(g, ("encoding-type", "encoding-version", "ordered"))}


def read_column(obj, path, n):
    if isinstance(obj, h5py.Group):
        et, _ = encoding(obj, path)
        if et == "categorical":
            out = read_categorical(obj, path)
        else:
            err(path, f"unexpected column encoding {et!r}")
            return None
    else:
        et, _ = encoding(obj, path)
        if et == "string-array":
            out = {"kind": "string", "values": read_string_array(obj, path)}
        elif et == "array":
            a = read_array(obj, path)
            out = {"kind": "numeric", "dtype": a["dtype"], "values": a["values"], "attrs": a["attrs"]}
        else:
            err(path, f"unexpected column encoding {et!r}")
            return None
    if out is not None and n is not None and len(out["values"]) != n:
        err(path, f"column has {len(out['values'])} rows, the index has {n}")
    return out


def read_dataframe(g, path):
    if not isinstance(g, h5py.Group):
        err(path, "a dataframe must be a group")
        return None
    encoding(g, path, "dataframe", "0.2.0")
    index_key = attr_str(g, "_index")
    if index_key is None:
        err(path, "dataframe without the '_index' attribute")
        return None
    if "column-order" not in g.attrs:
        err(path, "dataframe without the 'column-order' attribute")
    order = [plain(c) for c in g.attrs.get("column-order", [])]
    if index_key not in g:
        err(path, f"the index dataset {index_key!r} is missing")
        return None
    index_obj = g[index_key]
    if isinstance(index_obj, h5py.Dataset) and attr_str(index_obj, "encoding-type") == "string-array":
        index = read_string_array(index_obj, f"{path}/{index_key}")
    else:
        col = read_column(index_obj, f"{path}/{index_key}", None)
        index = col["values"] if col else []
    members = set(g.keys()) - {index_key}
    if set(order) - set(g.keys()):
        err(path, f"column-order names missing entries {sorted(set(order) - set(g.keys()))}")
    if members - set(order):
        err(path, f"entries not listed in column-order: {sorted(members - set(order))}")
    columns = {c: read_column(g[c], f"{path}/{c}", len(index)) for c in order if c in g}
    return {"index": index, "index_name": None if index_key == "_index" else index_key, "column_order": order, "columns": columns}


def read_matrix(obj, path):
    if isinstance(obj, h5py.Group):
        et, _ = encoding(obj, path, None, "0.1.0")
        if et not in ("csr_matrix", "csc_matrix"):
            err(path, f"unexpected matrix encoding {et!r}")
            return None
        shape = [int(x) for x in obj.attrs.get("shape", [])]
        if len(shape) != 2:
            err(path, "sparse matrix without a 2-entry 'shape' attribute")
            return None
        for key in ("data", "indices", "indptr"):
            if key not in obj:
                err(path, f"sparse matrix without '{key}'")
                return None
        data, indices, indptr = obj["data"][...], obj["indices"][...], obj["indptr"][...]
        major = shape[0] if et == "csr_matrix" else shape[1]
        if len(indptr) != major + 1 or indptr[0] != 0 or indptr[-1] != len(data) or len(indices) != len(data):
            err(path, "inconsistent data / indices / indptr")
            return None
        dense = np.zeros(shape, dtype=np.float64)
        for m in range(major):
            for p in range(indptr[m], indptr[m + 1]):
                if et == "csr_matrix":
                    dense[m, indices[p]] += data[p]
                else:
                    dense[indices[p], m] += data[p]
        return {"kind": et, "shape": shape, "dtype": str(obj["data"].dtype), "index_dtype": str(obj["indices"].dtype), "dense": plain(dense)}
    a = read_array(obj, path)
    if len(a["shape"]) != 2:
        err(path, f"a dense matrix must be 2-D, got shape {a['shape']}")
    return {"kind": "array", "shape": a["shape"], "dtype": a["dtype"], "dense": a["values"]}


def read_uns(obj, path):
    if isinstance(obj, h5py.Group):
        et, _ = encoding(obj, path)
        if et == "dict":
            return {"kind": "dict", "items": {k: read_uns(obj[k], f"{path}/{k}") for k in obj.keys()}}
        return read_matrix(obj, path)
    et, _ = encoding(obj, path)
    if et == "string":
        check_vlen_utf8(obj, path)
        if obj.ndim != 0:
            err(path, "a string scalar must be 0-dimensional")
        return {"kind": "string", "value": obj.asstr()[()]}
    if et == "numeric-scalar":
        if obj.ndim != 0:
            err(path, "a numeric scalar must be 0-dimensional")
        return {"kind": "numeric-scalar", "dtype": str(obj.dtype), "value": plain(obj[()]), "attrs": extra_attrs(obj)}
    if et == "string-array":
        return {"kind": "string-array", "values": read_string_array(obj, path)}
    if et == "array":
        a = read_array(obj, path)
        return {"kind": "array", "dtype": a["dtype"], "shape": a["shape"], "values": a["values"]}
    err(path, f"unexpected uns encoding {et!r}")
    return None


def main(path):
    contents = {}
    with h5py.File(path, "r") as f:
        encoding(f, "/", "anndata", "0.1.0")
        for key in ("obs", "var", "obsm", "varm", "obsp", "varp", "layers", "uns"):
            if key not in f:
                err("/", f"missing '{key}'")
        contents["obs"] = read_dataframe(f["obs"], "/obs") if "obs" in f else None
        contents["var"] = read_dataframe(f["var"], "/var") if "var" in f else None
        n_obs = len(contents["obs"]["index"]) if contents["obs"] else None
        n_var = len(contents["var"]["index"]) if contents["var"] else None
        if "X" in f:
            contents["X"] = read_matrix(f["X"], "/X")
            if contents["X"] and contents["X"]["shape"] != [n_obs, n_var]:
                err("/X", f"shape {contents['X']['shape']} is not (n_obs, n_vars) = ({n_obs}, {n_var})")
        for key in ("layers", "obsm", "varm", "obsp", "varp"):
            if key not in f:
                continue
            encoding(f[key], f"/{key}", "dict", "0.1.0")
            contents[key] = {k: read_matrix(f[key][k], f"/{key}/{k}") for k in f[key].keys()}
        if "uns" in f:
            contents["uns"] = read_uns(f["uns"], "/uns")
            if contents["uns"] and contents["uns"].get("kind") != "dict":
                err("/uns", "uns must be a dict group")
        compression = {}
        f.visititems(lambda name, o: compression.__setitem__(name, o.compression) if isinstance(o, h5py.Dataset) else None)
        contents["compression"] = compression
    print(json.dumps({"errors": errors, "contents": contents}))


if __name__ == "__main__":
    main(sys.argv[1])
