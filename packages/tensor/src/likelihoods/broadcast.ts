// The broadcast the count-likelihood kernels support natively: every input has the output's
// shape or a suffix of it (theta [G] against mu [B, G], x [B, G] against mu [S, B, G]), read as
// input[i mod size], so the common cases need no materialized copy. Other broadcasts
// (e.g. [B, 1] against [1, G]) are materialized with broadcastTo first.
import * as tf from '#tfjs';

import type { Tensor } from '#tfjs';
import type { KernelShape } from '../kernels/array-kernel.js';

/** The longest shape, after checking that every shape is a suffix of it. */
export function suffixBroadcastShape(kernelName: string, shapes: readonly KernelShape[]): number[] {
  let longest: KernelShape = [];
  for (const s of shapes) if (s.length > longest.length) longest = s;
  for (const s of shapes) {
    const offset = longest.length - s.length;
    if (s.some((d, i) => d !== longest[offset + i])) {
      throw new Error(`${kernelName}: input shape [${s.join(', ')}] is not a suffix of [${longest.join(', ')}]`);
    }
  }
  return [...longest];
}

function dropLeadingOnes(shape: readonly number[]): number[] {
  let i = 0;
  while (i < shape.length && shape[i] === 1) i++;
  return shape.slice(i);
}

/**
 * Brings named tensors to kernel inputs: each one's shape without leading 1s, if that is a
 * suffix of the broadcast shape without leading 1s (`core`), else broadcast to `core`. Returns
 * them with the full broadcast shape (the op's result shape) and `core` (the kernel's).
 */
export function suffixBroadcast(fn: string, args: Record<string, Tensor>): { inputs: Record<string, Tensor>; shape: number[]; core: number[] } {
  let shape: number[] = [];
  for (const [name, t] of Object.entries(args)) {
    try {
      shape = tf.backend_util.assertAndGetBroadcastShape(shape, t.shape);
    } catch {
      const shapes = Object.entries(args).map(([n, a]) => `'${n}' [${a.shape.join(', ')}]`);
      throw new Error(`${fn}: arguments ${shapes.join(', ')} cannot be broadcast together (at '${name}')`);
    }
  }
  const core = dropLeadingOnes(shape);
  const inputs: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(args)) {
    const own = dropLeadingOnes(t.shape);
    const offset = core.length - own.length;
    if (own.every((d, i) => d === core[offset + i])) inputs[name] = own.length === t.rank ? t : tf.reshape(t, own);
    else inputs[name] = tf.broadcastTo(t, core);
  }
  return { inputs, shape, core };
}

/** g summed over its leading axes down to `shape` (a suffix of g's shape): the gradient of a suffix broadcast. */
export function sumToSuffix(g: Tensor, shape: readonly number[]): Tensor {
  const lead = g.rank - shape.length;
  return lead === 0 ? g : tf.sum(g, Array.from({ length: lead }, (_, i) => i));
}
