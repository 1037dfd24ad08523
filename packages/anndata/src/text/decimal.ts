// The fast path both text parsers take for numbers: [sign] digits [. digits], read straight from
// the bytes without making a string. m / 10^k is correctly rounded while the mantissa m < 2^53,
// i.e. at most 15 digits; anything else (exponents, 'nan', longer numbers) is left to the
// caller's Number() fallback.
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const POW10 = Float64Array.from({ length: 16 }, (_, k) => 10 ** k);
const MAX_FAST_DIGITS = 15;

/**
 * Where the last scanDecimal stopped and what it read. One shared object instead of a returned
 * pair: the parsers call this once per value (millions of times) and an allocation each would
 * dominate.
 */
export const scanned = {
  /** The number, or NaN when the fast path does not apply (no digits, more than 15 digits). */
  value: 0,
  /** Index of the first byte after the sign, digits and fraction. */
  end: 0,
};

/** Scans [sign] digits [. digits] in buf[p, end) into `scanned`. */
export function scanDecimal(buf: Uint8Array, p: number, end: number): void {
  let c = p < end ? (buf[p] as number) : -1;
  let negative = false;
  if (c === MINUS || c === PLUS) {
    negative = c === MINUS;
    p++;
  }
  let mantissa = 0;
  let nDigits = 0;
  let nFrac = 0;
  while (p < end && (c = buf[p] as number) >= ZERO && c <= NINE) {
    mantissa = mantissa * 10 + (c - ZERO);
    nDigits++;
    p++;
  }
  if (p < end && buf[p] === DOT) {
    p++;
    while (p < end && (c = buf[p] as number) >= ZERO && c <= NINE) {
      mantissa = mantissa * 10 + (c - ZERO);
      nDigits++;
      nFrac++;
      p++;
    }
  }
  scanned.end = p;
  if (nDigits === 0 || nDigits > MAX_FAST_DIGITS) {
    scanned.value = NaN;
    return;
  }
  const v = nFrac === 0 ? mantissa : mantissa / (POW10[nFrac] as number);
  scanned.value = negative ? -v : v;
}
