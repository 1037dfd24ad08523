// Which rows / columns to take: a list of indices (any order, repeats allowed), a boolean mask
// of the full length, or a half-open { start, end } range.
export type Selection = ArrayLike<number> | readonly boolean[] | { start: number; end: number };

function isRange(s: Selection): s is { start: number; end: number } {
  return typeof s === 'object' && s !== null && !('length' in s) && 'start' in s && 'end' in s;
}

function isMask(s: Selection): s is readonly boolean[] {
  return Array.isArray(s) && s.length > 0 && typeof s[0] === 'boolean';
}

/** The range when `s` is { start, end } (checked against n), otherwise undefined. */
export function rowRange(s: Selection, n: number, fn: string, arg: string): { start: number; end: number } | undefined {
  if (!isRange(s)) return undefined;
  const { start, end } = s;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > n) {
    throw new RangeError(`${fn}: argument '${arg}' must be a range with integers 0 <= start <= end <= ${n}, got { start: ${start}, end: ${end} }`);
  }
  return { start, end };
}

/** `s` as a checked Int32Array of indices into [0, n). */
export function indexList(s: Selection, n: number, fn: string, arg: string): Int32Array {
  const range = rowRange(s, n, fn, arg);
  if (range) return Int32Array.from({ length: range.end - range.start }, (_, k) => range.start + k);
  if (typeof s !== 'object' || s === null || typeof (s as ArrayLike<number>).length !== 'number') {
    throw new TypeError(`${fn}: argument '${arg}' must be an array of indices, a boolean mask or { start, end }, got ${String(s)}`);
  }
  if (isMask(s)) {
    if (s.length !== n) throw new RangeError(`${fn}: boolean mask '${arg}' must have ${n} entries, got ${s.length}`);
    const out: number[] = [];
    s.forEach((keep, i) => {
      if (keep) out.push(i);
    });
    return Int32Array.from(out);
  }
  const list = s as ArrayLike<number>;
  const out = new Int32Array(list.length);
  for (let k = 0; k < list.length; k++) {
    const i = list[k] as number;
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`${fn}: argument '${arg}' holds ${String(i)} at position ${k}, outside the valid indices [0, ${n})`);
    out[k] = i;
  }
  return out;
}
