import * as t from '@vitae/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Bernoulli,
  Beta,
  Categorical,
  Dirichlet,
  Distribution,
  Gamma,
  Independent,
  MixtureSameFamily,
  NegativeBinomial,
  Normal,
  OneHotCategorical,
  Poisson,
  RelaxedOneHotCategorical,
  Uniform,
  ZeroInflatedNegativeBinomial,
} from './index.js';

afterEach(() => Distribution.setDefaultValidateArgs(true));

describe('bad parameters throw errors naming the parameter, the constraint and the value', () => {
  it.each([
    ['negative scale', () => new Normal(0, [1, 2, 3, -1]), /Normal: argument 'scale' must be > 0 \(constraint greater_than\(0\)\), got -1 at index 3/],
    ['NaN loc', () => new Normal(NaN, 1), /Normal: argument 'loc' must be a real number \(not NaN\) \(constraint real\), got NaN/],
    ['zero concentration', () => new Gamma([1, 0], 1), /Gamma: argument 'concentration' must be > 0 .*got 0 at index 1/],
    ['Beta concentration0', () => new Beta(1, -2), /Beta: argument 'concentration0' must be > 0 .*got -2/],
    ['Dirichlet', () => new Dirichlet([[1, 2], [3, -0.5]]), /Dirichlet: argument 'concentration' must be > 0 .*got -0.5 at index \[1, 1\]/],
    ['probs above 1', () => new Bernoulli({ probs: [0.5, 1.5] }), /Bernoulli: argument 'probs' must be in \[0, 1\] \(constraint interval\(0, 1\)\), got 1.5 at index 1/],
    ['probs outside the simplex', () => new Categorical({ probs: [[0.2, 0.8], [0.5, 0.6]] }), /Categorical: argument 'probs' must be in the simplex .*summing to 1.1\d* \(row 1\)/],
    ['negative probs', () => new OneHotCategorical({ probs: [1.2, -0.2] }), /OneHotCategorical: argument 'probs' must be in the simplex .*negative or NaN entry/],
    ['Poisson rate', () => new Poisson(-3), /Poisson: argument 'rate' must be >= 0 .*got -3/],
    ['NB theta', () => new NegativeBinomial({ mu: 1, theta: 0 }), /NegativeBinomial: argument 'theta' must be > 0 .*got 0/],
    ['ZINB mu', () => new ZeroInflatedNegativeBinomial({ mu: -1, theta: 1, ziLogits: 0 }), /ZeroInflatedNegativeBinomial: argument 'mu' must be >= 0 .*got -1/],
    ['temperature', () => new RelaxedOneHotCategorical({ temperature: 0, logits: [0, 0] }), /RelaxedOneHotCategorical: argument 'temperature' must be > 0 .*got 0/],
    ['Uniform order', () => new Uniform([0, 2], [1, 1]), /Uniform: argument 'low' must be < 'high', got low 2 and high 1 at index 1/],
    ['mismatched shapes', () => new Normal([0, 1, 2], [1, 2]), /Normal: the batch shapes of 'loc' \[3\], 'scale' \[2\] do not broadcast/],
    ['not a number', () => new Normal('a' as never, 1), /Normal: argument 'loc' must be a Tensor, a number or a \(nested\) array of numbers, got 'a'/],
    ['logits and probs', () => new Bernoulli({ logits: 0, probs: 0.5 } as never), /Bernoulli: pass exactly one of 'logits' or 'probs', got both/],
    ['NB keys', () => new NegativeBinomial({ mu: 1 } as never), /NegativeBinomial: pass \{ mu, theta \}, \{ totalCount, logits \} or \{ totalCount, probs \}, got keys \["mu"\]/],
  ])('%s', (_name, make, message) => {
    const before = t.numTensors();
    expect(make).toThrow(message);
    expect(t.numTensors()).toBe(before);
  });

  it('combinators check their arguments', () => {
    const normal = new Normal([0, 1], 1);
    const mix = new Categorical({ logits: [0, 0, 0] });
    expect(() => new Independent(normal, 2)).toThrow(/Independent: argument 'reinterpretedBatchNdims' must be an integer >= 0 and <= 1, got number 2/);
    expect(() => new MixtureSameFamily(mix, normal)).toThrow(/MixtureSameFamily: the last batch axis of 'components' \(batch shape \[2\]\) must equal the number of mixture categories 3/);
    expect(() => new MixtureSameFamily(normal as never, normal)).toThrow(/MixtureSameFamily: argument 'mixture' must be a Categorical/);
    normal.dispose();
    mix.dispose();
  });

  it('can be turned off per instance and globally', () => {
    const d = new Normal(0, -1, { validateArgs: false });
    expect(d.validateArgs).toBe(false);
    d.dispose();
    Distribution.setDefaultValidateArgs(false);
    const e = new Normal(0, -1);
    expect(e.validateArgs).toBe(false);
    e.dispose();
  });
});

