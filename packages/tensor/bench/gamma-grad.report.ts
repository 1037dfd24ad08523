// Accuracy report of standardGammaGrad (randomGamma's implicit reparameterization gradient)
// against the mpmath fixture (tooling/fixtures/generators/gamma_grad.py): worst relative error of
// the float64 scalar, of the float32 op, and of torch 1.13's _standard_gamma_grad on the same points.
// The tests assert the bounds (1e-12, 1e-6, within torch's own error); this prints the values.
import { loadFixture } from '@vitae/fixtures/load';
import { printTable } from '@vitae/bench-harness';
import * as vt from '../src/index.js';
import { standardGammaGradScalar } from '../src/kernels/index.js';

interface GammaGradTable {
  alpha: number[];
  x: number[];
  dxdalpha: number[];
  torch64: number[];
}
const fixture = loadFixture<{ grid: GammaGradTable; largeAlpha: GammaGradTable }>('gamma-grad');

function worst(want: number[], got: ArrayLike<number>): number {
  let w = 0;
  want.forEach((v, i) => {
    const rel = Math.abs((got[i] as number) - v) / Math.abs(v);
    if (Number.isFinite(rel)) w = Math.max(w, rel);
  });
  return w;
}

await vt.setBackend('wasm');
const rows = (['grid', 'largeAlpha'] as const).map((name) => {
  const t = fixture[name];
  const scalar = t.x.map((x, i) => standardGammaGradScalar(x, t.alpha[i] as number));
  const op = vt.standardGammaGrad(t.x, t.alpha);
  const row = {
    table: `${name} (${t.x.length} points, alpha ${Math.min(...t.alpha).toExponential(0)}…${Math.max(...t.alpha).toExponential(0)})`,
    'float64 scalar': worst(t.dxdalpha, scalar).toExponential(1),
    'float32 op': worst(t.dxdalpha, op.dataSync()).toExponential(1),
    'torch float64': worst(t.dxdalpha, t.torch64).toExponential(1),
  };
  op.dispose();
  return row;
});
console.log('standardGammaGrad: worst relative error against mpmath');
printTable(rows);
