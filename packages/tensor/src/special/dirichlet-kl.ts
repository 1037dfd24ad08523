// KL(Dir(p) ‖ Dir(q)) over the last axis as two kernels, DirichletKl (the value, and ∂/∂p when
// asked) and DirichletKlGrad (the partials scaled by dy): per row of K concentrations,
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
import type { DirichletKlAttrs, DirichletKlGradAttrs } from './kernel-names.js';

/**
 * What a call of the two kernels computes: DirichletKl the value ('value') or the value and the
 * unscaled ∂/∂p ('value-gradP', attr gradP: a recorded forward pass saves ∂/∂p for its backward);
 * DirichletKlGrad dy · ∂/∂p and dy · ∂/∂q ('grads') or dy · ∂/∂q alone ('gradQ', attr wrtP false).
 */
export type DirichletKlForm = 'value' | 'value-gradP' | 'grads' | 'gradQ';

/** The form of a call from its inputs (dy: DirichletKlGrad) and attributes (absent: the plain form). */
export function dirichletKlForm(inputCount: number, attrs: Partial<DirichletKlAttrs & DirichletKlGradAttrs>): DirichletKlForm {
  if (inputCount === 3) return attrs.wrtP === false ? 'gradQ' : 'grads';
  return attrs.gradP === true ? 'value-gradP' : 'value';
}

/** Both kernels' portable implementation (float64 inside), every form of dirichletKlForm. */
export function dirichletKlJs({ inputs, outputs, inputShapes, attrs }: ArrayKernelCall<Partial<DirichletKlAttrs & DirichletKlGradAttrs>>): void {
  const [p, q] = inputs as [Float32Array, Float32Array];
  const shape = inputShapes[0] as KernelShape;
  const k = shape[shape.length - 1] as number;
  const rows = k === 0 ? 0 : p.length / k;
  const form = dirichletKlForm(inputs.length, attrs);
  const dy = inputs[2] as Float32Array;
  for (let r = 0; r < rows; r++) {
    let sumP = 0;
    let sumQ = 0;
    for (let j = r * k; j < (r + 1) * k; j++) {
      sumP += p[j] as number;
      sumQ += q[j] as number;
    }
    const psiSumP = digammaScalar(sumP);
    if (form === 'value' || form === 'value-gradP') {
      let value = lgammaScalar(sumP) - lgammaScalar(sumQ);
      for (let j = r * k; j < (r + 1) * k; j++) {
        const pj = p[j] as number;
        const qj = q[j] as number;
        value += lgammaScalar(qj) - lgammaScalar(pj) + (pj - qj) * (digammaScalar(pj) - psiSumP);
      }
      (outputs[0] as Float32Array)[r] = value;
    }
    const d = form === 'value-gradP' ? 1 : (dy?.[r] as number);
    const gradP = form === 'value-gradP' ? outputs[1] : form === 'grads' ? outputs[0] : undefined;
    const gradQ = form === 'grads' ? outputs[1] : form === 'gradQ' ? outputs[0] : undefined;
    if (gradP !== undefined) {
      const shared = (sumP - sumQ) * polygammaScalar(1, sumP);
      for (let j = r * k; j < (r + 1) * k; j++) gradP[j] = d * (((p[j] as number) - (q[j] as number)) * polygammaScalar(1, p[j] as number) - shared);
    }
    if (gradQ !== undefined) {
      const psiSumQ = digammaScalar(sumQ);
      for (let j = r * k; j < (r + 1) * k; j++) gradQ[j] = d * (digammaScalar(q[j] as number) - psiSumQ - (digammaScalar(p[j] as number) - psiSumP));
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
  defineArrayKernel<Partial<DirichletKlAttrs>>(
    {
      kernelName: SpecialKernel.DirichletKl,
      inputNames: ['p', 'q'],
      outputs: (shapes, attrs) => {
        const value = { shape: [...checkShapes(SpecialKernel.DirichletKl, shapes)], dtype: 'float32' as const };
        return attrs.gradP === true ? [value, { shape: [...(shapes[0] as KernelShape)], dtype: 'float32' }] : [value];
      },
    },
    dirichletKlJs,
  );
  defineArrayKernel<Partial<DirichletKlGradAttrs>>(
    {
      kernelName: SpecialKernel.DirichletKlGrad,
      inputNames: ['p', 'q', 'dy'],
      outputs: (shapes, attrs) => {
        checkShapes(SpecialKernel.DirichletKlGrad, shapes);
        const partial = () => ({ shape: [...(shapes[0] as KernelShape)], dtype: 'float32' as const });
        return attrs.wrtP === false ? [partial()] : [partial(), partial()];
      },
    },
    dirichletKlJs,
  );
}
