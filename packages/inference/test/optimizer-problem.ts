// The problem of tooling/fixtures/generators/optimizers.py, for comparing trajectories with torch:
//   L(w, b) = sum(A (w - T)^2) + sum_{i<2} 10 (b[i+1] - b[i]^2)^2 + (1 - b[i])^2 + 0.1 sum(w[0] b)
import { loadFixture } from '@vitae/fixtures/load';
import * as vt from '@vitae/tensor';
import { Adam, AdamW, SGD } from '../src/index.js';

import type { Optimizer, SGDOptions } from '../src/index.js';

export interface Trajectory {
  loss: number[];
  w: number[][][];
  b: number[][];
}

export interface OptimizerCase {
  name: string;
  optimizer: 'Adam' | 'AdamW' | 'SGD';
  options: Record<string, number | boolean | number[]>;
  lrAt: Record<string, number>;
  float32: Trajectory;
  float64: Trajectory;
  maxAbsFloat32VsFloat64: number;
}

export interface ClipCase {
  normType: number;
  maxNorm: number;
  grads: [number[][], number[]];
  totalNorm: number;
  clipped: [number[][], number[]];
}

export interface OptimizersFixture {
  steps: number;
  problem: { w0: number[][]; b0: number[]; A: number[][]; T: number[][] };
  cases: OptimizerCase[];
  clipGradNorm: ClipCase[];
}

export const fixture = loadFixture<OptimizersFixture>('optimizers');

export function problemLoss(w: vt.Tensor, b: vt.Tensor): vt.Scalar {
  const { A, T } = fixture.problem;
  const quad = vt.sum(vt.mul(vt.tensor2d(A), vt.square(vt.sub(w, vt.tensor2d(T)))));
  const b0 = vt.slice(b, [0], [2]);
  const b1 = vt.slice(b, [1], [2]);
  const valley = vt.sum(vt.add(vt.mul(10, vt.square(vt.sub(b1, vt.square(b0)))), vt.square(vt.sub(1, b0))));
  const coupling = vt.mul(0.1, vt.sum(vt.mul(vt.reshape(vt.slice(w, [0, 0], [1, 3]), [3]), b)));
  return vt.add(vt.add(quad, valley), coupling) as vt.Scalar;
}

export function makeOptimizer(c: OptimizerCase, params: vt.Variable[]): Optimizer {
  const o = c.options as unknown as SGDOptions;
  if (c.optimizer === 'Adam') return new Adam(params, o);
  if (c.optimizer === 'AdamW') return new AdamW(params, o);
  return new SGD(params, o);
}

/** Runs steps [from, to) of a case on (w, b), applying its lr changes; returns the losses before each step. */
export function runSteps(c: OptimizerCase, opt: Optimizer, w: vt.Variable, b: vt.Variable, from: number, to: number, after?: (step: number) => void): number[] {
  const losses: number[] = [];
  for (let step = from; step < to; step++) {
    const lr = c.lrAt[String(step)];
    if (lr !== undefined) opt.lr = lr;
    vt.tidy(() => {
      const { value, grads } = vt.variableGrads(() => problemLoss(w, b), [w, b]);
      losses.push(value.dataSync()[0] as number);
      opt.step(grads);
    });
    after?.(step);
  }
  return losses;
}

/** max over elements of |actual - expected| / (atol + rtol |expected|): <= 1 means within tolerance. */
export function worstRatio(actual: ArrayLike<number>, expected: readonly number[], rtol: number, atol: number): { ratio: number; maxAbs: number } {
  let ratio = 0;
  let maxAbs = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    const d = Math.abs((actual[i] as number) - e);
    ratio = Math.max(ratio, d / (atol + rtol * Math.abs(e)));
    maxAbs = Math.max(maxAbs, d);
  }
  return { ratio, maxAbs };
}
