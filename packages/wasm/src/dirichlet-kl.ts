// The JS side of assembly/dirichlet-kl.ts (@vitae/tensor's DirichletKl kernels, each form of
// dirichletKlForm): rows of K concentrations through one kernels.wasm instance in chunks.
// `dirichletKlRows` is self-contained: its source also runs in the elementwise workers
// (elementwise-worker-source.ts).

import type { DirichletKlForm } from '@vitae/tensor/kernels';

/** What dirichletKlRows needs of a kernels.wasm instance. */
export interface DirichletKlExports {
  memory: WebAssembly.Memory;
  scratchBase(): number;
  dirichletKl(form: number, p: number, q: number, dy: number, out0: number, out1: number, rows: number, k: number, scratch: number): void;
}

/** assembly/dirichlet-kl.ts' numbers for @vitae/tensor's forms. */
export const DIRICHLET_KL_FORMS: Readonly<Record<DirichletKlForm, number>> = { value: 0, grads: 1, 'value-gradP': 2, gradQ: 3 };

/** Per form: whether each output holds one float per row (else one per element), in order. */
export const DIRICHLET_KL_OUTPUT_PER_ROW: Readonly<Record<DirichletKlForm, readonly boolean[]>> = {
  value: [true],
  grads: [false, false],
  'value-gradP': [true, false],
  gradQ: [false],
};

/** Whether a form takes dy (the gradient forms, @vitae/tensor's DirichletKlGrad kernel). */
export const dirichletKlTakesDy = (form: DirichletKlForm): boolean => form === 'grads' || form === 'gradQ';

/** One call: p, q [rows·k], dy [rows] (the forms grads and gradQ, else null), the form's outputs. */
export interface DirichletKlJob {
  form: DirichletKlForm;
  p: Float32Array;
  q: Float32Array;
  dy: Float32Array | null;
  outputs: readonly Float32Array[];
  rows: number;
  k: number;
}

/**
 * Rows of a job through `ex` (form: assembly/dirichlet-kl.ts' number; perRow: the form's
 * DIRICHLET_KL_OUTPUT_PER_ROW), into `outs` (row-aligned subarrays).
 */
export function dirichletKlRows(
  ex: DirichletKlExports,
  form: number,
  perRow: readonly boolean[],
  p: Float32Array,
  q: Float32Array,
  dy: Float32Array | null,
  outs: readonly Float32Array[],
  rows: number,
  k: number,
): void {
  const chunkRows = Math.max(1, Math.floor(8192 / k));
  const vec = (n: number) => (n + 3) & ~3; // floats in whole vectors
  const elems = vec(chunkRows * k);
  const rowFloats = vec(chunkRows);
  const base = ((ex.scratchBase() + 15) & ~15) >> 2;
  // p, q, dy, out0, out1 (room for elements each), then the kernel's scratch: three element
  // buffers, five row buffers
  const at = { p: base, q: base + elems, dy: base + 2 * elems, out0: base + 2 * elems + rowFloats, out1: base + 3 * elems + rowFloats, scratch: base + 4 * elems + rowFloats };
  const need = 4 * (at.scratch + 3 * elems + 5 * rowFloats);
  if (need > ex.memory.buffer.byteLength) ex.memory.grow(Math.ceil((need - ex.memory.buffer.byteLength) / 65536));
  const outAt = [at.out0, at.out1];
  for (let r0 = 0; r0 < rows; r0 += chunkRows) {
    const m = Math.min(chunkRows, rows - r0);
    let heap = new Float32Array(ex.memory.buffer);
    heap.set(p.subarray(r0 * k, (r0 + m) * k), at.p);
    heap.set(q.subarray(r0 * k, (r0 + m) * k), at.q);
    if (dy !== null) heap.set(dy.subarray(r0, r0 + m), at.dy);
    ex.dirichletKl(form, at.p << 2, at.q << 2, at.dy << 2, at.out0 << 2, at.out1 << 2, m, k, at.scratch << 2);
    heap = new Float32Array(ex.memory.buffer);
    outs.forEach((o, j) => {
      const width = perRow[j] === true ? 1 : k;
      const from = outAt[j] as number;
      o.set(heap.subarray(from, from + m * width), r0 * width);
    });
  }
}

/** Rows [from, to) of a job. */
export function runDirichletKlRows(ex: DirichletKlExports, job: DirichletKlJob, from: number, to: number): void {
  const { k } = job;
  const perRow = DIRICHLET_KL_OUTPUT_PER_ROW[job.form];
  const outs = job.outputs.map((o, j) => (perRow[j] === true ? o.subarray(from, to) : o.subarray(from * k, to * k)));
  const dy = job.dy === null ? null : job.dy.subarray(from, to);
  dirichletKlRows(ex, DIRICHLET_KL_FORMS[job.form], perRow, job.p.subarray(from * k, to * k), job.q.subarray(from * k, to * k), dy, outs, to - from, k);
}
