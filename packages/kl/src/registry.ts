// The KL registry: closed forms keyed by a pair of distribution classes, dispatched on the most
// specific registered pair along both prototype chains (PyTorch's register_kl; TFP's RegisterKL
// for the duplicate check). Lookups are memoised per class pair; registering clears the memo.
import { Distribution } from '@vitae/distributions';
import * as t from '@vitae/tensor';

import type { Tensor } from '@vitae/tensor';

/** A distribution class (abstract classes such as Distribution itself included). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type DistributionClass<D extends Distribution = Distribution> = abstract new (...args: any[]) => D;

/** Computes KL(p || q), shape broadcast(p.batchShape, q.batchShape). */
export type KLFunction<P extends Distribution = Distribution, Q extends Distribution = Distribution> = (p: P, q: Q) => Tensor;

interface Entry {
  p: DistributionClass;
  q: DistributionClass;
  fn: KLFunction;
}

const registry = new Map<DistributionClass, Map<DistributionClass, Entry>>();
const memo = new Map<DistributionClass, Map<DistributionClass, Entry | null>>();

function className(c: DistributionClass): string {
  return c.name || '(anonymous class)';
}

function isDistributionClass(c: unknown): c is DistributionClass {
  return typeof c === 'function' && (c === Distribution || c.prototype instanceof Distribution);
}

/**
 * Registers `fn` as KL(p || q) for p an instance of `P` and q of `Q` (subclasses included,
 * unless a more specific pair is registered). Registering a pair twice throws unless
 * `{ override: true }`. Returns a function that removes this registration.
 */
export function registerKL<P extends Distribution, Q extends Distribution>(
  P: DistributionClass<P>,
  Q: DistributionClass<Q>,
  fn: KLFunction<P, Q>,
  options: { override?: boolean } = {},
): () => void {
  if (!isDistributionClass(P)) throw new TypeError(`registerKL: argument 'P' must be a Distribution class, got ${t.describeValue(P)}`);
  if (!isDistributionClass(Q)) throw new TypeError(`registerKL: argument 'Q' must be a Distribution class, got ${t.describeValue(Q)}`);
  if (typeof fn !== 'function') throw new TypeError(`registerKL: argument 'fn' must be a function (p, q) => Tensor, got ${t.describeValue(fn)}`);
  let row = registry.get(P);
  if (!row) {
    row = new Map();
    registry.set(P, row);
  }
  if (row.has(Q) && options.override !== true) {
    throw new Error(`registerKL: KL(${className(P)} || ${className(Q)}) is already registered; pass { override: true } to replace it`);
  }
  const entry: Entry = { p: P, q: Q, fn: fn as KLFunction };
  const previous = row.get(Q);
  row.set(Q, entry);
  memo.clear();
  return () => {
    const current = registry.get(P);
    if (current?.get(Q) !== entry) return;
    if (previous) current.set(Q, previous);
    else current.delete(Q);
    memo.clear();
  };
}

/** [C, its parent, …, Distribution]: the classes an instance of C is an instance of. */
function lineage(c: DistributionClass): DistributionClass[] {
  const out: DistributionClass[] = [];
  for (let k: unknown = c; isDistributionClass(k); k = Object.getPrototypeOf(k)) out.push(k);
  return out;
}

/**
 * The registered pair for (P, Q): among the pairs matching both lineages, the one that is at
 * least as specific as every other on both sides. Several such minima are ambiguous: an error
 * names them, and registering the more specific pair resolves it.
 */
export function lookupKL(P: DistributionClass, Q: DistributionClass): KLFunction | null {
  let row = memo.get(P);
  if (!row) {
    row = new Map();
    memo.set(P, row);
  }
  if (!row.has(Q)) row.set(Q, resolve(P, Q));
  return row.get(Q)?.fn ?? null;
}

function resolve(P: DistributionClass, Q: DistributionClass): Entry | null {
  const lp = lineage(P);
  const lq = lineage(Q);
  const matches: Array<{ i: number; j: number; entry: Entry }> = [];
  for (const [rp, rowMap] of registry) {
    const i = lp.indexOf(rp);
    if (i < 0) continue;
    for (const [rq, entry] of rowMap) {
      const j = lq.indexOf(rq);
      if (j >= 0) matches.push({ i, j, entry });
    }
  }
  if (matches.length === 0) return null;
  const minimal = matches.filter((m) => !matches.some((o) => o !== m && o.i <= m.i && o.j <= m.j));
  if (minimal.length > 1) {
    const names = minimal.map((m) => `KL(${className(m.entry.p)} || ${className(m.entry.q)})`).join(' and ');
    throw new Error(`klDivergence: ambiguous registrations for KL(${className(P)} || ${className(Q)}): ${names} are equally specific; register KL(${className(P)} || ${className(Q)}) to resolve it`);
  }
  return (minimal[0] as { entry: Entry }).entry;
}

/** All registered pairs, as [P name, Q name] (for documentation and tests). */
export function listRegisteredKL(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const row of registry.values()) for (const e of row.values()) out.push([className(e.p), className(e.q)]);
  return out;
}
