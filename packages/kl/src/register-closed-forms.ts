// Registers the closed forms shipped with @vitae/kl (a side effect of importing the package).
import {
  Bernoulli,
  Beta,
  Categorical,
  Dirichlet,
  Exponential,
  Gamma,
  Independent,
  Laplace,
  LogNormal,
  Normal,
  OneHotCategorical,
  Poisson,
  Uniform,
} from '@vitae/distributions';
import * as cross from './closed-forms/cross.js';
import { klBernoulliBernoulli, klCategoricalCategorical, klPoissonPoisson } from './closed-forms/discrete.js';
import {
  klBetaBeta,
  klDirichletDirichlet,
  klExponentialExponential,
  klGammaGamma,
  klLaplaceLaplace,
  klLogNormalLogNormal,
  klNormalNormal,
  klUniformUniform,
} from './closed-forms/continuous.js';
import { makeKlIndependentIndependent } from './closed-forms/independent.js';
import { klDivergence } from './kl-divergence.js';
import { registerKL } from './registry.js';

// Same family
registerKL(Normal, Normal, klNormalNormal);
registerKL(LogNormal, LogNormal, klLogNormalLogNormal);
registerKL(Laplace, Laplace, klLaplaceLaplace);
registerKL(Uniform, Uniform, klUniformUniform);
registerKL(Exponential, Exponential, klExponentialExponential);
registerKL(Gamma, Gamma, klGammaGamma);
registerKL(Beta, Beta, klBetaBeta);
registerKL(Dirichlet, Dirichlet, klDirichletDirichlet);
registerKL(Poisson, Poisson, klPoissonPoisson);
registerKL(Bernoulli, Bernoulli, klBernoulliBernoulli);
registerKL(Categorical, Categorical, klCategoricalCategorical);
registerKL(OneHotCategorical, OneHotCategorical, klCategoricalCategorical);
registerKL(Independent, Independent, makeKlIndependentIndependent((p, q) => klDivergence(p, q)));

// Across families
registerKL(Beta, Normal, cross.klBetaNormal);
registerKL(Exponential, Normal, cross.klExponentialNormal);
registerKL(Gamma, Normal, cross.klGammaNormal);
registerKL(Laplace, Normal, cross.klLaplaceNormal);
registerKL(Uniform, Normal, cross.klUniformNormal);
registerKL(Beta, Exponential, cross.klBetaExponential);
registerKL(Gamma, Exponential, cross.klGammaExponential);
registerKL(Uniform, Exponential, cross.klUniformExponential);
registerKL(Beta, Gamma, cross.klBetaGamma);
registerKL(Exponential, Gamma, cross.klExponentialGamma);
registerKL(Uniform, Gamma, cross.klUniformGamma);
registerKL(Beta, Uniform, cross.klBetaUniform);
registerKL(Uniform, Beta, cross.klUniformBeta);
registerKL(Normal, Laplace, cross.klNormalLaplace);
for (const [P, Q] of cross.INFINITE_CROSS) registerKL(P, Q, cross.infiniteKL);
