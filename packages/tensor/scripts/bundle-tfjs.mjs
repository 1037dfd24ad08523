// Bundles src/tfjs/entry.ts (tfjs-core + all gradients + cpu and wasm backends + the embedded
// SIMD binary) into two ESM files, the targets of the `#tfjs` import map in package.json:
//   dist/tfjs.node.js     Node: emscripten's glue and tfjs' Node platform call require() and
//                         read __dirname, so the banner provides both.
//   dist/tfjs.browser.js  browsers and bundlers: the Node-only branches are never taken.
import { build } from 'esbuild';

const nodeBuiltins = ['fs', 'path', 'os', 'util', 'crypto', 'worker_threads', 'perf_hooks', 'node-fetch'];
const common = {
  entryPoints: ['src/tfjs/entry.ts'],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  loader: { '.wasm': 'binary' },
  external: nodeBuiltins,
  legalComments: 'none',
  logLevel: 'warning',
};

await build({
  ...common,
  outfile: 'dist/tfjs.node.js',
  banner: {
    js: [
      "import { createRequire as __vitaeCreateRequire } from 'node:module';",
      "import { fileURLToPath as __vitaeFileURLToPath } from 'node:url';",
      'const require = __vitaeCreateRequire(import.meta.url);',
      'const __filename = __vitaeFileURLToPath(import.meta.url);',
      "const __dirname = __vitaeFileURLToPath(new URL('.', import.meta.url));",
    ].join('\n'),
  },
});
await build({ ...common, outfile: 'dist/tfjs.browser.js' });
