import { buildFromSpec } from '@vitae/conformance';
import { loadFixture } from '@vitae/fixtures/load';
import * as t from '@vitae/tensor';
import { describe, expect, it } from 'vitest';
import * as families from './index.js';

import type { DistributionSpec } from '@vitae/conformance';
import type { Tensor } from '@vitae/tensor';
import type { Distribution } from './index.js';

// Reference values from torch.distributions / scipy in float64 at float32-rounded inputs
// (tooling/fixtures/generators/distributions.py). Tolerance: |got - want| <= RTOL |want| + ATOL
// with RTOL = 1e-5 (float32) and ATOL = 1e-5 nats for log-densities, entropies and moments.
// Where the result is a small difference of large terms the float32 rounding of those terms
// bounds what any float32 implementation can reach; those cases get the tolerance of the
// cancellation, listed in CONDITIONING with the reason.
const RTOL = 1e-5;
const ATOL = 1e-5;

interface Case {
  name: string;
  dist: DistributionSpec;
  batchShape: number[];
  eventShape: number[];
  x: unknown;
  logProb: unknown;
  logProbExact?: unknown;
  mean: unknown;
  variance: unknown;
  entropy: unknown;
  cdf?: unknown;
  /** The quantile function at icdfU (ContinuousBernoulli). */
  icdfU?: unknown;
  icdf?: unknown;
}

const fixture = loadFixture('distributions') as { cases: Case[] };

const EPS32 = 2 ** -23;

/**
 * The conditioning of each quantity: the sum of the magnitudes of the terms a float32
 * evaluation must round (plus, for log-transformed inputs, the rounding of log x amplified
 * by 1/scale). An implementation cannot beat ~EPS32 times this, so the tolerance adds
 * 8 · EPS32 · scale to ATOL. Families not listed are well conditioned (scale 0).
 */
function termScale(c: Case, what: 'logProb' | 'entropy' | 'cdf'): Tensor | number {
  const p = (c.dist.params ?? {}) as Record<string, number[]>;
  const x = t.tensor(c.x as number[]);
  const T = (v: unknown) => t.tensor(v as number[]);
  const abs = (v: Tensor) => t.abs(v);
  const sumAbs = (...terms: Tensor[]) => terms.map(abs).reduce((a, b) => t.add(a, b));
  // Entropies of the count families are summed in float64; LogNormal's is log σ + μ + const.
  if (what === 'entropy' && !['Gamma', 'Beta', 'Dirichlet'].includes(c.dist.family)) return 0;
  switch (c.dist.family) {
    case 'LogNormal': {
      const logX = t.log(x);
      const z = t.div(t.sub(logX, T(p.loc)), T(p.scale));
      const amplified = t.div(t.mul(t.add(t.abs(z), 1), t.abs(logX)), T(p.scale));
      if (what === 'cdf') return amplified;
      return sumAbs(t.square(z), t.log(T(p.scale)), logX, amplified);
    }
    case 'Gamma': {
      const a = T(p.concentration);
      const b = T(p.rate);
      if (what === 'entropy') return sumAbs(a, t.log(b), t.lgamma(a), t.mul(t.sub(1, a), t.digamma(a)));
      return sumAbs(t.mul(a, t.log(b)), t.mul(t.sub(a, 1), t.log(x)), t.mul(b, x), t.lgamma(a));
    }
    case 'Beta': {
      const a = T(p.concentration1);
      const b = T(p.concentration0);
      const ab = t.add(a, b);
      const lgammas = sumAbs(t.lgamma(a), t.lgamma(b), t.lgamma(ab));
      if (what === 'entropy') return t.add(lgammas, sumAbs(t.mul(t.sub(a, 1), t.digamma(a)), t.mul(t.sub(b, 1), t.digamma(b)), t.mul(t.sub(ab, 2), t.digamma(ab))));
      return t.add(lgammas, sumAbs(t.mul(t.sub(a, 1), t.log(x)), t.mul(t.sub(b, 1), t.log1p(t.neg(x)))));
    }
    case 'Dirichlet': {
      const a = T(p.concentration);
      const a0 = t.sum(a, -1);
      const lgammas = t.add(t.abs(t.lgamma(a0)), t.sum(t.abs(t.lgamma(a)), -1));
      if (what === 'entropy') return t.add(lgammas, t.add(t.abs(t.mul(a0, t.digamma(a0))), t.sum(t.abs(t.mul(t.sub(a, 1), t.digamma(a))), -1)));
      return t.add(lgammas, t.sum(t.abs(t.mul(t.sub(a, 1), t.log(x))), -1));
    }
    case 'Poisson': {
      const r = T(p.rate);
      return sumAbs(t.xlogy(x, r), r, t.lgamma(t.add(x, 1)));
    }
    case 'NegativeBinomial':
    case 'ZeroInflatedNegativeBinomial': {
      const theta = T(p.theta ?? p.totalCount);
      const mu = p.mu ? T(p.mu) : t.mul(theta, t.exp(T(p.logits)));
      const logTM = t.log(t.add(theta, mu));
      return sumAbs(t.mul(theta, t.log(theta)), t.mul(theta, logTM), t.mul(x, t.log(mu)), t.mul(x, logTM), t.lgamma(t.add(x, theta)), t.lgamma(theta), t.lgamma(t.add(x, 1)));
    }
    default:
      return 0;
  }
}

