// SCVIModule against scvi-tools' VAE forward pass, written out in torch by
// tooling/fixtures/generators/scvi_module.py: the same weights (loaded through the scvi-tools
// state-dict names), inputs and standard-normal noise; every output compared.
// Tolerance: |got - want| <= 1e-5 · |want| + 1e-6 · max|want| per tensor, float32 against
// float64 (the largest errors measured are printed at the end).
import { afterAll, describe, expect, it } from 'vitest';
import { NegativeBinomial, Poisson, ZeroInflatedNegativeBinomial } from '@vitae/distributions';
import { loadFixture } from '@vitae/fixtures/load';
import * as t from '@vitae/tensor';
import { SCVIModule, loadScviToolsStateDict } from './index.js';

import type { Distribution } from '@vitae/distributions';
import type { SCVIModuleOptions } from './index.js';

type Nested = number | Nested[];
interface Case {
  name: string;
  mode: 'eval' | 'train';
  options: Required<Omit<SCVIModuleOptions, 'seed' | 'libraryLogMeans' | 'libraryLogVars' | 'nInput' | 'nLabels' | 'nHidden' | 'nLatent'>>;
  batch: number[];
  weights: Record<string, Nested>;
  outputs: Record<string, Nested> & { stateAfter?: Record<string, number[]> };
}
interface Fixture {
  config: { nInput: number; nLabels: number; nHidden: number; nLatent: number };
  x: number[][];
  labels: number[];
  epsZ: number[][];
  epsL: number[][];
  klWeight: number;
  cases: Case[];
}
const fx = loadFixture<Fixture>('scvi-module');

