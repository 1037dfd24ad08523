// A look at an HDF5 file's superblock before HDF5 itself opens it. h5wasm reports every failed
// open as "name not defined", so the signature and the recorded file length are checked here to
// tell a non-HDF5 file and a truncated one apart, with messages a user can act on.

/** The 8-byte HDF5 format signature: \x89 H D F \r \n \x1a \n. */
const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Reads `length` bytes at `offset` (fewer at the end of the file). */
export type ByteReader = (offset: number, length: number) => Promise<Uint8Array>;

export type HeaderVerdict = { ok: true } | { ok: false; problem: string };

function matchesSignature(b: Uint8Array): boolean {
  return b.length >= 8 && SIGNATURE.every((v, i) => b[i] === v);
}

/** Little-endian unsigned integer of `size` bytes at `at`; undefined when all bits are set (HDF5's "undefined address"). */
function address(b: Uint8Array, at: number, size: number): number | undefined {
  if (at + size > b.length) return undefined;
  let v = 0;
  let allOnes = true;
  for (let k = size - 1; k >= 0; k--) {
    const byte = b[at + k] as number;
    if (byte !== 0xff) allOnes = false;
    v = v * 256 + byte;
  }
  return allOnes ? undefined : v;
}

/**
 * The superblock's end-of-file address (relative to its base address) and that base address,
 * for superblock versions 0-3; undefined when the layout is one this does not know.
 */
function recordedLength(sb: Uint8Array): { base: number; eof: number } | undefined {
  const version = sb[8];
  let sizeOfOffsets: number | undefined;
  let baseAt: number;
  if (version === 0 || version === 1) {
    sizeOfOffsets = sb[13];
    baseAt = version === 0 ? 24 : 28;
  } else if (version === 2 || version === 3) {
    sizeOfOffsets = sb[9];
    baseAt = 12;
  } else return undefined;
  if (sizeOfOffsets !== 2 && sizeOfOffsets !== 4 && sizeOfOffsets !== 8) return undefined;
  // v0/v1: base, free-space, end-of-file; v2/v3: base, superblock extension, end-of-file.
  const base = address(sb, baseAt, sizeOfOffsets);
  const eof = address(sb, baseAt + 2 * sizeOfOffsets, sizeOfOffsets);
  if (base === undefined || eof === undefined) return undefined;
  return { base, eof };
}

function preview(b: Uint8Array): string {
  const head = Array.from(b.subarray(0, 16), (c) => (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.')).join('');
  return head.length === 0 ? 'it is empty' : `it starts with "${head}"`;
}

/**
 * Checks that a file of `size` bytes is HDF5 (the signature sits at byte 0, 512, 1024, 2048, …
 * after an optional user block) and is as long as its superblock says.
 */
export async function checkHdf5Header(read: ByteReader, size: number): Promise<HeaderVerdict> {
  const first = await read(0, 64);
  for (let at = 0; at === 0 || at + 8 <= size; at = at === 0 ? 512 : at * 2) {
    const sb = at === 0 ? first : await read(at, 64);
    if (!matchesSignature(sb)) continue;
    const recorded = recordedLength(sb);
    if (recorded && recorded.base + recorded.eof > size) {
      return { ok: false, problem: `is truncated: its HDF5 superblock records ${recorded.base + recorded.eof} bytes, the file has ${size}` };
    }
    return { ok: true };
  }
  return { ok: false, problem: `is not an HDF5 file (no HDF5 signature found; ${preview(first)})` };
}
