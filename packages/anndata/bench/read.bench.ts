// `pnpm bench` for @vitae/anndata's text readers: read10xMtx on pbmc3k (2,700 cells × 32,738 genes,
// 2,286,884 non-zeros, matrix.mtx.gz 7.5 MB → 28 MB of text), against the targets of < 2 s and
// < 300 MB peak memory.
//   time      median wall time of read10xMtx over repeats in this process (files read from disk
//             each time, so it includes I/O from the page cache, gunzip, parsing and CSR assembly)
//   gunzip    the decompression alone, node:zlib (what Node uses) against DecompressionStream
//             (what browsers use), to back the choice in src/text/gunzip.ts
//   readCsv   the same counts, first 8,000 genes, written as a dense cells × genes CSV (43 MB of
//             mostly '0,'), read back from bytes in memory
//   memory    peak resident set (VmHWM on Linux, else maxRSS) of a fresh Node process that reads
//             pbmc3k once, beside the same process that only loads the modules (tsx, tfjs
//             through @vitae/tensor); medians of 3 processes each
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { median, printTable } from '@vitae/bench-harness';

import { read10xMtx, readCsv } from '../src/index.js';

import { byteChunks } from '../src/text/source.js';

import type { CsrMatrix } from '../src/index.js';

const DATASETS = fileURLToPath(new URL('../../../../shared/datasets', import.meta.url));
const PBMC = `${DATASETS}/pbmc3k`;
const TARGET_SECONDS = 2;
const TARGET_MB = 300;
const REPEATS = 7;
const CSV_GENES = 8000;

/** The first `nGenes` genes of `a` as a dense cells × genes CSV, encoded. */
function denseCsv(a: Awaited<ReturnType<typeof read10xMtx>>, nGenes: number): Uint8Array {
  const X = a.X as CsrMatrix;
  const lines = [`,${a.varNames.slice(0, nGenes).join(',')}`];
  const row = new Array<number>(nGenes);
  for (let i = 0; i < X.nRows; i++) {
    row.fill(0);
    for (let p = X.indptr[i] as number; p < (X.indptr[i + 1] as number); p++) if ((X.indices[p] as number) < nGenes) row[X.indices[p] as number] = X.data[p] as number;
    lines.push(`${a.obsNames[i]},${row.join(',')}`);
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

async function medianSeconds(fn: () => Promise<unknown>, repeats: number): Promise<number> {
  await fn(); // warm-up: JIT and page cache
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    await fn();
    samples.push((performance.now() - t0) / 1000);
  }
  return median(samples);
}

function childRun(args: string[]): { maxRssMB: number; seconds: number } {
  const script = fileURLToPath(new URL('./read-once.ts', import.meta.url));
  const out = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`read-once.ts failed (${out.status}): ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop() as string) as { maxRssMB: number; seconds: number };
}

if (!existsSync(PBMC)) {
  console.log(`read.bench: skipped, ${PBMC} not found (the shared datasets live beside the repository, see ../shared/datasets/README.md)`);
} else {
  const seconds = await medianSeconds(() => read10xMtx(PBMC), REPEATS);
  const gz = readFileSync(`${PBMC}/matrix.mtx.gz`);
  const drain = async (engine: 'node' | 'web'): Promise<void> => {
    for await (const chunk of byteChunks(gz, engine)) void chunk;
  };
  const zlibSeconds = await medianSeconds(() => drain('node'), REPEATS);
  const webSeconds = await medianSeconds(() => drain('web'), REPEATS);
  const csvBytes = denseCsv(await read10xMtx(PBMC), CSV_GENES);
  const csvSeconds = await medianSeconds(() => readCsv(csvBytes), REPEATS);
  const fresh = [childRun([PBMC]), childRun([PBMC]), childRun([PBMC])];
  const peak = median(fresh.map((r) => r.maxRssMB));
  const baseline = median([childRun([PBMC, '--baseline']), childRun([PBMC, '--baseline']), childRun([PBMC, '--baseline'])].map((r) => r.maxRssMB));

  console.log(`read10xMtx(pbmc3k): ${REPEATS} repeats after a warm-up, Node ${process.version}\n`);
  printTable([
    { measure: 'read10xMtx median time', value: `${seconds.toFixed(3)} s`, target: `< ${TARGET_SECONDS} s`, met: seconds < TARGET_SECONDS ? 'yes' : 'NO' },
    { measure: 'first read in a fresh process', value: `${median(fresh.map((r) => r.seconds)).toFixed(3)} s`, target: '-', met: '-' },
    { measure: 'peak RSS, fresh process reading pbmc3k', value: `${peak.toFixed(0)} MB`, target: `< ${TARGET_MB} MB`, met: peak < TARGET_MB ? 'yes' : 'NO' },
    { measure: 'peak RSS, same process without the read', value: `${baseline.toFixed(0)} MB`, target: '-', met: '-' },
    { measure: `readCsv, 2,700 × ${CSV_GENES} dense CSV (${(csvBytes.length / 1e6).toFixed(0)} MB)`, value: `${csvSeconds.toFixed(3)} s`, target: '-', met: '-' },
    { measure: 'gunzip only, node:zlib (Node path)', value: `${zlibSeconds.toFixed(3)} s`, target: '-', met: '-' },
    { measure: 'gunzip only, DecompressionStream', value: `${webSeconds.toFixed(3)} s`, target: '-', met: '-' },
  ]);
}
