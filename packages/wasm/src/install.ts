// Registers the SIMD kernels as the implementations of @vitae/tensor's special-function,
// count-likelihood, Normal-mixture, Adam-update, sparse-product and gamma-draw kernels, on both the wasm and the
// cpu backend, and the packed GEMM as the wasm backend's dense matrix product.
import { dirichletKlForm, KINETIC_GENE_INPUTS, kineticMixtureJs, LikelihoodKernel, OptimizerKernel, RandomKernel, SimplexKernel, SparseKernel, SpecialKernel, setArrayKernelImpl, setDenseMatMulImpl, setLeadingSumImpl } from '@vitae/tensor/kernels';
import { AdamModule } from './adam-module.js';
import { GemmModule } from './gemm-module.js';
import { GammaSampleModule } from './gamma-sample-module.js';
import { KernelModule } from './kernel-module.js';
import { ReduceModule } from './reduce-module.js';
import { SparseModule } from './sparse-module.js';
import { checkThreads } from './threads.js';

import type { AdamUpdateAttrs, ArrayKernelImpl, CountLikelihoodAttrs, DirichletKlAttrs, DirichletKlGradAttrs, CsrTransposeMatMulAttrs, KernelArray, KineticMixtureAttrs, NormalMixtureAttrs, PolygammaAttrs, StandardGammaSampleAttrs } from '@vitae/tensor/kernels';
import type { KineticGenes } from './kinetic-mixture.js';
import type { CsrArrays } from './sparse-module.js';
import type { BinaryKernelName, UnaryKernelName } from './kernel-module.js';

/** The provider name these kernels report in `listArrayKernels()`. */
export const WASM_SIMD_PROVIDER = 'wasm-simd';

const asFloat32 = (a: KernelArray | undefined): Float32Array => {
  // Inputs of these kernels are float32 (the ops cast int32 first).
  if (!(a instanceof Float32Array)) throw new TypeError(`@vitae/wasm: expected a Float32Array, got ${a?.constructor.name}`);
  return a;
};

/** The CSR inputs data (float32), indices, indptr (int32) of the sparse kernels. */
const csrOf = (inputs: readonly KernelArray[]): CsrArrays => {
  const [data, indices, indptr] = inputs;
  if (!(indices instanceof Int32Array) || !(indptr instanceof Int32Array)) throw new TypeError('@vitae/wasm: expected int32 indices and indptr');
  return { data: asFloat32(data), indices, indptr };
};

let installed: Promise<KernelModule> | null = null;
let installedGemm: GemmModule | null = null;
let installedGamma: GammaSampleModule | null = null;

/**
 * Compiles the kernel module (once) and makes it the implementation of lgamma, digamma,
 * polygamma, log1pExp / softplus, logSigmoid, xlogy, logBeta, logSumExp, the fused NB / ZINB
 * log-likelihoods (logNb, logZinb), the mixture of four Normals (NormalMixture), randomGamma's
 * gradient (standardGammaGrad) and draws (the same bits as its JavaScript loop), the Adam /
 * AdamW update (adamUpdate) and the sparse × dense products (csrMatMul and its gradient); on the
 * wasm backend also the dense matrix product (`matMul` and its gradients) and the sums over
 * leading axes (`sum` / `mean`: the same bits, SIMD).
 * Returns the module for direct typed-array use. Idempotent.
 */
