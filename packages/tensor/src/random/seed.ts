import { Prng, assertSeed } from './prng.js';

/** Every random op takes `{ seed }`: the same seed gives the same numbers on every backend. */
export interface SeedOptions {
  /** An integer in [0, 2^53). */
  seed: number;
}

/**
 * A reproducible stream of seeds derived from one seed, for code that needs many random ops
 * (a training loop: one seed per minibatch shuffle, dropout mask, reparameterized sample).
 *
 *   const seeds = new SeedSequence(42);
 *   randomNormal([3], { seed: seeds.next() });
 */
export class SeedSequence {
  private readonly prng: Prng;

  constructor(seed: number) {
    assertSeed(seed, 'SeedSequence');
    // Offset the stream so that SeedSequence(s).next() does not replay the draws of seed s.
    this.prng = new Prng(seed);
    this.prng.nextUint32();
  }

  /** The next derived seed, an integer in [0, 2^53). */
  next(): number {
    const hi = this.prng.nextUint32() >>> 11; // 21 bits
    const lo = this.prng.nextUint32();
    return hi * 4294967296 + lo;
  }

  /** The next `n` derived seeds. */
  split(n: number): number[] {
    return Array.from({ length: n }, () => this.next());
  }
}

/** `n` seeds derived from `seed` (the first n of `new SeedSequence(seed)`). */
export function splitSeed(seed: number, n: number): number[] {
  return new SeedSequence(seed).split(n);
}
