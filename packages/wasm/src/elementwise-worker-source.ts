// The elementwise-kernel worker (elementwise-threads.ts; the job loop is worker-source.ts'). Its
// init message carries kernels.wasm compiled (`module`: instantiated here with a memory of its
// own, since its tables are data segments), the names of the kernels a job may ask for (`names`)
// and the shared memory the job's arrays are staged in (`memory`). A job's arguments, control[2…]
// (byte offsets are into the shared memory):
//   control[2]  the kind: 1 unary (out = f(a), called f(a, out, n)), 2 binary (out = f(a, b),
//               f(a, b, out, n)), 3 the NB / ZINB log-likelihood (logNb / logZinb)
//   kinds 1, 2: control[3] the kernel's index in `names`, control[4] n, control[5], control[6],
//               control[7] the offsets of a, b and out
//   kind 3:     control[3] flags (1: zero-inflated, 2: with gradients), control[4] n, control[5]
//               eps (float32 bits), control[6 + 3j], [7 + 3j], [8 + 3j] offset, length and phase of
//               input j (x, mu, theta, pi): element i of the job reads input[(phase + i) mod
//               length], control[18 + j] the offsets of the outputs (value, ∂mu, ∂theta, ∂pi)
//   kind 4:     veloVI's likelihood (kinetic-mixture.ts' kineticRows): control[3] 1 with
//               gradients, control[4] genes g, control[5] rows, control[6] rows per chunk,
//               control[7] the offset of the attributes (four float64), control[8] of the gene
//               inputs (8g), control[9..13] of ρ, τ, π, u, s, control[14] of dy, control[15..17]
//               of the outputs (value, or ∂ρ, ∂τ, ∂π), control[18] of the chunks' gene partials
//   kind 5:     KL(Dir(p) ‖ Dir(q)) per row (dirichlet-kl.ts' dirichletKlRows): control[3] the
//               form (DIRICHLET_KL_FORMS), control[4] k, control[5] rows, control[6..8] the
//               offsets of p, q, dy, control[9], [10] of the form's outputs
// The arrays go through the module's memory in chunks of 16,384 elements, as KernelModule does.
import { DIRICHLET_KL_FORMS, DIRICHLET_KL_OUTPUT_PER_ROW, dirichletKlRows, dirichletKlTakesDy } from './dirichlet-kl.js';
import { kineticRows } from './kinetic-mixture.js';
import { gatherPeriodic } from './periodic.js';
import { workerSource } from './worker-source.js';

/** The numbers of the forms that take dy (dirichletKlTakesDy). */
function dirichletKlFormNumbersTakingDy(): number[] {
  return Object.entries(DIRICHLET_KL_FORMS)
    .filter(([form]) => dirichletKlTakesDy(form as keyof typeof DIRICHLET_KL_FORMS))
    .map(([, n]) => n);
}

/** DIRICHLET_KL_OUTPUT_PER_ROW indexed by the forms' numbers. */
function dirichletPerRowByNumber(): boolean[][] {
  const byNumber: boolean[][] = [];
  for (const [form, n] of Object.entries(DIRICHLET_KL_FORMS)) byNumber[n] = [...DIRICHLET_KL_OUTPUT_PER_ROW[form as keyof typeof DIRICHLET_KL_FORMS]];
  return byNumber;
}

