// A delimited table of numbers with names (a header row of column names, a first column of row
// names) parsed from bytes straight into CSR: counts tables are mostly zeros and can be large, so
// values are read without making strings, and zeros are never stored. Quoted fields follow RFC
// 4180 (a doubled quote inside quotes is a quote; quoted fields may span lines).
import { CsrMatrix } from '../matrix/csr.js';
import { scanDecimal, scanned } from './decimal.js';

export interface ParsedTable {
  /** The first header field when the header has one more field than the column names ('' when blank). */
  corner: string | undefined;
  rowNames: string[];
  colNames: string[];
  /** Rows × columns, as in the file. */
  X: CsrMatrix;
}

const NL = 10;
const CR = 13;
const QUOTE = 34;

const utf8 = new TextDecoder('utf-8');

/** Bytes → one of ',' or '\t', whichever the first line (outside quotes) has more of; ',' on a tie. */
export function sniffDelimiter(buf: Uint8Array, start: number): string {
  let commas = 0;
  let tabs = 0;
  let quoted = false;
  for (let p = start; p < buf.length; p++) {
    const c = buf[p] as number;
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted) {
      if (c === NL) break;
      if (c === 44) commas++;
      else if (c === 9) tabs++;
    }
  }
  return tabs > commas ? '\t' : ',';
}

/** Growable typed storage for the CSR being built. */
class CsrBuilder {
  data = new Float32Array(1 << 16);
  indices = new Int32Array(1 << 16);
  indptr = new Int32Array(1 << 10);
  nnz = 0;
  nRows = 0;

  push(col: number, v: number): void {
    if (this.nnz === this.data.length) {
      const data = new Float32Array(this.data.length * 2);
      data.set(this.data);
      this.data = data;
      const indices = new Int32Array(this.indices.length * 2);
      indices.set(this.indices);
      this.indices = indices;
    }
    this.data[this.nnz] = v;
    this.indices[this.nnz] = col;
    this.nnz++;
  }

  endRow(): void {
    this.nRows++;
    if (this.nRows >= this.indptr.length) {
      const indptr = new Int32Array(this.indptr.length * 2);
      indptr.set(this.indptr);
      this.indptr = indptr;
    }
    this.indptr[this.nRows] = this.nnz;
  }

  build(nCols: number): CsrMatrix {
    return new CsrMatrix(
      { nRows: this.nRows, nCols, data: this.data.slice(0, this.nnz), indices: this.indices.slice(0, this.nnz), indptr: this.indptr.slice(0, this.nRows + 1) },
      { check: false },
    );
  }
}

/** Out-parameters of readField (module scratch, so the hot loop keeps its position in a register). */
let fieldText = '';
let fieldNewlines = 0;

/**
 * Reads the field starting at `p` (quoted or not) into fieldText and returns the position of the
 * delimiter / line end after it; fieldNewlines counts the line breaks inside quotes.
 */
function readField(buf: Uint8Array, p: number, delim: number, label: string, line: number): number {
  const end = buf.length;
  fieldNewlines = 0;
  if (buf[p] !== QUOTE) {
    const s = p;
    while (p < end) {
      const c = buf[p] as number;
      if (c === delim || c === NL || (c === CR && (p + 1 >= end || buf[p + 1] === NL))) break;
      p++;
    }
    fieldText = utf8.decode(buf.subarray(s, p));
    return p;
  }
  p++;
  const s = p;
  let escaped = false;
  for (;;) {
    if (p >= end) throw new Error(`${label}: line ${line}: a quoted field is not closed before the end of the file`);
    const c = buf[p] as number;
    if (c === QUOTE) {
      if (buf[p + 1] === QUOTE) {
        escaped = true;
        p += 2;
        continue;
      }
      break;
    }
    if (c === NL) fieldNewlines++;
    p++;
  }
  const text = utf8.decode(buf.subarray(s, p));
  fieldText = escaped ? text.replaceAll('""', '"') : text;
  p++; // the closing quote
  if (p < end && buf[p] !== delim && buf[p] !== NL && buf[p] !== CR) throw new Error(`${label}: line ${line + fieldNewlines}: unexpected text after a closing quote`);
  return p;
}

