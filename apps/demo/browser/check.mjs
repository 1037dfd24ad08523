// `pnpm --filter @vitae/demo check:browser`: bundles browser/entry.mjs for the browser with
// esbuild (as a user's bundler would, no special options), serves it on 127.0.0.1 with nothing
// else but an index.html, loads it in headless Chromium and checks what the page computed:
// the wasm backend starts, the vitae SIMD kernels load, lgamma and its second derivative are right.
// Needs Chromium (Debian: apt-get install chromium); exits 0 with a notice when it is absent.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!chromium) {
  console.log('check:browser: skipped, no Chromium found (Debian: apt-get install chromium)');
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'vitae-browser-'));
await build({ entryPoints: [new URL('./entry.mjs', import.meta.url).pathname], bundle: true, format: 'esm', platform: 'browser', outfile: join(dir, 'bundle.js'), logLevel: 'warning' });
writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><title>RUN</title></head><body><script type="module" src="bundle.js"></script></body></html>');

const server = createServer((req, res) => {
  const file = req.url === '/bundle.js' ? 'bundle.js' : 'index.html';
  res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html' });
  res.end(readFileSync(join(dir, file)));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
let dom;
try {
  // Asynchronous: the HTTP server above runs on this process's event loop.
  ({ stdout: dom } = await promisify(execFile)(
    chromium,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--user-data-dir=${join(dir, 'profile')}`, '--virtual-time-budget=30000', '--dump-dom', `http://127.0.0.1:${port}/index.html`],
    { encoding: 'utf8', timeout: 120_000 },
  ));
} finally {
  server.close();
}
const body = /<body>(.*)<\/body>/s.exec(dom)?.[1] ?? '';
let result;
try {
  result = JSON.parse(body);
} catch {
  console.error(`check:browser: the page did not report a result:\n${dom.slice(0, 2000)}`);
  process.exit(1);
}
console.log('check:browser:', JSON.stringify(result));
const ok = result.backend === 'wasm' && result.providers?.includes('wasm-simd') && Math.abs(result.lgamma[1] - 12.8018274) < 1e-4 && Math.abs(result.d2 - Math.PI ** 2 / 6) < 1e-5;
if (!ok) {
  console.error('check:browser: FAILED (expected wasm backend, wasm-simd kernels, lgamma(10) = 12.8018274, d2 lgamma(1) = pi^2/6)');
  process.exit(1);
}
console.log('check:browser: passed');
