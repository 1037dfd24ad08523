// The JS side of assembly/dirichlet-kl.ts (@vitae/tensor's DirichletKl kernels): rows of K
// concentrations through one kernels.wasm instance in chunks. `dirichletKlRows` is
// self-contained: its source also runs in the elementwise workers (elementwise-worker-source.ts).

/** What dirichletKlRows needs of a kernels.wasm instance. */
export interface DirichletKlExports {
  memory: WebAssembly.Memory;
  scratchBase(): number;
  dirichletKl(grad: number, p: number, q: number, dy: number, out0: number, out1: number, rows: number, k: number, scratch: number): void;
}

/** One call: p, q [rows·k], dy [rows] (null: the value), outputs [value] or [∂/∂p, ∂/∂q]. */
export interface DirichletKlJob {
  p: Float32Array;
  q: Float32Array;
  dy: Float32Array | null;
  outputs: readonly Float32Array[];
  rows: number;
  k: number;
}

/** Rows [from, to) of a job through `ex`, into the job's outputs (row-aligned subarrays). */
export function dirichletKlRows(ex: DirichletKlExports, p: Float32Array, q: Float32Array, dy: Float32Array | null, outs: readonly Float32Array[], rows: number, k: number): void {
  const chunkRows = Math.max(1, Math.floor(8192 / k));
  const vec = (n: number) => (n + 3) & ~3; // floats in whole vectors
  const elems = vec(chunkRows * k);
  const rowFloats = vec(chunkRows);
  const base = ((ex.scratchBase() + 15) & ~15) >> 2;
  // p, q, dy, out0, out1, then the kernel's scratch: three element buffers, five row buffers
  const at = { p: base, q: base + elems, dy: base + 2 * elems, out0: base + 2 * elems + rowFloats, out1: base + 3 * elems + rowFloats, scratch: base + 4 * elems + rowFloats };
  const need = 4 * (at.scratch + 3 * elems + 5 * rowFloats);
  if (need > ex.memory.buffer.byteLength) ex.memory.grow(Math.ceil((need - ex.memory.buffer.byteLength) / 65536));
  const grad = dy !== null;
  for (let r0 = 0; r0 < rows; r0 += chunkRows) {
    const m = Math.min(chunkRows, rows - r0);
    let heap = new Float32Array(ex.memory.buffer);
    heap.set(p.subarray(r0 * k, (r0 + m) * k), at.p);
    heap.set(q.subarray(r0 * k, (r0 + m) * k), at.q);
    if (grad) heap.set(dy.subarray(r0, r0 + m), at.dy);
    ex.dirichletKl(grad ? 1 : 0, at.p << 2, at.q << 2, at.dy << 2, at.out0 << 2, at.out1 << 2, m, k, at.scratch << 2);
    heap = new Float32Array(ex.memory.buffer);
    if (!grad) {
      (outs[0] as Float32Array).set(heap.subarray(at.out0, at.out0 + m), r0);
      continue;
    }
    (outs[0] as Float32Array).set(heap.subarray(at.out0, at.out0 + m * k), r0 * k);
    (outs[1] as Float32Array).set(heap.subarray(at.out1, at.out1 + m * k), r0 * k);
  }
}

/** Rows [from, to) of a job. */
export function runDirichletKlRows(ex: DirichletKlExports, job: DirichletKlJob, from: number, to: number): void {
  const { k } = job;
  const grad = job.dy !== null;
  const outs = job.outputs.map((o) => (grad ? o.subarray(from * k, to * k) : o.subarray(from, to)));
  dirichletKlRows(ex, job.p.subarray(from * k, to * k), job.q.subarray(from * k, to * k), job.dy === null ? null : job.dy.subarray(from, to), outs, to - from, k);
}
