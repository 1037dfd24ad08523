// Pools the result files of several eval:velovi runs (results/*.json) into one table per
// metric: for each transition the mean over runs, its standard error (sample sd / √n), the range
// and how many runs are above 0. Runs are grouped by who trained the weights: vitae's
// VELOVI.train() or velovi's numerics in PyTorch (training.source starts with "PyTorch").
// A single seed cannot tell a real sign from noise at a boundary where CBDir is near 0; the
// spread over seeds can.

/** The fields of an eval:velovi result file this summary reads. */
export interface RunResult {
  seed: number;
  /** `source` is absent from files written before the PyTorch runs were scored; those runs are vitae's. */
  training: { source?: string; stopReason?: string };
  crossBoundaryDirection: Record<string, { cbdir: number; geneSpace: number }>;
  /** Absent from the oldest files (seed 0). */
  crossBoundaryDirectionOtherEmbeddings?: Record<string, Record<string, number>>;
  latentTimeStageSpearman: number;
}

export interface MetricSummary {
  n: number;
  mean: number;
  /** Sample standard deviation / √n; NaN for a single run. */
  standardError: number;
  min: number;
  max: number;
  /** Runs with a value > 0. */
  positive: number;
}

export type Trainer = 'vitae' | 'PyTorch';

export interface GroupSummary {
  trainer: Trainer;
  /** The runs' `seed` (the eval seed: it seeds the UMAP, and vitae's training). */
  seeds: number[];
  /**
   * metric → transition → summary. Metrics: 'UMAP' (the judged CBDir), 'gene space', and every
   * other embedding the runs report (a metric some runs lack is pooled over the others: see n).
   */
  cbdir: Record<string, Record<string, MetricSummary>>;
  latentTimeSpearman: MetricSummary;
}

export function summarize(values: readonly number[]): MetricSummary {
  const n = values.length;
  if (n === 0) throw new RangeError('summarize: argument \'values\' must hold at least one number, got an empty array');
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const standardError = n > 1 ? Math.sqrt(squares / (n - 1) / n) : Number.NaN;
  return { n, mean, standardError, min: Math.min(...values), max: Math.max(...values), positive: values.filter((v) => v > 0).length };
}

export function trainerOf(run: RunResult): Trainer {
  const { source, stopReason } = run.training;
  return source?.startsWith('PyTorch') === true || stopReason === 'PyTorch run' ? 'PyTorch' : 'vitae';
}

/** One summary per trainer (vitae first), over every run of that trainer. */
export function summarizeRuns(runs: readonly RunResult[]): GroupSummary[] {
  const groups: GroupSummary[] = [];
  for (const trainer of ['vitae', 'PyTorch'] as const) {
    const mine = runs.filter((r) => trainerOf(r) === trainer);
    if (mine.length === 0) continue;
    const collected = new Map<string, Map<string, number[]>>();
    const add = (metric: string, transition: string, value: number) => {
      const byTransition = collected.get(metric) ?? new Map<string, number[]>();
      collected.set(metric, byTransition);
      const values = byTransition.get(transition) ?? [];
      byTransition.set(transition, values);
      values.push(value);
    };
    for (const run of mine) {
      for (const [transition, score] of Object.entries(run.crossBoundaryDirection)) {
        add('UMAP', transition, score.cbdir);
        add('gene space', transition, score.geneSpace);
      }
      for (const [embedding, scores] of Object.entries(run.crossBoundaryDirectionOtherEmbeddings ?? {})) {
        for (const [transition, value] of Object.entries(scores)) add(embedding, transition, value);
      }
    }
    const cbdir: GroupSummary['cbdir'] = {};
    for (const [metric, byTransition] of collected) {
      cbdir[metric] = Object.fromEntries([...byTransition].map(([t, values]) => [t, summarize(values)]));
    }
    groups.push({ trainer, seeds: mine.map((r) => r.seed), cbdir, latentTimeSpearman: summarize(mine.map((r) => r.latentTimeStageSpearman)) });
  }
  return groups;
}

export interface PairedTransition {
  /** Seeds scored by both trainers, ascending. */
  seeds: number[];
  vitae: number[];
  pytorch: number[];
  /** vitae − PyTorch per seed, summarized. */
  difference: MetricSummary;
  /** Seeds where both values have the same sign. */
  sameSign: number;
}

/**
 * The judged CBDir (UMAP) of one transition, vitae against PyTorch on the seeds both trainers ran:
 * a PyTorch run with eval seed S is scored on the UMAP of the vitae run with seed S, so their
 * difference is the models' alone. Null when no seed has both.
 */
export function pairedUmap(runs: readonly RunResult[], transition: string): PairedTransition | null {
  const bySeed = (trainer: Trainer) => new Map(runs.filter((r) => trainerOf(r) === trainer).map((r) => [r.seed, r.crossBoundaryDirection[transition]?.cbdir]));
  const mine = bySeed('vitae');
  const theirs = bySeed('PyTorch');
  const seeds = [...mine.keys()].filter((s) => mine.get(s) !== undefined && theirs.get(s) !== undefined).sort((a, b) => a - b);
  if (seeds.length === 0) return null;
  const vitae = seeds.map((s) => mine.get(s) as number);
  const pytorch = seeds.map((s) => theirs.get(s) as number);
  return {
    seeds,
    vitae,
    pytorch,
    difference: summarize(vitae.map((v, k) => v - (pytorch[k] as number))),
    sameSign: vitae.filter((v, k) => Math.sign(v) === Math.sign(pytorch[k] as number)).length,
  };
}
