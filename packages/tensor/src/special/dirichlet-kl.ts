// KL(Dir(p) ‖ Dir(q)) over the last axis as two kernels, DirichletKl (the value) and
// DirichletKlGrad (both partials, scaled by dy): per row of K concentrations,
//
//   KL = log Γ(Σp) − log Γ(Σq) − Σ_k [log Γ(p_k) − log Γ(q_k)] + Σ_k (p_k − q_k)(ψ(p_k) − ψ(Σp))
//   ∂/∂p_k = (p_k − q_k) ψ'(p_k) − (Σp − Σq) ψ'(Σp)
//   ∂/∂q_k = ψ(q_k) − ψ(Σq) − (ψ(p_k) − ψ(Σp))
//
// Composed of tensor ops this is ~20 kernels on [..., K] forward and backward, most of them broadcasts of a [..., 1]
// row value. The portable implementation here computes in float64; @vitae/wasm's in float32 SIMD.
import { defineArrayKernel } from '../kernels/array-kernel.js';
import { SpecialKernel } from './kernel-names.js';
import { digammaScalar, lgammaScalar, polygammaScalar } from './scalar.js';

import type { ArrayKernelCall, KernelShape } from '../kernels/array-kernel.js';

/** Both kernels' portable implementation (float64 inside): the partials when the call has dy. */
export function dirichletKlJs({ inputs, outputs, inputShapes }: ArrayKernelCall): void {
  const [p, q] = inputs as [Float32Array, Float32Array];
  const shape = inputShapes[0] as KernelShape;
  const k = shape[shape.length - 1] as number;
  const rows = k === 0 ? 0 : p.length / k;
  const grad = inputs.length === 3;
  const dy = inputs[2] as Float32Array;
  for (let r = 0; r < rows; r++) {
    let sumP = 0;
    let sumQ = 0;
    for (let j = r * k; j < (r + 1) * k; j++) {
      sumP += p[j] as number;
      sumQ += q[j] as number;
    }
    const psiSumP = digammaScalar(sumP);
    if (!grad) {
      let value = lgammaScalar(sumP) - lgammaScalar(sumQ);
      for (let j = r * k; j < (r + 1) * k; j++) {
        const pj = p[j] as number;
        const qj = q[j] as number;
        value += lgammaScalar(qj) - lgammaScalar(pj) + (pj - qj) * (digammaScalar(pj) - psiSumP);
      }
      (outputs[0] as Float32Array)[r] = value;
      continue;
    }
    const d = dy[r] as number;
    const shared = (sumP - sumQ) * polygammaScalar(1, sumP);
    const psiSumQ = digammaScalar(sumQ);
    for (let j = r * k; j < (r + 1) * k; j++) {
      const pj = p[j] as number;
      const qj = q[j] as number;
      (outputs[0] as Float32Array)[j] = d * ((pj - qj) * polygammaScalar(1, pj) - shared);
      (outputs[1] as Float32Array)[j] = d * (digammaScalar(qj) - psiSumQ - (digammaScalar(pj) - psiSumP));
    }
  }
}

/** p and q of one shape [..., K] (K >= 1), dy of [...]. */
function checkShapes(name: string, shapes: readonly KernelShape[]): KernelShape {
  const [p, q, dy] = shapes as [KernelShape, KernelShape, KernelShape | undefined];
  if (p.length === 0 || (p[p.length - 1] as number) < 1) throw new RangeError(`${name}: input 'p' must have shape [..., K] with K >= 1, got [${p.join(', ')}]`);
  if (q.length !== p.length || q.some((d, a) => d !== p[a])) throw new RangeError(`${name}: input 'q' must have the shape of 'p' [${p.join(', ')}], got [${q.join(', ')}]`);
  const rowShape = p.slice(0, -1);
  if (dy !== undefined && (dy.length !== rowShape.length || dy.some((d, a) => d !== rowShape[a]))) {
    throw new RangeError(`${name}: input 'dy' must have shape [${rowShape.join(', ')}] (p without its last axis), got [${dy.join(', ')}]`);
  }
  return rowShape;
}

export function defineDirichletKlKernels(): void {
  defineArrayKernel(
    {
      kernelName: SpecialKernel.DirichletKl,
      inputNames: ['p', 'q'],
      outputs: (shapes) => [{ shape: [...checkShapes(SpecialKernel.DirichletKl, shapes)], dtype: 'float32' }],
    },
    dirichletKlJs,
  );
  defineArrayKernel(
    {
      kernelName: SpecialKernel.DirichletKlGrad,
      inputNames: ['p', 'q', 'dy'],
      outputs: (shapes) => {
        checkShapes(SpecialKernel.DirichletKlGrad, shapes);
        const p = [...(shapes[0] as KernelShape)];
        return [{ shape: p, dtype: 'float32' }, { shape: [...p], dtype: 'float32' }];
      },
    },
    dirichletKlJs,
  );
}
