// scvi-tools' differential-expression statistics (DifferentialComputation.get_bayes_factors,
// scvi/model/base/_differential.py, scvi-tools 1.x) as a pure function of posterior samples of
// the normalized expression (px_scale) of two groups of cells.
//
// Pairs: sample pairs.a[k] of group A is compared with sample pairs.b[k] of group B. scvi-tools'
// pairs_sampler either compares sample i with sample i (use_permutation=False, its default) or
// draws m_permutation indices into each group uniformly with replacement (use_permutation=True).
// Here: `pairs` given → used as is; else `mPermutation` → drawn with the seeded Prng of @vitae/tensor; else
// sample i with sample i (equal sample counts needed). Batch-stratified pairing (scvi-tools pairs
// samples conditioned on the same batch, m_permutation // n_batches per batch) is the caller's:
// it concatenates the per-batch pairs and passes them.
//
// vanilla: proba_m1 = P(a > b), proba_m2 = 1 - proba_m1,
//          bayes_factor = log(proba_m1 + eps) - log(proba_m2 + eps).
// change:  r = log2(a + pc) - log2(b + pc); proba_m1 = P(r >= delta), proba_m2 = P(r < -delta);
//          test_mode 'three' (default): proba_de = max(m1, m2), sign = sign(m1 - m2);
//          'two': proba_de = m1 + m2, sign = 1;
//          bayes_factor = sign * (log(proba_de + eps) - log(1 - proba_de + eps));
//          proba_not_de = 1 - proba_de; the lfc summaries (mean, median, std with ddof 0, min,
//          max) are of r computed with pseudocounts 1e-3 * pc, as scvi-tools does.
// scale1 / scale2 are the means of all samples of each group (before pairing).
//
// Differences from scvi-tools, all deliberate: statistics are computed in float64 from the
// float32 samples (scvi-tools keeps float32, so its lfc summaries differ in the 7th digit);
// delta = None (scvi-tools' estimate_delta, a 3-component sklearn GaussianMixture on the lfc
// means) is not offered: delta must be a number > 0. pseudocounts = None in scvi-tools estimates
// the offset from the raw counts; here the caller passes the not-expressed masks
// ({ whereZeroA, whereZeroB }, scvi-tools: mean count of the gene in the group < 0.01) and the
// offset is estimated from the paired samples exactly as estimate_pseudocounts_offset does.
// Zero scales with pseudocounts 0 give infinite / NaN lfc values, as in scvi-tools.
import { Prng, describeValue } from '@vitae/tensor';


export type DeMode = 'vanilla' | 'change';
export type DeTestMode = 'three' | 'two';

/** Explicit sample pairs: a[k] indexes a row of scalesA, b[k] a row of scalesB. */
export interface SamplePairs {
  a: Int32Array;
  b: Int32Array;
}

/** scvi-tools' pseudocounts=None: estimate the offset from the genes not expressed in each group. */
export interface PseudocountsEstimate {
  /** Per gene: not expressed in group A (scvi-tools: mean raw count over the group's cells < 0.01). */
  whereZeroA: ArrayLike<boolean>;
  /** Per gene: not expressed in group B. */
  whereZeroB: ArrayLike<boolean>;
  /** Quantile of the per-gene maximum scale over the not-expressed genes (default 0.9). */
  quantile?: number;
}

export interface BayesFactorsOptions {
  /** Genes: columns of scalesA and scalesB. */
  nGenes: number;
  mode: DeMode;
  /** 'change': the region [-delta, delta] of the lfc is "not DE" (default 0.25, SCVI.differential_expression's default). */
  delta?: number;
  /** 'change': offset added to the scales before log2 (default 0), or the masks to estimate it from. */
  pseudocounts?: number | PseudocountsEstimate;
  /** Added inside the logs of the Bayes factor (default 1e-8). */
  eps?: number;
  /** 'change': 'three' (default; up- and down-regulation separately) or 'two'. */
  testMode?: DeTestMode;
  /** Number of random pairs to draw (scvi-tools' m_permutation with use_permutation=True); needs `seed`. */
  mPermutation?: number;
  /** Seed of the pair draw: an integer in [0, 2^53). */
  seed?: number;
  /** Explicit pairs; override mPermutation / seed. */
  pairs?: SamplePairs;
}

