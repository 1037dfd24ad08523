// Before / after: runs bench/epoch.ts (--json) alternately in another checkout of this package
// (e.g. a git worktree of an earlier commit, built) and in this one, in one session, and prints
// the medians of both and their ratio. The machine's load changes from minute to minute, so the
// runs alternate and the medians are taken over rounds.
//
//   npx tsx bench/compare.ts --before /tmp/velovi-before/packages/velovi [--rounds 3] [--epochs 8]
//
// The other checkout runs this checkout's bench/epoch.ts (copied there as bench/epoch.compare.ts),
// so both measure the same thing through velovi's public API.
import { execFileSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? (process.argv[i + 1] as string) : fallback;
}
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const before = arg('before', '');
if (before === '') throw new Error("compare: option '--before <package dir of the other checkout>' is required");
const rounds = Number(arg('rounds', '3'));
const epochs = arg('epochs', '8');
const here = join(import.meta.dirname, '..');
copyFileSync(join(here, 'bench/epoch.ts'), join(before, 'bench/epoch.compare.ts'));

interface Summary { secondsPerEpoch: number; stepMs: number; forwardMs: number; kernels: number }
const results: Record<'before' | 'after', Summary[]> = { before: [], after: [] };
const run = (which: 'before' | 'after'): void => {
  const dir = which === 'before' ? before : here;
  const script = which === 'before' ? 'bench/epoch.compare.ts' : 'bench/epoch.ts';
  const out = execFileSync('npx', ['tsx', script, '--json', '--epochs', epochs, '--rounds', '5'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = out.trim().split('\n');
  const summary = JSON.parse(lines.at(-1) as string) as Summary;
  results[which].push(summary);
  console.log(`[${which}] ${lines.slice(1, -1).join('\n[' + which + '] ')}`);
};
for (let r = 0; r < rounds; r++) {
  run('before');
  run('after');
}
const report = (key: keyof Summary, unit: string, digits: number): void => {
  const b = median(results.before.map((s) => s[key]));
  const a = median(results.after.map((s) => s[key]));
  console.log(`${key}: before ${b.toFixed(digits)} ${unit}, after ${a.toFixed(digits)} ${unit}, ${(b / a).toFixed(2)}x (medians of ${rounds} alternating runs)`);
};
report('secondsPerEpoch', 's', 3);
report('stepMs', 'ms', 1);
report('forwardMs', 'ms', 1);
report('kernels', 'kernels per step', 0);
