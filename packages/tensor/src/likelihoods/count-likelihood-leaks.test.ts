import { describe, expect, it } from 'vitest';
import * as vt from '../index.js';

// The live tensor count must not move across forward calls, training steps (variableGrads
// inside tidy, as the models train) and gradients in x; and bad input is refused by name.
const B = 4;
const G = 6;

function setup() {
  const x = vt.tensor(Array.from({ length: B * G }, (_, i) => (i % 3 === 0 ? 0 : i % 7)), [B, G]);
  const mu = vt.variable(vt.fill([B, G], 2.5));
  const theta = vt.variable(vt.fill([G], 1.5));
  const pi = vt.variable(vt.fill([B, G], -1));
  return { x, mu, theta, pi };
}

describe('no tensor leaks', () => {
  it('forward calls, with and without a tape', () => {
    const { x, mu, theta, pi } = setup();
    const before = vt.numTensors();
    for (let i = 0; i < 100; i++) {
      vt.logZinb(x, mu, theta, pi).dispose();
      vt.logNb(x, mu, theta).dispose();
      vt.tidy(() => vt.logZinb(x, mu, vt.broadcastTo(theta, [B, G]), pi)).dispose();
    }
    expect(vt.numTensors()).toBe(before);
    vt.dispose([x, mu, theta, pi]);
  });
  it('training steps: variableGrads inside tidy', () => {
    const { x, mu, theta, pi } = setup();
    const optimizer = vt.train.adam(1e-2);
    const step = () => {
      vt.tidy(() => {
        const { value, grads } = vt.variableGrads(() => vt.neg(vt.sum(vt.logZinb(x, mu, theta, pi))) as vt.Scalar, [mu, theta, pi]);
        optimizer.applyGradients(grads as Parameters<typeof optimizer.applyGradients>[0]);
        return value;
      }).dispose();
      vt.tidy(() => {
        const { grads } = vt.variableGrads(() => vt.neg(vt.sum(vt.logNb(x, mu, theta))) as vt.Scalar, [mu, theta]);
        expect(grads[theta.name]?.shape).toEqual([G]);
      });
    };
    step(); // creates the optimizer's slots
    const before = vt.numTensors();
    for (let i = 0; i < 50; i++) step();
    expect(vt.numTensors()).toBe(before);
    optimizer.dispose();
    vt.dispose([x, mu, theta, pi]);
  });
  it('gradients in x, and in one argument only', () => {
    const { x, mu, theta, pi } = setup();
    const before = vt.numTensors();
    for (let i = 0; i < 20; i++) {
      vt.grad((t: vt.Tensor) => vt.logZinb(t, mu, theta, pi))(x).dispose();
      vt.grad((t: vt.Tensor) => vt.logNb(x, mu, t))(theta).dispose();
    }
    expect(vt.numTensors()).toBe(before);
    vt.dispose([x, mu, theta, pi]);
  });
  it('second derivatives', () => {
    const { x, mu, theta, pi } = setup();
    const before = vt.numTensors();
    for (let i = 0; i < 10; i++) {
      vt.grad((m: vt.Tensor) => vt.sum(vt.grad((n: vt.Tensor) => vt.sum(vt.logZinb(x, n, theta, pi)))(m)))(mu).dispose();
    }
    expect(vt.numTensors()).toBe(before);
    vt.dispose([x, mu, theta, pi]);
  });
  it('a call that throws', () => {
    const before = vt.numTensors();
    for (let i = 0; i < 20; i++) expect(() => vt.logZinb([1, 2, 3], [1, 2], 1, 0)).toThrow();
    expect(vt.numTensors()).toBe(before);
  });
});

describe('bad input gets errors naming the function, the argument and what was received', () => {
  it.each([
    ['eps < 0', () => vt.logNb(1, 1, 1, -1), /logNb: argument 'eps' must be a finite number >= 0, got number -1/],
    ['eps NaN', () => vt.logZinb(1, 1, 1, 0, Number.NaN), /logZinb: argument 'eps' must be a finite number >= 0, got/],
    ['shapes', () => vt.logZinb([1, 2, 3], [1, 2], 1, 0), /logZinb: arguments 'x' \[3\], 'mu' \[2\], 'theta' \[\], 'pi' \[\] cannot be broadcast together/],
    ['dtype', () => vt.logNb(vt.tensor([true], undefined, 'bool'), 1, 1), /logNb: argument 'x' must have dtype float32 or int32, got a bool Tensor/],
    ['value', () => vt.logNb(1, 'a' as never, 1), /logNb: argument 'mu' must be a Tensor, a number or a \(nested\) array of numbers, got 'a'/],
  ])('%s', (_name, call, message) => {
    expect(call).toThrow(message);
  });
});
