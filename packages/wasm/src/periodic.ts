// Reads an input broadcast over leading axes (element i of the broadcast is a[i mod a.length])
// into a contiguous chunk [start, start + m) of the broadcast.

/** heap[at + j] = a[(start + j) mod a.length] for j < m. */
export function gatherPeriodic(heap: Float32Array, at: number, a: Float32Array, start: number, m: number): void {
  const period = a.length;
  const phase = start % period;
  if (phase + m <= period) {
    heap.set(a.subarray(phase, phase + m), at);
    return;
  }
  // one period from the phase on, then doubling copies of what is written (log2(m / period) calls)
  const head = period - phase;
  heap.set(a.subarray(phase), at);
  heap.set(a.subarray(0, Math.min(phase, m - head)), at + head);
  for (let written = period; written < m; written *= 2) {
    heap.copyWithin(at + written, at, at + Math.min(written, m - written));
  }
}
