// The gamma-draw worker (gamma-threads.ts; the job loop is worker-source.ts'). Its init message
// carries gamma-sample.wasm compiled (`module`: instantiated here over a memory of its own, since
// the module's memory is not shared), the substream length (`chunk`, @vitae/tensor's
// GAMMA_STREAM_CHUNK) and the shared memory the job's arrays are staged in (`memory`). A job's
// arguments, control[2…] (byte offsets into the shared memory):
//   control[2] n, the job's elements (its substreams are consecutive, each `chunk` long but the
//   last), control[3] the offset of their states (four int32 words each), control[4] of the
//   concentrations (f32), control[5] of the draws (f32)
import { workerSource } from './worker-source.js';

export const GAMMA_WORKER_SOURCE = workerSource(`
(init) => {
  const chunk = init.chunk;
  const memory = new WebAssembly.Memory({ initial: Math.ceil((8 * chunk) / 65536) });
  const gamma = new WebAssembly.Instance(init.module, { env: { memory } }).exports;
  const heap = new Float32Array(memory.buffer);
  return (control) => {
    const n = control[2];
    const states = new Int32Array(init.memory.buffer, control[3]);
    const shared = new Float32Array(init.memory.buffer);
    const [alphas, out] = [control[4] >> 2, control[5] >> 2];
    for (let s = 0, c = 0; s < n; s += chunk, c++) {
      const m = Math.min(chunk, n - s);
      gamma.gammaSeed(states[4 * c], states[4 * c + 1], states[4 * c + 2], states[4 * c + 3]);
      heap.set(shared.subarray(alphas + s, alphas + s + m), 0);
      gamma.gammaDraws(m, 0, 4 * chunk);
      shared.set(heap.subarray(chunk, chunk + m), out + s);
    }
  };
}
`);
