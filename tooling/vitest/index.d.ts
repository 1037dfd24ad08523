import type { UserConfig } from 'vitest/config';

export declare const ALL_BACKENDS: readonly ['wasm', 'cpu'];
/** A vitest config whose projects run every test file once per backend (see README). */
export declare function vitaeVitestConfig(options: { setupFile: string; testTimeout?: number; include?: string[] }): UserConfig;
