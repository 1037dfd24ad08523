// Builds a distribution from the JSON spec the fixture generators write
// (tooling/fixtures/generators/distributions.py): { family, params }, where Independent and
// MixtureSameFamily nest specs. The families are passed in, so the suites need no dependency on
// @vitae/distributions (which depends on this package for its tests).

export interface DistributionSpec {
  family: string;
  params?: Record<string, unknown>;
  /** Independent */
  base?: DistributionSpec;
  reinterpretedBatchNdims?: number;
  /** MixtureSameFamily */
  mixture?: DistributionSpec;
  components?: DistributionSpec;
}

/** A module of distribution classes, e.g. `import * as families from '@vitae/distributions'`. */
export type FamilyModule = Record<string, unknown>;

type Ctor = new (...args: unknown[]) => unknown;

// Families constructed positionally, in constructor order; the rest take one params object.
const POSITIONAL: Record<string, string[]> = {
  Normal: ['loc', 'scale'],
  LogNormal: ['loc', 'scale'],
  Laplace: ['loc', 'scale'],
  Uniform: ['low', 'high'],
  Exponential: ['rate'],
  Gamma: ['concentration', 'rate'],
  Beta: ['concentration1', 'concentration0'],
  Dirichlet: ['concentration'],
  Poisson: ['rate'],
};

export function buildFromSpec<D>(spec: DistributionSpec, families: FamilyModule): D {
  const ctor = families[spec.family] as Ctor | undefined;
  if (typeof ctor !== 'function') throw new Error(`buildFromSpec: unknown family '${spec.family}'`);
  const p = spec.params ?? {};
  if (spec.family === 'Independent') {
    const base = spec.base ?? (p.base as DistributionSpec);
    return new ctor(buildFromSpec(base, families), spec.reinterpretedBatchNdims ?? p.reinterpretedBatchNdims) as D;
  }
  if (spec.family === 'MixtureSameFamily') {
    const mixture = spec.mixture ?? (p.mixture as DistributionSpec);
    const components = spec.components ?? (p.components as DistributionSpec);
    return new ctor(buildFromSpec(mixture, families), buildFromSpec(components, families)) as D;
  }
  const positional = POSITIONAL[spec.family];
  if (positional) return new ctor(...positional.map((name) => p[name])) as D;
  return new ctor(p) as D;
}
