import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { buildH5, tempFolder } from '../../test/h5-helpers.js';
import { everyKind, expectSameAnnData } from '../../test/h5ad-fixture.js';
import { dataset } from '../../test/shared-data.js';
import { AnnData } from '../anndata.js';
import { Categorical } from '../frame/categorical.js';
import { DataFrame } from '../frame/data-frame.js';
import { CsrMatrix } from '../matrix/csr.js';
import { DenseArray } from '../matrix/dense.js';
import { readH5ad } from './read-h5ad.js';
import { writeH5ad } from './write-h5ad.js';

import type { File as H5File, Group } from 'h5wasm';

const tmp = tempFolder();
afterAll(() => tmp.remove());

const pancreas = dataset('pancreas739');
const legacy = dataset('formats/h5ad-anndata07');

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] as number;
  return s;
}

/** The fixture as it reads back: a plain number[] in uns comes back as Float64Array. */
function everyKindAsRead(): AnnData {
  const a = everyKind();
  a.uns.weights = new Float64Array([0.5, 1.5]);
  return a;
}

describe('writeH5ad → readH5ad round trip', () => {
  it('keeps every element kind exactly (bytes, no compression)', async () => {
    const bytes = await writeH5ad(everyKind());
    expect(bytes).toBeInstanceOf(Uint8Array);
    expectSameAnnData(await readH5ad(bytes), everyKindAsRead());
  });

  it('keeps every element kind exactly through a file with gzip and with LZF', async () => {
    // Large enough for LZF, which leaves chunks under 4 KiB uncompressed.
    const big = new DenseArray(Float32Array.from({ length: 5000 }, (_, i) => i % 10), 5, 1000);
    const withBig = (a: AnnData): AnnData => {
      a.obsm.X_big = big;
      return a;
    };
    for (const compression of ['gzip', 'lzf'] as const) {
      const path = join(tmp.dir, `every-${compression}.h5ad`);
      await writeH5ad(withBig(everyKind()), path, { compression });
      expectSameAnnData(await readH5ad(path), withBig(everyKindAsRead()));
      // Through the in-memory build too, which installs the LZF plugin from h5wasm-plugins' files on first use.
      expectSameAnnData(await readH5ad(readFileSync(path)), withBig(everyKindAsRead()));
    }
  });

  it('reads a Blob / File and an ArrayBuffer', async () => {
    const bytes = await writeH5ad(everyKind(), undefined, { compression: 'gzip', compressionLevel: 9 });
    expectSameAnnData(await readH5ad(new Blob([bytes.slice()])), everyKindAsRead());
    const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    expectSameAnnData(await readH5ad(ab), everyKindAsRead());
    await expect(readH5ad(new File([new Uint8Array([1, 2, 3])], 'upload.h5ad'))).rejects.toThrow(/readH5ad: upload\.h5ad is not an HDF5 file/);
  });

  it('keeps an absent X absent and writes empty frames', async () => {
    const a = new AnnData({ obs: ['c1', 'c2'], var: [] });
    const b = await readH5ad(await writeH5ad(a));
    expect(b.X).toBeUndefined();
    expect(b.shape).toEqual([2, 0]);
    expect(b.obsNames).toEqual(['c1', 'c2']);
  });

  it('writes atomically: a failed write leaves no file and no temporary file, and keeps an existing target', async () => {
    const dir = join(tmp.dir, 'atomic');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    const bad = everyKind();
    bad.obs.set('a/b', new Float64Array(5));
    await expect(writeH5ad(bad, join(dir, 'x.h5ad'))).rejects.toThrow(/writeH5ad: \/obs column: the name "a\/b" cannot be stored in HDF5/);
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(join(dir, 'x.h5ad'), 'old');
    await expect(writeH5ad(bad, join(dir, 'x.h5ad'))).rejects.toThrow(/cannot be stored/);
    expect(readdirSync(dir)).toEqual(['x.h5ad']);
    expect(readFileSync(join(dir, 'x.h5ad'), 'utf8')).toBe('old');
    await writeH5ad(everyKind(), join(dir, 'x.h5ad'));
    expect(readdirSync(dir)).toEqual(['x.h5ad']);
    expectSameAnnData(await readH5ad(join(dir, 'x.h5ad')), everyKindAsRead());
  });
});

