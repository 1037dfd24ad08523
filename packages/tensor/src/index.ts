// @vitae/tensor: the shared tensor interface of vitae. Everything tensor-related that other
// vitae packages use comes from here, never from @tensorflow/* directly.
import './special/register.js';
import './gradients/register.js';
import './random/register.js';
import './likelihoods/register.js';
import './layout/register.js';
import './optim/register.js';
import './sparse/register.js';
import './matmul/register.js';
import './simplex/register.js';

// Backend choice and initialisation
export { BACKENDS, getBackend, onReady, ready, setBackend } from './backend.js';
export type { BackendName } from './backend.js';

// Types and classes
export { Optimizer, Tensor, Variable } from '#tfjs';
export type { DataType, NamedTensorMap, Rank, Scalar, Tensor1D, Tensor2D, Tensor3D, Tensor4D, TensorLike } from '#tfjs';

// Creation
export { buffer, clone, eye, fill, linspace, ones, onesLike, range, scalar, tensor, tensor1d, tensor2d, tensor3d, zeros, zerosLike } from '#tfjs';

// Elementwise arithmetic and math
export {
  abs,
  add,
  addN,
  ceil,
  clipByValue,
  cos,
  div,
  divNoNan,
  erf,
  exp,
  expm1,
  floor,
  floorDiv,
  log,
  log1p,
  maximum,
  minimum,
  mod,
  mul,
  neg,
  pow,
  reciprocal,
  round,
  rsqrt,
  sign,
  sin,
  sqrt,
  square,
  squaredDifference,
  sub,
} from '#tfjs';

// Activations and normalisers
export { elu, leakyRelu, logSoftmax, relu, selu, sigmoid, softmax, tanh } from '#tfjs';

// Comparison, logic and selection
export { equal, greater, greaterEqual, isFinite, isInf, isNaN, less, lessEqual, logicalAnd, logicalNot, logicalOr, notEqual, where } from '#tfjs';

// Reductions
export { all, any, argMax, argMin, cumsum, max, mean, min, moments, norm, prod, sum } from '#tfjs';

// Linear algebra and shape
export {
  broadcastTo,
  cast,
  concat,
  dot,
  expandDims,
  gather,
  gatherND,
  matMul,
  outerProduct,
  pad,
  reshape,
  reverse,
  slice,
  split,
  squeeze,
  stack,
  tile,
  topk,
  transpose,
  unsortedSegmentSum,
  unstack,
} from '#tfjs';

// Memory and automatic differentiation
export { customGrad, dispose, grad, grads, keep, memory, profile, tidy, valueAndGrad, valueAndGrads, variable, variableGrads } from '#tfjs';
export { numTensors, stopGradient } from './autodiff.js';

// Ops replaced because the tfjs version misbehaves on a backend (see each file)
export { oneHot } from './ops/one-hot.js';

// g / Σg over the last axis with a written-out gradient (a Dirichlet draw from its gammas)
export { normalizeLastAxis } from './simplex/normalize.js';

// Argument validation, shared so every vitae package words its errors the same way
export { assertInteger, assertShape, toFloatTensor } from './validate.js';
export { describe as describeValue } from './backend.js';

// Optimizers (tfjs': sgd, momentum, adam, adamax, adagrad, adadelta, rmsprop)
export { train } from '#tfjs';

// Special functions (vitae kernels with registered gradients)
export { digamma, lgamma, log1pExp, logBeta, logSigmoid, logSumExp, polygamma, softplus, trigamma, xlogy } from './special/ops.js';
export { dirichletKl } from './special/dirichlet-kl-op.js';
export type { TensorInput } from './special/ops.js';

// Fused count log-likelihoods (NB / ZINB of scvi-tools) with their gradients
export { logNb, logZinb, NB_EPS } from './likelihoods/ops.js';

// Fused optimizer updates (torch.optim.Adam / AdamW, one kernel per parameter)
export { adamUpdate } from './optim/ops.js';
export type { AdamUpdateInputs, AdamUpdateOutputs } from './optim/ops.js';
export type { AdamUpdateAttrs } from './optim/kernel-names.js';

// Sparse (CSR) × dense products, differentiable, without densifying the sparse operand
export { csrMatMul, csrToDense } from './sparse/ops.js';
export { csrOrNull } from './sparse/csr.js';
export type { CsrInput } from './sparse/csr.js';

// Seeded randomness
export {
  permutation,
  randomBernoulli,
  randomCategorical,
  randomGamma,
  randomInt,
  randomGumbel,
  randomNormal,
  randomPoisson,
  randomUniform,
} from './random/ops.js';
export { standardGammaGrad } from './random/gamma-kernel.js';
export { SeedSequence, splitSeed } from './random/seed.js';
export { Prng } from './random/prng.js';
export type { SeedOptions } from './random/seed.js';
