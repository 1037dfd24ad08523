// A streaming reader of Matrix Market coordinate files (the `matrix.mtx` of 10x CellRanger),
// straight from bytes into typed arrays: 10x files run to 10^8 entries, where splitting text into
// strings or per-line regular expressions costs seconds and gigabytes. Chunks may end anywhere
// (DecompressionStream cuts at 16 KB); a partial last line is carried into the next chunk.
//
// Supported: `%%MatrixMarket matrix coordinate integer|real general`, what 10x and scipy write.
import { scanDecimal, scanned } from './decimal.js';

/** The entries of a coordinate file, 0-based, in file order. */
export interface CooEntries {
  nRows: number;
  nCols: number;
  field: 'integer' | 'real';
  rows: Int32Array;
  cols: Int32Array;
  values: Float32Array;
  /** True when the column index never decreases along the file (10x writes column by column). */
  colsSorted: boolean;
}

const NL = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const PERCENT = 37;
const ZERO = 48;
const NINE = 57;
const EMPTY = new Uint8Array(0);
const NEWLINE = new Uint8Array([NL]);

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function latin1(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let p = start; p < end && p - start < 200; p++) s += String.fromCharCode(buf[p] as number);
  return s;
}

export class MatrixMarketReader {
  readonly #file: string;
  #headerDone = false;
  #headerCarry: Uint8Array = EMPTY;
  #bannerSeen = false;
  #carry: Uint8Array = EMPTY;
  /** Lines consumed so far (the next line is #line + 1). */
  #line = 0;
  #nRows = 0;
  #nCols = 0;
  #nnz = 0;
  #field: 'integer' | 'real' = 'integer';
  #rows: Int32Array = new Int32Array(0);
  #cols: Int32Array = new Int32Array(0);
  #values: Float32Array = new Float32Array(0);
  /** Entries stored so far. */
  #k = 0;
  #prevCol = 0;
  #colsSorted = true;

  /** `file` names the source in every error message. */
  constructor(file: string) {
    this.#file = file;
  }