/** Per-gene statistics (Float64Array of length nGenes), named as in camelCase; DE_COLUMNS maps them to scvi-tools' columns. */
export interface BayesFactorsResult {
  mode: DeMode;
  probaM1: Float64Array;
  probaM2: Float64Array;
  bayesFactor: Float64Array;
  scale1: Float64Array;
  scale2: Float64Array;
  /** The pairs used. */
  pairs: SamplePairs;
  /** 'change' only (null for 'vanilla'): */
  probaDe: Float64Array | null;
  probaNotDe: Float64Array | null;
  lfcMean: Float64Array | null;
  lfcMedian: Float64Array | null;
  lfcStd: Float64Array | null;
  lfcMin: Float64Array | null;
  lfcMax: Float64Array | null;
  /** 'change': the delta and pseudocounts used (null for 'vanilla'). */
  delta: number | null;
  pseudocounts: number | null;
}

/** Result fields → scvi-tools' DataFrame column names. */
export const DE_COLUMNS = {
  probaM1: 'proba_m1',
  probaM2: 'proba_m2',
  bayesFactor: 'bayes_factor',
  scale1: 'scale1',
  scale2: 'scale2',
  probaDe: 'proba_de',
  probaNotDe: 'proba_not_de',
  lfcMean: 'lfc_mean',
  lfcMedian: 'lfc_median',
  lfcStd: 'lfc_std',
  lfcMin: 'lfc_min',
  lfcMax: 'lfc_max',
} as const;

const FN = 'bayesFactors';

function checkNumber(name: string, value: unknown, ok: (v: number) => boolean, constraint: string): number {
  if (typeof value !== 'number' || !ok(value)) throw new RangeError(`${FN}: option '${name}' must be ${constraint}, got ${describeValue(value)}`);
  return value;
}

function checkScales(name: string, value: unknown, nGenes: number): number {
  if (!(value instanceof Float32Array)) {
    throw new TypeError(`${FN}: argument '${name}' must be a Float32Array [nSamples × nGenes] (row-major), got ${describeValue(value)}`);
  }
  if (value.length === 0) throw new RangeError(`${FN}: argument '${name}' must hold at least one sample (nGenes = ${nGenes} values), got 0 values`);
  if (value.length % nGenes !== 0) {
    throw new RangeError(`${FN}: argument '${name}' must be [nSamples × nGenes] with nGenes = ${nGenes} (a multiple of ${nGenes} values), got ${value.length} values`);
  }
  for (let i = 0; i < value.length; i++) {
    const v = value[i] as number;
    if (!(v >= 0) || v === Infinity) {
      throw new RangeError(`${FN}: argument '${name}' must hold finite values >= 0, got ${v} at sample ${Math.floor(i / nGenes)}, gene ${i % nGenes}`);
    }
  }
  return value.length / nGenes;
}

function checkPairs(pairs: unknown, nA: number, nB: number): SamplePairs {
  const p = pairs as Partial<SamplePairs> | null;
  if (typeof p !== 'object' || p === null || !(p.a instanceof Int32Array) || !(p.b instanceof Int32Array)) {
    throw new TypeError(`${FN}: option 'pairs' must be { a: Int32Array, b: Int32Array }, got ${describeValue(pairs)}`);
  }
  if (p.a.length !== p.b.length || p.a.length === 0) {
    throw new RangeError(`${FN}: option 'pairs' must have a and b of the same length >= 1, got ${p.a.length} and ${p.b.length}`);
  }
  for (const [side, arr, n] of [['a', p.a, nA], ['b', p.b, nB]] as const) {
    for (let k = 0; k < arr.length; k++) {
      const v = arr[k] as number;
      if (v < 0 || v >= n) throw new RangeError(`${FN}: option 'pairs.${side}' must hold sample indices in [0, ${n}), got ${v} at index ${k}`);
    }
  }
  return { a: p.a, b: p.b };
}

function resolvePairs(o: BayesFactorsOptions, nA: number, nB: number): SamplePairs {
  if (o.pairs !== undefined) return checkPairs(o.pairs, nA, nB);
  if (o.mPermutation !== undefined) {
    const m = checkNumber('mPermutation', o.mPermutation, (v) => Number.isInteger(v) && v >= 1 && v <= 2 ** 31 - 1, 'an integer >= 1');
    const seed = o.seed;
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) {
      throw new TypeError(`${FN}: option 'seed' must be an integer in [0, 2^53) when 'mPermutation' is given, got ${describeValue(seed)}`);
    }
    const rng = new Prng(seed);
    const a = new Int32Array(m);
    const b = new Int32Array(m);
    for (let k = 0; k < m; k++) a[k] = rng.nextBelow(nA);
    for (let k = 0; k < m; k++) b[k] = rng.nextBelow(nB);
    return { a, b };
  }
  if (nA !== nB) {
    throw new RangeError(
      `${FN}: comparing sample i with sample i (no 'pairs', no 'mPermutation') needs as many samples in scalesA as in scalesB, got ${nA} and ${nB}; pass 'mPermutation' and 'seed'`,
    );
  }
  const a = new Int32Array(nA);
  for (let i = 0; i < nA; i++) a[i] = i;
  return { a, b: a.slice() };
}

