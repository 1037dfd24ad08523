import * as tf from '#tfjs';
import { describe } from './backend.js';

import type { Tensor, TensorLike } from '#tfjs';

function isNumericArray(value: unknown): boolean {
  if (typeof value === 'number') return true;
  if (value instanceof Float32Array || value instanceof Int32Array || value instanceof Uint8Array || value instanceof Float64Array) {
    return true;
  }
  if (Array.isArray(value)) return value.every(isNumericArray);
  return false;
}

/**
 * Converts an op argument to a float32 Tensor, with an error naming the function, the argument
 * and what was received. int32 tensors are cast (lgamma(5) makes sense); bool, string and
 * complex tensors are refused. Call it inside an `op` scope so a created tensor is disposed.
 */
export function toFloatTensor(value: unknown, fn: string, arg: string): Tensor {
  if (value instanceof tf.Tensor) {
    if (value.isDisposed) throw new Error(`${fn}: argument '${arg}' is a disposed Tensor`);
    if (value.dtype === 'float32') return value;
    if (value.dtype === 'int32') return tf.cast(value, 'float32');
    throw new TypeError(`${fn}: argument '${arg}' must have dtype float32 or int32, got ${describe(value)}`);
  }
  if (isNumericArray(value)) return tf.tensor(value as TensorLike, undefined, 'float32');
  throw new TypeError(`${fn}: argument '${arg}' must be a Tensor, a number or a (nested) array of numbers, got ${describe(value)}`);
}

/** Throws unless `value` is an integer in [min, max]. */
export function assertInteger(value: unknown, fn: string, arg: string, min = -Infinity, max = Infinity): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = `${Number.isFinite(min) ? `>= ${min}` : ''}${Number.isFinite(min) && Number.isFinite(max) ? ' and ' : ''}${Number.isFinite(max) ? `<= ${max}` : ''}`;
    throw new RangeError(`${fn}: argument '${arg}' must be an integer${range ? ` ${range}` : ''}, got ${describe(value)}`);
  }
}

/** Throws unless `shape` is an array of non-negative integers. */
export function assertShape(shape: unknown, fn: string, arg = 'shape'): asserts shape is number[] {
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw new TypeError(`${fn}: argument '${arg}' must be an array of non-negative integers, got ${describe(shape)}`);
  }
}
