// Runs before every test file, once per vitest project (wasm, cpu): see @vitae/vitest-config.
import { setBackend } from '../src/index.js';

import type { BackendName } from '../src/index.js';

await setBackend((process.env.VITAE_BACKEND ?? 'wasm') as BackendName);
