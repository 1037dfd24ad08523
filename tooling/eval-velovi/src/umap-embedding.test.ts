import { describe, expect, it } from 'vitest';
import { Prng } from '@vitae/tensor';
import { umapEmbedding } from './umap-embedding.js';

describe('umapEmbedding', () => {
  // Two well-separated blobs of 40 points in 5-D.
  const prng = new Prng(3);
  const values = Float64Array.from({ length: 80 * 5 }, (_, k) => (Math.floor(k / 5) < 40 ? 0 : 20) + prng.nextNormal());
  const x = { values, nRows: 80, nCols: 5 };

  it('is seeded (same seed, same embedding) and 2-D', () => {
    const a = umapEmbedding(x, { seed: 1, nNeighbors: 10 });
    const b = umapEmbedding(x, { seed: 1, nNeighbors: 10 });
    expect([a.nRows, a.nCols]).toEqual([80, 2]);
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
  });

  it('keeps separated groups apart: every point is nearer the centre of its own group', () => {
    const e = umapEmbedding(x, { seed: 2, nNeighbors: 10 });
    const centre = (lo: number): number[] => [0, 1].map((d) => Array.from({ length: 40 }, (_, i) => e.values[(lo + i) * 2 + d] as number).reduce((s, v) => s + v, 0) / 40);
    const [c0, c1] = [centre(0), centre(40)] as [number[], number[]];
    const dist = (i: number, c: number[]): number => Math.hypot((e.values[i * 2] as number) - (c[0] as number), (e.values[i * 2 + 1] as number) - (c[1] as number));
    for (let i = 0; i < 80; i++) expect(dist(i, i < 40 ? c0 : c1)).toBeLessThan(dist(i, i < 40 ? c1 : c0));
  });
});
