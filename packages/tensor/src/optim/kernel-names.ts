/**
 * Attributes of the Adam update kernels: torch.optim.Adam / AdamW's hyperparameters and the
 * step count t (from 1). `decoupled` picks AdamW's weight decay (p ← p·(1 − lr·wd)) over Adam's
 * (g ← g + wd·p).
 */
export interface AdamUpdateAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  decoupled: boolean;
  step: number;
}

/** tfjs kernel names of the fused optimizer updates (prefixed like the special functions). */
export const OptimizerKernel = {
  /** inputs param, grad, expAvg, expAvgSq; outputs [param', expAvg', expAvgSq'], each of param's shape */
  AdamUpdate: 'VitaeAdamUpdate',
  /** AdamUpdate with amsgrad: inputs and outputs add maxExpAvgSq */
  AmsgradUpdate: 'VitaeAmsgradUpdate',
} as const;

export type OptimizerKernelName = (typeof OptimizerKernel)[keyof typeof OptimizerKernel];
