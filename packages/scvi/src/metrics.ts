// Scores of a latent space (cells × dimensions), as used to judge scVI (scib-style):
//   knnAccuracy   5-fold cross-validated k-nearest-neighbour (k = 15, Euclidean, majority vote,
//                 ties to the nearest tied label) classification accuracy of labels: how well the
//                 embedding keeps cell types apart
//   batchEntropy  mean over cells of the entropy of the batch labels among its k = 50 nearest
//                 neighbours, divided by log(nBatches): 1 = batches fully mixed, 0 = separated
//                 (the entropy of batch mixing of Lopez et al. 2018)
// Brute-force neighbours in float64: exact, O(n² d), meant for up to some ten thousand cells.
import { Categorical, DenseArray } from '@vitae/anndata';
import { describeValue } from '@vitae/tensor';

/** Category codes (-1: missing) from codes, strings (null: missing) or a Categorical. */
function codesOf(fn: string, arg: string, values: unknown, n: number): Int32Array {
  let codes: Int32Array;
  if (values instanceof Categorical) codes = values.codes;
  else if (values instanceof Int32Array) codes = values;
  else if (Array.isArray(values) && values.every((v) => typeof v === 'string' || v === null)) codes = Categorical.fromValues(values as (string | null)[]).codes;
  else throw new TypeError(`${fn}: argument '${arg}' must be an Int32Array of codes (-1: missing), an array of strings or a Categorical, got ${describeValue(values)}`);
  if (codes.length !== n) throw new RangeError(`${fn}: argument '${arg}' must hold one entry per cell (${n}), got ${codes.length}`);
  return codes;
}

function checkEmbedding(fn: string, embedding: unknown): DenseArray {
  if (!(embedding instanceof DenseArray) || embedding.nRows < 2 || embedding.nCols < 1) {
    throw new TypeError(`${fn}: argument 'embedding' must be a DenseArray of at least 2 cells × 1 dimension (e.g. getLatentRepresentation()), got ${describeValue(embedding)}`);
  }
  for (const v of embedding.values) if (!Number.isFinite(v)) throw new RangeError(`${fn}: argument 'embedding' must hold finite numbers, got ${v}`);
  return embedding;
}

function checkK(fn: string, k: unknown, max: number): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > max) throw new RangeError(`${fn}: option 'k' must be an integer in [1, ${max}], got ${describeValue(k)}`);
  return k;
}

/** A seeded permutation of 0..n-1 (xorshift32 Fisher-Yates; the folds only need to be reproducible). */
export function permutation(n: number, seed: number): Int32Array {
  const out = Int32Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as number, out[i] as number];
  }
  return out;
}

function squaredDistance(x: ArrayLike<number>, d: number, i: number, j: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) {
    const diff = (x[i * d + k] as number) - (x[j * d + k] as number);
    s += diff * diff;
  }
  return s;
}

/** Indices of the k nearest of `candidates` to cell i (excluding i), nearest first. */
function nearest(x: ArrayLike<number>, d: number, i: number, candidates: ArrayLike<number>, k: number): number[] {
  const best: Array<[number, number]> = [];
  for (let c = 0; c < candidates.length; c++) {
    const j = candidates[c] as number;
    if (j === i) continue;
    const dist = squaredDistance(x, d, i, j);
    if (best.length < k || dist < (best[best.length - 1] as [number, number])[0]) {
      let at = best.length;
      while (at > 0 && (best[at - 1] as [number, number])[0] > dist) at--;
      best.splice(at, 0, [dist, j]);
      if (best.length > k) best.pop();
    }
  }
  return best.map(([, j]) => j);
}

/** Cross-validated (default 5-fold) kNN accuracy over the cells with a label; unlabelled cells are left out. */
export function knnAccuracy(embedding: DenseArray, labels: Int32Array | readonly (string | null)[] | Categorical, options: { k?: number; folds?: number; seed?: number } = {}): number {
  const fn = 'knnAccuracy';
  const { values: x, nCols: d, nRows: n } = checkEmbedding(fn, embedding);
  const codes = codesOf(fn, 'labels', labels, n);
  const nLabelled = codes.filter((c) => c >= 0).length;
  const folds = options.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 2 || folds > nLabelled) throw new RangeError(`${fn}: option 'folds' must be an integer in [2, ${nLabelled}] (labelled cells), got ${describeValue(folds)}`);
  const k = checkK(fn, options.k ?? 15, nLabelled - Math.ceil(nLabelled / folds));
  return knnAccuracyOf(x, d, codes, k, folds, options.seed ?? 0);
}

function knnAccuracyOf(x: ArrayLike<number>, d: number, labels: Int32Array, k: number, folds: number, seed: number): number {
  const labelled = Int32Array.from(Array.from(labels.keys()).filter((i) => (labels[i] as number) >= 0));
  const order = permutation(labelled.length, seed);
  const shuffled = Int32Array.from(order, (p) => labelled[p] as number);
  let correct = 0;
  for (let f = 0; f < folds; f++) {
    const lo = Math.floor((f * shuffled.length) / folds);
    const hi = Math.floor(((f + 1) * shuffled.length) / folds);
    const train = Int32Array.from([...shuffled.subarray(0, lo), ...shuffled.subarray(hi)]);
    for (let p = lo; p < hi; p++) {
      const i = shuffled[p] as number;
      const votes = new Map<number, number>();
      const neighbours = nearest(x, d, i, train, k);
      for (const j of neighbours) votes.set(labels[j] as number, (votes.get(labels[j] as number) ?? 0) + 1);
      const top = Math.max(...votes.values());
      // Ties: the label of the nearest neighbour among the tied labels.
      const winner = neighbours.map((j) => labels[j] as number).find((l) => votes.get(l) === top);
      if (winner === labels[i]) correct++;
    }
  }
  return correct / shuffled.length;
}

/** Mean normalised entropy of the batches among each cell's k nearest neighbours. */
export function batchEntropy(embedding: DenseArray, batches: Int32Array | readonly (string | null)[] | Categorical, options: { k?: number } = {}): number {
  const fn = 'batchEntropy';
  const { values: x, nCols: d, nRows: n } = checkEmbedding(fn, embedding);
  const codes = codesOf(fn, 'batches', batches, n);
  if (codes.some((c) => c < 0)) throw new RangeError(`${fn}: argument 'batches' must give every cell a batch, got a missing value at cell ${codes.indexOf(-1)}`);
  const k = checkK(fn, options.k ?? 50, n - 1);
  const nBatch = Math.max(...codes) + 1;
  if (nBatch < 2) throw new RangeError(`${fn}: argument 'batches' must hold at least two batches, got ${nBatch}`);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const counts = new Float64Array(nBatch);
    const neighbours = nearest(x, d, i, all, k);
    for (const j of neighbours) counts[codes[j] as number] = (counts[codes[j] as number] as number) + 1;
    let h = 0;
    for (const c of counts) if (c > 0) h -= (c / neighbours.length) * Math.log(c / neighbours.length);
    total += h / Math.log(nBatch);
  }
  return total / n;
}
