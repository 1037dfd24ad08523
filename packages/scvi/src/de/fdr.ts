// scvi-tools' _fdr_de_prediction (scvi/model/base/_de_core.py): sort the genes by proba_de,
// descending; the posterior expected FDR of the top k genes is the mean of (1 - proba_de) over
// them; the first d genes are DE, d = the number of k with that mean <= fdr_target (the means
// never decrease along the sorted order, so these are the leading ones). Ties in proba_de keep
// gene order (a stable sort; pandas' sort_values is not stable, so where a tie straddles the
// cut, scvi-tools' choice among the tied genes is arbitrary).
import { describeValue } from '@vitae/tensor';

/** is_de_fdr per gene (in gene order) for the posterior DE probabilities `probaDe`. */
export function fdrDePrediction(probaDe: ArrayLike<number>, fdrTarget = 0.05): boolean[] {
  const fn = 'fdrDePrediction';
  if (typeof probaDe !== 'object' || probaDe === null || typeof probaDe.length !== 'number') {
    throw new TypeError(`${fn}: argument 'probaDe' must be an array of probabilities, got ${describeValue(probaDe)}`);
  }
  if (typeof fdrTarget !== 'number' || !(fdrTarget > 0 && fdrTarget < 1)) {
    throw new RangeError(`${fn}: argument 'fdrTarget' must be a number in (0, 1), got ${describeValue(fdrTarget)}`);
  }
  const n = probaDe.length;
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = probaDe[i] as number;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new RangeError(`${fn}: argument 'probaDe' must hold probabilities in [0, 1], got ${describeValue(v)} at index ${i}`);
    }
    p[i] = v;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => (p[j] as number) - (p[i] as number) || i - j);
  let cumulative = 0;
  let d = 0;
  for (let k = 0; k < n; k++) {
    cumulative += 1 - (p[order[k] as number] as number);
    if (cumulative / (k + 1) <= fdrTarget) d++;
  }
  const isDe = new Array<boolean>(n).fill(false);
  for (let k = 0; k < d; k++) isDe[order[k] as number] = true;
  return isDe;
}
