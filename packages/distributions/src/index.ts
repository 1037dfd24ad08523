// @vitae/distributions: probability distributions with the PyTorch / TFP contract.

// The base class and the helpers a family (built in or user-defined) is written with
export { Distribution, checkConstraint, expandTo, handOver, prepareParams } from './distribution.js';
export type { DistributionOptions, PreparedParams, SampleOptions } from './distribution.js';

// Constraints (data on each class) and their default constraining transforms
export * as constraints from './constraints.js';
export type { Constraint, Violation } from './constraints.js';
export { transformTo } from './transforms.js';
export type { Transform } from './transforms.js';

// Continuous families
export { Beta } from './families/beta.js';
export { ContinuousBernoulli } from './families/continuous-bernoulli.js';
export { Dirichlet } from './families/dirichlet.js';
export { Exponential } from './families/exponential.js';
export { Gamma } from './families/gamma.js';
export { Laplace } from './families/laplace.js';
export { LogNormal } from './families/log-normal.js';
export { Normal } from './families/normal.js';
export { RelaxedOneHotCategorical } from './families/relaxed-one-hot-categorical.js';
export type { RelaxedOneHotCategoricalParams } from './families/relaxed-one-hot-categorical.js';
export { Uniform } from './families/uniform.js';

// Discrete families
export { Bernoulli } from './families/bernoulli.js';
export { Categorical } from './families/categorical.js';
export { NegativeBinomial } from './families/negative-binomial.js';
export type { NegativeBinomialParams } from './families/negative-binomial.js';
export { OneHotCategorical } from './families/one-hot-categorical.js';
export { Poisson } from './families/poisson.js';
export { ZeroInflatedNegativeBinomial } from './families/zero-inflated-negative-binomial.js';
export type { LogitsOrProbs } from './families/logits-or-probs.js';

// Combinators
export { Independent, sumRightmost } from './families/independent.js';
export { MixtureSameFamily } from './families/mixture-same-family.js';

// Functional count log-likelihoods (scvi-tools' formulas)
export { logNbPositive, logZinbPositive, NB_EPS } from './likelihoods/negative-binomial.js';

// Shape helpers
export { broadcastShapeOf, tryBroadcastShapes } from './shapes.js';
