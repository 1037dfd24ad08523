// @vitae/kl: the KL-divergence registry and the closed forms it ships with.
import './register-closed-forms.js';

export { klDivergence, monteCarloKL } from './kl-divergence.js';
export type { KLOptions, MonteCarloKLOptions } from './kl-divergence.js';
export { listRegisteredKL, lookupKL, registerKL } from './registry.js';
export type { DistributionClass, KLFunction } from './registry.js';

// The closed forms as plain functions, for reuse in custom registrations
export {
  klBetaBeta,
  klDirichletDirichlet,
  klExponentialExponential,
  klGammaGamma,
  klLaplaceLaplace,
  klLogNormalLogNormal,
  klNormalNormal,
  klUniformUniform,
} from './closed-forms/continuous.js';
export { klBernoulliBernoulli, klCategoricalCategorical, klPoissonPoisson } from './closed-forms/discrete.js';
