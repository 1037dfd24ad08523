// The source of a kernel worker thread, as a string so that the package needs no separate worker
// file to resolve or serve: Node runs it with `new Worker(source, { eval: true })` (a CommonJS
// script), browsers from a Blob URL (threads.ts). The worker takes one message, `init` (with its
// `control` block, see threads.ts), calls `prepare(init)` once, reports itself ready in
// control[READY], then sleeps in Atomics.wait until
// the job number in control[0] changes, runs the job with the function `prepare` returned, and
// reports it done in control[1]; −1 stops it.
//
// `prepare`: the source of a function (init) => (control) => void, which sets up the worker's
// modules and returns the job runner (reading the job's arguments from control[2…]).
/** The control block's slot in which a started worker reports itself ready (threads.ts waits on it). */
export const READY = 31;

export function workerSource(prepare: string): string {
  return `
'use strict';
const prepare = ${prepare.trim()};
function start(init) {
  const run = prepare(init);
  const control = init.control;
  // ready: the calling thread waits for this before it hands out jobs
  Atomics.store(control, ${READY}, 1);
  Atomics.notify(control, ${READY});
  let seen = 0;
  for (;;) {
    Atomics.wait(control, 0, seen);
    const job = Atomics.load(control, 0);
    if (job < 0) return;
    if (job === seen) continue;
    seen = job;
    run(control);
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
}
