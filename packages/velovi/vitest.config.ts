import { vitaeVitestConfig } from '@vitae/vitest-config';

export default vitaeVitestConfig({ setupFile: './test/setup-backend.ts' });
