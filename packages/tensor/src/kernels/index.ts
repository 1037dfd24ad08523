// @vitae/tensor/kernels: the interface for packages that provide compute kernels (@vitae/wasm
// and later fused kernels). Application code does not need it.
export { ARRAY_KERNEL_BACKENDS, arrayKernelProvider, defineArrayKernel, listArrayKernels, runArrayKernel, setArrayKernelImpl } from './array-kernel.js';
export type {
  ArrayKernelCall,
  ArrayKernelDefinition,
  ArrayKernelImpl,
  KernelArray,
  KernelDType,
  KernelOutputSpec,
  KernelShape,
} from './array-kernel.js';
export { SpecialKernel } from '../special/kernel-names.js';
export type { DirichletKlAttrs, DirichletKlGradAttrs, PolygammaAttrs, SpecialKernelName } from '../special/kernel-names.js';
export { dirichletKlForm, dirichletKlJs } from '../special/dirichlet-kl.js';
export type { DirichletKlForm } from '../special/dirichlet-kl.js';
export { SimplexKernel, normalizeLastAxisJs } from '../simplex/normalize.js';
export { RandomKernel } from '../random/kernel-names.js';
export type { RandomKernelName, StandardGammaSampleAttrs } from '../random/kernel-names.js';
export { standardGammaGradScalar } from '../random/gamma-grad.js';
export { GAMMA_STREAM_CHUNK, gammaStreamStates, standardGammaSampleJs } from '../random/gamma-sample.js';
export {
  digammaScalar,
  lgammaScalar,
  log1pExpScalar,
  logBetaScalar,
  logSigmoidScalar,
  logSumExpScalar,
  polygammaScalar,
  xlogyScalar,
} from '../special/scalar.js';
export { LikelihoodKernel } from '../likelihoods/kernel-names.js';
export type { CountLikelihoodAttrs, KineticMixtureAttrs, LikelihoodKernelName, NormalMixtureAttrs } from '../likelihoods/kernel-names.js';
export { KINETIC_GENE_INPUTS, kineticMixtureJs } from '../likelihoods/kinetic-mixture.js';
export { normalMixtureJs } from '../likelihoods/normal-mixture.js';
export { countLikelihoodScalar, logNbScalar, logZinbScalar } from '../likelihoods/scalar.js';
export { countLikelihoodJs } from '../likelihoods/js-kernels.js';
export { composedLogNb, composedLogZinb } from '../likelihoods/composed.js';
export { OptimizerKernel } from '../optim/kernel-names.js';
export type { AdamUpdateAttrs, OptimizerKernelName } from '../optim/kernel-names.js';
export { adamScalars } from '../optim/adam-scalars.js';
export type { AdamScalars } from '../optim/adam-scalars.js';
export { adamUpdateJs } from '../optim/adam-js.js';
export { composedAdamUpdate } from '../optim/composed.js';
export { SparseKernel } from '../sparse/kernel-names.js';
export type { CsrTransposeMatMulAttrs, SparseKernelName } from '../sparse/kernel-names.js';
export { csrKernelError, csrMatMulJs, csrTransposeMatMulJs } from '../sparse/js-kernels.js';
export { composedCsrMatMul } from '../sparse/ops.js';
export { leadingSumImpl, leadingSumProvider, setLeadingSumImpl, sumLeadingInto } from '../layout/leading-sum.js';
export type { LeadingSumCall, LeadingSumImpl } from '../layout/leading-sum.js';
export { denseMatMulImpl, denseMatMulProvider, setDenseMatMulImpl, transposedMatMulIsFast } from '../matmul/dense-matmul.js';
export type { DenseMatMulCall, DenseMatMulImpl } from '../matmul/dense-matmul.js';
export { withTfjsKernels } from './replace-kernel.js';
