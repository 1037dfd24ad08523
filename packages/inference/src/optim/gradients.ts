// Gradients arrive either as `variableGrads(...).grads` (a NamedTensorMap keyed by variable name)
// or as a Map from Variable to its gradient. These helpers read both forms and rebuild the same
// form, so clipping functions return what they were given.
import { Tensor, Variable, describeValue } from '@vitae/tensor';

import type { NamedTensorMap } from '@vitae/tensor';

/** Gradients keyed by variable name (as `variableGrads` returns them) or by Variable. */
export type GradientMap = NamedTensorMap | Map<Variable, Tensor>;

/** The (key, gradient) entries of a GradientMap, checked to be live Tensors. */
export function gradientEntries(grads: unknown, fn: string): Array<[string | Variable, Tensor]> {
  let entries: Array<[string | Variable, unknown]>;
  if (grads instanceof Map) {
    entries = [...grads.entries()] as Array<[unknown, unknown]> as Array<[Variable, unknown]>;
    for (const [key] of entries) {
      if (!(key instanceof Variable)) throw new TypeError(`${fn}: the keys of a gradient Map must be Variables, got ${describeValue(key)}`);
    }
  } else if (typeof grads === 'object' && grads !== null && !Array.isArray(grads) && !(grads instanceof Tensor)) {
    entries = Object.entries(grads);
  } else {
    throw new TypeError(`${fn}: argument 'grads' must be an object of Tensors keyed by variable name or a Map<Variable, Tensor>, got ${describeValue(grads)}`);
  }
  for (const [key, g] of entries) {
    const name = typeof key === 'string' ? key : key.name;
    if (!(g instanceof Tensor)) throw new TypeError(`${fn}: the gradient of '${name}' must be a Tensor, got ${describeValue(g)}`);
    if (g.isDisposed) throw new Error(`${fn}: the gradient of '${name}' is a disposed Tensor`);
  }
  return entries as Array<[string | Variable, Tensor]>;
}

/** Rebuilds a GradientMap of the same kind as `like` from entries. */
export function gradientMapLike<G extends GradientMap>(like: G, entries: Array<[string | Variable, Tensor]>): G {
  if (like instanceof Map) return new Map(entries as Array<[Variable, Tensor]>) as G;
  return Object.fromEntries(entries as Array<[string, Tensor]>) as G;
}

/** The gradient of each parameter in order (undefined where none was given), checking shapes. */
export function gradientsFor(params: readonly Variable[], grads: unknown, fn: string): Array<Tensor | undefined> {
  const entries = gradientEntries(grads, fn);
  const byName = new Map<string, Tensor>();
  for (const [key, g] of entries) byName.set(typeof key === 'string' ? key : key.name, g);
  const out = params.map((p) => byName.get(p.name));
  if (entries.length > 0 && out.every((g) => g === undefined)) {
    const given = entries.slice(0, 3).map(([k]) => `'${typeof k === 'string' ? k : k.name}'`);
    throw new Error(`${fn}: none of the ${entries.length} gradients (${given.join(', ')}${entries.length > 3 ? ', …' : ''}) belongs to a parameter of this optimizer`);
  }
  out.forEach((g, i) => {
    const p = params[i] as Variable;
    if (g !== undefined && (g.shape.length !== p.shape.length || g.shape.some((d, k) => d !== p.shape[k]))) {
      throw new Error(`${fn}: the gradient of '${p.name}' has shape [${g.shape.join(', ')}], expected the parameter's shape [${p.shape.join(', ')}]`);
    }
  });
  return out;
}
