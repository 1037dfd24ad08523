// xoshiro128** (Blackman & Vigna): a small, fast, well-tested 32-bit generator. Its 128-bit
// state is filled from the seed by splitmix32, so nearby seeds give unrelated streams. Numbers
// are generated in JS, so a seed gives the same values on every backend and platform.
import { describe } from '../backend.js';

const TWO_POW_32 = 4294967296;
/** xoshiro128**'s jump polynomial (2^64 steps), from the reference implementation. */
const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b] as const;

/** splitmix32 step: returns [output, next state]. */
function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let t = next ^ (next >>> 16);
  t = Math.imul(t, 0x21f0aaad);
  t ^= t >>> 15;
  t = Math.imul(t, 0x735a2d97);
  t ^= t >>> 15;
  return [t >>> 0, next];
}

/** Throws unless `seed` is an integer in [0, 2^53). */
export function assertSeed(seed: unknown, fn: string): asserts seed is number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
    throw new TypeError(`${fn}: option 'seed' must be an integer in [0, 2^53), got ${describe(seed)}`);
  }
}

export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    // Mix both 32-bit halves of the seed into the splitmix state.
    let state = (seed >>> 0) ^ Math.imul(Math.floor(seed / TWO_POW_32) | 0, 0x85ebca6b);
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [out, next] = splitmix32(state);
      words.push(out);
      state = next;
    }
    // Held as int32 (every use of the state is a 32-bit integer operation), so V8 keeps the fields unboxed.
    [this.s0, this.s1, this.s2, this.s3] = words.map((w) => w | 0) as [number, number, number, number];
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** A generator at an explicit xoshiro128** state (for checking against the reference outputs). */
  static fromState(state: readonly [number, number, number, number]): Prng {
    const prng = new Prng(0);
    [prng.s0, prng.s1, prng.s2, prng.s3] = state.map((w) => w | 0) as [number, number, number, number];
    return prng;
  }

  /**
   * The xoshiro128** state as four int32 words, for `Prng.fromState` or a kernel that continues
   * the stream (randomGamma's). Throws while a second normal is cached (nextNormal), which the
   * state does not hold.
   */
  state(): [number, number, number, number] {
    if (this.hasSpare) throw new Error('Prng.state: a normal draw is cached (the state alone does not continue this stream)');
    return [this.s0, this.s1, this.s2, this.s3];
  }

  /**
   * Advances the stream by 2^64 steps (xoshiro128**'s jump polynomial, Blackman & Vigna's
   * reference `jump`): 2^64 non-overlapping streams of 2^64 values each from one state. Clears a
   * cached normal. Returns this generator.
   */
  jump(): this {
    let [j0, j1, j2, j3] = [0, 0, 0, 0];
    for (const word of JUMP) {
      for (let b = 0; b < 32; b++) {
        if ((word >>> b) & 1) {
          j0 ^= this.s0;
          j1 ^= this.s1;
          j2 ^= this.s2;
          j3 ^= this.s3;
        }
        this.nextUint32();
      }
    }
    [this.s0, this.s1, this.s2, this.s3] = [j0, j1, j2, j3];
    this.hasSpare = false;
    return this;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in the open interval (0, 1) with 53 random bits (never 0, so log() is safe). */
  nextDouble(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo + 0.5) / 9007199254740992;
  }

  /**
   * Uniform in (0, 1) on the float32 grid k / 2^24 (k = 1 … 2^24 - 1), with k = 0 moved to 2^-25:
   * every value is exactly representable in float32, so none rounds to 0 or 1 (the midpoints
   * (k + 0.5) / 2^24 need 25 bits, and the largest rounded up to exactly 1).
   */
  nextFloat32(): number {
    const k = this.nextUint32() >>> 8;
    return k === 0 ? 2 ** -25 : k / 16777216;
  }

  /** A standard normal draw (Marsaglia's polar method; the second value is cached). */
  nextNormal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.nextDouble() - 1;
      v = 2 * this.nextDouble() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const scale = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * scale;
    this.hasSpare = true;
    return u * scale;
  }

  /** A uniform integer in [0, n) without modulo bias (n <= 2^32). */
  nextBelow(n: number): number {
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let r: number;
    do r = this.nextUint32();
    while (r >= limit);
    return r % n;
  }

  // The cached second value of nextNormal: a number field and a flag (not number | null), so the
  // field stays an unboxed double.
  private spare = 0;
  private hasSpare = false;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
