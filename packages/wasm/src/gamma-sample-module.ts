// Gamma(alpha, 1) draws along @vitae/tensor's Prng substreams (assembly/gamma-sample.ts), the
// implementation of @vitae/tensor's StandardGammaSample kernel behind randomGamma: the same
// float32 draws as its JavaScript loop, bit for bit. A HeapModule (heap-module.ts): on the wasm
// backend it reads alpha and writes the draws in place in tfjs' heap; other arrays go through
// the module's own memory one substream (GAMMA_STREAM_CHUNK elements) at a time. Draws of at least
// PARALLEL_MIN_ELEMENTS run on all threads (gamma-threads.ts), with the same result.
import { GAMMA_STREAM_CHUNK, gammaStreamStates } from '@vitae/tensor/kernels';
import { GammaThreadPool } from './gamma-threads.js';
import { GAMMA_SAMPLE_WASM_BASE64 } from './generated/gamma-sample-wasm.js';
import { HeapModule } from './heap-module.js';
import { PARALLEL_MIN_ELEMENTS } from './kernel-module.js';
import { threadCount } from './threads.js';

/** The exports of gamma-sample.wasm: pointers are byte offsets into its (imported) memory. */
interface GammaSampleExports {
  gammaSeed(w0: number, w1: number, w2: number, w3: number): void;
  gammaDraws(n: number, alphas: number, out: number): void;
  log64(x: number): number;
  exp64(x: number): number;
}

export class GammaSampleModule {
  private pool: GammaThreadPool | null = null;

  private constructor(private readonly wasm: HeapModule<GammaSampleExports>) {}

  /** Compiles the embedded module (async, as browsers require for compiling) and starts `threads` − 1 workers (default: see `setThreads`). */
  static async load(threads?: number): Promise<GammaSampleModule> {
    const module = new GammaSampleModule(await HeapModule.load<GammaSampleExports>(GAMMA_SAMPLE_WASM_BASE64));
    await module.setThreads(threads);
    return module;
  }

  /**
   * The threads draws of at least PARALLEL_MIN_ELEMENTS run on, the calling one included (1: all
   * on the calling thread). Default: VITAE_THREADS in Node if set, else the cores available (at
   * most 4); without workers with shared memory everything runs on the calling thread. The draws
   * do not depend on it.
   */
  async setThreads(threads?: number): Promise<void> {
    const count = await threadCount('GammaSampleModule.setThreads', threads);
    this.pool?.close();
    this.pool = null;
    this.pool = await GammaThreadPool.start(count, this.wasm.module);
  }

  /** The threads a large draw runs on now (1 without workers). */
  get threads(): number {
    return this.pool?.threads ?? 1;
  }

  /**
   * out[i] = a Gamma(alphas[i], 1) draw, element i along substream ⌊i / GAMMA_STREAM_CHUNK⌋ of the
   * stream at `state` (the four int32 words of Prng.state()). Every alpha must be finite and > 0
   * (randomGamma checks; unchecked here). `heap`: a WebAssembly.Memory the arrays may be views of
   * (tfjs-backend-wasm's).
   */
  draws(state: readonly number[], alphas: Float32Array, out: Float32Array, heap?: WebAssembly.Memory): void {
    if (state.length !== 4 || !state.every((w) => Number.isInteger(w))) {
      throw new RangeError(`GammaSampleModule.draws: argument 'state' must be four integer words (Prng.state()), got [${state.join(', ')}]`);
    }
    if (out.length !== alphas.length) throw new RangeError(`GammaSampleModule.draws: argument 'out' must have the length of 'alphas' (${alphas.length}), got ${out.length}`);
    const states = gammaStreamStates(state, alphas.length);
    const direct = this.wasm.inPlace(heap, [alphas, out]);
    const own = direct === null ? this.copying(states, alphas, out) : this.inPlace(direct, states, alphas, out);
    if (this.pool !== null && alphas.length >= PARALLEL_MIN_ELEMENTS && this.pool.run(states, alphas, out, own)) return;
    own(0, alphas.length);
  }

  /** The module's log (fdlibm's, V8's Math.log bits), exported for the tests. */
  log(x: number): number {
    return this.wasm.own.log64(x);
  }

  /** The module's exp (fdlibm's, V8's Math.exp bits), exported for the tests. */
  exp(x: number): number {
    return this.wasm.own.exp64(x);
  }

  /** Draws elements [from, to) (whole substreams) where the arrays are, in `kernel`'s memory. */
  private inPlace(kernel: GammaSampleExports, states: Int32Array, alphas: Float32Array, out: Float32Array) {
    return (from: number, to: number): void => {
      for (let start = from; start < to; start += GAMMA_STREAM_CHUNK) {
        const c = start / GAMMA_STREAM_CHUNK;
        kernel.gammaSeed(states[4 * c] as number, states[4 * c + 1] as number, states[4 * c + 2] as number, states[4 * c + 3] as number);
        kernel.gammaDraws(Math.min(GAMMA_STREAM_CHUNK, to - start), alphas.byteOffset + 4 * start, out.byteOffset + 4 * start);
      }
    };
  }

  /** Draws elements [from, to) through the own memory, a substream at a time. */
  private copying(states: Int32Array, alphas: Float32Array, out: Float32Array) {
    return (from: number, to: number): void => {
      const memory = new Float32Array(this.wasm.reserve(2 * GAMMA_STREAM_CHUNK * 4));
      const own = this.wasm.own;
      for (let start = from; start < to; start += GAMMA_STREAM_CHUNK) {
        const c = start / GAMMA_STREAM_CHUNK;
        const m = Math.min(GAMMA_STREAM_CHUNK, to - start);
        own.gammaSeed(states[4 * c] as number, states[4 * c + 1] as number, states[4 * c + 2] as number, states[4 * c + 3] as number);
        memory.set(alphas.subarray(start, start + m), 0);
        own.gammaDraws(m, 0, GAMMA_STREAM_CHUNK * 4);
        out.set(memory.subarray(GAMMA_STREAM_CHUNK, GAMMA_STREAM_CHUNK + m), start);
      }
    };
  }
}
