// @vitae/preprocess: scanpy's preprocessing steps on @vitae/anndata. Every AnnData step returns
// a NEW AnnData (the input is never changed); the matrix-level functions beside them work on a
// bare matrix. Explicit exports, by topic.

// Cell and gene filters
export { filterCells, filterCellsMask, filterGenes, filterGenesMask } from './filter.js';
export type { FilterCellsOptions, FilterGenesOptions, FilterResult } from './filter.js';

// Normalisation, log, scaling
export { normalizeTotal, normalizeTotalMatrix } from './normalize.js';
export type { NormalizeTotalOptions, NormalizeTotalResult } from './normalize.js';
export { log1p, log1pMatrix } from './log1p.js';
export type { Log1pOptions } from './log1p.js';
export { scale, scaleMatrix } from './scale.js';
export type { ScaleOptions, ScaleResult } from './scale.js';

// Highly variable genes
export { highlyVariableGenes } from './hvg/highly-variable-genes.js';
export type { HighlyVariableGenesOptions } from './hvg/highly-variable-genes.js';
export { seuratV3 } from './hvg/seurat-v3.js';
export type { SeuratV3Options, SeuratV3Result } from './hvg/seurat-v3.js';
export { cutBins, seurat } from './hvg/seurat.js';
export type { SeuratOptions, SeuratResult } from './hvg/seurat.js';
export { loess, loessVertices } from './hvg/loess.js';
export type { LoessOptions } from './hvg/loess.js';

// PCA
export { defaultNComps, pca, pcaMatrix } from './pca/pca.js';
export type { PcaOptions, PcaResult } from './pca/pca.js';
export { tridiagonalEigen } from './pca/tridiagonal.js';
export type { TridiagonalEigen } from './pca/tridiagonal.js';

// Neighbours
export { knnSearch, neighbors } from './neighbors/knn.js';
export type { KnnOptions, KnnResult } from './neighbors/knn.js';
export { knnDistances, smoothKnnDist, umapConnectivities } from './neighbors/connectivities.js';
export type { UmapConnectivities, UmapConnectivitiesOptions } from './neighbors/connectivities.js';
export { neighborGraph } from './neighbors/graph.js';
export type { NeighborGraphOptions } from './neighbors/graph.js';

// scVelo steps for veloVI
export { filterAndNormalize, filterGenesDispersion, normalizePerCell, scveloFilterGenesMask } from './scvelo/filter-normalize.js';
export type { DispersionResult, FilterAndNormalizeOptions, GeneFilterBounds } from './scvelo/filter-normalize.js';
export { moments } from './scvelo/moments.js';
export type { MomentsOptions } from './scvelo/moments.js';
export { minMaxScale, minMaxScaleMatrix } from './scvelo/scale.js';
export { fitSteadyState, steadyStateVelocity } from './scvelo/velocity.js';
export type { SteadyStateFit, SteadyStateOptions } from './scvelo/velocity.js';
export { preprocessVelocityData } from './scvelo/preprocess-velocity.js';
export type { PreprocessVelocityOptions } from './scvelo/preprocess-velocity.js';