/** numpy.quantile (linear rule) of `values` (sorted in place). */
function quantile(values: Float64Array, q: number): number {
  values.sort();
  const h = (values.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, values.length - 1);
  const a = values[lo] as number;
  const b = values[hi] as number;
  const t = h - lo;
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}

function checkMask(name: string, mask: unknown, nGenes: number): ArrayLike<boolean> {
  const m = mask as ArrayLike<boolean> | null;
  if (typeof m !== 'object' || m === null || typeof m.length !== 'number' || m.length !== nGenes) {
    throw new RangeError(`${FN}: option 'pseudocounts.${name}' must hold ${nGenes} booleans (one per gene), got ${describeValue(mask)}`);
  }
  return m;
}

/** scvi-tools' estimate_pseudocounts_offset on the paired samples. */
function estimatePseudocounts(est: PseudocountsEstimate, sA: Float32Array, sB: Float32Array, pairs: SamplePairs, nGenes: number): number {
  const zeroA = checkMask('whereZeroA', est.whereZeroA, nGenes);
  const zeroB = checkMask('whereZeroB', est.whereZeroB, nGenes);
  const q = checkNumber('pseudocounts.quantile', est.quantile ?? 0.9, (v) => v >= 0 && v <= 1, 'a number in [0, 1]');
  const offset = (scales: Float32Array, idx: Int32Array, zero: ArrayLike<boolean>): number => {
    const picked: number[] = [];
    for (let g = 0; g < nGenes; g++) {
      if (!zero[g]) continue;
      let max = -Infinity;
      for (let k = 0; k < idx.length; k++) max = Math.max(max, scales[(idx[k] as number) * nGenes + g] as number);
      picked.push(max);
    }
    return picked.length === 0 ? 1e-5 : quantile(Float64Array.from(picked), q);
  };
  return Math.max(1e-5, offset(sA, pairs.a, zeroA), offset(sB, pairs.b, zeroB));
}

function columnMeans(scales: Float32Array, n: number, nGenes: number): Float64Array {
  const out = new Float64Array(nGenes);
  for (let i = 0; i < n; i++) for (let g = 0; g < nGenes; g++) out[g] = (out[g] as number) + (scales[i * nGenes + g] as number);
  for (let g = 0; g < nGenes; g++) out[g] = (out[g] as number) / n;
  return out;
}

/**
 * scvi-tools' Bayes factors and change statistics between the posterior scale samples of two
 * groups: `scalesA` [nSamplesA × nGenes] and `scalesB` [nSamplesB × nGenes], row-major float32.
 */