/** The position after the blank lines (spaces, tabs, line ends) starting at p, and how many lines they were. */
let blankLines = 0;
function skipBlankLines(buf: Uint8Array, p: number): number {
  blankLines = 0;
  const end = buf.length;
  for (;;) {
    let q = p;
    while (q < end && (buf[q] === 32 || buf[q] === 9 || buf[q] === CR)) q++;
    if (q >= end) return end;
    if (buf[q] !== NL) return p;
    p = q + 1;
    blankLines++;
  }
}

/** The table in `buf` (UTF-8; a leading byte-order mark is skipped); `label` starts every error. */
export function parseTable(buf: Uint8Array, delimiter: string | undefined, label: string): ParsedTable {
  let p = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  const end = buf.length;
  const delim = (delimiter ?? sniffDelimiter(buf, p)).charCodeAt(0);
  let line = 1;

  // Header.
  p = skipBlankLines(buf, p);
  line += blankLines;
  if (p >= end) throw new Error(`${label}: the file is empty; expected a header row of column names`);
  const header: string[] = [];
  for (;;) {
    p = readField(buf, p, delim, label, line);
    line += fieldNewlines;
    header.push(fieldText);
    if (p < end && buf[p] === delim) p++;
    else break;
  }

  const rowNames: string[] = [];
  const builder = new CsrBuilder();
  /** Fields per data line (name + values); fixed by the first data line. */
  let width = -1;
  let colNames: string[] = [];
  for (;;) {
    // The previous line's end.
    if (p < end) {
      if (buf[p] === CR) p++;
      if (p < end && buf[p] !== NL) throw new Error(`${label}: line ${line}: unexpected character ${JSON.stringify(String.fromCharCode(buf[p] as number))}`);
      p++;
      line++;
    }
    p = skipBlankLines(buf, p);
    line += blankLines;
    if (p >= end) break;
    const lineNo = line;
    p = readField(buf, p, delim, label, line);
    line += fieldNewlines;
    rowNames.push(fieldText);
    let col = 0;
    while (p < end && buf[p] === delim) {
      p++;
      // Value: the byte-level fast path (decimal.ts), anything else through Number().
      const s = p;
      scanDecimal(buf, p, end);
      p = scanned.end;
      const c = p < end ? (buf[p] as number) : -1;
      let v = scanned.value;
      const complete = !Number.isNaN(v) && (p >= end || c === delim || c === NL || c === CR);
      if (!complete) {
        p = readField(buf, s, delim, label, line);
        line += fieldNewlines;
        const trimmed = fieldText.trim();
        v = trimmed === '' ? NaN : Number(trimmed);
        if (!Number.isFinite(v)) {
          const colName = width < 0 ? undefined : colNames[col];
          const shown = fieldText.length > 40 ? `${fieldText.slice(0, 37)}...` : fieldText;
          throw new Error(`${label}: line ${lineNo}, field ${col + 2}${colName === undefined ? '' : ` (column '${colName}')`}: expected a number, got ${JSON.stringify(shown)}`);
        }
      }
      if (v !== 0) builder.push(col, v);
      col++;
    }
    if (width < 0) {
      width = col + 1;
      // The header may or may not name the row-name column.
      if (header.length === width) colNames = header.slice(1);
      else if (header.length === width - 1) colNames = header;
      else throw new Error(`${label}: line ${lineNo} has ${width} fields (a name and ${col} values) but the header (line 1) has ${header.length}; expected ${width} or ${width - 1} header fields`);
    } else if (col + 1 !== width) {
      throw new Error(`${label}: line ${lineNo} has ${col + 1} fields, expected ${width} as on the first data line (ragged rows)`);
    }
    builder.endRow();
  }
  if (width < 0) colNames = header.slice(1);
  const corner = width < 0 || header.length === width ? header[0] : undefined;
  return { corner, rowNames, colNames, X: builder.build(colNames.length) };
}
