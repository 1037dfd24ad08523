// SCVIModule's tensor names next to scvi-tools' VAE state-dict names, and loading weights saved
// by scvi-tools (e.g. a model.pt's "model_state_dict", converted to name -> Tensor).
//
//   vitae                                            scvi-tools                                        layout
//   px_r                                             px_r                                              [G]; 2-D transposed
//   library_log_means / library_log_vars             same                                              [1, nBatch]
//   {z,l}_encoder.encoder.layers.{i}.linear.W        {z,l}_encoder.encoder.fc_layers.Layer {i}.0.W     weight transposed
//   {z,l}_encoder.encoder.layers.{i}.batchNorm.P     {z,l}_encoder.encoder.fc_layers.Layer {i}.1.P
//   {z,l}_encoder.{mean,var}_encoder.W               same                                              weight transposed
//   decoder.px_decoder.layers.{i}.linear.W           decoder.px_decoder.fc_layers.Layer {i}.0.W        weight transposed
//   decoder.px_decoder.layers.{i}.batchNorm.P        decoder.px_decoder.fc_layers.Layer {i}.1.P
//   decoder.px_scale_decoder.W                       decoder.px_scale_decoder.0.W                      weight transposed
//   decoder.px_r_decoder.W, decoder.px_dropout_decoder.W   same                                       weight transposed
// W is weight or bias; P is weight, bias, running_mean or running_var. vitae's Linear stores its
// weight [in, out], torch's [out, in]; px_r of 'gene-batch' / 'gene-label' is [nBatch | nLabels,
// G] here and [G, nBatch | nLabels] in scvi-tools (both so that the forward pass needs no
// transposed matmul). LayerNorm has no parameters in either (no affine).
import { Tensor, describeValue, tidy, transpose } from '@vitae/tensor';

import type { NamedTensorMap } from '@vitae/tensor';
import type { SCVIModule } from './module.js';

export interface ScviToolsName {
  /** The scvi-tools state-dict name. */
  name: string;
  /** Whether the scvi-tools tensor is the transpose of the vitae one. */
  transpose: boolean;
}

const RULES: Array<[RegExp, string, boolean]> = [
  [/^px_r$/, 'px_r', false],
  [/^(library_log_means|library_log_vars)$/, '$1', false],
  [/^(z_encoder|l_encoder)\.encoder\.layers\.(\d+)\.linear\.(weight|bias)$/, '$1.encoder.fc_layers.Layer $2.0.$3', true],
  [/^(z_encoder|l_encoder)\.encoder\.layers\.(\d+)\.batchNorm\.(weight|bias|running_mean|running_var)$/, '$1.encoder.fc_layers.Layer $2.1.$3', false],
  [/^(z_encoder|l_encoder)\.(mean_encoder|var_encoder)\.(weight|bias)$/, '$1.$2.$3', true],
  [/^decoder\.px_decoder\.layers\.(\d+)\.linear\.(weight|bias)$/, 'decoder.px_decoder.fc_layers.Layer $1.0.$2', true],
  [/^decoder\.px_decoder\.layers\.(\d+)\.batchNorm\.(weight|bias|running_mean|running_var)$/, 'decoder.px_decoder.fc_layers.Layer $1.1.$2', false],
  [/^decoder\.px_scale_decoder\.(weight|bias)$/, 'decoder.px_scale_decoder.0.$1', true],
  [/^decoder\.(px_r_decoder|px_dropout_decoder)\.(weight|bias)$/, 'decoder.$1.$2', true],
];

/** The scvi-tools name of an SCVIModule tensor, and whether its layout is transposed there. */
export function scviToolsName(name: string, rank: number): ScviToolsName {
  for (const [pattern, replacement, linear] of RULES) {
    if (!pattern.test(name)) continue;
    const isPxR = name === 'px_r';
    return { name: name.replace(pattern, replacement), transpose: rank === 2 && (isPxR || (linear && name.endsWith('.weight'))) };
  }
  throw new RangeError(`scviToolsName: '${name}' is not an SCVIModule tensor name`);
}

export interface ScviToolsLoadResult {
  /** vitae names that were set. */
  loaded: string[];
  /** scvi-tools names this configuration has no use for (the library encoder with the observed library, unused heads, num_batches_tracked). */
  ignored: string[];
}

/**
 * Copies weights saved by scvi-tools (names and torch layouts as in its state dict) into
 * `module`. Every tensor of the module must be present with the matching shape; entries the
 * configuration does not use are listed in `ignored`. The dict stays the caller's.
 */
export function loadScviToolsStateDict(module: SCVIModule, dict: NamedTensorMap): ScviToolsLoadResult {
  const fn = 'loadScviToolsStateDict';
  if (typeof dict !== 'object' || dict === null) throw new TypeError(`${fn}: argument 'dict' must be an object of name -> Tensor, got ${describeValue(dict)}`);
  const targets = [...module.namedParameters(), ...module.namedBuffers()];
  const used = new Set<string>();
  const missing: string[] = [];
  const pairs: Array<[string, string, boolean]> = [];
  for (const [name, v] of targets) {
    const st = scviToolsName(name, v.rank);
    if (!(st.name in dict)) missing.push(`'${st.name}' (for '${name}')`);
    used.add(st.name);
    pairs.push([name, st.name, st.transpose]);
  }
  if (missing.length > 0) throw new Error(`${fn}: the scvi-tools state dict lacks ${missing.join(', ')}`);
  const converted = tidy(() => {
    const out: NamedTensorMap = {};
    for (const [name, stName, flip] of pairs) {
      const value = dict[stName];
      if (!(value instanceof Tensor) || value.isDisposed) throw new TypeError(`${fn}: entry '${stName}' must be a live Tensor, got ${describeValue(value)}`);
      out[name] = flip ? transpose(value) : value.clone();
    }
    return out;
  });
  try {
    module.loadStateDict(converted);
  } finally {
    Object.values(converted).forEach((x) => x.dispose());
  }
  return { loaded: pairs.map(([n]) => n), ignored: Object.keys(dict).filter((k) => !used.has(k)) };
}
