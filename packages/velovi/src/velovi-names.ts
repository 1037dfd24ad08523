// VELOVIModule's tensor names next to velovi's VELOVAE state-dict names, and loading weights saved
// by velovi (e.g. a model.pt's "model_state_dict", converted to name -> Tensor).
//
//   vitae                                                velovi                                                  layout
//   switch_time_unconstr, gamma_mean_unconstr,           same                                                    [G]
//   beta_mean_unconstr, alpha_unconstr,
//   alpha_1_unconstr, lambda_alpha_unconstr
//   scale_unconstr                                       same                                                    [2G, 4]
//   switch_spliced, switch_unspliced (buffers)           same                                                    [G]
//   z_encoder.encoder.layers.{i}.linear.W                z_encoder.encoder.fc_layers.Layer {i}.0.W               weight transposed
//   z_encoder.encoder.layers.{i}.batchNorm.P             z_encoder.encoder.fc_layers.Layer {i}.1.P
//   z_encoder.{mean,var}_encoder.W                       same                                                    weight transposed
//   decoder.{rho,pi}_first_decoder.layers.{i}.linear.W   decoder.{rho,pi}_first_decoder.fc_layers.Layer {i}.0.W  weight transposed
//   decoder.{rho,pi}_first_decoder.layers.{i}.batchNorm.P  decoder.{rho,pi}_first_decoder.fc_layers.Layer {i}.1.P
//   decoder.px_pi_decoder.W                              same                                                    weight transposed
//   decoder.px_{rho,tau}_decoder.W                       decoder.px_{rho,tau}_decoder.0.W                        weight transposed
//   decoder.linear_scaling_tau(_intercept)               same                                                    [G]
// W is weight or bias; P is weight, bias, running_mean or running_var. vitae's Linear stores its
// weight [in, out], torch's [out, in]. LayerNorm has no parameters in either (no affine).
import { Tensor, describeValue, tidy, transpose } from '@vitae/tensor';

import type { NamedTensorMap } from '@vitae/tensor';
import type { VELOVIModule } from './module.js';

export interface VeloviName {
  /** The velovi state-dict name. */
  name: string;
  /** Whether the velovi tensor is the transpose of the vitae one. */
  transpose: boolean;
}

const RULES: Array<[RegExp, string, boolean]> = [
  [/^(switch_time_unconstr|gamma_mean_unconstr|beta_mean_unconstr|alpha_unconstr|alpha_1_unconstr|lambda_alpha_unconstr|scale_unconstr|switch_spliced|switch_unspliced)$/, '$1', false],
  [/^z_encoder\.encoder\.layers\.(\d+)\.linear\.(weight|bias)$/, 'z_encoder.encoder.fc_layers.Layer $1.0.$2', true],
  [/^z_encoder\.encoder\.layers\.(\d+)\.batchNorm\.(weight|bias|running_mean|running_var)$/, 'z_encoder.encoder.fc_layers.Layer $1.1.$2', false],
  [/^z_encoder\.(mean_encoder|var_encoder)\.(weight|bias)$/, 'z_encoder.$1.$2', true],
  [/^decoder\.(rho_first_decoder|pi_first_decoder)\.layers\.(\d+)\.linear\.(weight|bias)$/, 'decoder.$1.fc_layers.Layer $2.0.$3', true],
  [/^decoder\.(rho_first_decoder|pi_first_decoder)\.layers\.(\d+)\.batchNorm\.(weight|bias|running_mean|running_var)$/, 'decoder.$1.fc_layers.Layer $2.1.$3', false],
  [/^decoder\.px_pi_decoder\.(weight|bias)$/, 'decoder.px_pi_decoder.$1', true],
  [/^decoder\.(px_rho_decoder|px_tau_decoder)\.(weight|bias)$/, 'decoder.$1.0.$2', true],
  [/^decoder\.(linear_scaling_tau|linear_scaling_tau_intercept)$/, 'decoder.$1', false],
];

/** The velovi name of a VELOVIModule tensor, and whether its layout is transposed there. */
export function veloviName(name: string, rank: number): VeloviName {
  for (const [pattern, replacement, linear] of RULES) {
    if (!pattern.test(name)) continue;
    return { name: name.replace(pattern, replacement), transpose: rank === 2 && linear && name.endsWith('.weight') };
  }
  throw new RangeError(`veloviName: '${name}' is not a VELOVIModule tensor name`);
}

export interface VeloviLoadResult {
  /** vitae names that were set. */
  loaded: string[];
  /** velovi names this module has no use for (num_batches_tracked, true_time_switch). */
  ignored: string[];
}

/**
 * Copies weights saved by velovi (names and torch layouts as in its state dict) into `module`.
 * Every tensor of the module must be present with the matching shape. The dict stays the caller's.
 */
export function loadVeloviStateDict(module: VELOVIModule, dict: NamedTensorMap): VeloviLoadResult {
  const fn = 'loadVeloviStateDict';
  if (typeof dict !== 'object' || dict === null) throw new TypeError(`${fn}: argument 'dict' must be an object of name -> Tensor, got ${describeValue(dict)}`);
  const targets = [...module.namedParameters(), ...module.namedBuffers()];
  const used = new Set<string>();
  const missing: string[] = [];
  const pairs: Array<[string, string, boolean]> = [];
  for (const [name, v] of targets) {
    const vn = veloviName(name, v.rank);
    if (!(vn.name in dict)) missing.push(`'${vn.name}' (for '${name}')`);
    used.add(vn.name);
    pairs.push([name, vn.name, vn.transpose]);
  }
  if (missing.length > 0) throw new Error(`${fn}: the velovi state dict lacks ${missing.join(', ')}`);
  const converted = tidy(() => {
    const out: NamedTensorMap = {};
    for (const [name, vName, flip] of pairs) {
      const value = dict[vName];
      if (!(value instanceof Tensor) || value.isDisposed) throw new TypeError(`${fn}: entry '${vName}' must be a live Tensor, got ${describeValue(value)}`);
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
