// Timing helpers for `pnpm bench`. Benchmarks here are ratios measured side by side in one
// process on the same data, reported as medians over repeated runs: absolute times on a shared
// machine are noisy, ratios much less so.

/** Median of a numeric array. */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Runs `fn` `warmup` times, then `repeats` times, and returns the median seconds per call.
 * Candidates can be interleaved by the caller (see `compare`) so that drifts in machine load
 * hit all of them alike.
 */
export function timeIt(fn, { warmup = 3, repeats = 21 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const samples = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    samples.push((performance.now() - t0) / 1000);
  }
  return median(samples);
}

/**
 * Times several candidates round-robin (one call of each per round) and returns the median
 * seconds per call of each, keyed like the input.
 * @param {Record<string, () => void>} candidates
 */
export function compare(candidates, { warmup = 3, rounds = 21 } = {}) {
  const names = Object.keys(candidates);
  for (const n of names) for (let i = 0; i < warmup; i++) candidates[n]();
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < rounds; r++) {
    for (const n of names) {
      const t0 = performance.now();
      candidates[n]();
      samples[n].push((performance.now() - t0) / 1000);
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(samples[n])]));
}

/** Prints rows of objects as an aligned text table. */
export function printTable(rows) {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]);
  const cells = rows.map((r) => cols.map((c) => String(r[c])));
  const width = cols.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (vals) => vals.map((v, i) => (i === 0 ? v.padEnd(width[i]) : v.padStart(width[i]))).join('  ');
  console.log(line(cols));
  console.log(width.map((w) => '-'.repeat(w)).join('  '));
  for (const r of cells) console.log(line(r));
}