  /** Feeds the next chunk of the decompressed file. */
  push(chunk: Uint8Array): void {
    let from = 0;
    if (!this.#headerDone) {
      from = this.#pushHeader(chunk);
      if (!this.#headerDone) return;
    }
    if (from >= chunk.length) return;
    const lastNl = chunk.lastIndexOf(NL);
    if (lastNl < from) {
      this.#carry = concatBytes(this.#carry, chunk.subarray(from));
      return;
    }
    if (this.#carry.length > 0) {
      const firstNl = chunk.indexOf(NL, from);
      const joined = concatBytes(this.#carry, chunk.subarray(from, firstNl + 1));
      this.#carry = EMPTY;
      this.#parseEntries(joined, 0, joined.length);
      from = firstNl + 1;
    }
    this.#parseEntries(chunk, from, lastNl + 1);
    // Copied: the producer may reuse the chunk's memory.
    this.#carry = chunk.slice(lastNl + 1);
  }

  /** Ends the input: parses a last line without a newline and checks the entry count. */
  finish(): CooEntries {
    if (!this.#headerDone && this.#headerCarry.length > 0) {
      const rest = this.#headerCarry;
      this.#headerCarry = EMPTY;
      this.#headerLine(new TextDecoder().decode(rest));
    }
    if (!this.#headerDone) {
      throw new Error(`${this.#file}: ${this.#bannerSeen ? 'the header has no size line (rows, columns, entries)' : 'the file is empty, not a Matrix Market file'}`);
    }
    if (this.#carry.length > 0) {
      // The parser relies on every line ending in a newline.
      const rest = concatBytes(this.#carry, NEWLINE);
      this.#carry = EMPTY;
      try {
        this.#parseEntries(rest, 0, rest.length);
      } catch (e) {
        // A broken last line in a file short of entries is a cut-off file, not a format error.
        if (this.#k < this.#nnz) throw new Error(`${this.#file}: the file ends in the middle of line ${this.#line + 1} after ${this.#k} of the ${this.#nnz} entries the header announces; the file is truncated`, { cause: e });
        throw e;
      }
    }
    if (this.#k < this.#nnz) {
      throw new Error(`${this.#file}: the header announces ${this.#nnz} entries but the file ends after ${this.#k} (line ${this.#line}); the file is truncated`);
    }
    return { nRows: this.#nRows, nCols: this.#nCols, field: this.#field, rows: this.#rows, cols: this.#cols, values: this.#values, colsSorted: this.#colsSorted };
  }

  /** Consumes header lines from `chunk`; returns where the entries start (chunk.length if not yet). */
  #pushHeader(chunk: Uint8Array): number {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(NL, start);
      if (nl < 0) {
        this.#headerCarry = concatBytes(this.#headerCarry, chunk.subarray(start));
        return chunk.length;
      }
      const bytes = this.#headerCarry.length > 0 ? concatBytes(this.#headerCarry, chunk.subarray(start, nl)) : chunk.subarray(start, nl);
      this.#headerCarry = EMPTY;
      this.#headerLine(new TextDecoder().decode(bytes));
      start = nl + 1;
      if (this.#headerDone) return start;
    }
  }

  #headerLine(raw: string): void {
    this.#line++;
    const text = raw.trim();
    if (!this.#bannerSeen) {
      const tokens = text.toLowerCase().split(/\s+/);
      if (tokens[0] !== '%%matrixmarket') throw new Error(`${this.#file}: not a Matrix Market file: the first line should start with '%%MatrixMarket', got ${JSON.stringify(raw.slice(0, 80))}`);
      const [, object, format, field, symmetry] = tokens;
      if (object !== 'matrix') throw new Error(`${this.#file}: Matrix Market object '${object}' is not supported, only 'matrix'`);
      if (format === 'array') throw new Error(`${this.#file}: the Matrix Market 'array' (dense) format is not supported, only 'coordinate' (sparse) as 10x and scipy write`);
      if (format !== 'coordinate') throw new Error(`${this.#file}: Matrix Market format '${format}' is not supported, only 'coordinate'`);
      if (field !== 'integer' && field !== 'real') {
        throw new Error(`${this.#file}: Matrix Market field '${field}' is not supported, only 'integer' and 'real' (${field === 'pattern' ? 'a pattern file has no values' : 'counts are real numbers'})`);
      }
      if (symmetry !== 'general') throw new Error(`${this.#file}: Matrix Market symmetry '${symmetry}' is not supported, only 'general' (every entry written out)`);
      this.#field = field;
      this.#bannerSeen = true;
      return;
    }
    if (text === '' || text.startsWith('%')) return;
    const parts = text.split(/\s+/);
    const nums = parts.map(Number);
    if (parts.length !== 3 || !nums.every((v) => Number.isInteger(v) && v >= 0)) {
      throw new Error(`${this.#file}: line ${this.#line} should be the size line 'rows columns entries' (three non-negative integers), got ${JSON.stringify(text.slice(0, 80))}`);
    }
    const [nRows, nCols, nnz] = nums as [number, number, number];
    if (nnz > nRows * nCols) throw new Error(`${this.#file}: the size line announces ${nnz} entries, more than rows × columns = ${nRows} × ${nCols}`);
    if (nnz > 2 ** 31 - 1 || nRows > 2 ** 31 - 1 || nCols > 2 ** 31 - 1) throw new Error(`${this.#file}: ${nRows} × ${nCols} with ${nnz} entries exceeds the int32 indices of CSR (2^31 - 1)`);
    this.#nRows = nRows;
    this.#nCols = nCols;
    this.#nnz = nnz;
    this.#rows = new Int32Array(nnz);
    this.#cols = new Int32Array(nnz);
    this.#values = new Float32Array(nnz);
    this.#headerDone = true;
  }

  /**
   * Parses the entry lines in buf[start, end), where buf[end - 1] is a newline: that sentinel
   * ends every inner scan (digits, blanks), so only the outer loop checks bounds. The hot loop:
   * one pass over the bytes, no strings unless a value needs Number().
   */
  #parseEntries(buf: Uint8Array, start: number, end: number): void {
    const rows = this.#rows;
    const cols = this.#cols;
    const values = this.#values;
    const nRows = this.#nRows;
    const nCols = this.#nCols;
    const nnz = this.#nnz;
    const integerField = this.#field === 'integer';
    let k = this.#k;
    let line = this.#line;
    let prevCol = this.#prevCol;
    let colsSorted = this.#colsSorted;
    let p = start;
    let c = 0;
    while (p < end) {
      const lineStart = p;
      c = buf[p] as number;
      if (c < ZERO || c > NINE) {
        if (c === NL) line++;
        else if (c === PERCENT) {
          while (buf[p] !== NL) p++;
          continue;
        } else if (c !== SPACE && c !== TAB && c !== CR) this.#badLine(buf, lineStart, line + 1, 'three fields: row, column, value');
        p++;
        continue;
      }
      // Row index (the first digit is c).
      let i = c - ZERO;
      while ((c = buf[++p] as number) >= ZERO && c <= NINE) i = i * 10 + (c - ZERO);
      if (c !== SPACE && c !== TAB) this.#badLine(buf, lineStart, line + 1, 'three fields: row, column, value');
      while ((c = buf[++p] as number) === SPACE || c === TAB);
      // Column index.
      if (c < ZERO || c > NINE) this.#badLine(buf, lineStart, line + 1, 'three fields: row, column, value');
      let j = c - ZERO;
      while ((c = buf[++p] as number) >= ZERO && c <= NINE) j = j * 10 + (c - ZERO);
      if (c !== SPACE && c !== TAB) this.#badLine(buf, lineStart, line + 1, 'three fields: row, column, value');
      while ((c = buf[++p] as number) === SPACE || c === TAB);
      // Value: the byte-level fast path (decimal.ts), anything else through Number().
      const valueStart = p;
      scanDecimal(buf, p, buf.length);
      p = scanned.end;
      c = p < buf.length ? (buf[p] as number) : -1;
      let v = scanned.value;
      if (Number.isNaN(v) || !(c === NL || c === SPACE || c === TAB || c === CR)) {
        while ((c = buf[p] as number) !== SPACE && c !== TAB && c !== CR && c !== NL) p++;
        const token = latin1(buf, valueStart, p);
        v = token === '' ? NaN : Number(token);
        if (Number.isNaN(v)) this.#badLine(buf, lineStart, line + 1, `a number as the third field, got ${JSON.stringify(token)}`);
      }
      if (integerField && !Number.isInteger(v)) this.#badLine(buf, lineStart, line + 1, `an integer value (the header declares 'integer'), got ${v}`);
      // Nothing but blanks may follow.
      while (c === SPACE || c === TAB || c === CR) c = buf[++p] as number;
      if (c !== NL) this.#badLine(buf, lineStart, line + 1, 'three fields: row, column, value');
      p++;
      line++;
      if (k >= nnz) throw new Error(`${this.#file}: line ${line}: more entries than the ${nnz} the header announces`);
      if (i < 1 || i > nRows) throw new Error(`${this.#file}: line ${line}: row index ${i} is outside 1..${nRows} (the header's row count)`);
      if (j < 1 || j > nCols) throw new Error(`${this.#file}: line ${line}: column index ${j} is outside 1..${nCols} (the header's column count)`);
      if (j < prevCol) colsSorted = false;
      prevCol = j;
      rows[k] = i - 1;
      cols[k] = j - 1;
      values[k] = v;
      k++;
    }
    this.#k = k;
    this.#line = line;
    this.#prevCol = prevCol;
    this.#colsSorted = colsSorted;
  }

  #badLine(buf: Uint8Array, lineStart: number, lineNo: number, expected: string): never {
    let e = lineStart;
    while (e < buf.length && buf[e] !== NL && buf[e] !== CR) e++;
    throw new Error(`${this.#file}: line ${lineNo}: expected ${expected}; the line is ${JSON.stringify(latin1(buf, lineStart, e))}`);
  }
}

/** Reads a whole Matrix Market coordinate file from its decompressed chunks. */
export async function readMatrixMarket(chunks: AsyncIterable<Uint8Array>, file: string): Promise<CooEntries> {
  const reader = new MatrixMarketReader(file);
  for await (const chunk of chunks) reader.push(chunk);
  return reader.finish();
}
