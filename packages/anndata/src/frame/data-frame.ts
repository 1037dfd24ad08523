// The obs / var tables: a string index (cell barcodes, gene names) and named columns, each a
// numeric typed array, booleans, strings (null = missing) or a Categorical; like a pandas
// DataFrame restricted to what AnnData stores.
import { indexList } from '../matrix/selection.js';
import { Categorical } from './categorical.js';

import type { Selection } from '../matrix/selection.js';

export type NumericColumn = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array | BigInt64Array;
export type Column = NumericColumn | readonly boolean[] | readonly (string | null)[] | Categorical;

/** 'numeric' | 'boolean' | 'string' | 'categorical', from the column's storage. */
export function columnKind(c: Column): 'numeric' | 'boolean' | 'string' | 'categorical' {
  if (c instanceof Categorical) return 'categorical';
  if (ArrayBuffer.isView(c)) return 'numeric';
  return (c as readonly unknown[]).some((v) => typeof v === 'boolean') ? 'boolean' : 'string';
}

function takeColumn(c: Column, rows: Int32Array): Column {
  if (c instanceof Categorical) return c.take(rows);
  if (ArrayBuffer.isView(c)) {
    const Ctor = c.constructor as new (n: number) => NumericColumn;
    const out = new Ctor(rows.length);
    for (let r = 0; r < rows.length; r++) (out as unknown as unknown[])[r] = (c as unknown as unknown[])[rows[r] as number];
    return out;
  }
  return Array.from(rows, (i) => (c as readonly (string | boolean | null)[])[i]) as Column;
}

export class DataFrame {
  readonly index: readonly string[];
  readonly #columns = new Map<string, Column>();
  /** Pandas' index name (AnnData writes it as the `_index` attribute's target); null when unnamed. */
  indexName: string | null;

  constructor(index: readonly string[], columns: Record<string, Column> | Map<string, Column> = {}, options: { indexName?: string | null } = {}) {
    if (!Array.isArray(index) || index.some((v) => typeof v !== 'string')) throw new TypeError('DataFrame: index must be an array of strings');
    this.index = index;
    this.indexName = options.indexName ?? null;
    const entries = columns instanceof Map ? [...columns] : Object.entries(columns);
    for (const [name, column] of entries) this.set(name, column);
  }

  get nRows(): number {
    return this.index.length;
  }

  get columnNames(): string[] {
    return [...this.#columns.keys()];
  }

  has(name: string): boolean {
    return this.#columns.has(name);
  }

  /** The column `name`; an error lists the columns there are. */
  get(name: string): Column {
    const c = this.#columns.get(name);
    if (c === undefined) throw new RangeError(`DataFrame: no column '${name}'; the columns are ${JSON.stringify(this.columnNames)}`);
    return c;
  }

  /** Adds or replaces a column of nRows values. */
  set(name: string, column: Column): this {
    if (typeof name !== 'string' || name === '') throw new TypeError(`DataFrame.set: column name must be a non-empty string, got ${JSON.stringify(name)}`);
    if (!(column instanceof Categorical) && !ArrayBuffer.isView(column) && !Array.isArray(column)) {
      throw new TypeError(`DataFrame.set: column '${name}' must be a typed array, an array of booleans or strings, or a Categorical`);
    }
    if (column.length !== this.nRows) throw new RangeError(`DataFrame.set: column '${name}' has ${column.length} values, the frame has ${this.nRows} rows`);
    this.#columns.set(name, column);
    return this;
  }

  delete(name: string): boolean {
    return this.#columns.delete(name);
  }

  /** The values of column `name` as strings (categorical, string) — an error for other kinds. */
  strings(name: string): (string | null)[] {
    const c = this.get(name);
    if (c instanceof Categorical) return c.values();
    if (columnKind(c) === 'string') return [...(c as readonly (string | null)[])];
    throw new TypeError(`DataFrame.strings: column '${name}' is ${columnKind(c)}, not categorical or string`);
  }

  /** Position of each index label. */
  indexPositions(): Map<string, number> {
    return new Map(this.index.map((label, i) => [label, i]));
  }

  /** The rows `rows` as a new frame (columns copied). */
  select(rows: Selection): DataFrame {
    const list = indexList(rows, this.nRows, 'DataFrame.select', 'rows');
    const columns = new Map<string, Column>();
    for (const [name, c] of this.#columns) columns.set(name, takeColumn(c, list));
    return new DataFrame(Array.from(list, (i) => this.index[i] as string), columns, { indexName: this.indexName });
  }

  /** A copy (columns copied). */
  clone(): DataFrame {
    return this.select({ start: 0, end: this.nRows });
  }
}
