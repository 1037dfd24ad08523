// A categorical column (pandas.Categorical): integer codes into a list of categories, -1 for a
// missing value. AnnData stores string columns with few distinct values this way.
export class Categorical {
  readonly codes: Int32Array;
  readonly categories: readonly string[];
  readonly ordered: boolean;

  constructor(codes: Int32Array, categories: readonly string[], ordered = false) {
    if (new Set(categories).size !== categories.length) throw new RangeError(`Categorical: categories must be unique, got ${JSON.stringify(categories.slice(0, 20))}`);
    for (let k = 0; k < codes.length; k++) {
      const c = codes[k] as number;
      if (c < -1 || c >= categories.length) throw new RangeError(`Categorical: code ${c} at row ${k} is outside [-1, ${categories.length})`);
    }
    this.codes = codes;
    this.categories = categories;
    this.ordered = ordered;
  }

  /**
   * Strings (null = missing) → categorical. Categories are sorted (pandas' default) unless
   * `categories` fixes them and their order.
   */
  static fromValues(values: readonly (string | null)[], options: { categories?: readonly string[]; ordered?: boolean } = {}): Categorical {
    const categories = options.categories ?? [...new Set(values.filter((v): v is string => v !== null))].sort();
    const code = new Map(categories.map((c, i) => [c, i]));
    const codes = Int32Array.from(values, (v, i) => {
      if (v === null) return -1;
      const c = code.get(v);
      if (c === undefined) throw new RangeError(`Categorical.fromValues: value '${v}' at row ${i} is not among the categories ${JSON.stringify(categories.slice(0, 20))}`);
      return c;
    });
    return new Categorical(codes, categories, options.ordered ?? false);
  }

  get length(): number {
    return this.codes.length;
  }

  /** The value of row i (null where missing). */
  at(i: number): string | null {
    const c = this.codes[i] as number;
    return c < 0 ? null : (this.categories[c] as string);
  }

  /** Every row's value (null where missing). */
  values(): (string | null)[] {
    return Array.from(this.codes, (c) => (c < 0 ? null : (this.categories[c] as string)));
  }

  /** Rows per category, in category order. */
  counts(): Map<string, number> {
    const n = new Int32Array(this.categories.length);
    for (const c of this.codes) if (c >= 0) n[c] = (n[c] as number) + 1;
    return new Map(this.categories.map((c, i) => [c, n[i] as number]));
  }

  /** The rows `rows` (checked indices), same categories. */
  take(rows: Int32Array): Categorical {
    return new Categorical(Int32Array.from(rows, (i) => this.codes[i] as number), this.categories, this.ordered);
  }
}
