// Child process of read.bench.ts: reads a 10x directory once (or, with --baseline, only loads the
// modules) and prints its peak resident memory, so the parent sees the memory of one read in a
// fresh process rather than of a heap warmed by earlier repeats.
import { readFileSync } from 'node:fs';

import { read10xMtx } from '../src/index.js';

/**
 * Peak resident set in MB. Linux: VmHWM, which starts afresh at exec; getrusage's maxRSS does
 * not (it survives exec, so a child forked from a large parent reports the parent's size).
 */
function peakRssMB(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // Not Linux: fall through.
  }
  return process.resourceUsage().maxRSS / 1024;
}

const [dir, mode] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: read-once.ts <10x dir> [--baseline]');
const t0 = performance.now();
let shape: [number, number] = [0, 0];
if (mode !== '--baseline') shape = (await read10xMtx(dir)).shape;
const seconds = (performance.now() - t0) / 1000;
console.log(JSON.stringify({ maxRssMB: peakRssMB(), seconds, shape }));
