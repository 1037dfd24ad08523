// `pnpm check:browser`: the worker-thread path of the browser (threads.ts: Web Workers from a Blob
// URL, shared memory only where the page is cross-origin isolated, the page's thread spinning
// instead of blocking) in headless Chromium. Serves browser/threads-page.js, bundled with esbuild,
// with the COOP / COEP headers that make the page cross-origin isolated, and checks its report:
// two threads started for the elementwise kernels and the GEMM, and their results are the
// one-thread bits. Needs a Chromium (CHROMIUM, else `chromium` on the PATH; Debian: apt-get
// install chromium); not part of `pnpm test`, whose machines have none. Run after `pnpm build`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const chromium = process.env.CHROMIUM ?? 'chromium';
if (spawnSync(chromium, ['--version']).status !== 0) {
  console.error(`check:browser: no Chromium at '${chromium}' (set CHROMIUM, or apt-get install chromium)`);
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'vitae-browser-'));
await build({ entryPoints: [new URL('../browser/threads-page.js', import.meta.url).pathname], bundle: true, format: 'esm', platform: 'browser', outfile: join(dir, 'bundle.js'), logLevel: 'warning' });
const isolated = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const report = await new Promise((resolve, reject) => {
  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/result') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.end('ok');
        server.close();
        resolve(JSON.parse(body));
      });
      return;
    }
    const js = req.url === '/bundle.js';
    res.writeHead(200, { ...isolated, 'Content-Type': js ? 'text/javascript' : 'text/html' });
    res.end(js ? readFileSync(join(dir, 'bundle.js')) : '<!doctype html><script type="module" src="/bundle.js"></script>');
  });
  server.listen(0, () => {
    const { port } = server.address();
    const browser = spawn(chromium, ['--headless=new', '--no-sandbox', '--disable-gpu', `http://localhost:${port}/`], { stdio: 'ignore' });
    const timer = setTimeout(() => reject(new Error('check:browser: no report from the page within 90 s')), 90_000);
    server.on('close', () => {
      clearTimeout(timer);
      browser.kill();
    });
  });
});
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify(report, null, 2));
const ok = report.crossOriginIsolated === true && report.kernelThreads?.[1] === 2 && report.gemmThreads?.[1] === 2 && report.gemmThreadsAfter === 2 && report.lgammaSameBits === true && report.gemmSameBits === true;
console.log(ok ? 'check:browser: two threads in the browser, the one-thread bits' : 'check:browser: FAILED');
process.exit(ok ? 0 : 1);
