import { describe, expect, it } from 'vitest';
import * as vt from '../index.js';

// Each op and its gradient 1,000 times: the live tensor count must not move.
// The closures create no tensors of their own besides the op's result (yColumn and xInt are
// made once), so any change in the count is the op's.
let yColumn: vt.Tensor;
let xInt: vt.Tensor;
const cases: [string, (x: vt.Tensor, y: vt.Tensor) => vt.Tensor, { gradient?: boolean }?][] = [
  ['lgamma', (x) => vt.lgamma(x)],
  ['digamma', (x) => vt.digamma(x)],
  ['trigamma', (x) => vt.trigamma(x)],
  ['polygamma(3)', (x) => vt.polygamma(3, x)],
  ['logBeta (broadcast)', (x) => vt.logBeta(x, yColumn)],
  ['xlogy', (x, y) => vt.xlogy(x, y)],
  ['softplus', (x) => vt.softplus(x)],
  ['log1pExp', (x) => vt.log1pExp(x)],
  ['logSigmoid', (x) => vt.logSigmoid(x)],
  ['logSumExp(axis 0, keepDims)', (x) => vt.logSumExp(x, 0, true)],
  ['logSumExp of a matrix over axis 1', () => vt.logSumExp(yColumn, 1), { gradient: false }],
  ['lgamma of a number array', () => vt.lgamma([1.5, 2.5]), { gradient: false }],
  ['lgamma of an int32 tensor', () => vt.lgamma(xInt), { gradient: false }],
  ['stopGradient', (x) => vt.stopGradient(x)],
];

describe('no tensor leaks', () => {
  for (const [name, f, { gradient = true } = {}] of cases) {
    it(`${name}: 1,000 forward calls${gradient ? ' and 1,000 gradients' : ''}`, () => {
      const x = vt.tensor([0.5, 2, 7]);
      const y = vt.tensor([1.5, 3, 4]);
      yColumn = vt.tensor([[1.5], [3], [4]]);
      xInt = vt.tensor([1, 5, 9], undefined, 'int32');
      const before = vt.numTensors();
      for (let i = 0; i < 1000; i++) f(x, y).dispose();
      if (gradient) {
        const g = vt.grad((t: vt.Tensor) => vt.sum(f(t, y)));
        for (let i = 0; i < 1000; i++) g(x).dispose();
      }
      expect(vt.numTensors()).toBe(before);
      vt.dispose([x, y, yColumn, xInt]);
    });
  }
  it('an op that throws leaks nothing', () => {
    const before = vt.numTensors();
    for (let i = 0; i < 100; i++) expect(() => vt.logBeta([1, 2, 3], [1, 2])).toThrow();
    expect(vt.numTensors()).toBe(before);
  });
});
