// Default constraining transforms (torch's `transform_to`, TFP's default bijectors): each maps
// an unconstrained real tensor onto a constraint's set, so inference code can hold every
// parameter as an unconstrained Variable and build any family generically:
//
//   const raw = variable(transformTo(Normal.argConstraints.scale).inverse(initialScale));
//   const q = new Normal(loc, transformTo(Normal.argConstraints.scale).forward(raw));
import * as t from '@vitae/tensor';

import type { Tensor } from '@vitae/tensor';
import type { Constraint } from './constraints.js';

export interface Transform {
  readonly name: string;
  /** Unconstrained → constrained. */
  forward(x: Tensor): Tensor;
  /** Constrained → unconstrained (the right inverse of `forward`). */
  inverse(y: Tensor): Tensor;
}

const identity: Transform = { name: 'identity', forward: (x) => t.clone(x), inverse: (y) => t.clone(y) };

/** y = c + softplus(x); x = log(expm1(y - c)), written as z + log(-expm1(-z)) so large z stays exact. */
function softplusAbove(c: number): Transform {
  return {
    name: c === 0 ? 'softplus' : `softplus + ${c}`,
    forward: (x) => t.tidy(() => (c === 0 ? t.softplus(x) : t.add(t.softplus(x), c))),
    inverse: (y) =>
      t.tidy(() => {
        const z = c === 0 ? y : t.sub(y, c);
        return t.add(z, t.log(t.neg(t.expm1(t.neg(z)))));
      }),
  };
}

/** y = low + (high - low) · sigmoid(x); x = log(u) - log1p(-u) with u = (y - low) / (high - low). */
function sigmoidInterval(low: number, high: number): Transform {
  const width = high - low;
  return {
    name: low === 0 && high === 1 ? 'sigmoid' : `sigmoid to [${low}, ${high}]`,
    forward: (x) => t.tidy(() => t.add(t.mul(t.sigmoid(x), width), low)),
    inverse: (y) =>
      t.tidy(() => {
        const u = t.div(t.sub(y, low), width);
        return t.sub(t.log(u), t.log1p(t.neg(u)));
      }),
  };
}

/**
 * y = softmax(x) over the last axis; x = log(y) centred to mean zero (softmax ignores a shift,
 * so this picks the one representative with zero mean, like TFP's SoftmaxCentered up to a
 * parameterisation).
 */
const softmaxLastAxis: Transform = {
  name: 'softmax',
  forward: (x) => t.softmax(x),
  inverse: (y) =>
    t.tidy(() => {
      const logY = t.log(y);
      return t.sub(logY, t.mean(logY, -1, true));
    }),
};

/**
 * The default transform from unconstrained reals onto `constraint`. Discrete constraints have
 * none (an error names the constraint).
 */
export function transformTo(constraint: Constraint): Transform {
  // independent(c, n) reinterprets axes as one event; the transform of c applies elementwise.
  if (constraint.base) return transformTo(constraint.base);
  const name = constraint.name;
  if (name === 'real') return identity;
  let m = /^greater_than(?:_eq)?\((.+)\)$/.exec(name);
  if (m) return softplusAbove(Number(m[1]));
  m = /^(?:open_)?interval\((.+), (.+)\)$/.exec(name);
  if (m) return sigmoidInterval(Number(m[1]), Number(m[2]));
  if (name === 'simplex') return softmaxLastAxis;
  throw new Error(`transformTo: no constraining transform for constraint '${name}' (${constraint.isDiscrete ? 'it is discrete' : 'it depends on other parameters'})`);
}
