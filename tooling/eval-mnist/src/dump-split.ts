// Writes the eval's training digits for the PyTorch reference (reference/vade_torch.py): the same
// 9,000 images as eval-mnist.ts (loadMnist's order, splitTrainTest seed 2026), as raw
// little-endian arrays: <dir>/mnist-train-x.f32 (binarized at 0.5), mnist-train-grey.f32 (grey
// values), mnist-train-y.i32 (digits).
//
//   npx tsx src/dump-split.ts [dir (default /tmp)]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binarize, loadMnist, splitTrainTest } from './mnist.js';

const dir = process.argv[2] ?? '/tmp';
const { train } = splitTrainTest(loadMnist(), { testFraction: 0.1, seed: 2026 });
writeFileSync(join(dir, 'mnist-train-x.f32'), binarize(train.images));
writeFileSync(join(dir, 'mnist-train-grey.f32'), train.images);
writeFileSync(join(dir, 'mnist-train-y.i32'), train.labels);
console.log(`${train.n} training digits written to ${dir}`);
