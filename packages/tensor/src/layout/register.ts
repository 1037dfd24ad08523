// Side effect: replaces two tfjs-backend-wasm kernels that copy far more than they need to.
//   Tile      (behind `tile` and `broadcastTo`): block copies instead of an index computation
//             per element (tile.ts); also on the cpu backend, whose Tile is per element too.
//   Identity  (behind `clone`, and every tensor a gradient tape saves): the wasm kernel copies
//             the data; here the output shares it and the backend's reference count keeps it
//             alive, as tfjs' cpu backend and every wasm Reshape already do. Nothing in tfjs or
//             vitae writes into an existing tensor's memory (kernels write fresh outputs), so
//             the sharing cannot be observed.
// Imported once by the package index, after tfjs has registered its own kernels.
import * as tf from '#tfjs';
import { tileInto } from './tile.js';

import type { BackendWasm, KernelConfig, KernelFunc, MathBackendCPU, TensorInfo } from '#tfjs';

type NumericArray = Float32Array | Int32Array | Uint8Array;

interface TileArgs {
  inputs: { x: TensorInfo };
  backend: object;
  attrs: { reps: number[] };
}

function replaceKernel(kernelName: string, backendName: string, kernelFunc: (previous: KernelConfig) => KernelFunc): void {
  const previous = tf.getKernel(kernelName, backendName);
  if (previous === undefined) throw new Error(`@vitae/tensor: tfjs has no kernel '${kernelName}' on backend '${backendName}' to replace`);
  tf.unregisterKernel(kernelName, backendName);
  // tfjs-backend-wasm's kernels bind their WASM functions in setupFunc, when the backend starts:
  // kept, so that the previous kernel still works as the fallback
  tf.registerKernel({ kernelName, backendName, setupFunc: previous.setupFunc, disposeFunc: previous.disposeFunc, kernelFunc: kernelFunc(previous) });
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