describe.skipIf(pancreas.skip !== undefined)(`pancreas739.h5ad (anndata >= 0.8 layout)${pancreas.skip ? ` — skipped: ${pancreas.skip}` : ''}`, () => {
  const file = join(pancreas.path, 'pancreas739.h5ad');

  it('has the shape, layers, sums and cluster counts of datasets/README.md', async () => {
    const a = await readH5ad(file);
    expect(a.shape).toEqual([739, 7192]);
    expect(Object.keys(a.layers).sort()).toEqual(['spliced', 'unspliced']);
    const X = a.X as CsrMatrix;
    expect(X).toBeInstanceOf(CsrMatrix);
    // Totals computed once with h5py from the same file.
    expect(X.nnz).toBe(1263837);
    expect(sum(X.data)).toBe(3667856);
    expect(X.isCounts()).toBe(true);
    expect(sum((a.layers.spliced as CsrMatrix).data)).toBe(3667856);
    expect((a.layers.unspliced as CsrMatrix).nnz).toBe(563203);
    expect(sum((a.layers.unspliced as CsrMatrix).data)).toBe(888619);
    const clusters = a.obs.get('clusters') as Categorical;
    expect(Object.fromEntries(clusters.counts())).toEqual({ Alpha: 99, Beta: 123, Delta: 16, Ductal: 181, Epsilon: 27, 'Ngn3 high EP': 129, 'Ngn3 low EP': 54, 'Pre-endocrine': 110 });
    expect(clusters.ordered).toBe(false);
    expect(a.obsNames.slice(0, 2)).toEqual(['CGACCTTGTAGAAAGG', 'CAGCCGAAGCGATATA']);
    expect(a.varNames[0]).toBe('Mrpl15');
    expect(a.varNames.at(-1)).toBe('Erdr1');
    expect(a.obs.indexName).toBeNull();
  });

  it('round-trips exactly: read → write → read (through a file and through bytes)', async () => {
    const a = await readH5ad(file);
    const path = join(tmp.dir, 'pancreas.h5ad');
    await writeH5ad(a, path, { compression: 'gzip', compressionLevel: 1 });
    expectSameAnnData(await readH5ad(path), a);
    expectSameAnnData(await readH5ad(await writeH5ad(a)), a);
  });
});

describe.skipIf(legacy.skip !== undefined)(`pancreas_50obs.h5ad (anndata 0.7 layout)${legacy.skip ? ` — skipped: ${legacy.skip}` : ''}`, () => {
  const file = join(legacy.path, 'pancreas_50obs.h5ad');

  it('reads 50 × 27,998 with layers and the sums h5py gives', async () => {
    const a = await readH5ad(file);
    expect(a.shape).toEqual([50, 27998]);
    expect(Object.keys(a.layers).sort()).toEqual(['spliced', 'unspliced']);
    expect(sum((a.X as CsrMatrix).data)).toBe(335512);
    expect(sum((a.layers.unspliced as CsrMatrix).data)).toBe(65046);
    expect((a.layers.unspliced as CsrMatrix).nnz).toBe(42367);
    expect(a.obs.indexName).toBe('index');
    expect(a.varNames.slice(0, 2)).toEqual(['Xkr4', 'Gm37381']);
    expect(a.obsNames[0]).toBe('AGCGGTCGTGTATGGG');
    expect(a.uns).toEqual({});
  });

  it('round-trips exactly into the >= 0.8 layout', async () => {
    const a = await readH5ad(file);
    expectSameAnnData(await readH5ad(await writeH5ad(a)), a);
  });
});

