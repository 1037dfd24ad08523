// VELOVIModule against velovi's VELOVAE forward and backward pass, written out in torch by
// tooling/fixtures/generators/velovi_module.py: the same weights (loaded through velovi's
// state-dict names), inputs, standard-normal noise of z and draw of π; every output compared,
// the gradient of the loss with respect to every parameter, and what the model methods compute
// from the pass (velocity, latent time, expression fit).
// Tolerance: values |got − want| <= 1e-5 · |want| + 1e-6 · max|want| per tensor; gradients
// 1e-4 · |want| + 1e-5 · max|want| + 10 · |torch float32 − torch float64| (float32 against
// float64; at least 1e-6 for gradients that are 0 analytically). At γ = β velovi's
// 1/(γ − β + 1e-6) makes the gradient float32 cannot resolve (terms of size 1e6 cancel, and the
// result depends on the order of accumulation): that case compares values and checks that the
// gradients are finite. The largest errors are printed.
import { afterAll, describe, expect, it } from 'vitest';
import { loadFixture } from '@vitae/fixtures/load';
import * as t from '@vitae/tensor';
import { VELOVIModule, disposeGenerative, disposeInference, expressionFitOf, latentTimeOf, linearLoadings, loadVeloviStateDict, mixtureLogProb, mixtures, stateMeans, veloviName, velocityOf } from './index.js';

import type { VELOVIModuleOptions } from './index.js';

type Nested = number | Nested[];
interface Case {
  name: string;
  mode: 'eval' | 'train';
  /** false where float32 cannot resolve the gradient (γ = β): then only its finiteness is checked. */
  compareGradients: boolean;
  options: Required<Pick<VELOVIModuleOptions, 'nLayers' | 'dropoutRate' | 'latentDistribution' | 'useBatchNorm' | 'useLayerNorm' | 'logVariational' | 'linearDecoder' | 'timeDepTranscriptionRate'>>;
  weights: Record<string, Nested>;
  outputs: Record<string, Nested> & {
    grads: Record<string, Nested>;
    gradsFloat32: Record<string, Nested>;
    unusedParameters: string[];
    model: Record<string, Nested>;
    stateAfter?: Record<string, number[]>;
  };
}
interface Fixture {
  config: { nInput: number; nHidden: number; nLatent: number; nCells: number; tMax: number };
  spliced: number[][];
  unspliced: number[][];
  switchSpliced: number[];
  switchUnspliced: number[];
  epsZ: number[][];
  pi: number[][][];
  klWeight: number;
  cases: Case[];
}
const fx = loadFixture<Fixture>('velovi-module');

const worst: Record<string, { elementwise: number; normwise: number }> = {};
afterAll(() => {
  const line = Object.entries(worst).map(([k, v]) => `${k} ${v.elementwise.toExponential(1)} / ${v.normwise.toExponential(1)}`).join(', ');
  console.log(`[${t.getBackend()}] largest error against velovi's VELOVAE, relative to the value / to the tensor's largest value: ${line}`);
});

function flat(v: Nested): number[] {
  return Array.isArray(v) ? v.flatMap(flat) : [v];
}

function shapeOf(v: Nested): number[] {
  return Array.isArray(v) ? [v.length, ...shapeOf(v[0] as Nested)] : [];
}

function toTensor(v: Nested): t.Tensor {
  return t.tensor(flat(v), shapeOf(v), 'float32');
}

function expectClose(what: string, actual: t.Tensor | number, expected: Nested, rel = 1e-5, abs = 1e-6, slack: number[] = []): void {
  const want = flat(expected);
  const got = typeof actual === 'number' ? [actual] : Array.from(actual.dataSync());
  expect(got.length, what).toBe(want.length);
  const scale = Math.max(...want.map(Math.abs));
  const key = what.replace(/ \(.*\)$/, '');
  const w = (worst[key] ??= { elementwise: 0, normwise: 0 });
  want.forEach((v, i) => {
    const g = got[i] as number;
    const err = Math.abs(g - v);
    if (scale > 1e-6 && Math.abs(v) >= 1e-3 * scale) w.elementwise = Math.max(w.elementwise, err / Math.abs(v));
    if (scale > 1e-6) w.normwise = Math.max(w.normwise, err / scale);
    if (!(err <= rel * Math.abs(v) + abs * scale + (slack[i] ?? 0))) expect.fail(`${what}[${i}]: got ${g}, want ${v} (error ${err.toExponential(2)})`);
  });
}

