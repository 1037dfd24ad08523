// The AE's user API: nonlinear training, save / load, errors and tensor hygiene.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as t from '@vitae/tensor';
import { AE } from './index.js';

function circleData(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => {
    const th = (2 * Math.PI * i) / n;
    return [Math.cos(th), Math.sin(th), Math.cos(th) * Math.sin(th), 0.5 * Math.cos(2 * th)];
  });
}

describe('AE', () => {
  it('a nonlinear AE lowers the reconstruction error; save / load gives identical codes', async () => {
    const data = circleData(64);
    const ae = new AE(data, { nLatent: 2, nHidden: 16, nLayers: 2, useBatchNorm: true, dropoutRate: 0.1, seed: 2 });
    const before = ae.getReconstructionError();
    await ae.train({ epochs: 60, batchSize: 16, lr: 1e-2, seed: 1 });
    expect(ae.getReconstructionError()).toBeLessThan(before / 4);
    const dir = mkdtempSync(join(tmpdir(), 'vitae-ae-'));
    try {
      await ae.save(dir);
      const loaded = await AE.load(dir, data);
      expect(Array.from(loaded.getLatent().values)).toEqual(Array.from(ae.getLatent().values));
      await expect(AE.load(dir, [[1, 2]])).rejects.toThrow(/AE\.load: argument 'data' must have 4 features/);
      loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    ae.dispose();
  });

  it('bad input gets clear errors; no tensor leaks across 100 training steps', async () => {
    expect(() => new AE([[1, Number.NaN]], { seed: 1 })).toThrow(/AE: argument 'data' must hold finite values, got NaN at row 0, column 1/);
    expect(() => new AE([[1, 2]], { l2: -1, seed: 1 })).toThrow(/AE: option 'l2' must be a finite number >= 0, got -1/);
    const data = circleData(40);
    const before = t.numTensors();
    const ae = new AE(data, { nLatent: 2, nHidden: 8, useBatchNorm: true, dropoutRate: 0.2, l2: 1e-3, seed: 3 });
    const params = t.numTensors() - before;
    expect(() => ae.encode([[1, 2, 3]])).toThrow(/AE\.encode: argument 'data' must have 4 features \(columns\), as the model was built for, got 3/);
    const result = await ae.train({ epochs: 25, batchSize: 10, validationFraction: 0.1, seed: 1 });
    expect(result.steps).toBe(100);
    ae.getReconstructionError();
    ae.getLatent();
    const z = t.zeros([3, 2]);
    t.dispose([ae.decode(z), z]);
    expect(t.numTensors()).toBe(before + params);
    ae.dispose();
    expect(t.numTensors()).toBe(before);
  });
});

describe('AE output activation', () => {
  it("'sigmoid' keeps reconstructions in (0, 1)", () => {
    const ae = new AE([[0, 1, 0.5], [1, 0, 0.25]], { nLatent: 1, nHidden: 4, outputActivation: 'sigmoid', seed: 1 });
    const z = t.tensor2d([[-50], [0], [50]]);
    const x = ae.decode(z);
    Array.from(x.dataSync()).forEach((v) => {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    });
    t.dispose([z, x]);
    expect(() => new AE([[0, 1]], { outputActivation: 'relu' as never, seed: 1 })).toThrow(/AE: option 'outputActivation' must be one of 'identity', 'sigmoid'/);
    ae.dispose();
  });
});
