// pnpm --filter @vitae/eval-scvi seeds — the quality part of eval:scvi over several seeds.
//
// One seed's accuracy gap is noisy (the kNN folds, the train / validation split and the
// initialisation all move with it), so the quality target is judged on the mean over seeds.
// Reads <dir>/<prefix>-seed<S>.json (written by `eval:scvi --part quality --seed S --out …`;
// dir default results, prefix default quality), prints one row per seed and the mean ± sample
// standard deviation of every column, and writes <dir>/<prefix>-seeds.json.
//
//   pnpm --filter @vitae/eval-scvi seeds [dir] [prefix]
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

interface SeedResult {
  seed: number;
  quality: {
    epochs: number;
    pcaAccuracy: number;
    scvi: { accuracy: number; elboValidation: number };
    torch?: { accuracy: number; elboValidation: number; threads: number };
    elboRelativeDifference?: number;
  };
}

const dir = process.argv[2] ?? 'results';
const prefix = process.argv[3] ?? 'quality';
const files = (await readdir(dir)).filter((f) => f.startsWith(`${prefix}-seed`) && /^\d+\.json$/.test(f.slice(prefix.length + 5)));
if (files.length === 0) throw new Error(`summarize-seeds: no ${prefix}-seed<S>.json in ${dir}; run eval:scvi --part quality --seed S --out ${dir}/${prefix}-seed<S>.json first`);
const runs = (await Promise.all(files.map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as SeedResult))).sort((a, b) => a.seed - b.seed);

const columns: [string, (r: SeedResult) => number | undefined][] = [
  ['epochs', (r) => r.quality.epochs],
  ['PCA acc', (r) => r.quality.pcaAccuracy],
  ['vitae acc', (r) => r.quality.scvi.accuracy],
  ['vitae - PCA', (r) => r.quality.scvi.accuracy - r.quality.pcaAccuracy],
  ['PyTorch acc', (r) => r.quality.torch?.accuracy],
  ['PyTorch - PCA', (r) => (r.quality.torch === undefined ? undefined : r.quality.torch.accuracy - r.quality.pcaAccuracy)],
  ['vitae ELBO', (r) => r.quality.scvi.elboValidation],
  ['PyTorch ELBO', (r) => r.quality.torch?.elboValidation],
  ['ELBO diff %', (r) => (r.quality.elboRelativeDifference === undefined ? undefined : 100 * r.quality.elboRelativeDifference)],
];
const digits = (name: string) => (name === 'epochs' ? 0 : name.includes('ELBO') ? 2 : 3);
const cell = (v: number | undefined, d: number) => (v === undefined ? '—' : v.toFixed(d));

function meanSd(values: number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1)) : 0;
  return { mean, sd };
}

const header = ['seed', ...columns.map(([n]) => n)];
const rows = runs.map((r) => [String(r.seed), ...columns.map(([n, f]) => cell(f(r), digits(n)))]);
const summary: Record<string, { mean: number; sd: number; n: number }> = {};
const meanRow = ['mean ± sd'];
for (const [name, f] of columns) {
  const values = runs.map(f).filter((v): v is number => v !== undefined);
  if (values.length === 0) {
    meanRow.push('—');
    continue;
  }
  const { mean, sd } = meanSd(values);
  summary[name] = { mean, sd, n: values.length };
  meanRow.push(`${mean.toFixed(digits(name))} ± ${sd.toFixed(digits(name))}`);
}
const table = [header, ...rows, meanRow];
const widths = header.map((_, j) => Math.max(...table.map((row) => (row[j] as string).length)));
for (const row of table) console.log(row.map((c, j) => c.padStart(widths[j] as number)).join('  '));
const gap = summary['vitae - PCA'] as { mean: number };
console.log(`\nmean scVI accuracy - PCA accuracy over ${runs.length} seeds: ${gap.mean.toFixed(3)} (target: >= -0.02)`);
await writeFile(join(dir, `${prefix}-seeds.json`), `${JSON.stringify({ seeds: runs.map((r) => r.seed), epochs: runs.map((r) => r.quality.epochs), summary }, null, 2)}\n`);
