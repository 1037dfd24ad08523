// The source of an elementwise-kernel worker thread (elementwise-threads.ts; started by threads.ts,
// which says how). It takes one message { module, names, memory, control }: kernels.wasm compiled
// (instantiated here with a memory of its own, since its tables are data segments), the names of
// the kernels a job may ask for, the shared memory the job's arrays are staged in, and its control
// block. A job's arguments (control[2…]):
//   control[2]  arity: 1 (out = f(a), called f(a, out, n)) or 2 (out = f(a, b), f(a, b, out, n))
//   control[3]  the kernel's index in `names`
//   control[4]  n, the elements
//   control[5], control[6], control[7]  byte offsets of a, b and out in the shared memory
// The arrays go through the module's memory in chunks of 16,384 elements, as KernelModule does.
export const ELEMENTWISE_WORKER_SOURCE = `
'use strict';
const CHUNK = 16384;
function start(init) {
  const { module, names, memory, control } = init;
  const kernels = new WebAssembly.Instance(module, {}).exports;
  const base = (kernels.scratchBase() + 15) & ~15;
  const bytes = CHUNK * 4;
  const need = base + 2 * bytes;
  const have = kernels.memory.buffer.byteLength;
  if (need > have) kernels.memory.grow(Math.ceil((need - have) / 65536));
  const pa = base;
  const pb = base + bytes;
  let seen = 0;
  for (;;) {
    Atomics.wait(control, 0, seen);
    const job = Atomics.load(control, 0);
    if (job < 0) return;
    if (job === seen) continue;
    seen = job;
    const arity = control[2];
    const f = kernels[names[control[3]]];
    const n = control[4];
    const a = control[5] >> 2;
    const b = control[6] >> 2;
    const out = control[7] >> 2;
    const shared = new Float32Array(memory.buffer);
    const heap = new Float32Array(kernels.memory.buffer);
    for (let s = 0; s < n; s += CHUNK) {
      const m = Math.min(CHUNK, n - s);
      heap.set(shared.subarray(a + s, a + s + m), pa >> 2);
      if (arity === 1) {
        f(pa, pa, m);
      } else {
        heap.set(shared.subarray(b + s, b + s + m), pb >> 2);
        f(pa, pb, pa, m);
      }
      shared.set(heap.subarray(pa >> 2, (pa >> 2) + m), out + s);
    }
    Atomics.store(control, 1, job);
    Atomics.notify(control, 1);
  }
}
if (typeof require === 'function') {
  require('node:worker_threads').parentPort.once('message', start);
} else {
  self.onmessage = (event) => start(event.data);
}
`;
