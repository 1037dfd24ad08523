"""A small AnnData (>= 0.8 on-disk spec) writer with h5py, independent of vitae's own writer.

It writes only what the shipped datasets need: CSR matrices, dense arrays, data frames with
string / numeric / boolean / categorical columns, and string scalars in uns. Every element
carries the `encoding-type` / `encoding-version` attributes Python's anndata reads.
"""
import h5py
import numpy as np

STR = h5py.string_dtype(encoding="utf-8")


def _attrs(obj, kind, version):
    obj.attrs["encoding-type"] = kind
    obj.attrs["encoding-version"] = version


def _compressed(group, name, values, compression):
    values = np.asarray(values)
    if values.size == 0 or not compression:
        return group.create_dataset(name, data=values)
    return group.create_dataset(name, data=values, compression="gzip", compression_opts=9, shuffle=True,
                                chunks=(min(values.shape[0], 1 << 16),) + values.shape[1:])


def write_csr(group, name, m, compression=True):
    g = group.create_group(name)
    _attrs(g, "csr_matrix", "0.1.0")
    g.attrs["shape"] = np.asarray(m.shape, dtype=np.int64)
    _compressed(g, "data", m.data, compression)
    _compressed(g, "indices", m.indices.astype(np.int32), compression)
    _compressed(g, "indptr", m.indptr.astype(np.int32), compression)


def write_strings(group, name, values):
    d = group.create_dataset(name, data=np.asarray(values, dtype=object), dtype=STR)
    _attrs(d, "string-array", "0.2.0")


def write_column(group, name, values):
    if isinstance(values, dict):  # {"codes": int array (-1 missing), "categories": [str]}
        g = group.create_group(name)
        _attrs(g, "categorical", "0.2.0")
        g.attrs["ordered"] = False
        n = len(values["categories"])
        dtype = np.int8 if n < 127 else np.int16 if n < 32767 else np.int32
        g.create_dataset("codes", data=np.asarray(values["codes"], dtype=dtype))
        write_strings(g, "categories", values["categories"])
    elif len(values) and isinstance(values[0], str):
        write_strings(group, name, values)
    else:
        d = group.create_dataset(name, data=np.asarray(values))
        _attrs(d, "array", "0.2.0")


def write_frame(f, name, index, columns):
    g = f.create_group(name)
    _attrs(g, "dataframe", "0.2.0")
    g.attrs["_index"] = "_index"
    g.attrs["column-order"] = np.asarray(list(columns), dtype=object).astype(STR) if columns else np.array([], dtype=np.float64)
    write_strings(g, "_index", index)
    for key, values in columns.items():
        write_column(g, key, values)


def write_h5ad(path, X, obs_index, obs, var_index, var, layers=None, uns=None):
    """X may be None: anndata allows a file without X (the shipped pancreas leaves it out)."""
    with h5py.File(path, "w") as f:
        _attrs(f, "anndata", "0.1.0")
        if X is not None:
            write_csr(f, "X", X)
        write_frame(f, "obs", obs_index, obs)
        write_frame(f, "var", var_index, var)
        for group_name in ["layers", "obsm", "varm", "obsp", "varp", "uns"]:
            _attrs(f.create_group(group_name), "dict", "0.1.0")
        for key, m in (layers or {}).items():
            write_csr(f["layers"], key, m)
        for key, text in (uns or {}).items():
            d = f["uns"].create_dataset(key, data=text, dtype=STR)
            _attrs(d, "string", "0.2.0")
