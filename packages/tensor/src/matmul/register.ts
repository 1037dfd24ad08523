// Side effect: tfjs-backend-wasm's BatchMatMul kernel (behind `matMul`) hands float32 products to
// the dense matrix product set with `setDenseMatMulImpl` (dense-matmul.ts), when one is set, in
// place in tfjs' heap; otherwise, and for what that path does not cover, tfjs' own kernel runs.
// Imported once by the package index, after tfjs has registered its own kernels.
import * as tf from '#tfjs';
import { wasmHeap } from '../kernels/array-kernel.js';
import { replaceKernel } from '../kernels/replace-kernel.js';
import { denseMatMulImpl } from './dense-matmul.js';

import type { BackendWasm, TensorInfo } from '#tfjs';

interface BatchMatMulArgs {
  inputs: { a: TensorInfo; b: TensorInfo };
  backend: object;
  attrs: { transposeA: boolean; transposeB: boolean };
}

const sizeOf = (shape: readonly number[]) => shape.reduce((x, y) => x * y, 1);

replaceKernel(tf.BatchMatMul, 'wasm', (previous) => (args) => {
  const { inputs, backend, attrs } = args as unknown as BatchMatMulArgs;
  const { a, b } = inputs;
  const impl = denseMatMulImpl();
  const wasm = backend as BackendWasm;
  const heap = wasmHeap(wasm);
  if (impl === null || heap === undefined || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) {
    return previous.kernelFunc(args);
  }
  const { transposeA, transposeB } = attrs;
  const [aR, aC] = a.shape.slice(-2) as [number, number];
  const [bR, bC] = b.shape.slice(-2) as [number, number];
  const [m, k] = transposeA ? [aC, aR] : [aR, aC];
  const [kB, n] = transposeB ? [bC, bR] : [bR, bC];
  const batchA = sizeOf(a.shape.slice(0, -2));
  const batchB = sizeOf(b.shape.slice(0, -2));
  // Broadcasting beyond "same batch, or one side a single matrix" (which is what tfjs' kernel
  // covers too) and mismatched inner sizes: tfjs' kernel, for its checks and messages.
  if (k !== kB || (batchA !== batchB && batchA !== 1 && batchB !== 1)) return previous.kernelFunc(args);
  const batchShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = Math.max(batchA, batchB);
  if (sizeOf(batchShape) !== batch) return previous.kernelFunc(args);
  const out = wasm.makeOutput([...batchShape, m, n], 'float32');
  if (m * n * batch === 0) return out;
  const scratch = wasm.makeOutput([Math.ceil(impl.scratchBytes(m, n, k) / 4) + 4], 'float32');
  try {
    // views after every allocation: makeOutput may grow (and detach) the heap
    const aAll = wasm.typedArrayFromHeap(a) as Float32Array;
    const bAll = wasm.typedArrayFromHeap(b) as Float32Array;
    const outAll = wasm.typedArrayFromHeap(out) as Float32Array;
    const scratchAll = wasm.typedArrayFromHeap(scratch) as Float32Array;
    // 16-byte aligned scratch (tfjs' allocator aligns to 8)
    const skip = ((16 - (scratchAll.byteOffset % 16)) % 16) / 4;
    const scratchView = scratchAll.subarray(skip, skip + scratchAll.length - 4);
    // row-major strides; a transposed operand is read with its two strides swapped
    const [aRow, aCol] = transposeA ? [1, aC] : [aC, 1];
    const [bRow, bCol] = transposeB ? [1, bC] : [bC, 1];
    for (let i = 0; i < batch; i++) {
      const ia = batchA === 1 ? 0 : i;
      const ib = batchB === 1 ? 0 : i;
      impl.run({
        m,
        n,
        k,
        a: aAll.subarray(ia * m * k, (ia + 1) * m * k),
        aRow,
        aCol,
        b: bAll.subarray(ib * k * n, (ib + 1) * k * n),
        bRow,
        bCol,
        out: outAll.subarray(i * m * n, (i + 1) * m * n),
        scratch: scratchView,
        heap,
      });
    }
  } finally {
    wasm.disposeData(scratch.dataId);
  }
  return out;
});
