// The baseline a GMM-VAE's clustering is judged against: k-means with k = 10 on the raw pixels.
import { adjustedRandIndex, clusteringAccuracy, kmeans, normalizedMutualInfo } from '@vitae/gmvae';

export interface ClusteringScores {
  /** Clustering accuracy under the best one-to-one matching of the 10 clusters to the 10 digits. */
  accuracy: number;
  /** Adjusted Rand index of the clusters against the digits. */
  ari: number;
  /** Normalized mutual information (arithmetic mean). */
  nmi: number;
  /** Wall-clock seconds of the k-means run. */
  seconds: number;
}

/** k-means (k = 10, 4 seeded k-means++ restarts) on the n x 784 `images`, scored against `labels`. */
export function kmeansPixelBaseline(images: Float32Array, labels: Int32Array, n: number, options: { seed: number }): ClusteringScores {
  const start = performance.now();
  const result = kmeans(images, n, images.length / n, 10, { seed: options.seed, nInit: 4 });
  const seconds = (performance.now() - start) / 1000;
  return {
    accuracy: clusteringAccuracy(result.labels, labels).accuracy,
    ari: adjustedRandIndex(result.labels, labels),
    nmi: normalizedMutualInfo(result.labels, labels),
    seconds,
  };
}
