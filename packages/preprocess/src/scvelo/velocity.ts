// scVelo's steady-state ("deterministic") velocity: scv.tl.velocity(mode='deterministic'), as
// velovi.preprocess_data runs it (scVelo 0.2.5; 0.3.x is the same). Per gene, the ratio gamma of
// unspliced to spliced moments is fitted by least squares on the cells in the extreme upper
// quantile; velocity = Mu - gamma Ms; r2 measures the fit over all cells.
import { AnnData, DenseArray } from '@vitae/anndata';

import { percentileSorted } from '../util/stats.js';
import { checkShape, denseValues, f32, getLayer } from './util.js';

export interface SteadyStateOptions {
  /**
   * Percentiles of the extreme-quantile fit (default [5, 95]). Without an offset only the upper one
   * is used (cells with Ms / max Ms + Mu / max Mu >= that percentile); with fitOffset both (cells <=
   * the lower or >= the upper). A single number is the upper percentile; null fits on all cells.
   */
  perc?: number | readonly [number, number] | null;
  /** Fit u = gamma s + offset (offset >= 0) instead of a line through the origin. Default false. */
  fitOffset?: boolean;
  /** velocity_genes needs r2 > minR2 (default 0.01). */
  minR2?: number;
  /** velocity_genes needs gamma > minRatio (default 0.01). */
  minRatio?: number;
  /** r2 of a fit on all cells instead of the extreme-quantile fit's residual (scVelo's r2_adjusted; default false). */
  r2Adjusted?: boolean;
  /** velocity_genes only among var 'highly_variable' when that column exists (default true). */
  useHighlyVariable?: boolean;
  /** Layer of spliced moments (default 'Ms'). */
  splicedLayer?: string;
  /** Layer of unspliced moments (default 'Mu'). */
  unsplicedLayer?: string;
  /** Name of the velocity layer and prefix of the var columns (default 'velocity'). */
  vkey?: string;
}

export interface SteadyStateFit {
  gamma: Float64Array;
  /** Zero unless fitOffset. */
  offset: Float64Array;
  r2: Float64Array;
  velocityGenes: boolean[];
  /** Cells used for each gene's fit. */
  nUsed: Int32Array;
  /** Mu - gamma Ms (- offset), cells × genes row-major, float32. */
  velocity: Float32Array;
}

const FN = 'steadyStateVelocity';

function percBounds(perc: SteadyStateOptions['perc'], fitOffset: boolean): { lower: number | undefined; upper: number | undefined } {
  if (perc === null) return { lower: undefined, upper: undefined };
  if (perc === undefined) return { lower: fitOffset ? 5 : undefined, upper: 95 };
  const check = (q: unknown): number => {
    if (typeof q !== 'number' || !(q >= 0 && q <= 100)) throw new RangeError(`${FN}: option 'perc' must be a percentile in [0, 100] or a pair of them, got ${JSON.stringify(perc)}`);
    return q;
  };
  if (typeof perc === 'number') return { lower: undefined, upper: check(perc) };
  if (!Array.isArray(perc) || perc.length !== 2) throw new RangeError(`${FN}: option 'perc' must be a percentile in [0, 100] or a pair of them, got ${JSON.stringify(perc)}`);
  const lower = check(perc[0]);
  const upper = check(perc[1]);
  return { lower: fitOffset ? lower : undefined, upper };
}

/** (gamma, offset) of scVelo's LinearRegression on one gene's chosen cells; NaN -> 0. */
function fitLine(s: Float32Array | Float64Array, u: Float32Array | Float64Array, use: Uint8Array | undefined, fitOffset: boolean): [number, number, number] {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let xx = 0;
  let xy = 0;
  for (let i = 0; i < s.length; i++) {
    if (use && !use[i]) continue;
    const x = s[i] as number;
    const y = u[i] as number;
    n++;
    sx += x;
    sy += y;
    xx += x * x;
    xy += x * y;
  }
  let coef: number;
  let icpt = 0;
  if (fitOffset) {
    const mx = sx / n;
    const my = sy / n;
    coef = (xy / n - mx * my) / (xx / n - mx * mx);
    icpt = my - coef * mx;
    if (icpt < 0) coef = xy / xx;
    icpt = Math.max(icpt, 0); // NaN stays NaN here, as np.clip leaves it
  } else coef = xy / xx;
  return [Number.isNaN(coef) ? 0 : coef, Number.isNaN(icpt) ? 0 : icpt, n];
}

