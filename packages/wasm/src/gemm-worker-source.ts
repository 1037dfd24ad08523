// The source of a GEMM worker thread (gemm-threads.ts), as a string so that the package needs no
// separate worker file to resolve or serve: Node runs it with `new Worker(source, { eval: true })`
// (a CommonJS script), browsers from a Blob URL. It takes one message { module, memory, control }:
// gemm-shared.wasm compiled, the shared WebAssembly.Memory it runs in, and an Int32Array over a
// SharedArrayBuffer through which jobs arrive:
//   control[0]  job number, raised by the main thread for each job (−1: stop)
//   control[1]  the number of the last job done, set by the worker
//   control[2..14]  gemm's thirteen arguments (rowBegin, rowEnd, n, k, a, aRow, aCol, b, bRow,
//                   bCol, c, cRow, scratch)
// The worker sleeps in Atomics.wait between jobs.
export const GEMM_WORKER_SOURCE = `
'use strict';
function start(init) {
  const { module, memory, control } = init;
  const { gemm } = new WebAssembly.Instance(module, { env: { memory } }).exports;
  let seen = 0;
  for (;;) {
    Atomics.wait(control, 0, seen);
    const job = Atomics.load(control, 0);
    if (job < 0) return;
    if (job === seen) continue;
    seen = job;
    gemm(control[2], control[3], control[4], control[5], control[6], control[7], control[8], control[9], control[10], control[11], control[12], control[13], control[14]);
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
