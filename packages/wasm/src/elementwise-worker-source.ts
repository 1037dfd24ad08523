// The elementwise-kernel worker (elementwise-threads.ts; the job loop is worker-source.ts'). Its
// init message carries kernels.wasm compiled (`module`: instantiated here with a memory of its
// own, since its tables are data segments), the names of the kernels a job may ask for (`names`)
// and the shared memory the job's arrays are staged in (`memory`). A job's arguments:
//   control[2]  arity: 1 (out = f(a), called f(a, out, n)) or 2 (out = f(a, b), f(a, b, out, n))
//   control[3]  the kernel's index in `names`
//   control[4]  n, the elements
//   control[5], control[6], control[7]  byte offsets of a, b and out in the shared memory
// The arrays go through the module's memory in chunks of 16,384 elements, as KernelModule does.
import { workerSource } from './worker-source.js';

export const ELEMENTWISE_WORKER_SOURCE = workerSource(`
(init) => {
  const CHUNK = 16384;
  const kernels = new WebAssembly.Instance(init.module, {}).exports;
  const base = (kernels.scratchBase() + 15) & ~15;
  const need = base + 2 * CHUNK * 4;
  const have = kernels.memory.buffer.byteLength;
  if (need > have) kernels.memory.grow(Math.ceil((need - have) / 65536));
  const pa = base;
  const pb = base + CHUNK * 4;
  return (control) => {
    const [arity, index, n, a, b, out] = [control[2], control[3], control[4], control[5] >> 2, control[6] >> 2, control[7] >> 2];
    const f = kernels[init.names[index]];
    const shared = new Float32Array(init.memory.buffer);
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
  };
}
`);
