import { defineConfig } from 'vitest/config';

// This tooling package's tests read the MNIST files only; they need no tfjs backend.
export default defineConfig({ test: { include: ['src/**/*.test.ts'] } });
