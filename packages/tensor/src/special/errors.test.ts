import { describe, expect, it } from 'vitest';
import * as vt from '../index.js';

describe('bad input gets errors naming the function, the argument and what was received', () => {
  it.each([
    ['lgamma', () => vt.lgamma('abc' as never), /lgamma: argument 'x' must be a Tensor.*got 'abc'/],
    ['digamma', () => vt.digamma({} as never), /digamma: argument 'x' must be a Tensor.*got an object/],
    ['trigamma', () => vt.trigamma(undefined as never), /trigamma: argument 'x' .* got undefined/],
    ['softplus', () => vt.softplus([1, 'a'] as never), /softplus: argument 'x' .* got an array of length 2/],
    ['xlogy', () => vt.xlogy(1, null as never), /xlogy: argument 'y' .* got null/],
    ['logBeta', () => vt.logBeta(vt.tensor([true, false], undefined, 'bool'), 1), /logBeta: argument 'a' must have dtype float32 or int32, got a bool Tensor of shape \[2\]/],
    ['logSumExp', () => vt.logSumExp(vt.tensor(['a'], undefined, 'string')), /logSumExp: argument 'x' must have dtype float32 or int32, got a string Tensor/],
  ])('%s', (_name, call, message) => {
    expect(call).toThrow(message);
  });
  it('polygamma: order must be an integer in [0, 100]', () => {
    expect(() => vt.polygamma(1.5, [1])).toThrow(/polygamma: argument 'n' must be an integer >= 0 and <= 100, got number 1.5/);
    expect(() => vt.polygamma(-1, [1])).toThrow(/argument 'n'/);
  });
  it('incompatible shapes name both arguments', () => {
    expect(() => vt.xlogy([1, 2, 3], [1, 2])).toThrow(/xlogy: arguments 'x' \[3\] and 'y' \[2\] cannot be broadcast together/);
  });
  it('logSumExp: an axis out of range', () => {
    expect(() => vt.logSumExp([[1, 2]], 2)).toThrow(/logSumExp: argument 'axis' must be integers in \[-2, 2\), got 2/);
  });
  it('a disposed tensor', () => {
    const t = vt.tensor([1]);
    t.dispose();
    expect(() => vt.lgamma(t)).toThrow(/lgamma: argument 'x' is a disposed Tensor/);
  });
  it('int32 tensors and number arrays are accepted (cast to float32)', () => {
    const a = vt.lgamma(vt.tensor([5], undefined, 'int32'));
    expect(a.dtype).toBe('float32');
    expect(a.dataSync()[0]).toBeCloseTo(Math.log(24), 5);
    a.dispose();
  });
});