const worst: Record<string, { elementwise: number; normwise: number }> = {};
afterAll(() => {
  const line = Object.entries(worst).map(([k, v]) => `${k} ${v.elementwise.toExponential(1)} / ${v.normwise.toExponential(1)}`).join(', ');
  console.log(`[${t.getBackend()}] largest error against scvi-tools' VAE, relative to the value / to the tensor's largest value: ${line}`);
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

/**
 * Checks every value against |got - want| <= 1e-5 |want| + 1e-6 max|want| and records, for
 * `what`, the largest error relative to the value (over entries with |want| >= 1e-3 max|want|)
 * and relative to the largest value of the tensor.
 */
function expectClose(what: string, actual: t.Tensor | number, expected: Nested): void {
  const want = flat(expected);
  const got = typeof actual === 'number' ? [actual] : Array.from(actual.dataSync());
  expect(got.length, what).toBe(want.length);
  const scale = Math.max(...want.map(Math.abs));
  const w = (worst[what] ??= { elementwise: 0, normwise: 0 });
  want.forEach((v, i) => {
    const g = got[i] as number;
    const err = Math.abs(g - v);
    if (scale > 0 && Math.abs(v) >= 1e-3 * scale) w.elementwise = Math.max(w.elementwise, err / Math.abs(v));
    if (scale > 0) w.normwise = Math.max(w.normwise, err / scale);
    if (!(err <= 1e-5 * Math.abs(v) + 1e-6 * scale)) expect.fail(`${what}[${i}]: got ${g}, want ${v} (error ${err.toExponential(2)})`);
  });
}

function countParams(px: Distribution): { mu: t.Tensor; theta: t.Tensor | null; zi: t.Tensor | null } {
  if (px instanceof ZeroInflatedNegativeBinomial) return { mu: px.mu, theta: px.theta, zi: px.ziLogits };
  if (px instanceof NegativeBinomial) return { mu: px.mu, theta: px.theta, zi: null };
  if (px instanceof Poisson) return { mu: px.rate, theta: null, zi: null };
  throw new Error(`unexpected px ${px.name}`);
}

function build(c: Case): SCVIModule {
  const perBatch = (name: string) => (c.weights[name] === undefined ? undefined : flat(c.weights[name] as Nested));
  const means = perBatch('library_log_means');
  const vars = perBatch('library_log_vars');
  const module = new SCVIModule({
    ...c.options,
    nInput: fx.config.nInput, nLabels: fx.config.nLabels, nHidden: fx.config.nHidden, nLatent: fx.config.nLatent,
    ...(means && vars ? { libraryLogMeans: means, libraryLogVars: vars } : {}),
    seed: 7,
  });
  const dict = Object.fromEntries(Object.entries(c.weights).map(([k, v]) => [k, toTensor(v)]));
  const { ignored } = loadScviToolsStateDict(module, dict);
  t.dispose(Object.values(dict));
  // What scvi-tools saves but this configuration does not use.
  for (const name of ignored) expect(name, c.name).toMatch(/^(l_encoder\.|decoder\.px_r_decoder\.|decoder\.px_dropout_decoder\.|px_r$)/);
  return module.train(c.mode === 'train');
}

describe("SCVIModule = scvi-tools' VAE (inference, generative, loss)", () => {
  for (const c of fx.cases) {
    it(c.name, () => {
      const module = build(c);
      const out = c.outputs;
      const x = t.tensor2d(fx.x);
      const noise = { z: t.tensor2d(fx.epsZ), library: t.tensor2d(fx.epsL) };
      const labels = fx.labels;
      const before = module.stateDict();

      const inf = module.inference(x, c.batch, { noise });
      const gen = module.generative(inf.z, inf.library, c.batch, { labels });
      expectClose('qz.loc', inf.qz.loc, out.qzLoc as Nested);
      expectClose('qz.scale', inf.qz.scale, out.qzScale as Nested);
      expectClose('z', inf.z, out.z as Nested);
      expectClose('library', inf.library, out.library as Nested);
      if (inf.ql && gen.pl) {
        expectClose('ql.loc', inf.ql.loc, out.qlLoc as Nested);
        expectClose('ql.scale', inf.ql.scale, out.qlScale as Nested);
        expectClose('pl.loc', gen.pl.loc, out.plLoc as Nested);
        expectClose('pl.scale', gen.pl.scale, out.plScale as Nested);
      } else {
        expect(out.qlLoc).toBeUndefined();
        expect(gen.pl).toBeNull();
      }
      expectClose('px scale', gen.pxScale, out.pxScale as Nested);
      const p = countParams(gen.px);
      expectClose('px mean', p.mu, out.pxRate as Nested);
      if (p.theta) expectClose('px theta', p.theta, out.pxTheta as Nested);
      if (p.zi) expectClose('px zi logits', p.zi, out.pxDropout as Nested);
      else expect(out.pxDropout === undefined || c.options.geneLikelihood !== 'zinb').toBe(true);
      if (out.stateAfter) {
        for (const [stName, want] of Object.entries(out.stateAfter)) {
          const vitae = stName.replace(/fc_layers\.Layer (\d+)\.1\./, 'layers.$1.batchNorm.');
          const entry = module.namedBuffers().find(([n]) => n === vitae);
          expect(entry, vitae).toBeDefined();
          expectClose('running statistics', (entry as [string, t.Variable])[1], want);
        }
      }
      for (const d of [inf.qz, inf.ql, gen.px, gen.pz, gen.pl]) d?.dispose();
      t.dispose([inf.z, inf.library, gen.pxScale]);

      // The loss from the same starting state (a training-mode pass moved the running statistics).
      module.loadStateDict(before);
      t.dispose(Object.values(before));
      const loss = module.loss(x, c.batch, { noise, labels, klWeight: fx.klWeight });
      expectClose('reconstruction', loss.reconstruction, out.reconstruction as Nested);
      expectClose('kl_z', loss.klLocal.z, out.klZ as Nested);
      expectClose('kl_l', loss.klLocal.l, out.klL as Nested);
      expectClose('loss', loss.loss, out.loss as Nested);
      expect(loss.klGlobal.dataSync()[0]).toBe(0);
      t.dispose([loss.loss, loss.reconstruction, loss.klLocal.z, loss.klLocal.l, loss.klGlobal, x, noise.z, noise.library]);
      module.dispose();
    });
  }
});
