// VELOVIModule's API: shapes, the initialisation velovi prescribes, draws and their seeds, the
// Dirichlet mean, training steps without leaks, velovi's state-dict names, and the errors for bad
// options and inputs.
import { describe, expect, it } from 'vitest';
import { AdamW } from '@vitae/inference';
import * as t from '@vitae/tensor';
import { RATE_MAX, VELOVIModule, disposeGenerative, disposeInference, induction, latentTimeOf, loadVeloviStateDict, mixtureLogProb, mixtures, stateMeans, veloviName, velocityOf } from './index.js';

import type { VELOVIModuleOptions } from './index.js';

const G = 4;
const S = [
  [0.1, 0.5, 0.9, 0.3],
  [0.7, 0.2, 0.0, 0.6],
  [0.4, 0.8, 0.5, 0.1],
];
const U = [
  [0.2, 0.1, 0.4, 0.9],
  [0.5, 0.6, 0.3, 0.0],
  [0.9, 0.3, 0.2, 0.4],
];
const BASE: VELOVIModuleOptions = { nInput: G, nHidden: 6, nLatent: 3, switchUnspliced: [0.5, 0.6, 0.7, 0.8], switchSpliced: [0.4, 0.3, 0.2, 0.1], seed: 2 };

function withModule(extra: Partial<VELOVIModuleOptions>, body: (m: VELOVIModule, s: t.Tensor, u: t.Tensor) => void): void {
  const module = new VELOVIModule({ ...BASE, ...extra });
  const s = t.tensor2d(S);
  const u = t.tensor2d(U);
  try {
    body(module, s, u);
  } finally {
    t.dispose([s, u]);
    module.dispose();
  }
}

function values(x: t.Tensor): number[] {
  return Array.from(x.dataSync());
}

function disposeLoss(out: ReturnType<VELOVIModule['loss']>): void {
  t.dispose([out.loss, out.reconstruction, out.klLocal.z, out.klLocal.pi, out.endPenalty, out.klGlobal]);
}

