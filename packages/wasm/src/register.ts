// Side effect: `import '@vitae/wasm/register'` makes @vitae/tensor's `ready()` (and
// `setBackend()`) install the SIMD kernels before resolving.
import { onReady } from '@vitae/tensor';
import { installWasmKernels } from './install.js';

onReady(async () => {
  await installWasmKernels();
});
