// @vitae/gmvae: the Gaussian-mixture-prior VAE, and the clustering tools it uses. Explicit exports.
export { GMVAE } from './model.js';
export type { GMVAETrainOptions } from './model.js';
export { GMVAEModule } from './module.js';
export type { GMVAELossOptions, GMVAELossParts, GMVAEModuleOptions } from './module.js';
export { ClusterEncoder } from './encoder.js';
export type { ClusterEncoderOptions, ClusterEncoding } from './encoder.js';
export { MixturePrior } from './prior.js';
export type { HierarchyOptions, MixturePriorOptions } from './prior.js';
export { resolveGMVAEOptions } from './options.js';
export type { GMVAEOptions } from './options.js';

// Clustering: k-means, optimal assignment, and agreement scores
export { kmeans } from './cluster/kmeans.js';
export type { KMeansOptions, KMeansResult } from './cluster/kmeans.js';
export { gaussianMixture } from './cluster/gaussian-mixture.js';
export type { GaussianMixtureOptions, GaussianMixtureResult } from './cluster/gaussian-mixture.js';
export { linearSumAssignment } from './cluster/hungarian.js';
export type { Assignment, AssignmentOptions } from './cluster/hungarian.js';
export { adjustedRandIndex, clusteringAccuracy, normalizedMutualInfo } from './cluster/accuracy.js';
export type { ClusteringAccuracy } from './cluster/accuracy.js';
