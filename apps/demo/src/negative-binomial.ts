import * as vt from '@vitae/tensor';

import type { Tensor } from '@vitae/tensor';

/**
 * log NB(x | mean mu, inverse dispersion theta), scvi-tools' parameterisation:
 *   lgamma(x + θ) - lgamma(θ) - lgamma(x + 1) + θ log(θ / (θ + μ)) + x log(μ / (θ + μ))
 */
export function logNegativeBinomial(x: Tensor, mu: Tensor, theta: Tensor): Tensor {
  return vt.tidy(() => {
    const logThetaMu = vt.log(vt.add(theta, mu));
    const gammaTerms = vt.sub(vt.sub(vt.lgamma(vt.add(x, theta)), vt.lgamma(theta)), vt.lgamma(vt.add(x, 1)));
    return vt.add(vt.add(gammaTerms, vt.mul(theta, vt.sub(vt.log(theta), logThetaMu))), vt.mul(x, vt.sub(vt.log(mu), logThetaMu)));
  });
}

/** Gamma-Poisson counts: rate ~ Gamma(θ, θ/μ), x ~ Poisson(rate), i.e. x ~ NB(μ, θ). */
export function sampleNegativeBinomial(n: number, mu: number, theta: number, seed: number): Tensor {
  const [gammaSeed, poissonSeed] = vt.splitSeed(seed, 2) as [number, number];
  return vt.tidy(() => {
    const rate = vt.mul(vt.randomGamma([n], theta, { seed: gammaSeed }), mu / theta);
    return vt.randomPoisson([n], rate, { seed: poissonSeed });
  });
}
