import { describe, expect, it } from 'vitest';
import * as vt from '../index.js';
import { defineArrayKernel, listArrayKernels, runArrayKernel, setArrayKernelImpl } from './index.js';

import type { ArrayKernelImpl } from './index.js';

// A two-output kernel standing in for the fused kernels later issues add: y = a·x + b and its
// elementwise square, both from one pass.
const name = `TestAxpy_${process.env.VITAE_BACKEND}`;
const axpy: ArrayKernelImpl<{ a: number }> = ({ inputs, outputs, attrs }) => {
  const [x, b] = inputs as [Float32Array, Float32Array];
  const [y, y2] = outputs as [Float32Array, Float32Array];
  for (let i = 0; i < x.length; i++) {
    const v = attrs.a * (x[i] as number) + (b[i] as number);
    y[i] = v;
    y2[i] = v * v;
  }
};

describe('array kernels: the interface @vitae/wasm and later fused kernels plug into', () => {
  defineArrayKernel<{ a: number }>(
    { kernelName: name, inputNames: ['x', 'b'], outputs: (shapes) => [0, 1].map(() => ({ shape: [...(shapes[0] as number[])], dtype: 'float32' as const })) },
    axpy,
  );

  it('runs on the active backend with several inputs, outputs and attributes', () => {
    const [y, y2] = runArrayKernel(name, { x: vt.tensor([1, 2, 3]), b: vt.tensor([1, 1, 1]) }, { a: 2 }) as vt.Tensor[];
    expect(Array.from(y!.dataSync())).toEqual([3, 5, 7]);
    expect(Array.from(y2!.dataSync())).toEqual([9, 25, 49]);
    vt.dispose([y!, y2!]);
  });

  it('swaps implementations and restores the previous one', () => {
    const restore = setArrayKernelImpl<{ a: number }>(name, ({ outputs }) => outputs.forEach((o) => o.fill(-1)), 'test');
    expect(listArrayKernels().find((k) => k.kernelName === name)?.provider).toBe('test');
    const [y] = runArrayKernel(name, { x: vt.tensor([1]), b: vt.tensor([1]) }, { a: 2 }) as vt.Tensor[];
    expect(y!.dataSync()[0]).toBe(-1);
    restore();
    const [z] = runArrayKernel(name, { x: vt.tensor([1]), b: vt.tensor([1]) }, { a: 2 }) as vt.Tensor[];
    expect(z!.dataSync()[0]).toBe(3);
    expect(listArrayKernels().find((k) => k.kernelName === name)?.provider).toBe('js');
  });

  it("hands the implementation tfjs' WebAssembly.Memory on the wasm backend (its arrays are views of it), none on cpu", () => {
    let heap: WebAssembly.Memory | undefined;
    let views = false;
    const restore = setArrayKernelImpl<{ a: number }>(
      name,
      (call) => {
        heap = call.heap;
        views = [...call.inputs, ...call.outputs].every((a) => a.buffer === call.heap?.buffer);
        axpy(call);
      },
      'test',
    );
    const [y, y2] = runArrayKernel(name, { x: vt.tensor([1, 2]), b: vt.tensor([1, 1]) }, { a: 2 }) as vt.Tensor[];
    restore();
    expect(Array.from(y!.dataSync())).toEqual([3, 5]);
    if (vt.getBackend() === 'wasm') {
      expect(heap).toBeInstanceOf(WebAssembly.Memory);
      expect(views).toBe(true);
    } else {
      expect(heap).toBeUndefined();
    }
    vt.dispose([y!, y2!]);
  });

  it('gives clear errors for duplicates, unknown kernels and unsupported dtypes', () => {
    expect(() => defineArrayKernel({ kernelName: name, inputNames: ['x'], outputs: () => [] }, axpy as never)).toThrow(/already defined/);
    expect(() => defineArrayKernel({ kernelName: 'Add', inputNames: ['x'], outputs: () => [] }, axpy as never)).toThrow(/tfjs already has a kernel named 'Add'/);
    expect(() => setArrayKernelImpl('NoSuchKernel', axpy as never, 'x')).toThrow(/no kernel named 'NoSuchKernel'/);
    expect(() => runArrayKernel(name, { x: vt.tensor([true], undefined, 'bool'), b: vt.tensor([1]) }, { a: 1 })).toThrow(/input 'x' must have dtype float32 or int32, got bool/);
  });
});
