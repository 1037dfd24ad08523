import { describe, expect, it } from 'vitest';
import { splitIndices } from '../index.js';

describe('splitIndices', () => {
  it('holds out floor(fraction * n) items, robust to float rounding (0.29 * 100 = 28.999…)', () => {
    expect(splitIndices(100, 0.29, { seed: 1 }).validation).toHaveLength(29);
    expect(splitIndices(10, 0.25, { seed: 1 }).validation).toHaveLength(2);
    expect(splitIndices(10, 0, { seed: 1 }).validation).toHaveLength(0);
    expect(splitIndices(3, 0.99, { seed: 1 }).train).toHaveLength(1);
  });
  it('is a seeded partition of 0 … n-1', () => {
    const a = splitIndices(50, 0.2, { seed: 3 });
    expect([...a.train, ...a.validation].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(splitIndices(50, 0.2, { seed: 3 })).toEqual(a);
    expect(splitIndices(50, 0.2, { seed: 4 }).validation).not.toEqual(a.validation);
  });
  it('refuses splits that leave a side empty', () => {
    expect(() => splitIndices(1, 0.5, { seed: 0 })).toThrow("splitIndices: argument 'validationFraction' 0.5 of 1 items gives no validation item (need >= 1)");
    expect(() => splitIndices(3, 1, { seed: 0 })).toThrow("splitIndices: argument 'validationFraction' must be a finite number in [0, 1), got 1");
  });
});
