// The real datasets beside the repository (see @vitae/fixtures/shared-data).
export { DATASETS, dataset } from '@vitae/fixtures/shared-data';

/** How many names of `a` are also in `b`. */
export function overlap(a: readonly string[], b: readonly string[]): number {
  const s = new Set(b);
  return a.filter((x) => s.has(x)).length;
}
