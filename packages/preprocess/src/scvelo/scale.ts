// veloVI's per-gene min-max scaling of the moments: sklearn's MinMaxScaler().fit_transform on each
// layer, with its arithmetic (float32 data stays float32, float64 stays float64).
import { AnnData, DenseArray } from '@vitae/anndata';

import { checkShape, denseValues, EPS_F32, f32, getLayer } from './util.js';

import type { Matrix } from '@vitae/anndata';

const FN = 'minMaxScale';

/**
 * Each gene (column) mapped to [0, 1] as sklearn's MinMaxScaler does it: scale = 1 / (max - min),
 * shift = -min * scale, x * scale + shift, in the layer's precision (float32 layers: every step
 * rounded to float32, so the result equals sklearn's bit for bit). A column whose range is below
 * 10 machine epsilons (sklearn's near-constant rule) gets scale 1, so a constant gene becomes 0.
 * NaN values are ignored for min / max and stay NaN. Returns a dense matrix.
 */
export function minMaxScaleMatrix(m: Matrix): DenseArray {
  const values = denseValues(m);
  const double = values instanceof Float64Array;
  const round = double ? (x: number): number => x : f32;
  const eps = double ? Number.EPSILON : EPS_F32;
  const { nRows, nCols } = m;
  const lo = new Float64Array(nCols).fill(Infinity);
  const hi = new Float64Array(nCols).fill(-Infinity);
  const seen = new Uint8Array(nCols);
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < nCols; j++) {
      const v = values[i * nCols + j] as number;
      if (Number.isNaN(v)) continue;
      seen[j] = 1;
      if (v < (lo[j] as number)) lo[j] = v;
      if (v > (hi[j] as number)) hi[j] = v;
    }
  }
  const scale = new Float64Array(nCols);
  const shift = new Float64Array(nCols);
  for (let j = 0; j < nCols; j++) {
    if (!seen[j]) {
      scale[j] = NaN;
      shift[j] = NaN;
      continue;
    }
    let range = round((hi[j] as number) - (lo[j] as number));
    if (range < 10 * eps) range = 1;
    scale[j] = round(1 / range);
    shift[j] = round(0 - round((lo[j] as number) * (scale[j] as number)));
  }
  const out = double ? new Float64Array(values.length) : new Float32Array(values.length);
  for (let i = 0; i < nRows; i++) {
    for (let j = 0; j < nCols; j++) {
      const k = i * nCols + j;
      out[k] = round(round((values[k] as number) * (scale[j] as number)) + (shift[j] as number));
    }
  }
  return new DenseArray(out, nRows, nCols);
}

/** `adata` with each of `layers` (default Ms and Mu) min-max scaled per gene (see minMaxScaleMatrix); a new AnnData. */
export function minMaxScale(adata: AnnData, options: { layers?: readonly string[] } = {}): AnnData {
  if (!(adata instanceof AnnData)) throw new TypeError(`${FN}: argument 'adata' must be an AnnData`);
  const layers = options.layers ?? ['Ms', 'Mu'];
  if (!Array.isArray(layers)) throw new TypeError(`${FN}: option 'layers' must be an array of layer names, got ${String(layers)}`);
  const scaled: Record<string, Matrix> = {};
  for (const name of layers) {
    const m = getLayer(adata, name, FN, 'layers');
    checkShape(adata, m, FN, name === 'X' ? 'X' : `layer '${name}'`);
    scaled[name] = minMaxScaleMatrix(m);
  }
  const { X: x, ...rest } = scaled;
  return new AnnData({
    X: x ?? adata.X,
    obs: adata.obs.clone(),
    var: adata.var.clone(),
    layers: { ...adata.layers, ...rest },
    obsm: { ...adata.obsm },
    varm: { ...adata.varm },
    obsp: { ...adata.obsp },
    varp: { ...adata.varp },
    uns: structuredClone(adata.uns),
  });
}
