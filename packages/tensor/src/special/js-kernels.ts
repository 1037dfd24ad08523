// Defines the special-function kernels with their portable JS implementations (float64 scalar
// loops over the float32 arrays). @vitae/wasm swaps in SIMD implementations of the same kernels.
import { defineArrayKernel } from '../kernels/array-kernel.js';
import { SpecialKernel } from './kernel-names.js';
import {
  digammaScalar,
  lgammaScalar,
  log1pExpScalar,
  logBetaScalar,
  logSigmoidScalar,
  logSumExpScalar,
  polygammaScalar,
  xlogyScalar,
} from './scalar.js';

import type { ArrayKernelCall, ArrayKernelImpl, KernelArray, KernelShape } from '../kernels/array-kernel.js';
import type { PolygammaAttrs } from './kernel-names.js';

const sameShapeAsFirst = (shapes: readonly KernelShape[]) => [{ shape: [...(shapes[0] as KernelShape)], dtype: 'float32' as const }];

function first(arrays: readonly KernelArray[]): KernelArray {
  return arrays[0] as KernelArray;
}

/** An elementwise implementation from a scalar function of one argument. */
export function unaryImpl(f: (x: number) => number): ArrayKernelImpl {
  return ({ inputs, outputs }) => {
    const x = first(inputs);
    const out = first(outputs);
    for (let i = 0; i < x.length; i++) out[i] = f(x[i] as number);
  };
}

/** An elementwise implementation from a scalar function of two same-shape arguments. */
export function binaryImpl(f: (a: number, b: number) => number): ArrayKernelImpl {
  return ({ inputs, outputs }) => {
    const a = first(inputs);
    const b = inputs[1] as KernelArray;
    const out = first(outputs);
    for (let i = 0; i < a.length; i++) out[i] = f(a[i] as number, b[i] as number);
  };
}

export const polygammaJs: ArrayKernelImpl<PolygammaAttrs> = ({ inputs, outputs, attrs }: ArrayKernelCall<PolygammaAttrs>) => {
  const x = first(inputs);
  const out = first(outputs);
  for (let i = 0; i < x.length; i++) out[i] = polygammaScalar(attrs.order, x[i] as number);
};

export const logSumExpRowsJs: ArrayKernelImpl = ({ inputs, inputShapes, outputs }) => {
  const x = first(inputs);
  const [rows, cols] = inputShapes[0] as [number, number];
  const out = first(outputs);
  for (let r = 0; r < rows; r++) out[r] = logSumExpScalar(x, r * cols, cols);
};

export function defineSpecialKernels(): void {
  const unary = (kernelName: string, f: (x: number) => number) =>
    defineArrayKernel({ kernelName, inputNames: ['x'], outputs: sameShapeAsFirst }, unaryImpl(f));
  unary(SpecialKernel.Lgamma, lgammaScalar);
  unary(SpecialKernel.Digamma, digammaScalar);
  unary(SpecialKernel.Log1pExp, log1pExpScalar);
  unary(SpecialKernel.LogSigmoid, logSigmoidScalar);
  defineArrayKernel<PolygammaAttrs>({ kernelName: SpecialKernel.Polygamma, inputNames: ['x'], outputs: sameShapeAsFirst }, polygammaJs);
  defineArrayKernel({ kernelName: SpecialKernel.Xlogy, inputNames: ['x', 'y'], outputs: sameShapeAsFirst }, binaryImpl(xlogyScalar));
  defineArrayKernel({ kernelName: SpecialKernel.LogBeta, inputNames: ['a', 'b'], outputs: sameShapeAsFirst }, binaryImpl(logBetaScalar));
  defineArrayKernel(
    {
      kernelName: SpecialKernel.LogSumExp,
      inputNames: ['x'],
      outputs: (shapes) => [{ shape: [(shapes[0] as KernelShape)[0] as number], dtype: 'float32' }],
    },
    logSumExpRowsJs,
  );
}
