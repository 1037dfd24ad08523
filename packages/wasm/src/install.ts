// Registers the SIMD kernels as the implementations of @vitae/tensor's special-function,
// count-likelihood and Adam-update kernels, on both the wasm and the cpu backend.
import { LikelihoodKernel, OptimizerKernel, RandomKernel, SpecialKernel, setArrayKernelImpl } from '@vitae/tensor/kernels';
import { AdamModule } from './adam-module.js';
import { KernelModule } from './kernel-module.js';

import type { AdamUpdateAttrs, ArrayKernelImpl, CountLikelihoodAttrs, KernelArray, PolygammaAttrs } from '@vitae/tensor/kernels';
import type { BinaryKernelName, UnaryKernelName } from './kernel-module.js';

/** The provider name these kernels report in `listArrayKernels()`. */
export const WASM_SIMD_PROVIDER = 'wasm-simd';

const asFloat32 = (a: KernelArray | undefined): Float32Array => {
  // Inputs of these kernels are float32 (the ops cast int32 first).
  if (!(a instanceof Float32Array)) throw new TypeError(`@vitae/wasm: expected a Float32Array, got ${a?.constructor.name}`);
  return a;
};

let installed: Promise<KernelModule> | null = null;

/**
 * Compiles the kernel module (once) and makes it the implementation of lgamma, digamma,
 * polygamma, log1pExp / softplus, logSigmoid, xlogy, logBeta, logSumExp, the fused NB / ZINB
 * log-likelihoods (logNb, logZinb), randomGamma's gradient (standardGammaGrad) and the Adam /
 * AdamW update (adamUpdate). Returns the module for direct typed-array use. Idempotent.
 */
export function installWasmKernels(): Promise<KernelModule> {
  installed ??= Promise.all([KernelModule.load(), AdamModule.load()]).then(([kernels, adam]) => {
    const unary = (name: UnaryKernelName): ArrayKernelImpl => ({ inputs, outputs }) => {
      kernels.unary(name, asFloat32(inputs[0]), asFloat32(outputs[0]));
    };
    const binary = (name: BinaryKernelName): ArrayKernelImpl => ({ inputs, outputs }) => {
      kernels.binary(name, asFloat32(inputs[0]), asFloat32(inputs[1]), asFloat32(outputs[0]));
    };
    setArrayKernelImpl(SpecialKernel.Lgamma, unary('lgamma'), WASM_SIMD_PROVIDER);
    setArrayKernelImpl(SpecialKernel.Digamma, unary('digamma'), WASM_SIMD_PROVIDER);
    setArrayKernelImpl(SpecialKernel.Log1pExp, unary('log1pExp'), WASM_SIMD_PROVIDER);
    setArrayKernelImpl(SpecialKernel.LogSigmoid, unary('logSigmoid'), WASM_SIMD_PROVIDER);
    setArrayKernelImpl<PolygammaAttrs>(
      SpecialKernel.Polygamma,
      ({ inputs, outputs, attrs }) => {
        const x = asFloat32(inputs[0]);
        const out = asFloat32(outputs[0]);
        if (attrs.order === 1) kernels.unary('trigamma', x, out);
        else kernels.polygamma(attrs.order, x, out);
      },
      WASM_SIMD_PROVIDER,
    );
    setArrayKernelImpl(SpecialKernel.Xlogy, binary('xlogy'), WASM_SIMD_PROVIDER);
    setArrayKernelImpl(SpecialKernel.LogBeta, binary('logBeta'), WASM_SIMD_PROVIDER);
    setArrayKernelImpl(RandomKernel.StandardGammaGrad, binary('standardGammaGrad'), WASM_SIMD_PROVIDER);
    setArrayKernelImpl(
      SpecialKernel.LogSumExp,
      ({ inputs, inputShapes, outputs }) => {
        const [rows, cols] = inputShapes[0] as [number, number];
        kernels.logSumExpRows(asFloat32(inputs[0]), rows, cols, asFloat32(outputs[0]));
      },
      WASM_SIMD_PROVIDER,
    );
    // LogNb has inputs x, mu, theta; LogZinb adds pi (and one more output with attrs.grad)
    const countLikelihood: ArrayKernelImpl<CountLikelihoodAttrs> = ({ inputs, outputs, attrs }) => {
      const [x, mu, theta, pi] = inputs.map(asFloat32) as [Float32Array, Float32Array, Float32Array, Float32Array?];
      const [value, dMu, dTheta, dPi] = outputs.map(asFloat32) as [Float32Array, Float32Array?, Float32Array?, Float32Array?];
      kernels.countLikelihood({ x, mu, theta, pi }, { value, mu: dMu, theta: dTheta, pi: dPi }, attrs.eps);
    };
    setArrayKernelImpl(LikelihoodKernel.LogNb, countLikelihood, WASM_SIMD_PROVIDER);
    setArrayKernelImpl(LikelihoodKernel.LogZinb, countLikelihood, WASM_SIMD_PROVIDER);
    // on the wasm backend the update runs in place in tfjs' heap (adam-module.ts)
    const adamUpdate: ArrayKernelImpl<AdamUpdateAttrs> = ({ inputs, outputs, attrs, heap }) => {
      adam.update(inputs.map(asFloat32), outputs.map(asFloat32), attrs, heap);
    };
    setArrayKernelImpl(OptimizerKernel.AdamUpdate, adamUpdate, WASM_SIMD_PROVIDER);
    setArrayKernelImpl(OptimizerKernel.AmsgradUpdate, adamUpdate, WASM_SIMD_PROVIDER);
    return kernels;
  });
  return installed;
}
