// The replacement BatchMatMul gradient against finite-difference-free references: the
// gradients of sum(W ⊙ op(A) op(B)) in closed form, for every transpose layout, and with
// broadcast batch dimensions.
import { describe, expect, it } from 'vitest';
import * as t from '../index.js';

/** Plain float64 matrix product of row-major m×k and k×n. */
function mm(a: number[][], b: number[][]): number[][] {
  return a.map((row) => (b[0] as number[]).map((_, j) => row.reduce((s, v, k) => s + v * ((b[k] as number[])[j] as number), 0)));
}
const T = (a: number[][]): number[][] => (a[0] as number[]).map((_, j) => a.map((row) => row[j] as number));
const rand = (r: number, c: number, seed: number): number[][] => t.tidy(() => t.randomNormal([r, c], { seed }).arraySync() as number[][]);

describe('matMul gradient (explicit transposes)', () => {
  it.each([
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ])('transposeA %s, transposeB %s: dA and dB match the closed form', (tA, tB) => {
    const [m, k, n] = [3, 4, 5];
    const A = tA ? rand(k, m, 1) : rand(m, k, 1);
    const B = tB ? rand(n, k, 2) : rand(k, n, 2);
    const W = rand(m, n, 3);
    const { grads } = t.tidy(() => {
      const a = t.tensor2d(A);
      const b = t.tensor2d(B);
      const w = t.tensor2d(W);
      const g = t.grads((x: t.Tensor, y: t.Tensor) => t.sum(t.mul(w, t.matMul(x, y, tA, tB))))([a, b]);
      return { grads: g.map((x) => x.arraySync() as number[][]) };
    });
    // L = Σ W ⊙ (op(A) op(B)): dL/d op(A) = W op(B)ᵀ, dL/d op(B) = op(A)ᵀ W.
    const opA = tA ? T(A) : A;
    const opB = tB ? T(B) : B;
    const dOpA = mm(W, T(opB));
    const dOpB = mm(T(opA), W);
    const expectA = tA ? T(dOpA) : dOpA;
    const expectB = tB ? T(dOpB) : dOpB;
    grads[0]?.flat().forEach((v, i) => expect(v).toBeCloseTo(expectA.flat()[i] as number, 4));
    grads[1]?.flat().forEach((v, i) => expect(v).toBeCloseTo(expectB.flat()[i] as number, 4));
  });

  it('a broadcast batch operand gets its gradient summed over the batch', () => {
    t.tidy(() => {
      const a = t.randomNormal([2, 3, 4], { seed: 1 });
      const b = t.randomNormal([4, 5], { seed: 2 });
      const [, db] = t.grads((x: t.Tensor, y: t.Tensor) => t.sum(t.matMul(x, y)))([a, b]);
      // d/dB Σ_{s,i,j} (A_s B)_{ij} = Σ_s A_sᵀ 1 = column sums of A over s and i, repeated over j.
      const colSums = t.sum(a, [0, 1]).dataSync();
      expect(db?.shape).toEqual([4, 5]);
      const got = db?.arraySync() as number[][];
      got.forEach((row, r) => row.forEach((v) => expect(v).toBeCloseTo(colSums[r] as number, 4)));
    });
  });
});
