// Widening of the 16-bit float formats to numbers. Both are exact: every F16 and BF16 value,
// subnormals included, is representable as a float32.

/** IEEE 754 binary16 (1 sign, 5 exponent, 10 fraction bits) to a number; -0 stays -0. */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero or subnormal: fraction * 2^-14 / 2^10
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1024 + fraction) * 2 ** (exponent - 25); // (1 + fraction / 2^10) * 2^(exponent - 15)
}

/** bfloat16 is the upper half of a float32: the float32 bit pattern of a BF16 value. */
export function bfloat16ToFloat32Bits(bits: number): number {
  return (bits << 16) >>> 0;
}
