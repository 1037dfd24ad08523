// Wording helpers for the codec's error messages (no tfjs: the codec runs without @vitae/tensor).

/** A received value for an error message: `number 3`, `'text'`, `an array of length 2`, `a Float64Array`, `null`. */
export function received(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return quoted(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return withArticle(tagOf(value));
  if (typeof value === 'function') return 'a function';
  return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
}

/** A name or string in quotes, cut at 200 characters (a malicious header can hold huge names). */
export function quoted(text: string): string {
  return `'${text.length > 200 ? `${text.slice(0, 200)}…` : text}'`;
}

/** A JSON value as it appeared in the header, cut at 80 characters: `[2, -1]`. */
export function shown(value: unknown): string {
  const one = (v: unknown): string => (typeof v === 'number' ? String(v) : (JSON.stringify(v) ?? String(v))); // NaN, not null
  const text = Array.isArray(value) ? `[${value.map(one).join(', ')}]` : one(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/** The Symbol.toStringTag of a typed array ('Float32Array'), the same across realms and for Buffer ('Uint8Array'). */
export function tagOf(view: ArrayBufferView): string {
  return Object.prototype.toString.call(view).slice(8, -1);
}

/** 'a Float32Array', 'an Int32Array'. */
export function withArticle(noun: string): string {
  return `${/^[AEIOU]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** True for a plain JSON-like object: not null, not an array, not a typed array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}