describe('logProb validates its value when validateArgs is on', () => {
  it.each([
    ['outside the support', () => new Gamma(1, 1).logProb([1, -2]), /Gamma.logProb: argument 'value' must be >= 0 \(constraint greater_than_eq\(0\)\), got -2 at index 1/],
    ['non-integer count', () => new Poisson(2).logProb(1.5), /Poisson.logProb: argument 'value' must be a non-negative integer .*got 1.5/],
    ['Beta outside [0, 1]', () => new Beta(2, 2).logProb(1.5), /Beta.logProb: argument 'value' must be in \[0, 1\] .*got 1.5/],
    ['Categorical out of range', () => new Categorical({ logits: [0, 0, 0] }).logProb([0, 3]), /Categorical.logProb: argument 'value' must be an integer in \[0, 2\] .*got 3 at index 1/],
    ['not on the simplex', () => new Dirichlet([1, 1, 1]).logProb([0.5, 0.5, 0.5]), /Dirichlet.logProb: argument 'value' must be in the simplex/],
    ['wrong event shape', () => new Dirichlet([1, 1, 1]).logProb([0.5, 0.5]), /Dirichlet.logProb: argument 'value' must end with the event shape \[3\], got shape \[2\]/],
    ['batch mismatch', () => new Normal([0, 1, 2], 1).logProb([1, 2]), /Normal.logProb: argument 'value' of shape \[2\] does not broadcast with batchShape \+\+ eventShape \[3\]/],
    ['Uniform support', () => new Uniform([0, 0], [1, 2]).logProb([0.5, 2.5]), /Uniform.logProb: argument 'value' must be in \[low, high\] \(the support\), got 2.5 at index 1/],
    ['inner support of Independent', () => new Independent(new Gamma([1, 1], 1), 1).logProb([1, -1]), /Gamma.logProb: argument 'value' must be >= 0/],
  ])('%s', (_name, call, message) => {
    expect(call).toThrow(message);
  });

  it('sample and rsample check their arguments', () => {
    const d = new Normal(0, 1);
    expect(() => d.sample([2], {} as never)).toThrow(/Normal.sample: argument 'options' must be an object with a 'seed'/);
    expect(() => d.rsample([-1], { seed: 1 })).toThrow(/Normal.rsample: argument 'sampleShape' must be an array of non-negative integers/);
    expect(() => d.sample([2], { seed: 1.5 })).toThrow(/Normal.sample: option 'seed' must be an integer in \[0, 2\^53\), got number 1.5/);
    expect(() => new Poisson(1).rsample([2], { seed: 1 })).toThrow(/Poisson.rsample: Poisson has no reparameterized sampler/);
    expect(() => d.expand([-1])).toThrow(/Normal.expand: argument 'batchShape' must be an array of non-negative integers/);
    expect(() => new Normal([1, 2], 1).expand([3])).toThrow(/Normal.expand: cannot expand batch shape \[2\] to \[3\]/);
  });
});
