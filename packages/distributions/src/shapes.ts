// Shape arithmetic for batch / event / sample shapes (NumPy broadcasting rules).

/** The broadcast of `shapes`, or null when they do not broadcast. */
export function tryBroadcastShapes(...shapes: ReadonlyArray<readonly number[]>): number[] | null {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const d = s[s.length - 1 - i] as number;
      const j = rank - 1 - i;
      const cur = out[j] as number;
      if (d === cur || d === 1) continue;
      if (cur === 1) out[j] = d;
      else return null;
    }
  }
  return out;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** The broadcast shape of tensors already known to broadcast (e.g. a validated value and the batch). */
export function broadcastShapeOf(...tensors: ReadonlyArray<{ shape: readonly number[] }>): number[] {
  const out = tryBroadcastShapes(...tensors.map((x) => x.shape));
  if (out === null) throw new RangeError(`shapes ${tensors.map((x) => formatShape(x.shape)).join(', ')} do not broadcast`);
  return out;
}

export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** Row-major multi-index of flat index `i` in `shape`, formatted "[i, j]". */
export function formatIndex(i: number, shape: readonly number[]): string {
  if (shape.length <= 1) return String(i);
  const idx: number[] = [];
  let rest = i;
  for (let k = shape.length - 1; k >= 0; k--) {
    const d = shape[k] as number;
    idx.unshift(rest % d);
    rest = Math.floor(rest / d);
  }
  return `[${idx.join(', ')}]`;
}
