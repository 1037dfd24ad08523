// Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, with the local trials of scikit-learn's
// `_kmeans_plusplus`): the first centre is a uniformly drawn point; each next one is the best of
// 2 + floor(ln k) candidates drawn with probability proportional to D(x)², the squared distance
// from x to its closest centre so far, "best" meaning the candidate whose addition leaves the
// smallest potential sum_x min(D(x)², ||x - candidate||²).
import { distancesToCenters } from './distances.js';

import type { Rows } from './distances.js';

/** k initial centres (row-major k x nCols, float64) chosen among `rows`; `uniform` draws from [0, 1). */
export function kmeansPlusPlus(rows: Rows, k: number, uniform: () => number): Float64Array {
  const { nRows, nCols, norms } = rows;
  const centers = new Float64Array(k * nCols);
  const nTrials = 2 + Math.floor(Math.log(k));
  const candidates = new Float64Array(nTrials * nCols);
  const candidateNorms = new Float64Array(nTrials);
  const trialDistances = new Float64Array(nTrials * nRows); // min(D(x)², ||x - candidate t||²), trial-major
  const potentials = new Float64Array(nTrials);
  const cumulative = new Float64Array(nRows);
  const closest = new Float64Array(nRows); // D(x)²
  const dist = new Float64Array(nTrials);

  const first = Math.min(nRows - 1, Math.floor(uniform() * nRows));
  copyRow(rows, first, centers, 0);
  candidateNorms[0] = norms[first] as number;
  let potential = 0;
  for (let i = 0; i < nRows; i++) {
    distancesToCenters(rows, i, centers, candidateNorms, 1, dist);
    closest[i] = dist[0] as number;
    potential += dist[0] as number;
  }

  for (let c = 1; c < k; c++) {
    let running = 0;
    for (let i = 0; i < nRows; i++) cumulative[i] = running += closest[i] as number;
    for (let t = 0; t < nTrials; t++) {
      // Every point already on a centre (potential 0, e.g. fewer distinct points than k): draw uniformly.
      const row = potential > 0 ? searchAbove(cumulative, uniform() * potential) : Math.min(nRows - 1, Math.floor(uniform() * nRows));
      copyRow(rows, row, candidates, t * nCols);
      candidateNorms[t] = norms[row] as number;
    }
    potentials.fill(0);
    for (let i = 0; i < nRows; i++) {
      distancesToCenters(rows, i, candidates, candidateNorms, nTrials, dist);
      const d0 = closest[i] as number;
      for (let t = 0; t < nTrials; t++) {
        const d = Math.min(d0, dist[t] as number);
        trialDistances[t * nRows + i] = d;
        potentials[t] = (potentials[t] as number) + d;
      }
    }
    let best = 0;
    for (let t = 1; t < nTrials; t++) if ((potentials[t] as number) < (potentials[best] as number)) best = t;
    potential = potentials[best] as number;
    closest.set(trialDistances.subarray(best * nRows, (best + 1) * nRows));
    centers.set(candidates.subarray(best * nCols, (best + 1) * nCols), c * nCols);
  }
  return centers;
}

/** The first index i with cumulative[i] > r (numpy's searchsorted(side='right')), clipped to the last index. */
function searchAbove(cumulative: Float64Array, r: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] as number) > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function copyRow(rows: Rows, row: number, out: Float64Array, offset: number): void {
  const o = row * rows.nCols;
  for (let d = 0; d < rows.nCols; d++) out[offset + d] = rows.data[o + d] as number;
}
