// The vitest preset of every vitae package.
//
// Each test file runs once per backend: two vitest projects, `wasm` and `cpu`, that differ only
// in the VITAE_BACKEND variable the package's setup file reads (`await setBackend(...)`).
// VITAE_BACKENDS=wasm (comma list) narrows the run while developing.
import { defineConfig } from 'vitest/config';

export const ALL_BACKENDS = ['wasm', 'cpu'];

/**
 * @param {{ setupFile: string, testTimeout?: number, include?: string[] }} options
 *   setupFile: the package's module that switches to process.env.VITAE_BACKEND.
 */
export function vitaeVitestConfig({ setupFile, testTimeout = 60_000, include = ['src/**/*.test.ts', 'test/**/*.test.ts'] }) {
  const wanted = (process.env.VITAE_BACKENDS ?? ALL_BACKENDS.join(','))
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  for (const b of wanted) {
    if (!ALL_BACKENDS.includes(b)) throw new Error(`VITAE_BACKENDS: unknown backend '${b}', expected one of ${ALL_BACKENDS.join(', ')}`);
  }
  return defineConfig({
    test: {
      testTimeout,
      hookTimeout: testTimeout,
      pool: 'forks',
      reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
      projects: wanted.map((backend) => ({
        extends: true,
        test: {
          name: backend,
          include,
          env: { VITAE_BACKEND: backend },
          setupFiles: [setupFile],
        },
      })),
    },
  });
}
