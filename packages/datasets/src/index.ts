// @vitae/datasets: real single-cell data shipped inside the package, loaded as AnnData.
export { pbmc3k } from './pbmc3k.js';
export type { Pbmc3kOptions } from './pbmc3k.js';
export { PANCREAS_CLUSTER_ORDER, PANCREAS_TRANSITIONS, pancreas } from './pancreas.js';
export { loadDataFile } from './load-file.js';
