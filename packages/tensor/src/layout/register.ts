// Side effect: replaces two tfjs-backend-wasm kernels that copy far more than they need to.
//   Tile      (behind `tile` and `broadcastTo`): block copies instead of an index computation
//             per element (tile.ts); also on the cpu backend, whose Tile is per element too.
//   Sum, Mean (wasm) over leading axes (a bias gradient, BatchNorm's batch statistics): rows added
//             in place instead of reducing a materialised transpose (leading-sum.ts; a kernel
//             package may set a faster loop with the same bits, setLeadingSumImpl).
//   Identity  (behind `clone`, and every tensor a gradient tape saves): the wasm kernel copies
//             the data; here the output shares it and the backend's reference count keeps it
//             alive, as tfjs' cpu backend and every wasm Reshape already do. Nothing in tfjs or
//             vitae writes into an existing tensor's memory (kernels write fresh outputs), so
//             the sharing cannot be observed.
// Imported once by the package index, after tfjs has registered its own kernels.
import * as tf from '#tfjs';
import { replaceKernel } from '../kernels/replace-kernel.js';
import { wasmHeap } from '../kernels/array-kernel.js';
import { leadingAxesCount, leadingSumImpl, sumLeadingInto } from './leading-sum.js';
import { tileInto } from './tile.js';

import type { BackendWasm, KernelConfig, KernelFunc, MathBackendCPU, TensorInfo } from '#tfjs';

type NumericArray = Float32Array | Int32Array | Uint8Array;

interface TileArgs {
  inputs: { x: TensorInfo };
  backend: object;
  attrs: { reps: number[] };
}


const outShapeOf = (x: TensorInfo, reps: readonly number[]) => x.shape.map((s, d) => s * (reps[d] as number));

replaceKernel(tf.Tile, 'wasm', (previous) => (args) => {
  const { inputs, backend, attrs } = args as unknown as TileArgs;
  const { x } = inputs;
  if (x.dtype === 'string' || x.dtype === 'complex64' || attrs.reps.length !== x.shape.length) return previous.kernelFunc(args);
  const wasm = backend as BackendWasm;
  const out = wasm.makeOutput(outShapeOf(x, attrs.reps), x.dtype);
  // views after the allocation: makeOutput may grow (and detach) the heap
  tileInto(wasm.typedArrayFromHeap(x) as NumericArray, x.shape, attrs.reps, wasm.typedArrayFromHeap(out) as NumericArray);
  return out;
});

replaceKernel(tf.Tile, 'cpu', (previous) => (args) => {
  const { inputs, backend, attrs } = args as unknown as TileArgs;
  const { x } = inputs;
  if (x.dtype === 'string' || x.dtype === 'complex64' || attrs.reps.length !== x.shape.length) return previous.kernelFunc(args);
  const cpu = backend as MathBackendCPU;
  const shape = outShapeOf(x, attrs.reps);
  const values = cpu.data.get(x.dataId).values as NumericArray;
  const out = new (values.constructor as new (n: number) => NumericArray)(shape.reduce((a, b) => a * b, 1));
  tileInto(values, x.shape, attrs.reps, out);
  return cpu.makeTensorInfo(shape, x.dtype, out);
});

replaceKernel(tf.Identity, 'wasm', (previous) => (args) => {
  const { x } = args.inputs as { x: TensorInfo };
  if (x.dtype === 'string') return previous.kernelFunc(args);
  (args.backend as BackendWasm).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
});

interface ReduceArgs {
  inputs: { x: TensorInfo };
  backend: object;
  attrs: { axis: number | number[]; keepDims: boolean };
}

/** Sum (or Mean) of float32 x over its leading axes on the wasm backend; tfjs' kernel otherwise. */
const leadingReduction = (mean: boolean) => (previous: KernelConfig) => (args: Parameters<KernelFunc>[0]) => {
  const { inputs, backend, attrs } = args as unknown as ReduceArgs;
  const { x } = inputs;
  const r = x.dtype === 'float32' ? leadingAxesCount(tf.util.parseAxisParam(attrs.axis, x.shape), x.shape.length) : 0;
  if (r === 0) return previous.kernelFunc(args);
  const rows = x.shape.slice(0, r).reduce((a, b) => a * b, 1);
  const kept = x.shape.slice(r);
  const wasm = backend as BackendWasm;
  const out = wasm.makeOutput(attrs.keepDims ? [...x.shape.slice(0, r).map(() => 1), ...kept] : kept, 'float32');
  const values = wasm.typedArrayFromHeap(out) as Float32Array;
  const input = wasm.typedArrayFromHeap(x) as Float32Array;
  const impl = leadingSumImpl();
  const heap = impl === null ? undefined : wasmHeap(wasm);
  if (impl !== null && heap !== undefined) impl.run({ x: input, rows, cols: values.length, out: values, heap });
  else sumLeadingInto(input, rows, values.length, values);
  // tfjs' Mean divides each sum by the count (0 / 0 = NaN for an empty reduction, as there)
  if (mean) for (let j = 0; j < values.length; j++) values[j] = (values[j] as number) / rows;
  return out;
};
replaceKernel(tf.Sum, 'wasm', leadingReduction(false));
replaceKernel(tf.Mean, 'wasm', leadingReduction(true));
