// Runs before every test file, once per vitest project (wasm, cpu): the SIMD kernels are
// installed by setBackend through the onReady hook of ../src/register.
import { setBackend } from '@vitae/tensor';
import '../src/register.js';

import type { BackendName } from '@vitae/tensor';

await setBackend((process.env.VITAE_BACKEND ?? 'wasm') as BackendName);
