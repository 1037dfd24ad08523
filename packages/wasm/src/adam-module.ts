// The fused Adam / AdamW update (assembly/adam.ts) over Float32Arrays, a HeapModule
// (heap-module.ts): in place on tfjs-backend-wasm's heap; arrays from anywhere else (the cpu
// backend, plain typed arrays) are copied through the module's own memory in chunks of 16,384
// floats.
// Measured on scVI's parameters (~0.78M floats, wasm backend, bench/adam.bench.ts): in place
// 1.7–2.4 ms per optimizer step, copying 2.9–3.7 ms, the composed ops 14–18 ms.
import { adamScalars } from '@vitae/tensor/kernels';
import { ADAM_WASM_BASE64 } from './generated/adam-wasm.js';
import { HeapModule } from './heap-module.js';

import type { AdamUpdateAttrs } from '@vitae/tensor/kernels';

/** The scalars adam.wasm exports as f32 globals, named as in AdamScalars. */
const SCALARS = ['beta1', 'oneMinusBeta1', 'beta2', 'oneMinusBeta2', 'weightDecay', 'shrinkFactor', 'biasCorrection2Sqrt', 'eps', 'stepSize'] as const;

/** The exports of adam.wasm: pointers are byte offsets into its (imported) memory. */
type AdamExports = Record<(typeof SCALARS)[number], WebAssembly.Global> & {
  adamStep(flags: number, n: number, p: number, g: number, m: number, v: number, vmax: number, pOut: number, mOut: number, vOut: number, vmaxOut: number): void;
};

// adamStep's flags (assembly/adam.ts)
const L2 = 1;
const SHRINK = 2;
const AMSGRAD = 4;

const CHUNK = 16384;

export class AdamModule {
  private constructor(private readonly wasm: HeapModule<AdamExports>) {}

  /** Compiles the embedded module (async, as browsers require for compiling). */
  static async load(): Promise<AdamModule> {
    return new AdamModule(await HeapModule.load<AdamExports>(ADAM_WASM_BASE64));
  }

  /**
   * One update (@vitae/tensor's adamUpdate, the same float32 bits as its composed ops):
   * inputs [param, grad, expAvg, expAvgSq] (, maxExpAvgSq with amsgrad), outputs [param',
   * expAvg', expAvgSq'] (, maxExpAvgSq'), all of one length. Outputs may be the input arrays.
   * `heap`: a WebAssembly.Memory the arrays may be views of (tfjs-backend-wasm's).
   */
  update(inputs: readonly Float32Array[], outputs: readonly Float32Array[], attrs: AdamUpdateAttrs, heap?: WebAssembly.Memory): void {
    const amsgrad = inputs.length === 5;
    if ((inputs.length !== 4 && !amsgrad) || outputs.length !== inputs.length - 1) {
      throw new RangeError(`AdamModule.update: expected 4 inputs and 3 outputs (amsgrad: 5 and 4), got ${inputs.length} and ${outputs.length}`);
    }
    const n = (inputs[0] as Float32Array).length;
    for (const a of [...inputs, ...outputs]) if (a.length !== n) throw new RangeError(`AdamModule.update: every array needs length ${n}, got ${a.length}`);
    const s = adamScalars(attrs);
    const flags = (s.l2 ? L2 : 0) | (s.shrink ? SHRINK : 0) | (amsgrad ? AMSGRAD : 0);
    const direct = this.wasm.inPlace(heap, [...inputs, ...outputs]);
    const kernel = direct ?? this.wasm.own;
    for (const name of SCALARS) kernel[name].value = s[name]; // rounded to f32 as tfjs rounds a scalar tensor
    if (direct !== null) {
      const [p, g, m, v, vmax] = inputs.map((a) => a.byteOffset);
      const [pOut, mOut, vOut, vmaxOut] = outputs.map((a) => a.byteOffset);
      direct.adamStep(flags, n, p as number, g as number, m as number, v as number, vmax ?? 0, pOut as number, mOut as number, vOut as number, vmaxOut ?? 0);
      return;
    }
    this.copying(flags, inputs, outputs);
  }

  /** Through our own memory: input j in buffer j; outputs in place of param, expAvg, expAvgSq (, maxExpAvgSq). */
  private copying(flags: number, inputs: readonly Float32Array[], outputs: readonly Float32Array[]): void {
    const n = (inputs[0] as Float32Array).length;
    const heap = new Float32Array(this.wasm.reserve(inputs.length * CHUNK * 4));
    const ptr = (j: number) => j * CHUNK * 4;
    const outBuffer = [0, 2, 3, 4]; // where each output is written: param, expAvg, expAvgSq, maxExpAvgSq
    for (let start = 0; start < n; start += CHUNK) {
      const c = Math.min(CHUNK, n - start);
      inputs.forEach((a, j) => heap.set(a.subarray(start, start + c), j * CHUNK));
      this.wasm.own.adamStep(flags, c, ptr(0), ptr(1), ptr(2), ptr(3), ptr(4), ptr(0), ptr(2), ptr(3), ptr(4));
      outputs.forEach((o, j) => {
        const at = (outBuffer[j] as number) * CHUNK;
        o.set(heap.subarray(at, at + c), start);
      });
    }
  }
}
