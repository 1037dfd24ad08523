// Seeded draws for PCA's start vectors: @vitae/tensor's Prng (xoshiro128**, plain JavaScript),
// so the same seed gives the same numbers on every tfjs backend.
import type { Prng } from '@vitae/tensor';

/** n standard-normal draws, float64. */
export function normals(prng: Prng, n: number): Float64Array {
  return Float64Array.from({ length: n }, () => prng.nextNormal());
}