function build(c: Case): VELOVIModule {
  const module = new VELOVIModule({
    ...c.options,
    nInput: fx.config.nInput, nHidden: fx.config.nHidden, nLatent: fx.config.nLatent, tMax: fx.config.tMax,
    switchSpliced: fx.switchSpliced, switchUnspliced: fx.switchUnspliced,
    seed: 7,
  });
  const dict = Object.fromEntries(Object.entries(c.weights).map(([k, v]) => [k, toTensor(v)]));
  const { ignored } = loadVeloviStateDict(module, dict);
  t.dispose(Object.values(dict));
  expect(ignored).toEqual([]);
  return module.train(c.mode === 'train');
}

describe("VELOVIModule = velovi's VELOVAE (inference, generative, loss, gradients)", () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      const module = build(c);
      const out = c.outputs;
      const s = t.tensor2d(fx.spliced);
      const u = t.tensor2d(fx.unspliced);
      const noise = t.tensor2d(fx.epsZ);
      const pi = toTensor(fx.pi);
      const before = module.stateDict();

      const inf = module.inference(s, u, { noise });
      const gen = module.generative(inf.z, { pi });
      expectClose('qz.loc', inf.qz.loc, out.qzLoc as Nested);
      expectClose('qz.scale', inf.qz.scale, out.qzScale as Nested);
      expectClose('z', inf.z, out.z as Nested);
      for (const k of ['gamma', 'beta', 'alpha', 'alpha1', 'lambdaAlpha'] as const) expectClose(`rates.${k}`, inf.rates[k], out[k] as Nested);
      expectClose('piAlpha', gen.piAlpha, out.piAlpha as Nested);
      expectClose('rho', gen.rho, out.rho as Nested);
      expectClose('tau', gen.tau, out.tau as Nested);
      expectClose('scale', gen.scale, out.scale as Nested);
      const means = stateMeans(gen);
      expectClose('meanU', means.u, out.meanU as Nested);
      expectClose('meanS', means.s, out.meanS as Nested);
      expectClose('u0', gen.u0, out.u0 as Nested);
      expectClose('s0', gen.s0, out.s0 as Nested);
      expectClose('switchTime', gen.switchTime, out.switchTime as Nested);
      expectClose('endPenalty', gen.endPenalty, out.endPenalty as Nested);
      const recU = t.neg(mixtureLogProb(gen, 'u', u));
      const recS = t.neg(mixtureLogProb(gen, 's', s));
      expectClose('-log p(u)', recU, out.recU as Nested);
      expectClose('-log p(s)', recS, out.recS as Nested);
      // The same through the distribution objects (torch's own MixtureSameFamily path).
      const { pxU, pxS } = mixtures(gen);
      const viaU = t.neg(pxU.logProb(u));
      const viaS = t.neg(pxS.logProb(s));
      expectClose('-log p(u) (MixtureSameFamily)', viaU, out.recU as Nested);
      expectClose('-log p(s) (MixtureSameFamily)', viaS, out.recS as Nested);
      const mixtureMean = pxS.mean;
      expectClose('expression fit (MixtureSameFamily mean)', mixtureMean, out.model.fit_s as Nested);
      pxU.dispose();
      pxS.dispose();
      t.dispose([viaU, viaS, mixtureMean, means.u, means.s]);

      // The model methods' arithmetic on the same pass.
      const m = out.model;
      for (const mode of ['spliced', 'unspliced'] as const) {
        for (const statistic of ['mean', 'max'] as const) {
          const v = velocityOf(module, gen, mode, statistic);
          const clipped = t.maximum(v, t.neg(s));
          expectClose(`velocity (${mode}, ${statistic})`, clipped, m[`velocity_${mode}_${statistic}`] as Nested);
          t.dispose([v, clipped]);
        }
      }
      for (const statistic of ['mean', 'max'] as const) {
        const lt = latentTimeOf(module, gen, statistic);
        expectClose(`latent time (${statistic})`, lt, m[`latent_time_${statistic}`] as Nested);
        lt.dispose();
      }
      const fit = expressionFitOf(gen);
      expectClose('expression fit (s)', fit.s, m.fit_s as Nested);
      expectClose('expression fit (u)', fit.u, m.fit_u as Nested);
      if (m.loadings !== undefined) {
        const got = linearLoadings(module);
        flat(m.loadings as Nested).forEach((want, k) => expect(got[k] as number).toBeCloseTo(want, 6));
      } else {
        expect(() => linearLoadings(module)).toThrow('linearLoadings: the module was not built with linearDecoder: true');
      }
      if (m.fit_s_latent_dim_1 !== undefined) {
        // velovi's restrict_to_latent_dim: ρ and τ from latent dimension 1 alone.
        const gen1 = module.generative(inf.z, { pi, latentDim: 1 });
        const fit1 = expressionFitOf(gen1);
        expectClose('expression fit, latent dimension 1 (s)', fit1.s, m.fit_s_latent_dim_1 as Nested);
        expectClose('expression fit, latent dimension 1 (u)', fit1.u, m.fit_u_latent_dim_1 as Nested);
        disposeGenerative(gen1);
        t.dispose([fit1.s, fit1.u]);
      }

      if (out.stateAfter) {
        for (const [vName, want] of Object.entries(out.stateAfter)) {
          const entry = module.namedBuffers().find(([n, b]) => veloviName(n, b.rank).name === vName);
          expect(entry, vName).toBeDefined();
          expectClose('running statistics', (entry as [string, t.Variable])[1], want);
        }
      }
      disposeInference(inf);
      disposeGenerative(gen);
      t.dispose([recU, recS, fit.s, fit.u]);

      // The loss and its gradient from the same starting state (a training-mode pass moves the running statistics).
      module.loadStateDict(before);
      const loss = module.loss(s, u, { noise, pi, klWeight: fx.klWeight });
      expectClose('reconstruction', loss.reconstruction, out.reconstruction as Nested);
      expectClose('kl_z', loss.klLocal.z, out.klZ as Nested);
      expectClose('kl_pi', loss.klLocal.pi, out.klPi as Nested);
      expectClose('loss', loss.loss, out.loss as Nested);
      expect(loss.klGlobal.dataSync()[0]).toBe(0);
      const after = module.stateDict();
      module.loadStateDict(before);
      const { value, grads } = t.variableGrads(() => module.loss(s, u, { noise, pi, klWeight: fx.klWeight }).loss as t.Scalar, module.parameters());
      expectClose('loss', value, out.loss as Nested);
      // A second training-mode pass moves the running statistics the same way.
      for (const [name, b] of module.namedBuffers()) expect(Array.from(b.dataSync()), name).toEqual(Array.from((after[name] as t.Tensor).dataSync()));
      t.dispose([...Object.values(before), ...Object.values(after)]);
      const byVariable = new Map(module.namedParameters().map(([n, v]) => [v.name, n]));
      const gotNames = new Set<string>();
      for (const [varName, g] of Object.entries(grads)) {
        const name = byVariable.get(varName) as string;
        const vName = veloviName(name, g.rank).name;
        gotNames.add(vName);
        const want = out.grads[vName];
        expect(want, `velovi has no gradient for ${vName}`).toBeDefined();
        const vitae = veloviName(name, g.rank).transpose ? t.transpose(g) : g;
        // Where float32 itself cannot do better (torch's float32 gradient is that far off), allow 10x that.
        const f32 = flat(out.gradsFloat32[vName] as Nested);
        // Gradients that are 0 analytically (biases before batch norm in training mode) come out as float32 noise.
        const slack = flat(want as Nested).map((w, i) => Math.max(1e-6, 10 * Math.abs((f32[i] as number) - w)));
        if (c.compareGradients) expectClose(`gradient (${vName})`, vitae, want as Nested, 1e-4, 1e-5, slack);
        else expect(Array.from(vitae.dataSync()).every(Number.isFinite), vName).toBe(true);
        if (vitae !== g) vitae.dispose();
      }
      // The same parameters get gradients on both sides; velovi's unused ones get none here either.
      expect([...gotNames].sort()).toEqual(Object.keys(out.grads).sort());
      for (const unused of out.unusedParameters) expect(gotNames.has(unused)).toBe(false);
      t.dispose([value, ...Object.values(grads), loss.loss, loss.reconstruction, loss.klLocal.z, loss.klLocal.pi, loss.endPenalty, loss.klGlobal, s, u, noise, pi]);
      module.dispose();
    });
  }
});
