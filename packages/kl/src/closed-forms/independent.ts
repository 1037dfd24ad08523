// KL between Independent products: the base KL summed over the reinterpreted axes.
import { Independent, sumRightmost } from '@vitae/distributions';

import type { Distribution } from '@vitae/distributions';
import type { Tensor } from '@vitae/tensor';

/** Strips nested Independent wrappers: the innermost base and the total reinterpreted axes. */
function unwrap(d: Distribution): [Distribution, number] {
  let n = 0;
  let inner: Distribution = d;
  while (inner instanceof Independent) {
    n += inner.reinterpretedBatchNdims;
    inner = inner.base;
  }
  return [inner, n];
}

/**
 * KL(Independent(p, n) || Independent(q, n)) = Σ over the n event axes of KL(p || q). Nested
 * wrappers are flattened first, so Independent(Independent(Normal, 1), 1) matches
 * Independent(Normal, 2). `klBase` is the registry's dispatch for the bases.
 */
export function makeKlIndependentIndependent(klBase: (p: Distribution, q: Distribution) => Tensor) {
  return (p: Independent, q: Independent): Tensor => {
    const [pBase, np] = unwrap(p);
    const [qBase, nq] = unwrap(q);
    if (np !== nq) {
      throw new Error(
        `klDivergence: KL(${p.name} || ${q.name}) needs the same number of reinterpreted batch axes, got ${np} and ${nq}`,
      );
    }
    return sumRightmost(klBase(pBase, qBase), np);
  };
}
