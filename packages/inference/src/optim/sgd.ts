// SGD with momentum, dampening, Nesterov momentum and L2 weight decay: torch.optim.SGD's update.
// For a parameter p with gradient g:
//   d <- g + weightDecay * p                                 (only if weightDecay != 0)
//   b <- d at the first step, else momentum * b + (1 - dampening) * d     (only if momentum != 0)
//   d <- nesterov ? d + momentum * b : b
//   p <- p - lr * d
import { add, mul, sub } from '@vitae/tensor';
import { boolean, checkNumber, nonNegative, optionsObject, received } from '../validate.js';
import { Optimizer } from './optimizer.js';

import type { Tensor, Variable } from '@vitae/tensor';

export interface SGDOptions {
  /** Learning rate (required, as in torch). */
  lr: number;
  /** Momentum factor >= 0 (default 0). */
  momentum?: number;
  /** Dampening of the momentum's gradient term, in [0, 1] (default 0). */
  dampening?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Nesterov momentum; needs momentum > 0 and dampening 0 (default false). */
  nesterov?: boolean;
}

interface SGDHyper {
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
}

function checkSGDHyper(h: Record<string, unknown>, fn: string, prefix: string): SGDHyper {
  const out: SGDHyper = {
    momentum: nonNegative(h.momentum, fn, `${prefix}momentum`),
    dampening: checkNumber(h.dampening, fn, `${prefix}dampening`, 'in [0, 1]', (x) => x >= 0 && x <= 1),
    weightDecay: nonNegative(h.weightDecay, fn, `${prefix}weightDecay`),
    nesterov: boolean(h.nesterov, fn, `${prefix}nesterov`),
  };
  if (out.nesterov && (out.momentum <= 0 || out.dampening !== 0)) {
    throw new RangeError(`${fn}: argument '${prefix}nesterov' needs momentum > 0 and dampening 0, got momentum ${out.momentum} and dampening ${out.dampening}`);
  }
  return out;
}

/** torch.optim.SGD. */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;

  constructor(params: Variable[], options: SGDOptions) {
    const o = optionsObject(options, 'SGD');
    if (o.lr === undefined) throw new RangeError(`SGD: argument 'lr' is required (a finite number >= 0), got ${received(o.lr)}`);
    const h = checkSGDHyper({ momentum: o.momentum ?? 0, dampening: o.dampening ?? 0, weightDecay: o.weightDecay ?? 0, nesterov: o.nesterov ?? false }, 'SGD', '');
    super('SGD', params, o.lr, h.momentum !== 0 ? ['momentumBuffer'] : []);
    this.momentum = h.momentum;
    this.dampening = h.dampening;
    this.weightDecay = h.weightDecay;
    this.nesterov = h.nesterov;
  }

  protected update(param: Variable, grad: Tensor, buffers: Record<string, Variable>, step: number): void {
    let d = this.weightDecay !== 0 ? add(grad, mul(param, this.weightDecay)) : grad;
    if (this.momentum !== 0) {
      const b = buffers.momentumBuffer as Variable;
      b.assign(step === 1 ? d : add(mul(b, this.momentum), mul(d, 1 - this.dampening)));
      d = this.nesterov ? add(d, mul(b, this.momentum)) : b;
    }
    param.assign(sub(param, mul(d, this.lr)));
  }

  protected hyperparameters(): Record<string, number | boolean | number[]> {
    return { momentum: this.momentum, dampening: this.dampening, weightDecay: this.weightDecay, nesterov: this.nesterov };
  }

  protected checkHyperparameters(h: Record<string, unknown>, fn: string): () => void {
    const checked = checkSGDHyper(h, fn, 'hyperparameters.');
    if ((checked.momentum !== 0) !== (this.momentum !== 0)) {
      throw new Error(`${fn}: the state dict has momentum ${checked.momentum}, this optimizer has momentum ${this.momentum} (the momentum buffers differ)`);
    }
    return () => Object.assign(this, checked);
  }
}