export function bayesFactors(scalesA: Float32Array, scalesB: Float32Array, options: BayesFactorsOptions): BayesFactorsResult {
  if (typeof options !== 'object' || options === null) throw new TypeError(`${FN}: argument 'options' must be an object, got ${describeValue(options)}`);
  const nGenes = checkNumber('nGenes', options.nGenes, (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1');
  const mode = options.mode;
  if (mode !== 'vanilla' && mode !== 'change') throw new RangeError(`${FN}: option 'mode' must be 'vanilla' or 'change', got ${describeValue(mode)}`);
  const delta = checkNumber('delta', options.delta ?? 0.25, (v) => Number.isFinite(v) && v > 0, 'a finite number > 0 (an automatic delta is not supported)');
  const eps = checkNumber('eps', options.eps ?? 1e-8, (v) => Number.isFinite(v) && v >= 0, 'a finite number >= 0');
  const testMode = options.testMode ?? 'three';
  if (testMode !== 'three' && testMode !== 'two') throw new RangeError(`${FN}: option 'testMode' must be 'three' or 'two', got ${describeValue(testMode)}`);
  const pcOption = options.pseudocounts ?? 0;
  if (typeof pcOption === 'number') checkNumber('pseudocounts', pcOption, (v) => Number.isFinite(v) && v >= 0, 'a finite number >= 0');
  else if (typeof pcOption !== 'object' || pcOption === null) {
    throw new TypeError(`${FN}: option 'pseudocounts' must be a number >= 0 or { whereZeroA, whereZeroB, quantile? }, got ${describeValue(pcOption)}`);
  }
  const nA = checkScales('scalesA', scalesA, nGenes);
  const nB = checkScales('scalesB', scalesB, nGenes);
  const pairs = resolvePairs(options, nA, nB);
  const m = pairs.a.length;

  const probaM1 = new Float64Array(nGenes);
  const probaM2 = new Float64Array(nGenes);
  const bayesFactor = new Float64Array(nGenes);
  const scale1 = columnMeans(scalesA, nA, nGenes);
  const scale2 = columnMeans(scalesB, nB, nGenes);
  const base = { mode, probaM1, probaM2, bayesFactor, scale1, scale2, pairs };

  if (mode === 'vanilla') {
    const above = new Float64Array(nGenes);
    for (let k = 0; k < m; k++) {
      const ra = (pairs.a[k] as number) * nGenes;
      const rb = (pairs.b[k] as number) * nGenes;
      for (let g = 0; g < nGenes; g++) if ((scalesA[ra + g] as number) > (scalesB[rb + g] as number)) above[g] = (above[g] as number) + 1;
    }
    for (let g = 0; g < nGenes; g++) {
      const p1 = (above[g] as number) / m;
      probaM1[g] = p1;
      probaM2[g] = 1 - p1;
      bayesFactor[g] = Math.log(p1 + eps) - Math.log(1 - p1 + eps);
    }
    return {
      ...base, probaDe: null, probaNotDe: null, lfcMean: null, lfcMedian: null, lfcStd: null, lfcMin: null, lfcMax: null, delta: null, pseudocounts: null,
    };
  }

  const pc = typeof pcOption === 'number' ? pcOption : estimatePseudocounts(pcOption, scalesA, scalesB, pairs, nGenes);
  const pcSmall = 1e-3 * pc;
  const probaDe = new Float64Array(nGenes);
  const probaNotDe = new Float64Array(nGenes);
  const lfcMean = new Float64Array(nGenes);
  const lfcMedian = new Float64Array(nGenes);
  const lfcStd = new Float64Array(nGenes);
  const lfcMin = new Float64Array(nGenes);
  const lfcMax = new Float64Array(nGenes);

  // Genes in blocks, so the buffer of lfc samples stays near 8 MiB whatever m and nGenes.
  const block = Math.max(1, Math.min(nGenes, Math.floor(2 ** 20 / m)));
  const lfc = new Float64Array(block * m);
  const plus = new Float64Array(block);
  const minus = new Float64Array(block);
  for (let g0 = 0; g0 < nGenes; g0 += block) {
    const nb = Math.min(block, nGenes - g0);
    plus.fill(0);
    minus.fill(0);
    for (let k = 0; k < m; k++) {
      const ra = (pairs.a[k] as number) * nGenes + g0;
      const rb = (pairs.b[k] as number) * nGenes + g0;
      for (let j = 0; j < nb; j++) {
        const x = scalesA[ra + j] as number;
        const y = scalesB[rb + j] as number;
        const r = Math.log2(x + pc) - Math.log2(y + pc);
        if (r >= delta) plus[j] = (plus[j] as number) + 1;
        if (r < -delta) minus[j] = (minus[j] as number) + 1;
        lfc[j * m + k] = Math.log2(x + pcSmall) - Math.log2(y + pcSmall);
      }
    }
    for (let j = 0; j < nb; j++) {
      const g = g0 + j;
      const p1 = (plus[j] as number) / m;
      const p2 = (minus[j] as number) / m;
      const de = testMode === 'two' ? p1 + p2 : Math.max(p1, p2);
      const sign = testMode === 'two' ? 1 : Math.sign(p1 - p2);
      probaM1[g] = p1;
      probaM2[g] = p2;
      probaDe[g] = de;
      probaNotDe[g] = 1 - de;
      bayesFactor[g] = sign * (Math.log(de + eps) - Math.log(1 - de + eps));
      const r = lfc.subarray(j * m, (j + 1) * m);
      let sum = 0;
      for (let k = 0; k < m; k++) sum += r[k] as number;
      const mean = sum / m;
      let ss = 0;
      for (let k = 0; k < m; k++) {
        const d = (r[k] as number) - mean;
        ss += d * d;
      }
      r.sort();
      const mid = m >> 1;
      lfcMean[g] = mean;
      lfcStd[g] = Math.sqrt(ss / m);
      lfcMin[g] = r[0] as number;
      lfcMax[g] = r[m - 1] as number;
      lfcMedian[g] = m % 2 === 1 ? (r[mid] as number) : ((r[mid - 1] as number) + (r[mid] as number)) / 2;
    }
  }
  return { ...base, probaDe, probaNotDe, lfcMean, lfcMedian, lfcStd, lfcMin, lfcMax, delta, pseudocounts: pc };
}
