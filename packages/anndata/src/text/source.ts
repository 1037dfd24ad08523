// Bytes from wherever the caller has them (an ArrayBuffer, a Uint8Array such as a Node Buffer,
// or a browser Blob / File), handed out as a stream of chunks with gzip undone. Compression is
// recognised from the gzip magic bytes (1f 8b), never from a file name: 10x outputs are renamed,
// re-gzipped and un-gzipped in the wild.
import { gunzipChunks } from './gunzip.js';

import type { GunzipEngine } from './gunzip.js';

/** File contents as the browser or Node hands them over. */
export type ByteSource = ArrayBuffer | Uint8Array | Blob;

export function isByteSource(x: unknown): x is ByteSource {
  return x instanceof ArrayBuffer || x instanceof Uint8Array || (typeof Blob !== 'undefined' && x instanceof Blob);
}

/** True when `head` starts with the gzip magic bytes. */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** A one-line description of a value for error messages (never the whole value). */
export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'string') return JSON.stringify(x.length > 80 ? `${x.slice(0, 77)}...` : x);
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return `${typeof x} ${String(x)}`;
}

/** Throws unless `x` is a ByteSource; `what` names the argument. */
export function checkByteSource(x: unknown, what: string): asserts x is ByteSource {
  if (!isByteSource(x)) throw new TypeError(`${what} must be an ArrayBuffer, a Uint8Array or a Blob, got ${describe(x)}`);
}

/**
 * The decompressed bytes of `source` as chunks, in order. Uncompressed input comes back as one
 * chunk without a copy; gzip input streams (gunzip.ts), so the whole decompressed file is never
 * held at once unless the consumer keeps it.
 */
export async function* byteChunks(source: ByteSource, engine: GunzipEngine = 'auto'): AsyncGenerator<Uint8Array> {
  if (source instanceof ArrayBuffer || source instanceof Uint8Array) {
    const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
    if (isGzip(bytes)) yield* gunzipChunks(bytes, engine);
    else if (bytes.length > 0) yield bytes;
    return;
  }
  // A Blob is read lazily: a 2-byte slice for the magic bytes, then its own stream.
  const head = new Uint8Array(await source.slice(0, 2).arrayBuffer());
  if (isGzip(head)) {
    yield* gunzipChunks(source.stream(), engine === 'node' ? 'web' : engine);
    return;
  }
  const reader = source.stream().getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    if (value.length > 0) yield value;
  }
}

/** All decompressed bytes of `source` in one array (for the small text files). */
export async function allBytes(source: ByteSource): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const c of byteChunks(source)) {
    chunks.push(c);
    total += c.length;
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The decompressed contents of `source` decoded as UTF-8 (a leading byte-order mark dropped). */
export async function allText(source: ByteSource): Promise<string> {
  return new TextDecoder('utf-8', { ignoreBOM: false }).decode(await allBytes(source));
}
