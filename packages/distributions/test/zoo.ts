// One representative of every family with a batch shape [2, 3] (event shapes vary), used by the
// table-driven shape, moment, validation and leak tests.
import {
  Bernoulli,
  Beta,
  Categorical,
  Dirichlet,
  Exponential,
  Gamma,
  Independent,
  Laplace,
  LogNormal,
  MixtureSameFamily,
  NegativeBinomial,
  Normal,
  OneHotCategorical,
  Poisson,
  RelaxedOneHotCategorical,
  Uniform,
  ZeroInflatedNegativeBinomial,
} from '../src/index.js';

import type { Distribution } from '../src/index.js';

const col = [[0.5], [1.5]]; // [2, 1]
const row = [0.7, 1.3, 2.0]; // [3]

export interface ZooEntry {
  name: string;
  make: () => Distribution;
  eventShape: number[];
  /** Whether sample moments should match mean / variance (false where they are undefined). */
  moments: boolean;
}

export const zoo: ZooEntry[] = [
  { name: 'Normal', make: () => new Normal(col, row), eventShape: [], moments: true },
  { name: 'LogNormal', make: () => new LogNormal([[-0.5], [0.2]], [0.2, 0.4, 0.5]), eventShape: [], moments: true },
  { name: 'Laplace', make: () => new Laplace(col, row), eventShape: [], moments: true },
  { name: 'Uniform', make: () => new Uniform(col, [[2, 3, 4], [5, 6, 7]]), eventShape: [], moments: true },
  { name: 'Exponential', make: () => new Exponential([[0.5, 1, 2], [3, 4, 5]]), eventShape: [], moments: true },
  { name: 'Gamma', make: () => new Gamma([[0.3, 1, 4], [9, 0.8, 2.5]], col), eventShape: [], moments: true },
  { name: 'Beta', make: () => new Beta([[0.3, 1, 4], [9, 0.8, 2.5]], row), eventShape: [], moments: true },
  {
    name: 'Dirichlet',
    make: () =>
      new Dirichlet([
        [[0.3, 1, 4, 2], [9, 0.8, 2.5, 1], [1, 1, 1, 1]],
        [[0.25, 0.25, 0.25, 0.25], [50, 20, 5, 1], [2, 2, 0.5, 0.5]],
      ]),
    eventShape: [4],
    moments: true,
  },
  { name: 'Poisson', make: () => new Poisson([[0.5, 3, 12], [40, 0.1, 7]]), eventShape: [], moments: true },
  { name: 'Bernoulli(logits)', make: () => new Bernoulli({ logits: [[-2, 0, 1], [3, -0.5, 0.2]] }), eventShape: [], moments: true },
  { name: 'Bernoulli(probs)', make: () => new Bernoulli({ probs: [[0.1, 0.5, 0.9], [0.3, 0.01, 0.7]] }), eventShape: [], moments: true },
  { name: 'Categorical', make: () => new Categorical({ logits: [[[0, 1, 2], [1, 1, 1], [-1, 2, 0]], [[3, 0, 0], [0, 0, -2], [1, 2, 3]]] }), eventShape: [], moments: false },
  { name: 'OneHotCategorical', make: () => new OneHotCategorical({ probs: [[[0.2, 0.3, 0.5], [0.1, 0.8, 0.1], [1 / 3, 1 / 3, 1 / 3]], [[0.6, 0.2, 0.2], [0.05, 0.05, 0.9], [0.4, 0.4, 0.2]]] }), eventShape: [3], moments: true },
  { name: 'NegativeBinomial', make: () => new NegativeBinomial({ mu: [[0.5, 3, 12], [40, 0.1, 7]], theta: row }), eventShape: [], moments: true },
  { name: 'NegativeBinomial(totalCount, logits)', make: () => new NegativeBinomial({ totalCount: row, logits: [[-1], [0.5]] }), eventShape: [], moments: true },
  {
    name: 'ZeroInflatedNegativeBinomial',
    make: () => new ZeroInflatedNegativeBinomial({ mu: [[0.5, 3, 12], [40, 0.1, 7]], theta: row, ziLogits: [[-1], [0.5]] }),
    eventShape: [],
    moments: true,
  },
  { name: 'RelaxedOneHotCategorical', make: () => new RelaxedOneHotCategorical({ temperature: 0.5, logits: [[[0, 1, 2], [1, 1, 1], [-1, 2, 0]], [[3, 0, 0], [0, 0, -2], [1, 2, 3]]] }), eventShape: [3], moments: false },
  { name: 'Independent(Normal)', make: () => new Independent(new Normal([[[0, 1], [2, 3], [4, 5]], [[0, 1], [2, 3], [4, 5]]], 0.5), 1), eventShape: [2], moments: true },
  {
    name: 'MixtureSameFamily(Normal)',
    make: () => new MixtureSameFamily(new Categorical({ logits: [[[0, 1], [1, 1], [-1, 2]], [[3, 0], [0, 0], [1, 2]]] }), new Normal([[[-2, 2], [0, 1], [5, -5]], [[-2, 2], [0, 1], [5, -5]]], 0.7)),
    eventShape: [],
    moments: true,
  },
];