describe('older and other layouts', () => {
  it('reads the anndata 0.7 layout: categories by object reference or in __categories, h5sparse groups, attribute-less uns', async () => {
    const bytes = await buildH5((f) => {
      const obs = f.create_group('obs');
      obs.create_attribute('_index', 'index');
      obs.create_attribute('column-order', ['by_ref', 'by_name', 'n'], [3], 'S');
      obs.create_attribute('encoding-type', 'dataframe');
      obs.create_attribute('encoding-version', '0.1.0');
      obs.create_dataset({ name: 'index', data: ['c0', 'c1', 'c2'] });
      const cats = obs.create_group('__categories');
      cats.create_dataset({ name: 'by_ref', data: ['x', 'y'] });
      cats.create_dataset({ name: 'by_name', data: ['p', 'q', 'r'] });
      (cats.get('by_name') as Group).create_attribute('ordered', new Int8Array([1]), []);
      obs.create_dataset({ name: 'by_ref', data: new Int8Array([1, 0, -1]) });
      // anndata 0.7 stores an HDF5 object reference to the categories dataset.
      (obs.get('by_ref') as Group).create_attribute('categories', [(cats.get('by_ref') as Group).create_reference()]);
      obs.create_dataset({ name: 'by_name', data: new Int8Array([2, 2, 0]) });
      (obs.get('by_name') as Group).create_attribute('categories', 'by_name');
      obs.create_dataset({ name: 'n', data: new Float64Array([1, 2, 3]) });
      const vars = f.create_group('var');
      vars.create_attribute('_index', 'index');
      vars.create_dataset({ name: 'index', data: ['g0', 'g1'] });
      const X = f.create_group('X');
      X.create_attribute('h5sparse_format', 'csc');
      X.create_attribute('h5sparse_shape', new Int32Array([3, 2]));
      X.create_dataset({ name: 'data', data: new BigInt64Array([4n, 5n]) });
      X.create_dataset({ name: 'indices', data: new BigInt64Array([2n, 0n]) });
      X.create_dataset({ name: 'indptr', data: new BigInt64Array([0n, 1n, 2n]) });
      const uns = f.create_group('uns');
      uns.create_dataset({ name: 'title', data: 'old', shape: [] });
      uns.create_dataset({ name: 'k', data: new Int32Array([7]), shape: [] });
      uns.create_group('neighbors').create_dataset({ name: 'params', data: ['a', 'b'] });
      f.create_group('obsm').create_dataset({ name: 'X_pca', data: new Int16Array([1, 2, 3, 4, 5, 6]), shape: [3, 2] });
    });
    const a = await readH5ad(bytes);
    expect(a.shape).toEqual([3, 2]);
    expect((a.obs.get('by_ref') as Categorical).values()).toEqual(['y', 'x', null]);
    const byName = a.obs.get('by_name') as Categorical;
    expect(byName.values()).toEqual(['r', 'r', 'p']);
    expect(byName.ordered).toBe(true);
    expect(Array.from(a.obs.get('n') as Float64Array)).toEqual([1, 2, 3]);
    expect(a.X?.constructor.name).toBe('CscMatrix');
    expect(Array.from((a.X as { toCsr(): CsrMatrix }).toCsr().toDense())).toEqual([0, 5, 0, 0, 4, 0]);
    expect(a.uns).toEqual({ title: 'old', k: 7, neighbors: { params: ['a', 'b'] } });
    const pca = a.obsm.X_pca as DenseArray;
    expect(pca.values).toBeInstanceOf(Float64Array);
    expect(Array.from(pca.values)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reads nullable integer / boolean / string columns (missing → NaN / null) and integer X as float32', async () => {
    const bytes = await buildH5((f) => {
      const enc = (g: Group, t: string, v: string) => {
        g.create_attribute('encoding-type', t);
        g.create_attribute('encoding-version', v);
      };
      enc(f, 'anndata', '0.1.0');
      const obs = f.create_group('obs');
      enc(obs, 'dataframe', '0.2.0');
      obs.create_attribute('_index', '_index');
      obs.create_attribute('column-order', ['ni', 'ni_full', 'nb', 'ns'], [4], 'S');
      obs.create_dataset({ name: '_index', data: ['a', 'b', 'c'] });
      const nullable = (name: string, type: string, values: Int32Array | Uint8Array | string[], mask: number[]) => {
        const g = obs.create_group(name);
        enc(g, type, '0.1.0');
        g.create_dataset({ name: 'values', data: values });
        g.create_dataset({ name: 'mask', data: new Uint8Array(mask) });
      };
      nullable('ni', 'nullable-integer', new Int32Array([1, 2, 3]), [0, 1, 0]);
      nullable('ni_full', 'nullable-integer', new Int32Array([4, 5, 6]), [0, 0, 0]);
      nullable('nb', 'nullable-boolean', new Uint8Array([1, 0, 1]), [0, 0, 0]);
      nullable('ns', 'nullable-string-array', ['x', '', 'z'], [0, 1, 0]);
      const vars = f.create_group('var');
      enc(vars, 'dataframe', '0.2.0');
      vars.create_attribute('_index', '_index');
      vars.create_attribute('column-order', new Float64Array(0), [0]);
      vars.create_dataset({ name: '_index', data: ['g'] });
      const X = f.create_dataset({ name: 'X', data: new Int32Array([1, 2, 3]), shape: [3, 1] });
      enc(X as unknown as Group, 'array', '0.2.0');
    });
    const a = await readH5ad(bytes);
    expect(Array.from(a.obs.get('ni') as Float64Array)).toEqual([1, NaN, 3]);
    expect(a.obs.get('ni_full')).toEqual(new Int32Array([4, 5, 6]));
    expect(a.obs.get('nb')).toEqual([true, false, true]);
    expect(a.obs.get('ns')).toEqual(['x', null, 'z']);
    expect((a.X as DenseArray).values).toEqual(new Float32Array([1, 2, 3]));
  });

  it('skips uns / obsm entries vitae cannot hold only when asked', async () => {
    const base = new AnnData({ obs: ['a', 'b'], var: ['g'] });
    // An h5ad with a data frame in uns and in obsm: written by vitae, then extended by hand.
    const { loadRuntime, memoryPath } = await import('./runtime.js');
    const rt = await loadRuntime('memory');
    const path = memoryPath('extend');
    rt.module.FS.writeFile(path, await writeH5ad(base));
    const f = new rt.api.File(path, 'a');
    const df = (f.get('uns') as Group).create_group('table');
    df.create_attribute('encoding-type', 'dataframe');
    df.create_attribute('encoding-version', '0.2.0');
    const odf = (f.get('obsm') as Group).create_group('meta');
    odf.create_attribute('encoding-type', 'dataframe');
    odf.create_attribute('encoding-version', '0.2.0');
    f.close();
    const extended = rt.module.FS.readFile(path);
    rt.module.FS.unlink(path);
    await expect(readH5ad(extended)).rejects.toThrow(/\/obsm\/meta: encoding-type 'dataframe' is valid AnnData but has no vitae counterpart \(pass \{ skipUnsupported: true \}/);
    const a = await readH5ad(extended, { skipUnsupported: true });
    expect(a.obsm).toEqual({});
    expect(a.uns).toEqual({});
  });
});

describe('bad input', () => {
  it('names the file and the problem: not HDF5, truncated, missing, a folder, a 10x file', async () => {
    const text = join(tmp.dir, 'notes.h5ad');
    writeFileSync(text, 'hello, not hdf5');
    await expect(readH5ad(text)).rejects.toThrow(`readH5ad: ${text} is not an HDF5 file (no HDF5 signature found; it starts with "hello, not hdf5")`);
    const full = await writeH5ad(everyKind());
    const truncated = join(tmp.dir, 'truncated.h5ad');
    writeFileSync(truncated, full.subarray(0, Math.floor(full.length / 2)));
    await expect(readH5ad(truncated)).rejects.toThrow(new RegExp(`readH5ad: ${truncated} is truncated: its HDF5 superblock records ${full.length} bytes, the file has ${Math.floor(full.length / 2)}`));
    await expect(readH5ad(full.subarray(0, 100))).rejects.toThrow(/readH5ad: <Uint8Array of 100 bytes> is truncated/);
    await expect(readH5ad(join(tmp.dir, 'nope.h5ad'))).rejects.toThrow(/readH5ad: .*nope\.h5ad does not exist/);
    await expect(readH5ad(tmp.dir)).rejects.toThrow(/is not a file/);
    await expect(readH5ad(new Uint8Array(0))).rejects.toThrow(/<Uint8Array of 0 bytes> is not an HDF5 file \(no HDF5 signature found; it is empty\)/);
    const tenx = join(dataset('formats/10x-v3-chr21').path, 'filtered_feature_bc_matrix.h5');
    if (existsSync(tenx)) await expect(readH5ad(tenx)).rejects.toThrow(/has no 'obs' data frame.*read it with read10xH5/);
  });

  it('rejects unknown encodings and missing parts, naming the element', async () => {
    const good = await writeH5ad(everyKind());
    const edit = async (change: (f: H5File) => void): Promise<Uint8Array> => {
      const { loadRuntime, memoryPath } = await import('./runtime.js');
      const rt = await loadRuntime('memory');
      const path = memoryPath('edit');
      rt.module.FS.writeFile(path, good);
      const f = new rt.api.File(path, 'a');
      change(f);
      f.close();
      const out = rt.module.FS.readFile(path);
      rt.module.FS.unlink(path);
      return out;
    };
    const weird = await edit((f) => {
      const X = f.get('X') as Group;
      X.delete_attribute('encoding-type');
      X.create_attribute('encoding-type', 'bsr_matrix');
    });
    await expect(readH5ad(weird)).rejects.toThrow(/readH5ad: <Uint8Array of \d+ bytes>: \/X: encoding-type 'bsr_matrix' is not a matrix encoding vitae knows/);
    const future = await edit((f) => {
      const obs = f.get('obs') as Group;
      obs.delete_attribute('encoding-version');
      obs.create_attribute('encoding-version', '9.0.0');
    });
    await expect(readH5ad(future)).rejects.toThrow(/\/obs: dataframe encoding-version '9\.0\.0' is not supported \(known: 0\.1\.0, 0\.2\.0\)/);
    const noVar = await buildH5((f) => {
      f.create_group('obs').create_attribute('_index', '_index');
    });
    await expect(readH5ad(noVar)).rejects.toThrow(/has no 'var' data frame, which every \.h5ad has \(top-level entries: \["obs"\]\)/);
    const badCodes = await edit((f) => {
      const g = f.get('obs/cluster') as Group;
      g.delete_attribute('encoding-type');
      g.create_attribute('encoding-type', 'mystery');
    });
    await expect(readH5ad(badCodes)).rejects.toThrow(/\/obs\/cluster: encoding-type 'mystery' is not supported for a data frame column/);
    const shapeMismatch = await edit((f) => {
      const X = f.get('X') as Group;
      X.delete_attribute('shape');
      X.create_attribute('shape', new BigInt64Array([5n, 3n]));
    });
    await expect(readH5ad(shapeMismatch)).rejects.toThrow(/\/X: CsrMatrix: index 3 at position \d+ is outside \[0, 3\)/);
    const hugeIndptr = await edit((f) => {
      const g = (f.get('layers') as Group).create_group('huge');
      g.create_attribute('encoding-type', 'csr_matrix');
      g.create_attribute('encoding-version', '0.1.0');
      g.create_attribute('shape', new BigInt64Array([5n, 4n]));
      g.create_dataset({ name: 'data', data: new Float32Array(1) });
      g.create_dataset({ name: 'indices', data: new BigInt64Array([0n]) });
      g.create_dataset({ name: 'indptr', data: new BigInt64Array([0n, 1n, 1n, 1n, 1n, 2n ** 31n]) });
    });
    await expect(readH5ad(hugeIndptr)).rejects.toThrow(/\/layers\/huge\/indptr: value 2147483648 at position 5 does not fit in int32/);
  });

  it('validates arguments', async () => {
    // @ts-expect-error a number is not an input
    await expect(readH5ad(42)).rejects.toThrow("readH5ad: input must be a file path (Node) or an ArrayBuffer, Uint8Array, Blob or File, got number 42");
    await expect(readH5ad('')).rejects.toThrow(/input must be a non-empty file path/);
    // @ts-expect-error wrong option type
    await expect(readH5ad(new Uint8Array(1), { skipUnsupported: 'yes' })).rejects.toThrow('readH5ad: options.skipUnsupported must be a boolean, got string');
    // @ts-expect-error not an AnnData
    await expect(writeH5ad({ X: 1 })).rejects.toThrow('writeH5ad: adata must be an AnnData, got Object');
    const a = everyKind();
    // @ts-expect-error unknown compression
    await expect(writeH5ad(a, undefined, { compression: 'zstd' })).rejects.toThrow(`writeH5ad: options.compression must be 'gzip', 'lzf' or null, got "zstd"`);
    await expect(writeH5ad(a, undefined, { compression: 'gzip', compressionLevel: 12 })).rejects.toThrow('writeH5ad: options.compressionLevel must be an integer from 0 to 9, got 12');
    await expect(writeH5ad(a, undefined, { compression: 'lzf', compressionLevel: 3 })).rejects.toThrow(/compressionLevel applies to compression 'gzip' only/);
    await expect(writeH5ad(a, join(tmp.dir, 'no', 'such', 'x.h5ad'))).rejects.toThrow(/writeH5ad: cannot write .*x\.h5ad: the folder .* does not exist/);
    await expect(writeH5ad(a, tmp.dir)).rejects.toThrow(/it is a folder/);
    a.X = new DenseArray(new Float32Array(2), 1, 2);
    await expect(writeH5ad(a)).rejects.toThrow(/writeH5ad: adata is inconsistent: AnnData: X has shape \[1, 2\], expected \[5, 4\]/);
    const clash = new AnnData({ obs: new DataFrame(['a'], { id: ['b'] }, { indexName: 'id' }), var: ['g'] });
    await expect(writeH5ad(clash)).rejects.toThrow("writeH5ad: /obs: the index name 'id' is also a column with different values; rename one of them");
    const mixed = new AnnData({ obs: new DataFrame(['a', 'b'], { m: ['x', 1 as unknown as string] }), var: ['g'] });
    await expect(writeH5ad(mixed)).rejects.toThrow('writeH5ad: /obs/m: a column must hold only strings (null = missing) or only booleans, got 1 at row 1');
    const badUns = new AnnData({ obs: ['a'], var: ['g'], uns: { when: new Date(0) as unknown as string } });
    await expect(writeH5ad(badUns)).rejects.toThrow('writeH5ad: /uns/when: uns values must be strings, numbers, booleans, arrays, typed arrays, matrices or plain objects, got Date');
  });
});

describe('compression filters from h5wasm-plugins', () => {
  it('reads Blosc-compressed datasets (plugin installed on demand)', async () => {
    const { ensureFilter, loadRuntime } = await import('./runtime.js');
    // The file is made with h5wasm itself, which needs the plugin to write it.
    await ensureFilter(await loadRuntime('memory'), 32001);
    const values = Float32Array.from({ length: 3000 }, (_, i) => (i % 17) / 4);
    const bytes = await buildH5((f) => {
      for (const [name, index] of [['obs', ['c0', 'c1', 'c2']], ['var', Array.from({ length: 1000 }, (_, j) => `g${j}`)]] as const) {
        const g = f.create_group(name);
        g.create_attribute('_index', '_index');
        g.create_dataset({ name: '_index', data: [...index] });
      }
      f.create_dataset({ name: 'X', data: values, shape: [3, 1000], chunks: [1, 1000], compression: 32001, compression_opts: [] });
    });
    const a = await readH5ad(bytes);
    expect((a.X as DenseArray).values).toEqual(values);
  });

  it('estimates LZF output: random bytes do not shrink, repetitive ones do', async () => {
    const { estimateLzfSize, lzfCompressesEveryChunk } = await import('./lzf-estimate.js');
    let seed = 1;
    const random = Uint8Array.from({ length: 8192 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    expect(estimateLzfSize(random)).toBeGreaterThan(8192);
    expect(lzfCompressesEveryChunk(random, 4096)).toBe(false);
    const counts = new Uint8Array(Float32Array.from({ length: 4096 }, (_, i) => i % 5).buffer);
    expect(estimateLzfSize(counts)).toBeLessThan(counts.length / 10);
    expect(lzfCompressesEveryChunk(counts, 4096)).toBe(true);
  });
});

describe('index named like a column', () => {
  it('writes the index once when a column holds the same names (as anndata does) and reads it back', async () => {
    const a = new AnnData({ obs: new DataFrame(['a', 'b'], { id: Categorical.fromValues(['a', 'b']) }, { indexName: 'id' }), var: ['g'] });
    const b = await readH5ad(await writeH5ad(a));
    expect(b.obsNames).toEqual(['a', 'b']);
    expect(b.obs.indexName).toBe('id');
    expect((b.obs.get('id') as Categorical).values()).toEqual(['a', 'b']);
  });
});

describe('file sizes', () => {
  it('compresses with gzip and LZF', async () => {
    const big = new AnnData({ X: new DenseArray(new Float32Array(200 * 300).map((_, i) => i % 7), 200, 300) });
    const plain = (await writeH5ad(big)).length;
    const gz = (await writeH5ad(big, undefined, { compression: 'gzip' })).length;
    const lzf = (await writeH5ad(big, undefined, { compression: 'lzf' })).length;
    expect(gz).toBeLessThan(plain / 5);
    expect(lzf).toBeLessThan(plain / 2);
    const p = join(tmp.dir, 'big.h5ad');
    await writeH5ad(big, p, { compression: 'gzip' });
    expect(statSync(p).size).toBeLessThan(plain / 5);
  });
});