/**
 * The deterministic fit on dense row-major Ms / Mu (cells × genes). See steadyStateVelocity.
 * `highlyVariable` (optional) restricts velocityGenes as scVelo does with var 'highly_variable'.
 */
export function fitSteadyState(
  ms: Float32Array | Float64Array,
  mu: Float32Array | Float64Array,
  nObs: number,
  nVars: number,
  options: Omit<SteadyStateOptions, 'splicedLayer' | 'unsplicedLayer' | 'vkey' | 'useHighlyVariable'> & { highlyVariable?: readonly boolean[] } = {},
): SteadyStateFit {
  const fitOffset = options.fitOffset ?? false;
  const minR2 = options.minR2 ?? 0.01;
  const minRatio = options.minRatio ?? 0.01;
  const { lower, upper } = percBounds(options.perc, fitOffset);
  const gamma = new Float64Array(nVars);
  const offset = new Float64Array(nVars);
  const r2 = new Float64Array(nVars);
  const nUsed = new Int32Array(nVars);
  const velocity = new Float32Array(nObs * nVars);
  const velocityGenes = new Array<boolean>(nVars).fill(false);
  // the layer's precision: float32 Ms / Mu are fitted with scVelo's float32 steps
  const double = ms instanceof Float64Array && mu instanceof Float64Array;
  const Column = double ? Float64Array : Float32Array;
  const round = double ? (x: number): number => x : f32;
  const s = new Column(nObs);
  const u = new Column(nObs);
  const norm = new Column(nObs);
  const use = new Uint8Array(nObs);
  for (let g = 0; g < nVars; g++) {
    let maxS = -Infinity;
    let maxU = -Infinity;
    let anyS = false;
    let anyU = false;
    for (let i = 0; i < nObs; i++) {
      const sv = ms[i * nVars + g] as number;
      const uv = mu[i * nVars + g] as number;
      s[i] = sv;
      u[i] = uv;
      if (sv > maxS) maxS = sv;
      if (uv > maxU) maxU = uv;
      if (sv > 0) anyS = true;
      if (uv > 0) anyU = true;
    }
    let fitted: [number, number, number];
    if (upper === undefined) fitted = fitLine(s, u, undefined, fitOffset);
    else {
      // scVelo's _trim_data: Ms / max(max Ms, 1e-3) + Mu / max(max Mu, 1e-3), in float32
      const ds = Math.max(maxS, round(1e-3));
      const du = Math.max(maxU, round(1e-3));
      for (let i = 0; i < nObs; i++) norm[i] = round((s[i] as number) / ds) + round((u[i] as number) / du);
      const sorted = norm.slice().sort();
      const hiBound = percentileSorted(sorted, upper);
      const loBound = lower === undefined ? -Infinity : percentileSorted(sorted, lower);
      for (let i = 0; i < nObs; i++) use[i] = (norm[i] as number) >= hiBound || (norm[i] as number) <= loBound ? 1 : 0;
      fitted = fitLine(s, u, use, fitOffset);
    }
    const [gm, off, n] = fitted;
    gamma[g] = gm;
    offset[g] = fitOffset ? off : 0;
    nUsed[g] = n;
    let resAll = [gm, fitOffset ? off : 0];
    if (options.r2Adjusted) {
      const [g2, o2] = fitLine(s, u, undefined, fitOffset);
      resAll = [g2, fitOffset ? o2 : 0];
    }
    let meanU = 0;
    for (let i = 0; i < nObs; i++) meanU += u[i] as number;
    meanU /= nObs;
    let ssRes = 0;
    let ssTot = 0;
    for (let i = 0; i < nObs; i++) {
      const sv = s[i] as number;
      const uv = u[i] as number;
      const v = uv - gm * sv - (fitOffset ? off : 0);
      velocity[i * nVars + g] = v;
      const r = uv - (resAll[0] as number) * sv - (resAll[1] as number);
      ssRes += r * r;
      ssTot += (uv - meanU) * (uv - meanU);
    }
    const rr = 1 - ssRes / ssTot;
    r2[g] = Number.isNaN(rr) ? 0 : rr;
    velocityGenes[g] = (r2[g] as number) > minR2 && gm > minRatio && anyS && anyU && (options.highlyVariable === undefined || options.highlyVariable[g] === true);
  }
  if (velocityGenes.filter(Boolean).length < 2) {
    // scVelo: "very low signal in splicing dynamics": the genes above the 80th r2 percentile
    const threshold = percentileSorted(Float64Array.from(r2).sort(), 80);
    for (let g = 0; g < nVars; g++) velocityGenes[g] = (r2[g] as number) > threshold;
  }
  return { gamma, offset, r2, velocityGenes, nUsed, velocity };
}

