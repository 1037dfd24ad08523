// The linear autoencoder of the derivations (tutorial eqs. 20-25), float32, fixed seeds.
// Data x = (x1, 2 x1), x1 ~ N(0, 1); encoder z = a1 x1 + a2 x2, decoder x̂ = (b1 z, b2 z).
// Writing c = a1 + 2 a2 and s = mean x1², the loss is
//   L = s [(1 - b1 c)² + (2 - b2 c)²] + λ (a1² + a2² + b1² + b2²).
// λ = 0: every minimiser reconstructs exactly, b1 (a1 + 2 a2) = 1 and b2 = 2 b1.
// λ > 0: the stationary point (the minimum) has a ∥ (1, 2), b ∥ (1, 2), |a| = |b| and
//   b1 (a1 + 2 a2) = |a|² = 1 - λ / (5 s)     (for λ < 5 s).
// Tolerances: 2e-3 on the relations and 5e-3 on the gradient norm (Adam at lr 1e-3 in float32
// at the end), 1e-4 relative
// reconstruction error for λ = 0.
import { describe, expect, it } from 'vitest';
import * as t from '@vitae/tensor';
import { AE } from './index.js';

function lineData(n: number, seed: number): { rows: number[][]; s: number } {
  const x1 = Array.from(t.randomNormal([n], { seed }).dataSync());
  return { rows: x1.map((v) => [v, 2 * v]), s: x1.reduce((acc, v) => acc + v * v, 0) / n };
}

async function trainLinear(rows: number[][], l2: number): Promise<{ a: number[]; b: number[]; ae: AE }> {
  const ae = new AE(rows, { nLatent: 1, nLayers: 0, bias: false, l2, seed: 11 });
  await ae.train({ epochs: 600, batchSize: rows.length, lr: 2e-2, validationFraction: 0, seed: 1 });
  await ae.train({ epochs: 400, batchSize: rows.length, lr: 1e-3, validationFraction: 0, seed: 2 });
  const state = ae.module.stateDict();
  const a = Array.from(state['encoder.out.weight']?.dataSync() ?? []);
  const b = Array.from(state['decoder.out.weight']?.dataSync() ?? []);
  t.dispose(Object.values(state));
  return { a, b, ae };
}

describe('linear AE on x2 = 2 x1', () => {
  it('without penalty: b1 (a1 + 2 a2) = 1, b2 = 2 b1, and the data is reconstructed', async () => {
    const { rows, s } = lineData(256, 3);
    const { a, b, ae } = await trainLinear(rows, 0);
    const [a1, a2] = a as [number, number];
    const [b1, b2] = b as [number, number];
    expect(Math.abs(b1 * (a1 + 2 * a2) - 1)).toBeLessThan(2e-3);
    expect(Math.abs(b2 - 2 * b1)).toBeLessThan(2e-3);
    expect(ae.getReconstructionError() / (5 * s)).toBeLessThan(1e-4);
    ae.dispose();
  }, 60_000);

  it('with the L2 penalty λ = 0.5: the stationary point of the penalised loss', async () => {
    const { rows, s } = lineData(256, 4);
    const lambda = 0.5;
    const { a, b, ae } = await trainLinear(rows, lambda);
    const [a1, a2] = a as [number, number];
    const [b1, b2] = b as [number, number];
    const target = 1 - lambda / (5 * s);
    expect(Math.abs(b1 * (a1 + 2 * a2) - target)).toBeLessThan(2e-3);
    expect(Math.abs(a2 - 2 * a1)).toBeLessThan(2e-3);
    expect(Math.abs(b2 - 2 * b1)).toBeLessThan(2e-3);
    expect(Math.abs(a1 * a1 + a2 * a2 - target)).toBeLessThan(2e-3);
    expect(Math.abs(b1 * b1 + b2 * b2 - target)).toBeLessThan(2e-3);
    // The gradient of the penalised loss vanishes there.
    const params = ae.module.parameters();
    const x = t.tensor2d(rows);
    const { grads, value } = t.variableGrads(() => ae.module.loss(x).loss as t.Scalar, params);
    const gradNorm = Math.sqrt(Object.values(grads).reduce((acc, g) => acc + (t.sum(t.square(g)).dataSync()[0] as number), 0));
    // (|∇L| is about 10 at the start; float32 Adam at lr 1e-3 leaves it near 2e-3.)
    expect(gradNorm).toBeLessThan(5e-3);
    t.dispose([x, value, ...Object.values(grads)]);
    ae.dispose();
  }, 60_000);
});
