// Agreement between a clustering and reference labels: the clustering accuracy under the best
// one-to-one matching of clusters to labels, the adjusted Rand index and normalized mutual
// information.
import { contingency } from './contingency.js';
import { linearSumAssignment } from './hungarian.js';

export interface ClusteringAccuracy {
  /** The fraction of items whose cluster is matched to their label. */
  accuracy: number;
  /** cluster -> label, for the matched clusters. */
  mapping: Map<number, number>;
}

/**
 * Clustering accuracy: max over one-to-one matchings m of clusters to labels of
 * #{i : m(predicted_i) = labels_i} / n, the matching found by linearSumAssignment on the
 * contingency table (maximising matched counts). With more clusters than labels the unmatched
 * clusters' items count as wrong (no two clusters share a label); with fewer, some labels go
 * unmatched.
 */
export function clusteringAccuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): ClusteringAccuracy {
  const table = contingency(predicted, labels, 'clusteringAccuracy', 'predicted', 'labels');
  const nLabels = table.colValues.length;
  const { rowIndices, colIndices, totalCost } = linearSumAssignment(table.counts, table.rowValues.length, nLabels, { maximize: true });
  const mapping = new Map<number, number>();
  rowIndices.forEach((r, p) => mapping.set(table.rowValues[r] as number, table.colValues[colIndices[p] as number] as number));
  return { accuracy: totalCost / table.n, mapping };
}

/** C(x, 2) = x (x - 1) / 2, the number of pairs among x items. */
const pairs = (x: number): number => (x * (x - 1)) / 2;

/**
 * The adjusted Rand index (Hubert & Arabie 1985) of two labelings, symmetric in a and b:
 *   ARI = (index - expected) / (max - expected),  index = sum_rc C(n_rc, 2),
 *   expected = sum_r C(a_r, 2) sum_c C(b_c, 2) / C(n, 2),  max = (sum_r C(a_r, 2) + sum_c C(b_c, 2)) / 2,
 * with n_rc the contingency table and a_r, b_c its margins. 1 for identical partitions (whatever
 * the label values), about 0 for independent ones, negative for worse than chance. As
 * scikit-learn, 1 when max = expected (identical trivial partitions: one cluster, or all singletons).
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const table = contingency(a, b, 'adjustedRandIndex', 'a', 'b');
  let index = 0;
  for (const count of table.counts) index += pairs(count);
  let sumA = 0;
  for (const count of table.rowSums) sumA += pairs(count);
  let sumB = 0;
  for (const count of table.colSums) sumB += pairs(count);
  const total = pairs(table.n);
  const expected = total === 0 ? 0 : (sumA * sumB) / total;
  const max = (sumA + sumB) / 2;
  return max === expected ? 1 : (index - expected) / (max - expected);
}

/**
 * Normalized mutual information with the arithmetic-mean normalisation (scikit-learn's default):
 *   NMI = I(a; b) / ((H(a) + H(b)) / 2),
 *   I(a; b) = sum_rc (n_rc / n) log(n n_rc / (a_r b_c)),  H(a) = -sum_r (a_r / n) log(a_r / n).
 * In [0, 1], symmetric. As scikit-learn: 1 when both labelings are a single cluster, 0 when the
 * mutual information is 0 (in particular when only one of them is a single cluster).
 */
export function normalizedMutualInfo(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const table = contingency(a, b, 'normalizedMutualInfo', 'a', 'b');
  const { n, rowSums, colSums, counts } = table;
  const nc = colSums.length;
  if (rowSums.length === 1 && nc === 1) return 1;
  let mi = 0;
  for (let r = 0; r < rowSums.length; r++) {
    for (let c = 0; c < nc; c++) {
      const count = counts[r * nc + c] as number;
      if (count > 0) mi += (count / n) * Math.log((n * count) / ((rowSums[r] as number) * (colSums[c] as number)));
    }
  }
  mi = Math.max(mi, 0); // rounding can leave a tiny negative for independent labelings
  if (mi === 0) return 0;
  const normalizer = (entropy(rowSums, n) + entropy(colSums, n)) / 2;
  return mi / Math.max(normalizer, Number.EPSILON);
}

/** -sum p log p of the distribution counts / n. */
function entropy(counts: Float64Array, n: number): number {
  let h = 0;
  for (const count of counts) if (count > 0) h -= (count / n) * Math.log(count / n);
  return h;
}
