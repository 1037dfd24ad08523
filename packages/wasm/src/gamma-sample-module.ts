// Gamma(alpha, 1) draws along a @vitae/tensor Prng stream (assembly/gamma-sample.ts), the
// implementation of @vitae/tensor's StandardGammaSample kernel behind randomGamma: the same
// float32 draws as its JavaScript loop, bit for bit. A HeapModule (heap-module.ts): on the wasm
// backend it reads alpha and writes the draws in place in tfjs' heap; other arrays go through
// the module's own memory in chunks of 16,384 (the stream continues from chunk to chunk).
import { GAMMA_SAMPLE_WASM_BASE64 } from './generated/gamma-sample-wasm.js';
import { HeapModule } from './heap-module.js';

/** The exports of gamma-sample.wasm: pointers are byte offsets into its (imported) memory. */
interface GammaSampleExports {
  gammaSeed(w0: number, w1: number, w2: number, w3: number): void;
  gammaDraws(n: number, alphas: number, out: number): void;
  log64(x: number): number;
  pow64(x: number, y: number): number;
}

const CHUNK = 16384;

export class GammaSampleModule {
  private constructor(private readonly wasm: HeapModule<GammaSampleExports>) {}

  /** Compiles the embedded module (async, as browsers require for compiling). */
  static async load(): Promise<GammaSampleModule> {
    return new GammaSampleModule(await HeapModule.load<GammaSampleExports>(GAMMA_SAMPLE_WASM_BASE64));
  }

  /**
   * out[i] = a Gamma(alphas[i], 1) draw, in order along the stream at `state` (the four int32
   * words of Prng.state()). Every alpha must be finite and > 0 (randomGamma checks; unchecked
   * here). `heap`: a WebAssembly.Memory the arrays may be views of (tfjs-backend-wasm's).
   */
  draws(state: readonly number[], alphas: Float32Array, out: Float32Array, heap?: WebAssembly.Memory): void {
    if (state.length !== 4 || !state.every((w) => Number.isInteger(w))) {
      throw new RangeError(`GammaSampleModule.draws: argument 'state' must be four integer words (Prng.state()), got [${state.join(', ')}]`);
    }
    if (out.length !== alphas.length) throw new RangeError(`GammaSampleModule.draws: argument 'out' must have the length of 'alphas' (${alphas.length}), got ${out.length}`);
    const [w0, w1, w2, w3] = state as [number, number, number, number];
    const direct = this.wasm.inPlace(heap, [alphas, out]);
    if (direct !== null) {
      direct.gammaSeed(w0, w1, w2, w3);
      direct.gammaDraws(alphas.length, alphas.byteOffset, out.byteOffset);
      return;
    }
    const own = this.wasm.own;
    const memory = new Float32Array(this.wasm.reserve(2 * CHUNK * 4));
    own.gammaSeed(w0, w1, w2, w3);
    for (let start = 0; start < alphas.length; start += CHUNK) {
      const c = Math.min(CHUNK, alphas.length - start);
      memory.set(alphas.subarray(start, start + c), 0);
      own.gammaDraws(c, 0, CHUNK * 4);
      out.set(memory.subarray(CHUNK, CHUNK + c), start);
    }
  }

  /** The module's log (fdlibm's, V8's Math.log bits), exported for the tests. */
  log(x: number): number {
    return this.wasm.own.log64(x);
  }

  /** The module's pow for x >= 0 (fdlibm's, V8's Math.pow bits), exported for the tests. */
  pow(x: number, y: number): number {
    return this.wasm.own.pow64(x, y);
  }
}
