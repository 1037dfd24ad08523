// pnpm --filter @vitae/eval-velovi seeds [results/a.json results/b.json ...]
// Pools eval:velovi result files (default: results/pancreas-seed<S>.json and
// results/pancreas-torch-seed<S>-umap<S>.json for S = 4, 5, 6, ...: the runs on the current
// training code, each PyTorch run scored on the UMAP of the vitae run with the same seed) and
// prints, per embedding and trainer, mean ± standard error over the runs, the range and the number
// of runs above 0 for every transition.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pairedUmap, summarizeRuns } from './seed-summary.js';

import type { MetricSummary, RunResult } from './seed-summary.js';

const results = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

function defaultFiles(): string[] {
  const files: string[] = [];
  for (let s = 4; existsSync(join(results, `pancreas-seed${s}.json`)); s++) {
    files.push(join(results, `pancreas-seed${s}.json`));
    const torch = join(results, `pancreas-torch-seed${s}-umap${s}.json`);
    if (existsSync(torch)) files.push(torch);
  }
  return files;
}

const files = process.argv.slice(2).filter((a) => a !== '--');
const chosen = files.length > 0 ? files : defaultFiles();
if (chosen.length === 0) throw new Error(`seeds: no result files given and none found as ${join(results, 'pancreas-seed4.json')}`);
const runs = await Promise.all(chosen.map(async (f) => JSON.parse(await readFile(f, 'utf8')) as RunResult));
const cell = (s: MetricSummary) => `${s.mean.toFixed(3)} ± ${Number.isNaN(s.standardError) ? '—' : s.standardError.toFixed(3)} [${s.min.toFixed(3)}, ${s.max.toFixed(3)}] ${s.positive}/${s.n} > 0`;

const groups = summarizeRuns(runs);
console.log(`eval:velovi over seeds: ${chosen.length} result files; mean ± standard error [min, max], runs > 0`);
for (const g of groups) console.log(`  ${g.trainer}: eval seeds ${g.seeds.join(', ')}`);
// One table per embedding, the trainers side by side.
const metrics = [...new Set(groups.flatMap((g) => Object.keys(g.cbdir)))];
for (const metric of metrics) {
  const transitions = [...new Set(groups.flatMap((g) => Object.keys(g.cbdir[metric] ?? {})))];
  console.log(`\nCBDir, ${metric}`);
  console.table(Object.fromEntries(transitions.map((t) => [t, Object.fromEntries(groups.map((g) => [g.trainer, g.cbdir[metric]?.[t] === undefined ? '' : cell(g.cbdir[metric]?.[t] as MetricSummary)]))])));
}
console.log('\nlatent time vs stage, Spearman');
for (const g of groups) console.log(`  ${g.trainer}: ${cell(g.latentTimeSpearman)}`);

console.log('\njudged UMAP, vitae against PyTorch on the same seed (the same UMAP)');
for (const transition of Object.keys(groups[0]?.cbdir['UMAP'] ?? {})) {
  const paired = pairedUmap(runs, transition);
  if (paired === null) continue;
  const perSeed = paired.seeds.map((s, k) => `${s}: ${(paired.vitae[k] as number).toFixed(3)} / ${(paired.pytorch[k] as number).toFixed(3)}`).join(', ');
  console.log(`  ${transition}: vitae − PyTorch ${cell(paired.difference)}; same sign on ${paired.sameSign}/${paired.seeds.length} seeds (${perSeed})`);
}
