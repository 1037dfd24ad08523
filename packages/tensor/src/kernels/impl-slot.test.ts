import { describe, expect, it } from 'vitest';
import { implSlot } from './impl-slot.js';

interface Impl {
  provider: string;
  run(): number;
  size(): number;
}

describe('implSlot', () => {
  it('starts empty, sets, nests and restores in order', () => {
    const slot = implSlot<Impl>('setThing', ['run', 'size'], 'fallback');
    const a: Impl = { provider: 'a', run: () => 1, size: () => 0 };
    const b: Impl = { provider: 'b', run: () => 2, size: () => 0 };
    expect([slot.get(), slot.provider()]).toEqual([null, 'fallback']);
    const restoreA = slot.set(a);
    const restoreB = slot.set(b);
    expect([slot.get(), slot.provider()]).toEqual([b, 'b']);
    const restoreNull = slot.set(null);
    expect(slot.provider()).toBe('fallback');
    restoreNull();
    restoreB();
    expect(slot.get()).toBe(a);
    restoreA();
    expect(slot.get()).toBeNull();
  });

  it('names the setter and every member an implementation needs when one is missing', () => {
    const slot = implSlot<Impl>('setThing', ['run', 'size'], 'fallback');
    const message = /setThing: argument 'impl' must be null or an object with provider \(string\), run\(\) and size\(\)/;
    expect(() => slot.set({ provider: 'x', run: () => 1 } as unknown as Impl)).toThrow(message);
    expect(() => slot.set({ run: () => 1, size: () => 0 } as unknown as Impl)).toThrow(message);
    expect(() => slot.set(7 as unknown as Impl)).toThrow(message);
    expect(slot.get()).toBeNull();
  });
});
