import { Bernoulli, Distribution, Independent, MixtureSameFamily, Categorical, Normal, constraints, prepareParams } from '@vitae/distributions';
import * as t from '@vitae/tensor';
import { afterEach, describe, expect, it } from 'vitest';
import { klDivergence, listRegisteredKL, lookupKL, registerKL } from './index.js';

import type { Tensor } from '@vitae/tensor';

// Test-only classes: a Normal subclass, a sibling subclass, and a fresh family.
class SpecialNormal extends Normal {}
class OtherNormal extends Normal {}
class Point extends Distribution {
  static override readonly argConstraints = { at: constraints.real };
  readonly at: Tensor;
  constructor(at: number) {
    const p = prepareParams('Point', { at });
    super(p.batchShape, []);
    this.at = p.tensors.at as Tensor;
    this.adopt(p);
  }
  get support() {
    return constraints.real;
  }
  protected logProbImpl(x: Tensor): Tensor {
    return t.where(t.equal(x, this.at), t.zerosLike(x), t.fill(x.shape, -Infinity));
  }
  expand(): Point {
    throw new Error('not needed');
  }
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) (cleanups.pop() as () => void)();
});

const value = (x: Tensor) => (x.dataSync()[0] as number);

describe('registerKL / klDivergence dispatch', () => {
  it('uses the closed form of the most specific registered pair along both class chains', () => {
    const p = new SpecialNormal(0, 1);
    const q = new Normal(1, 1);
    expect(value(klDivergence(p, q))).toBeCloseTo(0.5, 6); // inherited Normal/Normal rule
    cleanups.push(registerKL(SpecialNormal, Normal, () => t.scalar(42)));
    expect(value(klDivergence(p, q))).toBe(42); // the more specific pair wins (memo was cleared)
    expect(value(klDivergence(new Normal(0, 1), q))).toBeCloseTo(0.5, 6);
  });

  it('throws on an ambiguous match and names the candidates', () => {
    cleanups.push(registerKL(SpecialNormal, Normal, () => t.scalar(1)));
    cleanups.push(registerKL(Normal, OtherNormal, () => t.scalar(2)));
    expect(() => klDivergence(new SpecialNormal(0, 1), new OtherNormal(0, 1))).toThrow(
      /ambiguous registrations for KL\(SpecialNormal \|\| OtherNormal\): KL\(SpecialNormal \|\| Normal\) and KL\(Normal \|\| OtherNormal\)|ambiguous registrations for KL\(SpecialNormal \|\| OtherNormal\): KL\(Normal \|\| OtherNormal\) and KL\(SpecialNormal \|\| Normal\)/,
    );
    cleanups.push(registerKL(SpecialNormal, OtherNormal, () => t.scalar(3)));
    expect(value(klDivergence(new SpecialNormal(0, 1), new OtherNormal(0, 1)))).toBe(3);
  });

  it('refuses a duplicate registration unless override is set, and unregisters cleanly', () => {
    expect(() => registerKL(Normal, Normal, () => t.scalar(0))).toThrow(/registerKL: KL\(Normal \|\| Normal\) is already registered; pass \{ override: true \} to replace it/);
    const undo = registerKL(Normal, Normal, () => t.scalar(7), { override: true });
    expect(value(klDivergence(new Normal(0, 1), new Normal(0, 1)))).toBe(7);
    undo();
    expect(value(klDivergence(new Normal(0, 1), new Normal(0, 1)))).toBe(0);
  });

  it('names both classes when no pair is registered, and checks its arguments', () => {
    expect(() => klDivergence(new Point(0), new Normal(0, 1))).toThrow(
      /klDivergence: no closed form is registered for KL\(Point \|\| Normal\); register one with registerKL\(Point, Normal, fn\) or pass \{ fallback: 'mc', samples, seed \}/,
    );
    expect(() => klDivergence({} as never, new Normal(0, 1))).toThrow(/klDivergence: argument 'p' must be a Distribution/);
    expect(() => klDivergence(new Normal([0, 1, 2], 1), new Normal([0, 1], 1))).toThrow(/the batch shapes of p \[3\] and q \[2\] do not broadcast/);
    expect(() => klDivergence(new Independent(new Normal([0, 1], 1), 1), new Normal([0, 1], 1))).toThrow(/same event shape/);
    expect(() => registerKL(Object as never, Normal, () => t.scalar(0))).toThrow(/registerKL: argument 'P' must be a Distribution class/);
    expect(() => klDivergence(new Point(0), new Normal(0, 1), { fallback: 'mcmc' } as never)).toThrow(/option 'fallback' must be 'mc' or 'none'/);
  });

  it('memoises lookups and lists the registered pairs', () => {
    expect(lookupKL(Normal, Normal)).toBe(lookupKL(Normal, Normal));
    expect(lookupKL(Point, Normal)).toBeNull();
    const pairs = listRegisteredKL().map(([a, b]) => `${a}/${b}`);
    for (const pair of ['Normal/Normal', 'Dirichlet/Dirichlet', 'Independent/Independent', 'Beta/Uniform', 'Normal/Gamma']) expect(pairs).toContain(pair);
  });

  it('falls back to Monte Carlo on request, with gradients through rsample', () => {
    const mix = new MixtureSameFamily(new Categorical({ logits: [0, 0] }), new Normal([-1, 1], [0.5, 0.5]));
    const loc = t.scalar(0.2);
    const [est, dLoc] = t.tidy(() => {
      const f = (l: Tensor) => klDivergence(new Normal(l, 1), mix, { fallback: 'mc', samples: 20_000, seed: 3 });
      const { value: v, grad } = t.valueAndGrad(f)(loc);
      return [v.dataSync()[0] as number, grad.dataSync()[0] as number];
    });
    // KL(N(0.2, 1) || ½N(-1, .25) + ½N(1, .25)) = 0.24577 by scipy quadrature; the MC SE at 20,000 draws is ~0.004.
    expect(Math.abs(est - 0.24577)).toBeLessThan(0.02);
    expect(Number.isFinite(dLoc)).toBe(true);
    expect(() => klDivergence(new Bernoulli({ probs: 0.3 }), new Point(0) as never, { fallback: 'mc', seed: 1 })).not.toThrow();
  });
});

describe('memory', () => {
  it('klDivergence and the MC fallback leak no tensors across 1,000 calls', () => {
    const p = new Independent(new Normal([[0, 1], [2, 3]], 0.5), 1);
    const q = new Independent(new Normal([0, 0], 1), 1);
    const point = new Point(0);
    const standard = new Normal(0, 1);
    klDivergence(p, q).dispose(); // warm-up: kernels allocate their constants once
    const before = t.numTensors();
    for (let i = 0; i < 1000; i++) {
      klDivergence(p, q).dispose();
      if (i % 10 === 0) klDivergence(standard, point as never, { fallback: 'mc', samples: 4, seed: i }).dispose();
    }
    expect(t.numTensors()).toBe(before);
    p.dispose();
    q.dispose();
    point.dispose();
    standard.dispose();
  });
});
