// Entropy of a distribution on 0, 1, 2, … by summation in float64: H = -Σ_k p(k) log p(k).
// Used where no closed form exists (Poisson, negative binomial, zero-inflated NB); host-side, so
// it carries no gradient.
//
// Unit steps up to k = 100,000; beyond (heavy NB tails with theta << 1 reach k ~ 1e7 and more)
// the midpoint rule over blocks of s ≈ k / 1000 consecutive integers, s · f(k + (s-1)/2), with
// logPmf evaluated at non-integer k through lgamma (relative error ~ (s/k)² ~ 1e-6 of the
// tail's share). The sum stops past the mean once the remaining tail, bounded by the geometric
// series p(k) |log p(k)| / (1 - r) with r the local ratio p(k+1) / p(k), is below 1e-14 of H.

const UNIT_STEPS = 100_000;
const MAX_ITERATIONS = 2_000_000;

/** `logPmf(k)` for real k >= 0 (integers in the bulk); `mean` tells where the bulk lies. */
export function countEntropy(logPmf: (k: number) => number, mean: number): number {
  let entropy = 0;
  let k = 0;
  for (let iter = 0; iter < MAX_ITERATIONS; iter++) {
    const step = k < UNIT_STEPS ? 1 : Math.ceil(k * 1e-3);
    const at = step === 1 ? k : k + (step - 1) / 2;
    const lp = logPmf(at);
    const term = lp > -Infinity ? -Math.exp(lp) * lp : 0;
    entropy += step * term;
    if (k > mean && lp > -Infinity) {
      const ratio = Math.exp(logPmf(at + 1) - lp);
      const tail = ratio < 1 ? Math.abs(term) / (1 - ratio) : Infinity;
      if (tail <= 1e-14 * Math.abs(entropy)) return entropy;
    } else if (k > mean && lp === -Infinity) {
      return entropy;
    }
    k += step;
  }
  return NaN;
}
