// A small AnnData drawn from a known count model, for the SCVI model tests: three cell types with
// their own gene programmes, two batches (batch 1 multiplies every gene by its own factor),
// library sizes varying 4x. Gene 0 ('marker') is expressed only in type 'A', 20x its level
// elsewhere: the constructed differential-expression answer.
import { AnnData, Categorical, CsrMatrix, DataFrame } from '@vitae/anndata';
import { Prng } from '@vitae/tensor';

export const TYPES = ['A', 'B', 'C'] as const;

/** Poisson(mean) by inversion (means here are below ~100). */
function poisson(prng: Prng, mean: number): number {
  let k = 0;
  let p = Math.exp(-mean);
  let cdf = p;
  const u = prng.nextDouble();
  while (u > cdf && k < 1000) {
    k += 1;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

export interface SyntheticOptions {
  nCells?: number;
  nGenes?: number;
  seed?: number;
}

export function syntheticAnnData(options: SyntheticOptions = {}): AnnData {
  const nCells = options.nCells ?? 150;
  const nGenes = options.nGenes ?? 40;
  const prng = new Prng(options.seed ?? 7);
  // Per type: gene frequencies (unnormalised), log-normal around 1.
  const programmes = TYPES.map(() => Array.from({ length: nGenes }, () => Math.exp(prng.nextNormal())));
  programmes.forEach((p, k) => {
    p[0] = k === 0 ? 20 : 1;
  });
  const batchFactor = Array.from({ length: nGenes }, () => Math.exp(0.7 * prng.nextNormal()));
  const values = new Float32Array(nCells * nGenes);
  const type: string[] = [];
  const batch: string[] = [];
  for (let i = 0; i < nCells; i++) {
    const k = i % 3;
    const b = Math.floor(i / 3) % 2;
    type.push(TYPES[k] as string);
    batch.push(`batch${b}`);
    const library = 100 * Math.exp(Math.log(4) * prng.nextDouble());
    const rates = (programmes[k] as number[]).map((r, g) => r * (b === 1 ? (batchFactor[g] as number) : 1));
    const total = rates.reduce((s, r) => s + r, 0);
    rates.forEach((r, g) => {
      values[i * nGenes + g] = poisson(prng, (library * r) / total);
    });
    if (values.subarray(i * nGenes, (i + 1) * nGenes).every((v) => v === 0)) values[i * nGenes + 1] = 1;
  }
  const obs = new DataFrame(Array.from({ length: nCells }, (_, i) => `cell${i}`), {
    cell_type: Categorical.fromValues(type),
    batch: Categorical.fromValues(batch),
  });
  const genes = ['marker', ...Array.from({ length: nGenes - 1 }, (_, g) => `gene${g + 1}`)];
  return new AnnData({ X: CsrMatrix.fromDense(values, nCells, nGenes), obs, var: genes });
}
