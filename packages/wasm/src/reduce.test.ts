// The SIMD sum over the leading axis (assembly/reduce.ts) against @vitae/tensor's JavaScript
// loop (sumLeadingInto), to the bit: on typed arrays (copying through the module's memory), in
// place on a memory's views as on tfjs' heap, and as `sum` / `mean` over leading axes on the
// active backend (in place on wasm; the cpu backend keeps tfjs' own reduction).
import * as t from '@vitae/tensor';
import { leadingSumProvider, sumLeadingInto } from '@vitae/tensor/kernels';
import { beforeAll, describe, expect, it } from 'vitest';
import { installWasmKernels } from './index.js';
import { ReduceModule } from './reduce-module.js';

let reduce: ReduceModule;
beforeAll(async () => {
  await installWasmKernels();
  reduce = await ReduceModule.load();
});

/** rows × cols values over many magnitudes and both signs (sums that round), ±0 included. */
function matrix(rows: number, cols: number, seed: number): Float32Array {
  const prng = new t.Prng(seed);
  const x = Float32Array.from({ length: rows * cols }, () => (prng.nextDouble() - 0.5) * 10 ** (6 * prng.nextDouble() - 3));
  if (x.length > 2) [x[0], x[1]] = [-0, 0];
  return x;
}

const bits = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

function reference(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(cols);
  sumLeadingInto(x, rows, cols, out);
  return out;
}

describe('ReduceModule.sumLeading', () => {
  // column counts across the 16-wide blocks, the 4-wide ones and the single tail
  const shapes: Array<[number, number]> = [[256, 256], [128, 2005], [7, 37], [1, 19], [300, 3], [5, 16], [0, 9], [4, 0]];
  for (const [rows, cols] of shapes) {
    it(`gives the JavaScript loop's bits for [${rows}, ${cols}]`, () => {
      const x = matrix(rows, cols, rows * 1000 + cols);
      const out = new Float32Array(cols).fill(Number.NaN);
      reduce.sumLeading(x, rows, cols, out);
      expect(bits(out)).toEqual(bits(reference(x, rows, cols)));
    });
  }

  it('keeps a column of -0 as the loop does (0 + -0 = +0)', () => {
    const out = new Float32Array(4);
    reduce.sumLeading(new Float32Array([-0, -0, -0, -0, -0, -0, -0, -0]), 2, 4, out);
    expect(bits(out)).toEqual(bits(reference(new Float32Array(8).fill(-0), 2, 4)));
  });

  it("in place on a memory's views at 4-byte offsets, as on tfjs' heap, writing nothing outside the output", () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const [rows, cols] = [9, 23];
    const x = new Float32Array(memory.buffer, 4, rows * cols);
    x.set(matrix(rows, cols, 5));
    const out = new Float32Array(memory.buffer, 4 + 4 * (rows * cols + 1), cols);
    const guard = new Float32Array(memory.buffer, out.byteOffset + 4 * cols, 8).fill(7);
    reduce.sumLeading(x, rows, cols, out, memory);
    expect(bits(out)).toEqual(bits(reference(x, rows, cols)));
    expect(Array.from(guard)).toEqual(new Array(8).fill(7));
  });

  it('names the argument it rejects', () => {
    expect(() => reduce.sumLeading(new Float32Array(6), 2, 4, new Float32Array(4))).toThrow(/ReduceModule.sumLeading: argument 'x' must have rows · cols = 8 elements, got 6/);
    expect(() => reduce.sumLeading(new Float32Array(8), 2, 4, new Float32Array(3))).toThrow(/argument 'out' must have cols = 4 elements, got 3/);
    expect(() => reduce.sumLeading(new Float32Array(0), -1, 4, new Float32Array(4))).toThrow(/argument 'rows' must be an integer >= 0, got -1/);
    expect(() => reduce.sumLeading(new Float32Array(0), 2, 1.5, new Float32Array(0))).toThrow(/argument 'cols' must be an integer >= 0, got 1.5/);
  });
});

describe(`sum / mean over leading axes (${t.getBackend()} backend)`, () => {
  it('give the JavaScript loop\'s bits ([4, 6, 37] over axes 0 and 1, keepDims too), no tensors left', () => {
    if (t.getBackend() === 'wasm') expect(leadingSumProvider()).toBe('wasm-simd');
    const values = matrix(4 * 6, 37, 9);
    const want = reference(values, 24, 37);
    const before = t.memory().numTensors;
    t.tidy(() => {
      const x = t.tensor3d(values, [4, 6, 37]);
      const sum = t.sum(x, [0, 1]);
      const kept = t.sum(x, [1, 0], true);
      const mean = t.mean(x, [0, 1]);
      expect(kept.shape).toEqual([1, 1, 37]);
      if (t.getBackend() === 'wasm') {
        // in place through the SIMD loop: the JavaScript loop's sums, to the bit
        expect(bits(sum.dataSync() as Float32Array)).toEqual(bits(want));
        expect(bits(kept.dataSync() as Float32Array)).toEqual(bits(want));
        expect(bits(mean.dataSync() as Float32Array)).toEqual(bits(want.map((v) => v / 24)));
      } else {
        // tfjs' cpu reduction adds in its own order: close, not the same bits
        Array.from(sum.dataSync()).forEach((v, j) => expect(v).toBeCloseTo(want[j] as number, 2));
      }
    });
    expect(t.memory().numTensors).toBe(before);
  });
});
