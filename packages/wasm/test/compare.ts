// Shared by the kernel tests: the worst relative difference of a float32 result from a reference.

/** max |got − want| / (|want| + 1e-3 · max |want|): relative, with a floor where the reference crosses 0. */
export function maxRelative(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i] as number));
  let worst = 0;
  for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs((got[i] as number) - (want[i] as number)) / (Math.abs(want[i] as number) + 1e-3 * scale));
  return worst;
}
