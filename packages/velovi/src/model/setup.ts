// VELOVI.setup_anndata and the data-driven initialisation of VELOVI.__init__ (velovi/_model.py):
// read the spliced / unspliced layers, check them, and compute per gene the medians of u and s over
// the cells in the top 1% by u (alpha's initial value and the switch-penalty targets).
import { AnnData, toDenseValues } from '@vitae/anndata';
import { describeValue } from '@vitae/tensor';

import type { Matrix } from '@vitae/anndata';

export interface SetupOptions {
  /** Layer of spliced abundances, e.g. min-max scaled moments (default 'Ms', as velovi's tutorial). */
  splicedLayer?: string;
  /** Layer of unspliced abundances (default 'Mu'). */
  unsplicedLayer?: string;
}

/** Spliced and unspliced abundances as the model reads them: dense float32, cells × genes. */
export interface VelocityData {
  spliced: Float32Array;
  unspliced: Float32Array;
  nCells: number;
  nGenes: number;
}

/** What VELOVI holds of the AnnData. */
export interface SetupData extends VelocityData {
  splicedLayer: string;
  unsplicedLayer: string;
  obsNames: readonly string[];
  varNames: readonly string[];
}

function layerValues(fn: string, adata: AnnData, name: unknown, option: string): Float32Array {
  if (typeof name !== 'string' || name === '') throw new TypeError(`${fn}: option '${option}' must be a layer name, got ${describeValue(name)}`);
  const m: Matrix | undefined = adata.layers[name];
  if (m === undefined) {
    throw new RangeError(`${fn}: option '${option}' names layer '${name}', which the AnnData does not have; its layers are ${JSON.stringify(Object.keys(adata.layers))} (compute Ms / Mu with moments() and preprocessVelocityData() from @vitae/preprocess)`);
  }
  if (m.nRows !== adata.nObs || m.nCols !== adata.nVars) {
    throw new RangeError(`${fn}: layer '${name}' (option '${option}') must have shape [${adata.nObs}, ${adata.nVars}] (cells × genes), got [${m.nRows}, ${m.nCols}]`);
  }
  // A copy: later edits of the AnnData do not reach the model.
  return Float32Array.from(toDenseValues(m));
}

function checkValues(fn: string, adata: AnnData, name: string, option: string, values: Float32Array, nGenes: number): void {
  for (let k = 0; k < values.length; k++) {
    const v = values[k] as number;
    if (v >= 0 && v < Infinity) continue;
    const i = Math.floor(k / nGenes);
    const g = k % nGenes;
    const what = Number.isNaN(v) ? 'NaN' : v < 0 ? 'a negative value' : 'an infinite value';
    throw new RangeError(`${fn}: layer '${name}' (option '${option}') must hold finite abundances >= 0, got ${what} (${v}) at cell ${i} ('${adata.obsNames[i]}'), gene ${g} ('${adata.varNames[g]}')`);
  }
}

/** Reads and checks the spliced / unspliced layers of `adata`. */
export function setupAnnData(fn: string, adata: AnnData, options: SetupOptions): SetupData {
  if (!(adata instanceof AnnData)) throw new TypeError(`${fn}: argument 'adata' must be an AnnData (from @vitae/anndata), got ${describeValue(adata)}`);
  if (adata.nObs === 0) throw new RangeError(`${fn}: argument 'adata' must hold at least one cell, got 0`);
  if (adata.nVars === 0) throw new RangeError(`${fn}: argument 'adata' must hold at least one gene, got 0`);
  const splicedLayer = options.splicedLayer ?? 'Ms';
  const unsplicedLayer = options.unsplicedLayer ?? 'Mu';
  const spliced = layerValues(fn, adata, splicedLayer, 'splicedLayer');
  const unspliced = layerValues(fn, adata, unsplicedLayer, 'unsplicedLayer');
  checkValues(fn, adata, splicedLayer, 'splicedLayer', spliced, adata.nVars);
  checkValues(fn, adata, unsplicedLayer, 'unsplicedLayer', unspliced, adata.nVars);
  return { spliced, unspliced, nCells: adata.nObs, nGenes: adata.nVars, splicedLayer, unsplicedLayer, obsNames: adata.obsNames, varNames: adata.varNames };
}

/** The median of `values` (numpy's: the mean of the two middle values for an even count). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface UpperQuantileMedians {
  /** Per gene, the median unspliced value over the top cells by unspliced value (velovi's us_upper). */
  unspliced: Float64Array;
  /** Per gene, the median spliced value over the same cells (ms_upper). */
  spliced: Float64Array;
  /** How many top cells: nCells − ⌊0.99 · nCells⌋. */
  nTop: number;
}

/**
 * velovi's us_upper / ms_upper: per gene, the cells from position ⌊0.99 · n⌋ on when sorted by
 * unspliced value (ascending; ties by cell index, a stable order where numpy's argsort is not),
 * and the medians of their unspliced and spliced values.
 */
export function upperQuantileMedians(data: VelocityData): UpperQuantileMedians {
  const { nCells, nGenes, spliced, unspliced } = data;
  const start = Math.floor(nCells * 0.99);
  const nTop = nCells - start;
  const us = new Float64Array(nGenes);
  const ms = new Float64Array(nGenes);
  const order = new Int32Array(nCells);
  for (let g = 0; g < nGenes; g++) {
    for (let i = 0; i < nCells; i++) order[i] = i;
    const u = (i: number): number => unspliced[i * nGenes + g] as number;
    order.sort((a, b) => u(a) - u(b) || a - b);
    const top = Array.from(order.subarray(start));
    us[g] = median(top.map(u));
    ms[g] = median(top.map((i) => spliced[i * nGenes + g] as number));
  }
  return { unspliced: us, spliced: ms, nTop };
}

/** velovi's _softplus_inverse: x for x > 20, else log(expm1(x)). */
export function softplusInverse(x: number): number {
  return x > 20 ? x : Math.log(Math.expm1(x));
}

export interface DataInit {
  /** softplus⁻¹ of us_upper: alpha's initial value. */
  alphaUnconstr: Float64Array;
  /** With gammaInitData: min(softplus⁻¹(us_upper / ms_upper), 10), else null (velovi's −1 for every gene). */
  gammaUnconstr: Float64Array | null;
  medians: UpperQuantileMedians;
}

/**
 * The initial values VELOVI.__init__ computes from the data. A gene whose top cells all have
 * unspliced 0 is an error (velovi would start alpha at softplus⁻¹(0) = −∞, i.e. α = 0 for good).
 */
export function dataInit(fn: string, data: SetupData, gammaInitData: boolean): DataInit {
  const medians = upperQuantileMedians(data);
  const { unspliced: us, spliced: ms } = medians;
  for (let g = 0; g < data.nGenes; g++) {
    if (!((us[g] as number) > 0)) {
      throw new RangeError(
        `${fn}: gene ${g} ('${data.varNames[g]}') has unspliced abundance 0 in the median of its top ${medians.nTop} cells (layer '${data.unsplicedLayer}'), so alpha cannot be initialised (velovi's softplus⁻¹(0) = −∞); ` +
          `keep only genes with unspliced signal, e.g. with preprocessVelocityData from @vitae/preprocess`,
      );
    }
  }
  const alphaUnconstr = us.map(softplusInverse);
  const gammaUnconstr = gammaInitData ? us.map((u, g) => Math.min(softplusInverse(u / (ms[g] as number)), 10)) : null;
  return { alphaUnconstr, gammaUnconstr, medians };
}
