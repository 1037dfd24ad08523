// Loaded by check.mjs in headless Chromium: the packages must work in a browser from one bundle,
// with no .wasm or other file served next to it.
import '@vitae/wasm/register';
import * as vt from '@vitae/tensor';
const out = {};
try {
  out.backend = await vt.ready();
  out.lgamma = Array.from(vt.lgamma([0.5, 10]).dataSync());
  out.d2 = vt.grad(vt.grad((t) => vt.lgamma(t)))(vt.scalar(1)).dataSync()[0];
  const { listArrayKernels } = await import('@vitae/tensor/kernels');
  out.providers = [...new Set(listArrayKernels().map((k) => k.provider))];
} catch (e) { out.error = String(e && e.stack || e); }
document.title = 'DONE';
document.body.textContent = JSON.stringify(out);
