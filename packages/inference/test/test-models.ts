// Test helpers: re-exports plus a prior with no registered KL (to exercise the MC path).
import { Distribution, constraints } from '@vitae/distributions';
import * as t from '@vitae/tensor';

import type { Tensor } from '@vitae/tensor';

export { Independent, Normal } from '@vitae/distributions';

/** A standard Student-t(3) with no KL registration, written like a user's own prior. */
export class StudentTLike extends Distribution {
  constructor() {
    super([], []);
  }
  get support() {
    return constraints.real;
  }
  protected logProbImpl(x: Tensor): Tensor {
    // log Γ(2) - log Γ(1.5) - ½ log(3π) - 2 log(1 + x²/3)
    return t.sub(-0.5 * Math.log(3 * Math.PI) - Math.log(Math.sqrt(Math.PI) / 2), t.mul(t.log1p(t.div(t.square(x), 3)), 2));
  }
  expand(): StudentTLike {
    return new StudentTLike();
  }
}
