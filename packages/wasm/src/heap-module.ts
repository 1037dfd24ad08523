// A compiled kernel module that imports its memory (env.memory) and has no data segments (the
// build checks both: scripts/embed-wasm.mjs), so one compiled module gives two kinds of instance:
//  - one per tfjs-backend-wasm heap: on the wasm backend an array kernel's inputs and outputs are
//    views of that heap (`heap` in @vitae/tensor's ArrayKernelCall), and the kernel runs on them
//    where they are, with no copy;
//  - one over a memory of its own, into which arrays from anywhere else (the cpu backend, plain
//    typed arrays) are copied.
// Used by the Adam update (adam-module.ts) and the sparse products (sparse-module.ts).
import { decodeBase64 } from './base64.js';

const PAGE = 65536;

export class HeapModule<Exports extends object> {
  /** Instances over tfjs heaps; null where the heap cannot be imported (then arrays are copied). */
  private readonly heaps = new WeakMap<WebAssembly.Memory, Exports | null>();
  private readonly memory = new WebAssembly.Memory({ initial: 0 });
  /** The instance over the module's own memory (see `reserve`). */
  readonly own: Exports;

  private constructor(
    /** The compiled module (worker threads instantiate it over memories of their own). */
    readonly module: WebAssembly.Module,
  ) {
    this.own = instantiate<Exports>(module, this.memory);
  }

  /** Compiles an embedded module (async, as browsers require for compiling). */
  static async load<E extends object>(base64: string): Promise<HeapModule<E>> {
    return new HeapModule<E>(await WebAssembly.compile(decodeBase64(base64)));
  }

  /**
   * The instance over `heap` when every array is a view of it (the wasm backend), else null
   * (copy through `own`). A heap that cannot be imported, e.g. a shared memory from tfjs'
   * threaded build, gives null too.
   */
  inPlace(heap: WebAssembly.Memory | undefined, arrays: readonly ArrayBufferView[]): Exports | null {
    if (heap === undefined || !arrays.every((a) => a.buffer === heap.buffer)) return null;
    let kernel = this.heaps.get(heap);
    if (kernel === undefined) {
      try {
        kernel = instantiate<Exports>(this.module, heap);
      } catch {
        kernel = null;
      }
      this.heaps.set(heap, kernel);
    }
    return kernel;
  }

  /** Grows the own memory to at least `bytes` and returns its buffer (valid until the next growth). */
  reserve(bytes: number): ArrayBuffer {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    return this.memory.buffer;
  }
}

function instantiate<E extends object>(module: WebAssembly.Module, memory: WebAssembly.Memory): E {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as E;
}
