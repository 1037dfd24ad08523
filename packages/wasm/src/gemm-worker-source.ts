// The GEMM worker (gemm-threads.ts; the job loop is worker-source.ts'). Its init message carries
// gemm-shared.wasm compiled (`module`) and the shared memory it runs in (`memory`); a job's
// arguments, control[2..14], are gemm's thirteen (rowBegin, rowEnd, n, k, a, aRow, aCol, b, bRow,
// bCol, c, cRow, scratch: byte offsets in the shared memory, strides in elements).
import { workerSource } from './worker-source.js';

export const GEMM_WORKER_SOURCE = workerSource(`
(init) => {
  const { gemm } = new WebAssembly.Instance(init.module, { env: { memory: init.memory } }).exports;
  return (c) => gemm(c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13], c[14]);
}
`);
