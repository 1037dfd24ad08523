// Reading X or a layer by name and building the NEW AnnData a step returns. Matrices the step
// does not change are shared with the input (no step ever writes into a matrix); frames are
// copied, so adding a column to the result never touches the input.
import { AnnData, CsrMatrix, CscMatrix, DenseArray } from '@vitae/anndata';

import { fail, show } from './args.js';

import type { DataFrame, Matrix, UnsValue } from '@vitae/anndata';

/** X (layer undefined or 'X') or the layer `layer`; an error names the option and lists the layers. */
export function getMatrix(adata: AnnData, layer: string | undefined, fn: string): Matrix {
  if (!(adata instanceof AnnData)) fail(fn, `the first argument must be an AnnData, got ${show(adata)}`);
  if (layer === undefined || layer === 'X') {
    if (adata.X === undefined) fail(fn, `X is not set (pass option 'layer' to use one of the layers ${JSON.stringify(Object.keys(adata.layers))})`);
    return adata.X;
  }
  if (typeof layer !== 'string') fail(fn, `option 'layer' must be a layer name, got ${show(layer)}`);
  const m = adata.layers[layer];
  if (m === undefined) fail(fn, `option 'layer' must name a layer of the AnnData, got ${show(layer)}; the layers are ${JSON.stringify(Object.keys(adata.layers))}`);
  return m;
}

export interface AnnDataChanges {
  /** Replaces X (layer undefined) or the layer named by `layer`. */
  matrix?: Matrix;
  layer?: string;
  obs?: DataFrame;
  var?: DataFrame;
  obsm?: Record<string, Matrix>;
  varm?: Record<string, Matrix>;
  obsp?: Record<string, Matrix>;
  uns?: Record<string, UnsValue>;
}

/** A new AnnData: `adata`'s parts (records shallow-copied, frames as given or cloned) with `changes` applied. */
export function withChanges(adata: AnnData, changes: AnnDataChanges): AnnData {
  const layers = { ...adata.layers };
  let X = adata.X;
  if (changes.matrix !== undefined) {
    if (changes.layer === undefined || changes.layer === 'X') X = changes.matrix;
    else layers[changes.layer] = changes.matrix;
  }
  return new AnnData({
    X,
    obs: changes.obs ?? adata.obs.clone(),
    var: changes.var ?? adata.var.clone(),
    layers,
    obsm: { ...adata.obsm, ...changes.obsm },
    varm: { ...adata.varm, ...changes.varm },
    obsp: { ...adata.obsp, ...changes.obsp },
    varp: { ...adata.varp },
    uns: { ...adata.uns, ...changes.uns },
  });
}

/** CSR view of any matrix kind (CSC converted; dense returned as undefined, callers use the values). */
export function sparseRows(m: Matrix): CsrMatrix | undefined {
  if (m instanceof CsrMatrix) return m;
  if (m instanceof CscMatrix) return m.toCsr();
  return undefined;
}

export function isDense(m: Matrix): m is DenseArray {
  return m instanceof DenseArray;
}
