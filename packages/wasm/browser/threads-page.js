// The page of scripts/browser-threads-check.mjs (bundled by it): in a cross-origin-isolated page,
// the elementwise kernels and the GEMM on two threads (Web Workers from Blob URLs, the page's
// thread spinning on Atomics.load) give the one-thread bits; posts a report to /result.
import { GemmModule } from '../dist/gemm-module.js';
import { KernelModule } from '../dist/kernel-module.js';

async function main() {
  const report = { crossOriginIsolated: globalThis.crossOriginIsolated, ua: navigator.userAgent };
  const n = 200_003;
  const x = Float32Array.from({ length: n }, (_, i) => 0.001 + ((i * 0.6180339887) % 1) * 100);
  const one = await KernelModule.load(1);
  const two = await KernelModule.load(2);
  report.kernelThreads = [one.threads, two.threads];
  const a = one.unary('lgamma', x);
  const t0 = performance.now();
  const b = two.unary('lgamma', x);
  report.lgammaMs2 = performance.now() - t0;
  report.lgammaSameBits = a.every((v, i) => Object.is(v, b[i]));
  // a GEMM through a "heap": a plain WebAssembly.Memory standing in for tfjs' heap
  const [m, k, nn] = [128, 128, 2000];
  const g1 = await GemmModule.load(1);
  const g2 = await GemmModule.load(2);
  report.gemmThreads = [g1.threads, g2.threads];
  const heap = new WebAssembly.Memory({ initial: 256 });
  const at = (floats, offset) => new Float32Array(heap.buffer, offset, floats);
  const A = at(m * k, 0);
  const B = at(k * nn, 4 * m * k);
  const C1 = at(m * nn, 4 * (m * k + k * nn));
  const C2 = at(m * nn, 4 * (m * k + k * nn + m * nn));
  const S = at(g1.scratchBytes(m, nn, k) / 4 + 4, (4 * (m * k + k * nn + 2 * m * nn) + 15) & ~15);
  A.forEach((_, i) => (A[i] = Math.sin(i)));
  B.forEach((_, i) => (B[i] = Math.cos(i)));
  const call = (out) => ({ m, n: nn, k, a: A, aRow: k, aCol: 1, b: B, bRow: nn, bCol: 1, out, scratch: S, heap });
  g1.run(call(C1));
  const t1 = performance.now();
  g2.run(call(C2));
  report.gemmMs2 = performance.now() - t1;
  report.gemmSameBits = C1.every((v, i) => Object.is(v, C2[i]));
  report.gemmThreadsAfter = g2.threads;
  await fetch('/result', { method: 'POST', body: JSON.stringify(report) });
}
main().catch((e) => fetch('/result', { method: 'POST', body: JSON.stringify({ error: String(e && e.stack || e) }) }));
