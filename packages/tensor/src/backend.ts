import * as tf from '#tfjs';

/** The backends vitae supports: tfjs' WASM backend with SIMD (default) and the plain-JS cpu backend. */
export type BackendName = 'wasm' | 'cpu';
export const BACKENDS: readonly BackendName[] = ['wasm', 'cpu'];

type ReadyTask = () => Promise<void>;
const readyTasks: ReadyTask[] = [];
const finishedTasks = new WeakSet<ReadyTask>();

/**
 * Registers work to finish before `ready()` / `setBackend()` resolve, once per task (e.g.
 * `@vitae/wasm/register` compiling its kernels). Tasks registered after `ready()` run at the next
 * `ready()` call.
 */
export function onReady(task: ReadyTask): void {
  if (typeof task !== 'function') {
    throw new TypeError(`onReady: argument 'task' must be a function returning a Promise, got ${describe(task)}`);
  }
  readyTasks.push(task);
}

async function runReadyTasks(): Promise<void> {
  for (const task of readyTasks) {
    if (finishedTasks.has(task)) continue;
    await task();
    finishedTasks.add(task);
  }
}

function assertBackendName(fn: string, name: unknown): asserts name is BackendName {
  if (typeof name !== 'string' || !(BACKENDS as readonly string[]).includes(name)) {
    throw new Error(`${fn}: argument 'name' must be one of ${BACKENDS.map((b) => `'${b}'`).join(', ')}, got ${describe(name)}`);
  }
}

/**
 * Switches the active backend and waits until it is initialised. Throws (never falls back
 * silently) when the backend cannot start.
 */
export async function setBackend(name: BackendName): Promise<void> {
  assertBackendName('setBackend', name);
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`setBackend: backend '${name}' failed to initialise (see the error tfjs logged above)`);
  await runReadyTasks();
}

/**
 * Waits for the default backend (wasm with SIMD; cpu if wasm cannot start) and for the tasks
 * registered with `onReady`. Call it once before the first op: ops issued earlier run on cpu.
 */
export async function ready(): Promise<BackendName> {
  await tf.ready();
  await runReadyTasks();
  return getBackend();
}

/** The name of the active backend. */
export function getBackend(): BackendName {
  const name = tf.getBackend();
  assertBackendName('getBackend', name);
  return name;
}

/** A short description of a received value for error messages: its type and, if small, its value. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (value instanceof tf.Tensor) return `a ${value.dtype} Tensor of shape [${value.shape.join(', ')}]`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  if (typeof value === 'function') return 'a function';
  return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
}
