// velovi's tutorial helper add_velovi_outputs_to_adata: the model's velocity, latent time and
// rates written into the AnnData under scVelo's names, so that scVelo (velocity_graph,
// velocity_embedding_stream, ...) works on them after writeH5ad.
import { AnnData, DenseArray } from '@vitae/anndata';
import { optionChecks } from '@vitae/layers';
import { describeValue } from '@vitae/tensor';
import { VELOVI } from './velovi.js';

export interface AddOutputsOptions {
  /** Passes averaged for the latent time and the velocity (default 25, as the tutorial). */
  nSamples?: number;
  /** Seeds the draws (default 0). */
  seed?: number;
}

/**
 * Writes into `adata` (in place; returned for chaining), as velovi's tutorial does:
 * - layers `velocity` = velocity / scaling and `fit_t` = latent time · scaling, with the per-gene
 *   scaling = 20 / max over cells of the latent time (so every gene's time spans [0, 20]);
 *   layers `latent_time_velovi` = the latent time itself;
 * - var `fit_alpha`, `fit_beta`, `fit_gamma` = rates / scaling, `fit_t_` = switch time · scaling,
 *   `fit_scaling` = 1, and `velocity_genes` = true (scVelo uses every gene);
 * - obs `latent_time` (a vitae addition, not in velovi's helper): per cell the mean over genes of
 *   `fit_t`, min-max scaled to [0, 1] over the cells, a shared time in the form scVelo's
 *   latent_time takes.
 * `adata` must hold the cells and genes the model was built on (its own AnnData, or a copy).
 */
export function addVeloviOutputs(adata: AnnData, model: VELOVI, options: AddOutputsOptions = {}): AnnData {
  const fn = 'addVeloviOutputs';
  if (!(adata instanceof AnnData)) throw new TypeError(`${fn}: argument 'adata' must be an AnnData, got ${describeValue(adata)}`);
  if (!(model instanceof VELOVI)) throw new TypeError(`${fn}: argument 'model' must be a VELOVI model, got ${describeValue(model)}`);
  if (typeof options !== 'object' || options === null) throw new TypeError(`${fn}: argument 'options' must be an object, got ${describeValue(options)}`);
  const { nCells, nGenes, varNames, obsNames } = model.data;
  if (adata.nObs !== nCells || adata.nVars !== nGenes || adata.varNames.some((g, j) => g !== varNames[j]) || adata.obsNames.some((c, i) => c !== obsNames[i])) {
    throw new RangeError(`${fn}: argument 'adata' must hold the model's ${nCells} cells × ${nGenes} genes (same obs and var names, same order), got ${adata.nObs} × ${adata.nVars}`);
  }
  const c = optionChecks(fn);
  const nSamples = c.integer(options.nSamples ?? 25, 'nSamples', 1);
  const seed = c.integer(options.seed ?? 0, 'seed', 0);
  const latentTime = model.getLatentTime({ nSamples, seed }) as DenseArray;
  const velocity = model.getVelocity({ nSamples, seed: seed + 1, statistic: 'mean' }) as DenseArray;
  const scaling = new Float64Array(nGenes).fill(-Infinity);
  for (let i = 0; i < nCells; i++) for (let g = 0; g < nGenes; g++) scaling[g] = Math.max(scaling[g] as number, latentTime.values[i * nGenes + g] as number);
  for (let g = 0; g < nGenes; g++) scaling[g] = 20 / (scaling[g] as number);
  const perGene = (values: ArrayLike<number>, f: (v: number, g: number) => number): Float32Array => {
    const out = new Float32Array(nCells * nGenes);
    for (let k = 0; k < out.length; k++) out[k] = f(values[k] as number, k % nGenes);
    return out;
  };
  const fitT = perGene(latentTime.values, (v, g) => v * (scaling[g] as number));
  adata.setLayer('velocity', new DenseArray(perGene(velocity.values, (v, g) => v / (scaling[g] as number)), nCells, nGenes));
  adata.setLayer('latent_time_velovi', latentTime);
  adata.setLayer('fit_t', new DenseArray(fitT, nCells, nGenes));
  const rates = model.getRates();
  const switchTime = model.getSwitchTime();
  const scaled = (x: Float32Array, f: (v: number, s: number) => number): Float64Array => Float64Array.from(x, (v, g) => f(v, scaling[g] as number));
  adata.var.set('fit_alpha', scaled(rates.alpha, (v, s) => v / s));
  adata.var.set('fit_beta', scaled(rates.beta, (v, s) => v / s));
  adata.var.set('fit_gamma', scaled(rates.gamma, (v, s) => v / s));
  adata.var.set('fit_t_', scaled(switchTime, (v, s) => v * s));
  adata.var.set('fit_scaling', new Float64Array(nGenes).fill(1));
  adata.var.set('velocity_genes', Array.from({ length: nGenes }, () => true));
  const shared = new Float64Array(nCells);
  for (let i = 0; i < nCells; i++) {
    let sum = 0;
    for (let g = 0; g < nGenes; g++) sum += fitT[i * nGenes + g] as number;
    shared[i] = sum / nGenes;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of shared) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  adata.obs.set('latent_time', shared.map((v) => (hi > lo ? (v - lo) / (hi - lo) : 0)));
  return adata;
}
