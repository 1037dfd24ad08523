export declare function median(values: readonly number[]): number;
export declare function timeIt(fn: () => void, options?: { warmup?: number; repeats?: number }): number;
export declare function compare<K extends string>(
  candidates: Record<K, () => void>,
  options?: { warmup?: number; rounds?: number },
): Record<K, number>;
export declare function printTable(rows: ReadonlyArray<Record<string, string | number>>): void;
