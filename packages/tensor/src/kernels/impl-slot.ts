// One replaceable implementation of a backend routine (the wasm backend's dense matrix product,
// its sums over leading axes): a faster package sets it, the kernels read it, and the setter hands
// back a function that restores the previous one, so a test or a comparison can swap it for a while.

export interface ImplSlot<Impl extends { provider: string }> {
  /** Makes `impl` current (null: the built-in fallback); returns a function that restores the previous one. */
  set(impl: Impl | null): () => void;
  /** The implementation in use, or null for the fallback. */
  get(): Impl | null;
  /** The current implementation's provider, or the fallback's name. */
  provider(): string;
}

/**
 * A slot whose setter, named `setterName` in errors, accepts null or an object with a string
 * `provider` and each of `methods` as functions; `fallback` names what runs when it is empty.
 */
export function implSlot<Impl extends { provider: string }>(setterName: string, methods: readonly string[], fallback: string): ImplSlot<Impl> {
  let current: Impl | null = null;
  const shape = ['provider (string)', ...methods.map((m) => `${m}()`)];
  const described = `${shape.slice(0, -1).join(', ')} and ${shape.at(-1) as string}`;
  return {
    set(impl) {
      const record = impl as unknown as Record<string, unknown> | null;
      if (record !== null && (typeof record !== 'object' || typeof record.provider !== 'string' || methods.some((m) => typeof record[m] !== 'function'))) {
        throw new TypeError(`${setterName}: argument 'impl' must be null or an object with ${described}`);
      }
      const previous = current;
      current = impl;
      return () => {
        current = previous;
      };
    },
    get: () => current,
    provider: () => current?.provider ?? fallback,
  };
}