export function installWasmKernels(): Promise<KernelModule> {
  installed ??= Promise.all([KernelModule.load(), AdamModule.load(), SparseModule.load(), GammaSampleModule.load(), GemmModule.load(), ReduceModule.load()]).then(([kernels, adam, sparse, gamma, gemm, reduce]) => {
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
    // so do the sparse products (sparse-module.ts)
    setArrayKernelImpl(
      SparseKernel.CsrMatMul,
      ({ inputs, inputShapes, outputs, heap }) => {
        const [nCols, n] = inputShapes[3] as [number, number];
        sparse.matMul(csrOf(inputs), nCols, asFloat32(inputs[3]), n, asFloat32(outputs[0]), heap);
      },
      WASM_SIMD_PROVIDER,
    );
    setArrayKernelImpl<CsrTransposeMatMulAttrs>(
      SparseKernel.CsrTransposeMatMul,
      ({ inputs, inputShapes, outputs, attrs, heap }) => {
        sparse.transposeMatMul(csrOf(inputs), attrs.nCols, asFloat32(inputs[3]), (inputShapes[3] as number[])[1] as number, asFloat32(outputs[0]), heap);
      },
      WASM_SIMD_PROVIDER,
    );
    // veloVI's mixture of four Normals (float32 SIMD; the JS kernel computes in float64)
    setArrayKernelImpl<NormalMixtureAttrs>(
      LikelihoodKernel.NormalMixture,
      ({ inputs, outputs, attrs }) => kernels.normalMixture(inputs.map(asFloat32), outputs.map(asFloat32), attrs.lastScale),
      WASM_SIMD_PROVIDER,
    );
    // veloVI's whole likelihood and its gradient (float32 SIMD; the JS kernels compute in float64)
    const kinetic: ArrayKernelImpl<KineticMixtureAttrs> = (call) => {
      const { inputs, outputs, attrs } = call;
      // fewer than 4 genes fill no SIMD vector: the JS kernel
      if ((inputs[5] as KernelArray).length < 4) return kineticMixtureJs(call);
      const arrays = inputs.map(asFloat32);
      const genes = Object.fromEntries(KINETIC_GENE_INPUTS.map((name, k) => [name, arrays[5 + k] as Float32Array])) as unknown as KineticGenes;
      kernels.kineticMixture(arrays.slice(0, 5), genes, arrays.length === 14 ? (arrays[13] as Float32Array) : null, outputs.map(asFloat32), attrs);
    };
    setArrayKernelImpl<KineticMixtureAttrs>(LikelihoodKernel.KineticMixture, kinetic, WASM_SIMD_PROVIDER);
    setArrayKernelImpl<KineticMixtureAttrs>(LikelihoodKernel.KineticMixtureGrad, kinetic, WASM_SIMD_PROVIDER);
    // KL(Dir(p) ‖ Dir(q)) and its partials (float32 SIMD special functions; the JS kernels compute in float64)
    const dirichlet: ArrayKernelImpl<Partial<DirichletKlAttrs & DirichletKlGradAttrs>> = ({ inputs, inputShapes, outputs, attrs }) => {
      const shape = inputShapes[0] as readonly number[];
      const dy = inputs.length === 3 ? asFloat32(inputs[2]) : null;
      const form = dirichletKlForm(inputs.length, attrs);
      kernels.dirichletKl(asFloat32(inputs[0]), asFloat32(inputs[1]), shape[shape.length - 1] as number, dy, outputs.map(asFloat32), form);
    };
    setArrayKernelImpl(SpecialKernel.DirichletKl, dirichlet, WASM_SIMD_PROVIDER);
    setArrayKernelImpl(SpecialKernel.DirichletKlGrad, dirichlet, WASM_SIMD_PROVIDER);
    // g / Σg over the last axis and its gradient (float32 SIMD for rows of 4)
    const normalize: ArrayKernelImpl = ({ inputs, inputShapes, outputs }) => {
      const shape = inputShapes[0] as readonly number[];
      const k = shape.length === 0 ? 1 : (shape[shape.length - 1] as number);
      kernels.normalizeRows(asFloat32(inputs[0]), k, inputs.length === 2 ? asFloat32(inputs[1]) : null, asFloat32(outputs[0]));
    };
    setArrayKernelImpl(SimplexKernel.NormalizeLastAxis, normalize, WASM_SIMD_PROVIDER);
    setArrayKernelImpl(SimplexKernel.NormalizeLastAxisGrad, normalize, WASM_SIMD_PROVIDER);
    // randomGamma's draws, in place on the wasm backend, on all threads when large (gamma-sample-module.ts)
    setArrayKernelImpl<StandardGammaSampleAttrs>(
      RandomKernel.StandardGammaSample,
      ({ inputs, outputs, attrs, heap }) => gamma.draws(attrs.state, asFloat32(inputs[0]), asFloat32(outputs[0]), heap),
      WASM_SIMD_PROVIDER,
    );
    // every matMul on the wasm backend, transposed layouts included (gemm-module.ts)
    setDenseMatMulImpl(gemm);
    // sum / mean over leading axes on the wasm backend (bias gradients, BatchNorm statistics)
    setLeadingSumImpl(reduce);
    installedGemm = gemm;
    installedGamma = gamma;
    return kernels;
  });
  return installed;
}

/**
 * The threads the installed kernels use for large work (matrix products, elementwise kernels, gamma draws),
 * the calling thread included: 1 runs everything on the calling thread. Installs the kernels
 * first if needed. Default: VITAE_THREADS in Node if set, else the cores available (at most 4).
 */
export async function setWasmThreads(threads: number): Promise<void> {
  checkThreads('setWasmThreads', threads);
  const kernels = await installWasmKernels();
  await Promise.all([kernels.setThreads(threads), installedGemm?.setThreads(threads), installedGamma?.setThreads(threads)]);
}