function atolFor(c: Case, what: 'logProb' | 'entropy' | 'cdf' | 'mean'): Tensor | number {
  if (what === 'mean') return ATOL;
  const scale = termScale(c, what);
  return typeof scale === 'number' ? ATOL + 8 * EPS32 * scale : t.add(t.mul(scale, 8 * EPS32), ATOL);
}

function flat(v: unknown): number[] {
  return Array.isArray(v) ? (v as unknown[]).flatMap(flat) : [v as number];
}

function expectClose(got: Tensor, want: unknown, what: string, atolIn: Tensor | number): void {
  const g = Array.from(got.dataSync());
  const w = flat(want);
  const atols = typeof atolIn === 'number' ? w.map(() => atolIn) : Array.from(t.broadcastTo(atolIn, got.shape).dataSync());
  expect(g.length, `${what}: length`).toBe(w.length);
  w.forEach((e, i) => {
    const a = g[i] as number;
    if (!Number.isFinite(e)) {
      expect(a, `${what}[${i}]`).toBe(e);
      return;
    }
    const err = Math.abs(a - e);
    expect(err, `${what}[${i}]: got ${a}, want ${e}`).toBeLessThanOrEqual(RTOL * Math.abs(e) + (atols[i] as number));
  });
}


describe.each(fixture.cases)('$name', (c) => {
  it('has the reference batch and event shapes', () => {
    t.tidy(() => {
      const d = buildFromSpec<Distribution>(c.dist, families);
      expect(d.batchShape).toEqual(c.batchShape);
      expect(d.eventShape).toEqual(c.eventShape);
    });
  });

  it('logProb matches the reference', () => {
    const before = t.numTensors();
    t.tidy(() => {
      const d = buildFromSpec<Distribution>(c.dist, families);
      expectClose(d.logProb(c.x as number[]), c.logProb, 'logProb', atolFor(c, 'logProb'));
    });
    expect(t.numTensors()).toBe(before);
  });

  it.runIf(c.mean !== null)('mean and variance match the reference', () => {
    t.tidy(() => {
      const d = buildFromSpec<Distribution>(c.dist, families);
      expectClose(d.mean, c.mean, 'mean', atolFor(c, 'mean'));
      expectClose(d.variance, c.variance, 'variance', atolFor(c, 'mean'));
    });
  });

  it.runIf(c.entropy !== null)('entropy matches the reference', () => {
    t.tidy(() => {
      const d = buildFromSpec<Distribution>(c.dist, families);
      expectClose(d.entropy(), c.entropy, 'entropy', atolFor(c, 'entropy'));
    });
  });

  it.runIf(c.cdf !== undefined)('cdf matches the reference', () => {
    t.tidy(() => {
      const d = buildFromSpec<Distribution>(c.dist, families);
      expectClose(d.cdf(c.x as number[]), c.cdf, 'cdf', atolFor(c, 'cdf'));
    });
  });

  it.runIf(c.icdf !== undefined)('icdf matches the reference', () => {
    t.tidy(() => {
      const d = buildFromSpec<Distribution & { icdf(u: number[]): Tensor }>(c.dist, families);
      expectClose(d.icdf(c.icdfU as number[]), c.icdf, 'icdf', ATOL);
    });
  });
});
