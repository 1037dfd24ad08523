// The extension point for compute kernels: a kernel is defined once (name, inputs, output
// shapes) and gets a tfjs kernel on both the wasm and the cpu backend that hands its
// implementation plain typed arrays. Implementations are swappable: @vitae/tensor installs
// portable JS ones, @vitae/wasm replaces them with SIMD ones, and a later fused kernel (a whole
// likelihood and its gradients, a matrix product layout) is just another definition.
import * as tf from '#tfjs';

import type { BackendWasm, KernelFunc, MathBackendCPU, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '#tfjs';

/** What tfjs passes a kernel function (its own type leaves `backend` untyped). */
interface KernelParams {
  inputs: NamedTensorInfoMap;
  backend: object;
  attrs?: NamedAttrMap;
}

export type KernelDType = 'float32' | 'int32';
export type KernelArray = Float32Array | Int32Array;
export type KernelShape = readonly number[];

export interface KernelOutputSpec {
  shape: number[];
  dtype: KernelDType;
}

export interface ArrayKernelDefinition<Attrs extends object = Record<string, never>> {
  /** The tfjs kernel name; unique across tfjs and vitae. */
  kernelName: string;
  /** The kernel's named inputs, in the order the implementation receives their arrays. */
  inputNames: readonly string[];
  /** Shapes and dtypes of the outputs, from the input shapes and the attributes. */
  outputs(inputShapes: readonly KernelShape[], attrs: Attrs): KernelOutputSpec[];
}

/** What an implementation receives: input arrays (read only) and pre-allocated output arrays to fill. */
export interface ArrayKernelCall<Attrs extends object = Record<string, never>> {
  inputs: readonly KernelArray[];
  inputShapes: readonly KernelShape[];
  outputs: readonly KernelArray[];
  outputShapes: readonly KernelShape[];
  attrs: Attrs;
  /**
   * On the wasm backend: tfjs' own WebAssembly.Memory, of which `inputs` and `outputs` are views
   * (at their byteOffset). A kernel module that imports this memory can work on them in place
   * instead of copying. Undefined on the cpu backend.
   */
  heap?: WebAssembly.Memory;
}

export type ArrayKernelImpl<Attrs extends object = Record<string, never>> = (call: ArrayKernelCall<Attrs>) => void;

interface Entry {
  definition: ArrayKernelDefinition<object>;
  impl: ArrayKernelImpl<object>;
  provider: string;
}

const registry = new Map<string, Entry>();

/** The backends every array kernel is registered on. */
export const ARRAY_KERNEL_BACKENDS = ['wasm', 'cpu'] as const;

function inputInfos(entry: Entry, inputs: NamedTensorInfoMap): TensorInfo[] {
  const { kernelName, inputNames } = entry.definition;
  return inputNames.map((name) => {
    const info = inputs[name];
    if (info === undefined) throw new Error(`${kernelName}: missing input '${name}'`);
    if (info.dtype !== 'float32' && info.dtype !== 'int32') {
      throw new TypeError(`${kernelName}: input '${name}' must have dtype float32 or int32, got ${info.dtype}`);
    }
    return info;
  });
}

function sizeOf(shape: KernelShape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** What both backends do first: validate inputs, read their shapes, compute output specs. */
function prepare(entry: Entry, inputs: NamedTensorInfoMap, attrs: NamedAttrMap | undefined) {
  const infos = inputInfos(entry, inputs);
  const inputShapes = infos.map((i) => i.shape);
  const kernelAttrs = (attrs ?? {}) as object;
  const specs = entry.definition.outputs(inputShapes, kernelAttrs);
  return { infos, inputShapes, specs, kernelAttrs, outputShapes: specs.map((s) => s.shape) };
}

/** The WebAssembly.Memory behind tfjs-backend-wasm's heap (its emscripten module's exports). */
export function wasmHeap(wasm: BackendWasm): WebAssembly.Memory | undefined {
  const module = wasm.wasm as unknown as { asm?: { memory?: unknown }; HEAPU8?: Uint8Array };
  const memory = module.asm?.memory;
  return memory instanceof WebAssembly.Memory && memory.buffer === module.HEAPU8?.buffer ? memory : undefined;
}

function wasmKernelFunc(entry: Entry): KernelFunc {
  return ({ inputs, backend, attrs }: KernelParams) => {
    const wasm = backend as BackendWasm;
    const { infos, inputShapes, specs, kernelAttrs, outputShapes } = prepare(entry, inputs, attrs);
    const outs = specs.map((s) => wasm.makeOutput(s.shape, s.dtype));
    // Views into tfjs' WASM heap are taken after every allocation: makeOutput may grow the
    // heap, which detaches earlier views.
    const inArrays = infos.map((i) => wasm.typedArrayFromHeap(i) as KernelArray);
    const outArrays = outs.map((o) => wasm.typedArrayFromHeap(o) as KernelArray);
    entry.impl({ inputs: inArrays, inputShapes, outputs: outArrays, outputShapes, attrs: kernelAttrs, heap: wasmHeap(wasm) });
    return outs.length === 1 ? (outs[0] as TensorInfo) : outs;
  };
}

function cpuKernelFunc(entry: Entry): KernelFunc {
  return ({ inputs, backend, attrs }: KernelParams) => {
    const cpu = backend as MathBackendCPU;
    const { infos, inputShapes, specs, kernelAttrs, outputShapes } = prepare(entry, inputs, attrs);
    const inArrays = infos.map((i) => cpu.data.get(i.dataId).values as KernelArray);
    const outArrays = specs.map((s) => (s.dtype === 'float32' ? new Float32Array(sizeOf(s.shape)) : new Int32Array(sizeOf(s.shape))));
    entry.impl({ inputs: inArrays, inputShapes, outputs: outArrays, outputShapes, attrs: kernelAttrs });
    const outs = specs.map((s, k) => cpu.makeTensorInfo(s.shape, s.dtype, outArrays[k]));
    return outs.length === 1 ? (outs[0] as TensorInfo) : outs;
  };
}

/**
 * Defines a kernel and registers it on the wasm and cpu backends with `impl` as its first
 * implementation. Gradients are registered separately (tfjs `registerGradient`), written in
 * differentiable ops.
 */
export function defineArrayKernel<Attrs extends object>(
  definition: ArrayKernelDefinition<Attrs>,
  impl: ArrayKernelImpl<Attrs>,
  provider = 'js',
): void {
  const { kernelName } = definition;
  if (registry.has(kernelName)) throw new Error(`defineArrayKernel: kernel '${kernelName}' is already defined`);
  for (const backendName of ARRAY_KERNEL_BACKENDS) {
    if (tf.getKernel(kernelName, backendName) !== undefined) {
      throw new Error(`defineArrayKernel: tfjs already has a kernel named '${kernelName}' on backend '${backendName}'`);
    }
  }
  const entry: Entry = { definition: definition as ArrayKernelDefinition<object>, impl: impl as ArrayKernelImpl<object>, provider };
  registry.set(kernelName, entry);
  tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: wasmKernelFunc(entry) });
  tf.registerKernel({ kernelName, backendName: 'cpu', kernelFunc: cpuKernelFunc(entry) });
}