export const ELEMENTWISE_WORKER_SOURCE = workerSource(`
(init) => {
  const CHUNK = 16384;
  const kernels = new WebAssembly.Instance(init.module, {}).exports;
  const base = (kernels.scratchBase() + 15) & ~15;
  // eight buffers: up to four inputs (overwritten by the outputs) and the likelihood's scratch
  const need = base + 8 * CHUNK * 4;
  const have = kernels.memory.buffer.byteLength;
  if (need > have) kernels.memory.grow(Math.ceil((need - have) / 65536));
  const buffer = (j) => base + j * CHUNK * 4;
  // periodic.ts' gatherPeriodic, its compiled source inlined below
  const gather = ${gatherPeriodic.toString()};
  const real = (control) => new Float32Array(control.buffer, control.byteOffset, control.length);
  // kinetic-mixture.ts' kineticRows, its compiled source inlined below
  const kineticRows = ${kineticRows.toString()};
  // dirichlet-kl.ts' dirichletKlRows, likewise
  const dirichletKlRows = ${dirichletKlRows.toString()};
  // per form number: whether each output holds one float per row (DIRICHLET_KL_OUTPUT_PER_ROW)
  const dirichletPerRow = ${JSON.stringify(dirichletPerRowByNumber())};
  // the form numbers that take dy (the gradients)
  const dirichletWithDy = ${JSON.stringify(dirichletKlFormNumbersTakingDy())};
  return (control) => {
    const kind = control[2];
    const n = control[4];
    const shared = new Float32Array(init.memory.buffer);
    const heap = new Float32Array(kernels.memory.buffer);
    if (kind === 5) {
      const form = control[3];
      const perRow = dirichletPerRow[form];
      const [k, rows] = [control[4], control[5]];
      const view = (at, length) => shared.subarray(at >> 2, (at >> 2) + length);
      const outs = perRow.map((one, j) => view(control[9 + j], one ? rows : rows * k));
      const withDy = dirichletWithDy.includes(form);
      dirichletKlRows(kernels, form, perRow, view(control[6], rows * k), view(control[7], rows * k), withDy ? view(control[8], rows) : null, outs, rows, k);
      return;
    }
    if (kind === 4) {
      const grad = control[3] === 1;
      const [g, rows] = [control[4], control[5]];
      const view = (at, length) => shared.subarray(at >> 2, (at >> 2) + length);
      const n = rows * g;
      const cells = [9, 10, 11, 12, 13].map((c, j) => view(control[c], j === 2 ? 4 * n : n));
      const outs = (grad ? [15, 16, 17] : [15]).map((c, j) => view(control[c], j === 2 ? 4 * n : n));
      const attrs = Array.from(new Float64Array(init.memory.buffer, control[7], 4));
      const partials = grad ? view(control[18], Math.ceil(rows / control[6]) * 8 * g) : null;
      kineticRows(kernels, cells, view(control[8], 8 * g), grad ? view(control[14], n) : null, outs, partials, g, rows, control[6], attrs);
      return;
    }
    if (kind === 3) {
      const zi = (control[3] & 1) !== 0;
      const grad = (control[3] & 2) !== 0 ? 1 : 0;
      const eps = real(control)[5];
      const inputs = zi ? 4 : 3;
      const views = Array.from({ length: inputs }, (_, j) => shared.subarray(control[6 + 3 * j] >> 2, (control[6 + 3 * j] >> 2) + control[7 + 3 * j]));
      const outputs = grad ? inputs : 1;
      const [b0, b1, b2, b3] = [buffer(0), buffer(1), buffer(2), buffer(3)];
      for (let s = 0; s < n; s += CHUNK) {
        const m = Math.min(CHUNK, n - s);
        for (let j = 0; j < inputs; j++) gather(heap, buffer(j) >> 2, views[j], control[8 + 3 * j] + s, m);
        if (zi) kernels.logZinb(grad, b0, b1, b2, b3, b0, b1, b2, b3, m, eps, buffer(inputs));
        else kernels.logNb(grad, b0, b1, b2, b0, b1, b2, m, eps, buffer(inputs));
        for (let j = 0; j < outputs; j++) shared.set(heap.subarray(buffer(j) >> 2, (buffer(j) >> 2) + m), (control[18 + j] >> 2) + s);
      }
      return;
    }
    const f = kernels[init.names[control[3]]];
    const [a, b, out] = [control[5] >> 2, control[6] >> 2, control[7] >> 2];
    const [pa, pb] = [buffer(0), buffer(1)];
    for (let s = 0; s < n; s += CHUNK) {
      const m = Math.min(CHUNK, n - s);
      heap.set(shared.subarray(a + s, a + s + m), pa >> 2);
      if (kind === 1) {
        f(pa, pa, m);
      } else {
        heap.set(shared.subarray(b + s, b + s + m), pb >> 2);
        f(pa, pb, pa, m);
      }
      shared.set(heap.subarray(pa >> 2, (pa >> 2) + m), out + s);
    }
  };
}
`);
