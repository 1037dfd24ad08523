// The only module in vitae that imports @tensorflow/*. `pnpm build` bundles it with esbuild into
// dist/tfjs.node.js and dist/tfjs.browser.js (scripts/bundle-tfjs.mjs), which the rest of the
// package reaches through the `#tfjs` import map. Bundling solves two problems of the published
// tfjs packages: tfjs-core's ESM build uses extension-less imports that Node cannot resolve, and
// tfjs-core alone registers no gradients (register_all_gradients must be imported explicitly).
// It also guarantees that core and both backends share one copy of the engine.
/* eslint-disable no-restricted-imports */
export * from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { env } from '@tensorflow/tfjs-core';
// esbuild's `binary` loader turns the .wasm file into a Uint8Array inside the bundle, so the wasm
// backend needs no file next to the script, in Node or in a browser.
import simdBinary from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm';
export type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
export type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

const EMBEDDED_URL = 'vitae-embedded:tfjs-backend-wasm-simd.wasm';

function useEmbeddedWasmBinary(): void {
  // With usePlatformFetch = true the wasm backend loads its binary through env().platform.fetch;
  // answering our own URL from memory avoids any file or network access.
  const platform = env().platform;
  const platformFetch = platform.fetch.bind(platform);
  platform.fetch = (path: string, init?: RequestInit) =>
    path === EMBEDDED_URL
      ? Promise.resolve(new Response(simdBinary, { headers: { 'content-type': 'application/wasm' } }))
      : platformFetch(path, init);
  // Every name maps to the SIMD build: tfjs' threaded build needs a cross-origin-isolated worker
  // setup we do not ship (threads are off in Node anyway), and SIMD is in every runtime we support.
  env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths(
    {
      'tfjs-backend-wasm.wasm': EMBEDDED_URL,
      'tfjs-backend-wasm-simd.wasm': EMBEDDED_URL,
      'tfjs-backend-wasm-threaded-simd.wasm': EMBEDDED_URL,
    },
    true,
  );
}

// PROD only silences tfjs' console notices (e.g. "install tfjs-node" on the cpu backend in
// Node, which is not advice a vitae user can act on); it changes no numerics.
env().set('PROD', true);
useEmbeddedWasmBinary();