/**
 * Replaces the implementation of a defined kernel (e.g. a SIMD one for the JS default) and
 * returns a function that restores the previous one.
 */
export function setArrayKernelImpl<Attrs extends object>(kernelName: string, impl: ArrayKernelImpl<Attrs>, provider: string): () => void {
  const entry = registry.get(kernelName);
  if (entry === undefined) {
    throw new Error(`setArrayKernelImpl: no kernel named '${kernelName}' is defined (known: ${[...registry.keys()].join(', ') || 'none'})`);
  }
  if (typeof impl !== 'function') throw new TypeError(`setArrayKernelImpl: argument 'impl' must be a function, got ${typeof impl}`);
  const previous = { impl: entry.impl, provider: entry.provider };
  entry.impl = impl as ArrayKernelImpl<object>;
  entry.provider = provider;
  return () => {
    entry.impl = previous.impl;
    entry.provider = previous.provider;
  };
}

/** Who currently implements a defined kernel ('js', 'wasm-simd', ...); undefined if it is not defined. */
export function arrayKernelProvider(kernelName: string): string | undefined {
  return registry.get(kernelName)?.provider;
}

/** The defined array kernels and who currently implements each ('js', 'wasm-simd', ...). */
export function listArrayKernels(): { kernelName: string; provider: string }[] {
  return [...registry.values()].map((e) => ({ kernelName: e.definition.kernelName, provider: e.provider }));
}

/** Runs a defined kernel on tensors through the tfjs engine (so gradients and tidy apply). */
export function runArrayKernel<Attrs extends object>(kernelName: string, inputs: Record<string, tf.Tensor>, attrs?: Attrs): tf.Tensor | tf.Tensor[] {
  if (!registry.has(kernelName)) throw new Error(`runArrayKernel: no kernel named '${kernelName}' is defined`);
  return tf.engine().runKernel(kernelName, inputs as tf.NamedTensorMap, attrs as unknown as NamedAttrMap) as tf.Tensor | tf.Tensor[];
}
