// vitae replaces a few of tfjs' kernels and gradients where tfjs' are correct but slow (each
// replacement's file says why). They are all made here, so that they can be set aside together:
// `withTfjsKernels` runs a function with tfjs' own kernels and gradients back in place, which is
// what a benchmark of "stock tfjs" against vitae needs.
import * as tf from '#tfjs';
import { setDenseMatMulImpl } from '../matmul/dense-matmul.js';

import type { GradConfig, KernelConfig, KernelFunc } from '#tfjs';

const kernels: Array<{ previous: KernelConfig; replacement: KernelConfig }> = [];
const gradients: Array<{ previous: GradConfig | undefined; replacement: GradConfig }> = [];

/**
 * Replaces tfjs' kernel `kernelName` on `backendName` by kernelFunc(previous). tfjs-backend-wasm's
 * kernels bind their WASM functions in setupFunc when the backend starts: it is kept, so that the
 * previous kernel still works as the replacement's fallback.
 */
export function replaceKernel(kernelName: string, backendName: string, kernelFunc: (previous: KernelConfig) => KernelFunc): void {
  const previous = tf.getKernel(kernelName, backendName);
  if (previous === undefined) throw new Error(`@vitae/tensor: tfjs has no kernel '${kernelName}' on backend '${backendName}' to replace`);
  const replacement: KernelConfig = { kernelName, backendName, setupFunc: previous.setupFunc, disposeFunc: previous.disposeFunc, kernelFunc: kernelFunc(previous) };
  tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel(replacement);
  kernels.push({ previous, replacement });
}

/** Replaces tfjs' gradient of `config.kernelName` by `config`. */
export function replaceGradient(config: GradConfig): void {
  const previous = tf.getGradient(config.kernelName);
  if (previous !== undefined) tf.unregisterGradient(config.kernelName);
  tf.registerGradient(config);
  gradients.push({ previous, replacement: config });
}

function swap(toTfjs: boolean): void {
  for (const { previous, replacement } of kernels) {
    tf.unregisterKernel(replacement.kernelName, replacement.backendName);
    tf.registerKernel(toTfjs ? previous : replacement);
  }
  for (const { previous, replacement } of gradients) {
    tf.unregisterGradient(replacement.kernelName);
    if (toTfjs && previous !== undefined) tf.registerGradient(previous);
    if (!toTfjs) tf.registerGradient(replacement);
  }
}

/**
 * Runs `fn` with tfjs' own kernels and gradients in place of vitae's replacements (and tfjs'
 * own dense product on the wasm backend, see setDenseMatMulImpl), then puts vitae's back. For
 * benchmarks of stock tfjs; vitae's own kernels (the array kernels) are untouched, since stock
 * code does not call them. Not reentrant; `fn` must be synchronous.
 */
export function withTfjsKernels<T>(fn: () => T): T {
  const restoreMatMul = setDenseMatMulImpl(null);
  swap(true);
  try {
    return fn();
  } finally {
    swap(false);
    restoreMatMul();
  }
}
