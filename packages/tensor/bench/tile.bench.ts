// `pnpm bench` for @vitae/tensor: broadcastTo / tile forward, @vitae/tensor's replacement Tile
// kernel (src/layout/tile.ts: block copies, loops for short runs) against tfjs' own Tile kernel
// (withTfjsKernels), round-robin in one process (medians), on both backends. Shapes: a per-gene
// parameter over scVI's minibatch, a per-row value over genes, veloVI's per-row value over the
// four states ([..., 1] -> [..., 4]), a whole matrix repeated.
import { compare, printTable } from '@vitae/bench-harness';
import * as vt from '../src/index.js';
import { withTfjsKernels } from '../src/kernels/index.js';

const CASES: Array<[number[], number[]]> = [
  [[1, 2000], [128, 2000]],
  [[256, 1], [256, 775]],
  [[256, 775, 1], [256, 775, 4]],
  [[128, 2000], [4, 128, 2000]],
];

const rows: Array<Record<string, string | number>> = [];
for (const backend of ['wasm', 'cpu'] as const) {
  await vt.setBackend(backend);
  for (const [from, to] of CASES) {
    const x = vt.randomUniform(from, { seed: 1 });
    const run = () => vt.dispose(vt.broadcastTo(x, to));
    const ms = compare({ tfjs: () => withTfjsKernels(run), ours: run }, { warmup: 2, rounds: 9 });
    rows.push({ backend, broadcast: `[${from.join(', ')}] -> [${to.join(', ')}]`, 'tfjs Tile ms': (ms.tfjs * 1e3).toFixed(3), 'vitae ms': (ms.ours * 1e3).toFixed(3), speedup: `${(ms.tfjs / ms.ours).toFixed(1)}x` });
    x.dispose();
  }
}
printTable(rows);
