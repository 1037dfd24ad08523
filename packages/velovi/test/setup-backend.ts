// Runs before every test file, once per vitest project (wasm, cpu). The SIMD special-function
// kernels of @vitae/wasm are installed as a user would install them.
import { setBackend } from '@vitae/tensor';
import '@vitae/wasm/register';

import type { BackendName } from '@vitae/tensor';

await setBackend((process.env.VITAE_BACKEND ?? 'wasm') as BackendName);
