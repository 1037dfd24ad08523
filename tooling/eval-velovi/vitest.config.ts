import { defineConfig } from 'vitest/config';

// The metric modules are plain float64 loops on typed arrays; their tests need no tfjs backend.
export default defineConfig({ test: { include: ['src/**/*.test.ts'] } });
