// veloVI's preprocess_data (YosefLab/velovi 0.4, velovi/_utils.py): min-max scale the spliced and
// unspliced moments per gene, fit scVelo's steady-state model, and keep the genes whose fit has
// r2 > 0 and gamma > 0 and that scVelo calls velocity genes.
import { AnnData } from '@vitae/anndata';

import { minMaxScaleMatrix } from './scale.js';
import { checkNonNegativeFinite, checkShape } from './util.js';
import { steadyStateVelocity } from './velocity.js';

import type { Matrix } from '@vitae/anndata';
import type { SteadyStateOptions } from './velocity.js';

export interface PreprocessVelocityOptions extends Omit<SteadyStateOptions, 'vkey'> {
  /** Layer of spliced moments (default 'Ms', as velovi). */
  splicedLayer?: string;
  /** Layer of unspliced moments (default 'Mu'). */
  unsplicedLayer?: string;
  /** Min-max scale both layers per gene first (default true). */
  minMaxScale?: boolean;
  /** Keep only genes with r2 > 0, gamma > 0 that are velocity genes (default true). */
  filterOnR2?: boolean;
}

const FN = 'preprocessVelocityData';

function layerOrThrow(adata: AnnData, name: unknown, arg: string): Matrix {
  if (typeof name !== 'string' || name === '') throw new TypeError(`${FN}: option '${arg}' must be a layer name, got ${JSON.stringify(name)}`);
  const m = adata.layers[name];
  if (m === undefined) {
    throw new RangeError(`${FN}: option '${arg}' names layer '${name}', which adata does not have; its layers are ${JSON.stringify(Object.keys(adata.layers))} (run moments() first for Ms / Mu)`);
  }
  return m;
}

/**
 * velovi.preprocess_data as a pure function: returns a new AnnData with the genes kept.
 *
 * 1. minMaxScale (default): layers `splicedLayer` / `unsplicedLayer` replaced by their per-gene
 *    min-max scaled values (sklearn MinMaxScaler, float32).
 * 2. filterOnR2 (default): steadyStateVelocity on the scaled layers (perc [5, 95], minR2 0.01,
 *    minRatio 0.01 unless given), then the genes with velocity_r2 > 0, velocity_gamma > 0 and
 *    velocity_genes (velovi subsets by the first two, then by velocity_genes).
 *
 * Errors: a missing layer (listing the layers there are), layers whose shapes differ from each other
 * or from [nObs, nVars], a negative or non-finite value, and no gene left after the filter.
 */
export function preprocessVelocityData(adata: AnnData, options: PreprocessVelocityOptions = {}): AnnData {
  if (!(adata instanceof AnnData)) throw new TypeError(`${FN}: argument 'adata' must be an AnnData`);
  const sName = options.splicedLayer ?? 'Ms';
  const uName = options.unsplicedLayer ?? 'Mu';
  const s = layerOrThrow(adata, sName, 'splicedLayer');
  const u = layerOrThrow(adata, uName, 'unsplicedLayer');
  if (s.nRows !== u.nRows || s.nCols !== u.nCols) {
    throw new RangeError(`${FN}: layers '${sName}' (splicedLayer) and '${uName}' (unsplicedLayer) must have the same shape, got [${s.nRows}, ${s.nCols}] and [${u.nRows}, ${u.nCols}]`);
  }
  checkShape(adata, s, FN, `layer '${sName}' (splicedLayer)`);
  checkShape(adata, u, FN, `layer '${uName}' (unsplicedLayer)`);
  checkNonNegativeFinite(s, FN, `layer '${sName}' (splicedLayer)`);
  checkNonNegativeFinite(u, FN, `layer '${uName}' (unsplicedLayer)`);

  let out = adata;
  if (options.minMaxScale ?? true) {
    out = new AnnData({
      X: adata.X,
      obs: adata.obs.clone(),
      var: adata.var.clone(),
      layers: { ...adata.layers, [sName]: minMaxScaleMatrix(s), [uName]: minMaxScaleMatrix(u) },
      obsm: { ...adata.obsm },
      varm: { ...adata.varm },
      obsp: { ...adata.obsp },
      varp: { ...adata.varp },
      uns: structuredClone(adata.uns),
    });
  }
  if (!(options.filterOnR2 ?? true)) return out === adata ? adata.subset({}) : out;

  const { splicedLayer: _s, unsplicedLayer: _u, minMaxScale: _m, filterOnR2: _f, ...fitOptions } = options;
  const fitted = steadyStateVelocity(out, { ...fitOptions, splicedLayer: sName, unsplicedLayer: uName });
  const gamma = fitted.var.get('velocity_gamma') as Float64Array;
  const r2 = fitted.var.get('velocity_r2') as Float64Array;
  const vgenes = fitted.var.get('velocity_genes') as readonly boolean[];
  const keep: number[] = [];
  for (let g = 0; g < fitted.nVars; g++) if ((r2[g] as number) > 0 && (gamma[g] as number) > 0 && vgenes[g]) keep.push(g);
  if (keep.length === 0) {
    let best = -Infinity;
    for (const v of r2) best = Math.max(best, v);
    const nPos = Array.from(gamma).filter((g, j) => g > 0 && (r2[j] as number) > 0).length;
    throw new RangeError(
      `${FN}: no gene passes the filter velocity_r2 > 0, velocity_gamma > 0 and velocity_genes (r2 > minR2 = ${options.minR2 ?? 0.01}, gamma > minRatio = ${options.minRatio ?? 0.01}) ` +
        `among ${fitted.nVars} genes: ${nPos} have r2 > 0 and gamma > 0, the largest r2 is ${best}; check that '${sName}' / '${uName}' hold spliced / unspliced moments, or pass filterOnR2: false`,
    );
  }
  return fitted.subset({ var: Int32Array.from(keep) });
}