/**
 * scv.tl.velocity(adata, mode='deterministic') as a pure function (a new AnnData is returned).
 *
 * Per gene: the cells whose Ms / max(Ms) + Mu / max(Mu) (maxima clipped below at 1e-3) is at or
 * above its 95th percentile (perc[1]; with fitOffset also those at or below perc[0]); gamma =
 * sum(Ms Mu) / sum(Ms^2) over them (with fitOffset the least-squares slope and offset, and the
 * origin fit where the offset came out negative); NaN -> 0. velocity = Mu - gamma Ms (- offset);
 * r2 = 1 - sum(velocity^2) / sum((Mu - mean Mu)^2) over all cells (NaN -> 0).
 * velocity_genes = r2 > minR2 & gamma > minRatio & some Ms > 0 & some Mu > 0 (& highly_variable);
 * fewer than 2 such genes -> those with r2 above its 80th percentile.
 *
 * Adds layer `<vkey>` (float32), var `<vkey>_gamma`, `<vkey>_qreg_ratio` (= gamma), `<vkey>_r2`,
 * `<vkey>_genes` (and `<vkey>_offset` with fitOffset), uns `<vkey>_params`. (scVelo writes a var
 * column only when its values are not all equal; here they are always written.)
 */
export function steadyStateVelocity(adata: AnnData, options: SteadyStateOptions = {}): AnnData {
  if (!(adata instanceof AnnData)) throw new TypeError(`${FN}: argument 'adata' must be an AnnData`);
  const sName = options.splicedLayer ?? 'Ms';
  const uName = options.unsplicedLayer ?? 'Mu';
  const vkey = options.vkey ?? 'velocity';
  const msM = getLayer(adata, sName, FN, 'splicedLayer');
  const muM = getLayer(adata, uName, FN, 'unsplicedLayer');
  checkShape(adata, msM, FN, `layer '${sName}'`);
  checkShape(adata, muM, FN, `layer '${uName}'`);
  for (const [k, v] of [['minR2', options.minR2], ['minRatio', options.minRatio]] as const) {
    if (v !== undefined && typeof v !== 'number') throw new TypeError(`${FN}: option '${k}' must be a number, got ${String(v)}`);
  }
  let highlyVariable: boolean[] | undefined;
  if ((options.useHighlyVariable ?? true) && adata.var.has('highly_variable')) {
    const col = adata.var.get('highly_variable');
    highlyVariable = Array.from(col as ArrayLike<unknown>, (v) => v === true || v === 1);
  }
  const fit = fitSteadyState(denseValues(msM), denseValues(muM), adata.nObs, adata.nVars, { ...options, ...(highlyVariable ? { highlyVariable } : {}) });
  const var_ = adata.var.clone();
  var_.set(`${vkey}_gamma`, fit.gamma).set(`${vkey}_qreg_ratio`, Float64Array.from(fit.gamma)).set(`${vkey}_r2`, fit.r2).set(`${vkey}_genes`, fit.velocityGenes);
  if (options.fitOffset) var_.set(`${vkey}_offset`, fit.offset);
  const perc = options.perc === undefined ? [5, 95] : options.perc === null ? 'none' : typeof options.perc === 'number' ? options.perc : [...options.perc];
  return new AnnData({
    X: adata.X,
    obs: adata.obs.clone(),
    var: var_,
    layers: { ...adata.layers, [vkey]: new DenseArray(fit.velocity, adata.nObs, adata.nVars) },
    obsm: { ...adata.obsm },
    varm: { ...adata.varm },
    obsp: { ...adata.obsp },
    varp: { ...adata.varp },
    uns: { ...structuredClone(adata.uns), [`${vkey}_params`]: { mode: 'deterministic', fit_offset: options.fitOffset ?? false, perc } },
  });
}
