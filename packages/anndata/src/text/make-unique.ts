// Unique names the way anndata's `var_names_make_unique` makes them (scanpy's read_10x_mtx does
// it by default): the first occurrence keeps its name, later ones get '-1', '-2', … appended,
// skipping any suffixed name that already exists.

/** `names` with repeats suffixed `<join><n>`; the input is not modified. */
export function makeUnique(names: readonly string[], join = '-'): string[] {
  const taken = new Set(names);
  if (taken.size === names.length) return [...names];
  const seen = new Set<string>();
  const counter = new Map<string, number>();
  return names.map((name) => {
    if (!seen.has(name)) {
      seen.add(name);
      return name;
    }
    let n = counter.get(name) ?? 0;
    let candidate: string;
    do {
      n++;
      candidate = `${name}${join}${n}`;
    } while (taken.has(candidate));
    counter.set(name, n);
    taken.add(candidate);
    return candidate;
  });
}

/** The names occurring more than once, each with its count, in first-seen order. */
export function duplicateNames(names: readonly string[]): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1);
}

/** A short list like "'U1' ×2, 'TBCE' ×2 and 89 more" for error messages. */
export function describeDuplicates(dups: ReadonlyArray<[string, number]>, shown = 5): string {
  const head = dups.slice(0, shown).map(([name, n]) => `'${name}' ×${n}`).join(', ');
  return dups.length > shown ? `${head} and ${dups.length - shown} more` : head;
}
