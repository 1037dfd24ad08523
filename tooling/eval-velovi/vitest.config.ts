import { defineConfig } from 'vitest/config';

// The metric modules are plain float64 loops on typed arrays; their tests need no tfjs backend.
// The UMAP tests run umap-js (~500 optimisation epochs): seconds on a loaded 2-core machine, so
// the 60 s per test of the packages' config rather than vitest's 5 s.
export default defineConfig({ test: { include: ['src/**/*.test.ts'], testTimeout: 60_000 } });