describe('VELOVIModule', () => {
  it("velovi's initial values: switch times 7 + 0.5 · N(0, 1), β = softplus(0.5), γ = softplus(−1), α = softplus(0) unless given, scale_unconstr −1", () => {
    withModule({ alphaUnconstrInit: [0.1, 0.2, 0.3, 0.4] }, (m) => {
      const ts = values(m.switchTimeUnconstr);
      expect(ts).toHaveLength(G);
      ts.forEach((v) => expect(Math.abs(v - 7)).toBeLessThan(2.5));
      expect(new Set(ts).size).toBe(G);
      const r = m.rates();
      values(r.beta).forEach((v) => expect(v).toBeCloseTo(Math.log1p(Math.exp(0.5)), 6));
      values(r.gamma).forEach((v) => expect(v).toBeCloseTo(Math.log1p(Math.exp(-1)), 6));
      values(r.alpha).forEach((v, g) => expect(v).toBeCloseTo(Math.log1p(Math.exp(0.1 * (g + 1))), 6));
      // The constant-rate model keeps α₁ and λ as untrained buffers at 0 (velovi: requires_grad false).
      expect(values(r.alpha1)).toEqual([0, 0, 0, 0]);
      expect(m.namedBuffers().map(([n]) => n)).toContain('alpha_1_unconstr');
      expect(m.namedParameters().map(([n]) => n)).not.toContain('alpha_1_unconstr');
      expect(values(m.scaleUnconstr)).toEqual(new Array(2 * G * 4).fill(-1));
      expect(m.scaleUnconstr.shape).toEqual([2 * G, 4]);
      t.dispose(Object.values(r));
    });
    // The same seed, the same module; another seed, other switch times.
    const a = new VELOVIModule(BASE);
    const b = new VELOVIModule(BASE);
    const c = new VELOVIModule({ ...BASE, seed: 3 });
    expect(values(a.switchTimeUnconstr)).toEqual(values(b.switchTimeUnconstr));
    expect(values(a.decoder.pxPiDecoder.weight)).toEqual(values(b.decoder.pxPiDecoder.weight));
    expect(values(a.switchTimeUnconstr)).not.toEqual(values(c.switchTimeUnconstr));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('rates are clamped to [0, 50]; switch times to [0, t_max] for the likelihood and not for the model outputs', () => {
    withModule({}, (m) => {
      t.tidy(() => {
        m.alphaUnconstr.assign(t.tensor1d([60, 1, -30, 0]));
        m.switchTimeUnconstr.assign(t.tensor1d([25, 3, 19.9, -40]));
      });
      const r = m.rates();
      expect(values(r.alpha)[0]).toBe(RATE_MAX);
      expect(values(r.alpha)[2]).toBeGreaterThanOrEqual(0);
      const clamped = m.switchTime();
      const free = m.switchTime({ clamp: false });
      expect(values(clamped)[0]).toBe(20);
      expect(values(free)[0]).toBeCloseTo(25, 4);
      expect(values(clamped)[2]).toBeCloseTo(19.9, 4);
      expect(values(clamped)[3]).toBeGreaterThanOrEqual(0);
      t.dispose([...Object.values(r), clamped, free]);
    });
  });

  it('shapes: z [B, nLatent]; ρ, τ [B, G] in (0, 1); π_α > 0 and π on the simplex [B, G, 4]; mixtures with batch shape [B, G]', () => {
    withModule({}, (m) => {
      m.eval();
      const inf = m.inference(t.tensor2d(S), t.tensor2d(U), { seed: 1 });
      const gen = m.generative(inf.z, { seed: 2 });
      expect(inf.z.shape).toEqual([3, 3]);
      expect(gen.rho.shape).toEqual([3, G]);
      values(gen.rho).concat(values(gen.tau)).forEach((v) => expect(v > 0 && v < 1).toBe(true));
      expect(gen.piAlpha.shape).toEqual([3, G, 4]);
      values(gen.piAlpha).forEach((v) => expect(v).toBeGreaterThan(0));
      const sums = t.sum(gen.pi, -1);
      values(sums).forEach((v) => expect(v).toBeCloseTo(1, 5));
      const { pxU, pxS } = mixtures(gen);
      expect(pxU.batchShape).toEqual([3, G]);
      const means = stateMeans(gen);
      expect(means.u.shape).toEqual([3, G, 4]);
      gen.piStates.forEach((p, k) => expect(values(p)).toEqual(values(t.squeeze(t.slice(gen.pi, [0, 0, k], [3, G, 1]), [2]))));
      // The repression steady state is (0, 0); the induction steady state (α/β, α/γ).
      const meanU = means.u.arraySync() as number[][][];
      const r = values(gen.rates.alpha).map((a, g) => a / values(gen.rates.beta)[g]!);
      meanU.forEach((row) => row.forEach((st, g) => {
        expect(st[3]).toBe(0);
        expect(st[1]).toBeCloseTo(r[g] as number, 5);
      }));
      disposeInference(inf);
      disposeGenerative(gen);
      pxU.dispose();
      pxS.dispose();
      t.dispose([sums, means.u, means.s]);
    });
  });

  it('the same seed gives the same loss in training mode; another seed another loss; giveMean needs no seed and is deterministic', () => {
    withModule({}, (m, s, u) => {
      m.train();
      const run = (seed: number) => {
        const out = m.loss(s, u, { seed });
        const v = out.loss.dataSync()[0] as number;
        disposeLoss(out);
        return v;
      };
      const state = m.stateDict(); // training-mode passes move the BatchNorm running statistics
      const a = run(5);
      m.loadStateDict(state);
      const b = run(5);
      m.loadStateDict(state);
      const c = run(6);
      t.dispose(Object.values(state));
      expect(b).toBe(a);
      expect(c).not.toBe(a);
      m.eval();
      const inf = m.inference(s, u, { giveMean: true });
      expect(values(inf.z)).toEqual(values(inf.qz.loc));
      const g1 = m.generative(inf.z, { giveMean: true });
      const g2 = m.generative(inf.z, { giveMean: true });
      expect(values(g1.pi)).toEqual(values(g2.pi));
      const mean = t.div(g1.piAlpha, t.sum(g1.piAlpha, -1, true));
      values(g1.pi).forEach((v, k) => expect(v).toBeCloseTo(values(mean)[k] as number, 6));
      [g1, g2].forEach(disposeGenerative);
      disposeInference(inf);
      mean.dispose();
    });
  });

  it('training steps with AdamW and gradient clipping leak no tensors and lower the loss', () => {
    withModule({}, (m, s, u) => {
      const params = m.parameters();
      const opt = new AdamW(params, { lr: 1e-2, eps: 0.01, weightDecay: 1e-2 });
      m.train();
      const before = t.numTensors();
      const losses: number[] = [];
      for (let step = 0; step < 30; step++) {
        t.tidy(() => {
          const { value, grads } = t.variableGrads(() => m.loss(s, u, { seed: step, klWeight: 0.5 }).loss as t.Scalar, params);
          losses.push(value.dataSync()[0] as number);
          opt.step(grads);
        });
      }
      expect(t.numTensors()).toBe(before);
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses.slice(-5).reduce((a, b) => a + b, 0)).toBeLessThan(losses.slice(0, 5).reduce((a, b) => a + b, 0));
      // The time-dependent rate's α₁ and λ are not trained in the constant-rate model: no gradient, no update.
      expect(values(m.alpha1Unconstr)).toEqual([0, 0, 0, 0]);
      opt.dispose();
    });
  });

  it('every tensor has a velovi state-dict name, and a dict in velovi names round-trips', () => {
    withModule({ linearDecoder: true, timeDepTranscriptionRate: true, nLayers: 2 }, (m) => {
      const names = [...m.namedParameters(), ...m.namedBuffers()].map(([n, v]) => veloviName(n, v.rank));
      expect(names.map((n) => n.name)).toContain('decoder.rho_first_decoder.fc_layers.Layer 0.0.weight');
      expect(names.map((n) => n.name)).toContain('z_encoder.encoder.fc_layers.Layer 1.1.running_var');
      expect(names.map((n) => n.name)).toContain('decoder.px_tau_decoder.0.bias');
      // The linear decoder's first layer has no bias (velovi: bias=not linear_decoder).
      expect(names.map((n) => n.name)).not.toContain('decoder.rho_first_decoder.fc_layers.Layer 0.0.bias');
      const dict = t.tidy(() => Object.fromEntries([...m.namedParameters(), ...m.namedBuffers()].map(([n, v]) => {
        const vn = veloviName(n, v.rank);
        return [vn.name, vn.transpose ? t.transpose(v) : t.add(v, 1)];
      })));
      const other = new VELOVIModule({ ...BASE, linearDecoder: true, timeDepTranscriptionRate: true, nLayers: 2, seed: 9 });
      const result = loadVeloviStateDict(other, { ...dict, 'z_encoder.encoder.fc_layers.Layer 0.1.num_batches_tracked': t.scalar(3) });
      expect(result.ignored).toEqual(['z_encoder.encoder.fc_layers.Layer 0.1.num_batches_tracked']);
      expect(values(other.decoder.pxPiDecoder.weight)).toEqual(values(m.decoder.pxPiDecoder.weight));
      expect(values(other.switchTimeUnconstr)).toEqual(values(m.switchTimeUnconstr).map((v) => Math.fround(v + 1)));
      const missing = { ...dict };
      delete missing.scale_unconstr;
      expect(() => loadVeloviStateDict(other, missing)).toThrow("loadVeloviStateDict: the velovi state dict lacks 'scale_unconstr' (for 'scale_unconstr')");
      t.dispose(Object.values(dict));
      other.dispose();
    });
  });

  it('bad options are errors naming the option, the constraint and the value', () => {
    const make = (extra: Record<string, unknown>) => () => new VELOVIModule({ ...BASE, ...extra } as VELOVIModuleOptions);
    expect(make({ nLatent: 0 })).toThrow("VELOVIModule: option 'nLatent' must be an integer >= 1, got 0");
    expect(make({ nInput: 2.5 })).toThrow("VELOVIModule: option 'nInput' must be an integer >= 1, got 2.5");
    expect(make({ switchSpliced: undefined })).toThrow("VELOVIModule: options 'switchUnspliced' and 'switchSpliced' are required");
    expect(make({ switchSpliced: [1, 2] })).toThrow("VELOVIModule: option 'switchSpliced' must hold 4 values (nInput), got 2");
    expect(make({ switchUnspliced: [1, 2, Number.NaN, 4] })).toThrow("VELOVIModule: option 'switchUnspliced' must hold finite numbers, got number NaN at index 2");
    expect(make({ alphaUnconstrInit: [0, 0, 0, -Infinity] })).toThrow("VELOVIModule: option 'alphaUnconstrInit' must hold finite numbers, got number -Infinity at index 3");
    expect(make({ tMax: 0 })).toThrow("VELOVIModule: option 'tMax' must be a finite number > 0, got 0");
    expect(make({ dirichletConcentration: -1 })).toThrow("VELOVIModule: option 'dirichletConcentration' must be a finite number >= 0, got -1");
    expect(make({ useLayerNorm: true })).toThrow("VELOVIModule: option 'useLayerNorm' must be one of 'both', 'encoder', 'decoder', 'none', got boolean true");
    expect(make({ dropoutRate: 1 })).toThrow("VELOVIModule: option 'dropoutRate' must be a number in [0, 1), got 1");
    expect(make({ seed: -1 })).toThrow("VELOVIModule: option 'seed' must be an integer >= 0, got -1");
  });

  it('bad inputs are errors naming the argument, the constraint and the value', () => {
    withModule({}, (m, s, u) => {
      m.eval();
      const narrow = t.zeros([3, 3]);
      expect(() => m.loss(narrow, u, { seed: 1 })).toThrow("VELOVIModule.loss: argument 'spliced' must be a float32 Tensor with shape [cells, 4] (nInput = 4 genes), got a float32 Tensor of shape [3, 3]");
      const fewer = t.zeros([2, 4]);
      expect(() => m.loss(s, fewer, { seed: 1 })).toThrow("VELOVIModule.loss: arguments 'spliced' and 'unspliced' must hold the same cells, got 3 and 2 rows");
      expect(() => m.loss(s, u, { seed: 1, klWeight: -1 })).toThrow("VELOVIModule.loss: option 'klWeight' must be a finite number >= 0, got -1");
      expect(() => m.inference(s, u)).toThrow("VELOVIModule.inference: option 'seed' is required to draw z (pass giveMean or noise otherwise), got undefined");
      const z = t.zeros([3, 2]);
      expect(() => m.inference(s, u, { noise: z })).toThrow("VELOVIModule.inference: option 'noise' must be a Tensor of shape [3, 3], got a float32 Tensor of shape [3, 2]");
      expect(() => m.generative(z, { seed: 1 })).toThrow("VELOVIModule.generative: argument 'z' must have shape [batch, 3] (nLatent = 3), got a float32 Tensor of shape [3, 2]");
      const z3 = t.zeros([3, 3]);
      expect(() => m.generative(z3)).toThrow("VELOVIModule.generative: option 'seed' is required to draw pi from Dirichlet(piAlpha) (pass giveMean or pi otherwise), got undefined");
      expect(() => m.generative(z3, { pi: narrow })).toThrow("VELOVIModule.generative: option 'pi' must be a Tensor of shape [3, 4, 4], got");
      const gen = m.generative(z3, { giveMean: true });
      expect(() => mixtureLogProb(gen, 'x' as never, s)).toThrow("mixtureLogProb: argument 'which' must be 'u' or 's', got 'x'");
      expect(() => mixtureLogProb(gen, 'u', narrow)).toThrow("mixtureLogProb: argument 'x' must be a Tensor of shape [3, 4] (cells × genes of the pass), got a float32 Tensor of shape [3, 3]");
      expect(() => velocityOf(m, gen, 'total' as never, 'mean')).toThrow("velocityOf: argument 'mode' must be one of 'spliced', 'unspliced', got 'total'");
      expect(() => latentTimeOf(m, gen, 'median' as never)).toThrow("latentTimeOf: argument 'statistic' must be one of 'mean', 'max', got 'median'");
      disposeGenerative(gen);
      expect(() => induction(z3, [1] as never, z3, z3)).toThrow("induction: argument 'beta' must be a live float32 Tensor, got");
      m.train();
      expect(() => m.loss(s, u)).toThrow("VELOVIModule.loss: option 'seed' is required in training mode (dropout 0.1), got undefined");
      t.dispose([narrow, fewer, z, z3]);
    });
  });
});
