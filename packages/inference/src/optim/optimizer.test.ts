import { describe, expect, it } from 'vitest';
import * as vt from '@vitae/tensor';
import { Adam, AdamW, SGD } from '../index.js';

const values = (t: vt.Tensor) => Array.from(t.dataSync());

describe('optimizer behaviour', () => {
  it('one Adam step moves each element by lr * sign(g) (bias-corrected m / sqrt(v) = g / |g|)', () => {
    const p = vt.variable(vt.tensor1d([1, -2, 3]));
    const opt = new Adam([p], { lr: 0.1 });
    const g = vt.tensor1d([0.5, -4, 1e-3]);
    opt.step({ [p.name]: g });
    // g / (|g| + eps): 1e-3 / (1e-3 + 1e-8) = 0.99999 of a full step
    expect(values(p)).toEqual([expect.closeTo(0.9, 6), expect.closeTo(-1.9, 6), expect.closeTo(3 - 0.1 * (1e-3 / (1e-3 + 1e-8)), 6)]);
    opt.dispose();
    vt.dispose([p, g]);
  });

  it('AdamW decays a parameter with a zero gradient; Adam with L2 moves it by a full lr step', () => {
    const p1 = vt.variable(vt.tensor1d([2]));
    const p2 = vt.variable(vt.tensor1d([2]));
    const zero = vt.tensor1d([0]);
    const adamw = new AdamW([p1], { lr: 0.1, weightDecay: 0.5 });
    const adam = new Adam([p2], { lr: 0.1, weightDecay: 0.5 });
    adamw.step(new Map([[p1, zero]]));
    adam.step(new Map([[p2, zero]]));
    expect(values(p1)[0]).toBeCloseTo(2 * (1 - 0.1 * 0.5), 6); // decoupled: only the shrinkage
    expect(values(p2)[0]).toBeCloseTo(2 - 0.1, 6); // L2: g = 0.5 * 2 = 1, a full Adam step
    vt.dispose([p1, p2, zero]);
    adamw.dispose();
    adam.dispose();
  });

  it('SGD with momentum follows the closed form', () => {
    const p = vt.variable(vt.scalar(0));
    const g = vt.scalar(1);
    const opt = new SGD([p], { lr: 0.1, momentum: 0.5 });
    for (let i = 0; i < 3; i++) opt.step({ [p.name]: g });
    // buffers 1, 1.5, 1.75: p = -0.1 * 4.25
    expect(values(p)[0]).toBeCloseTo(-0.425, 6);
    opt.dispose();
    vt.dispose([p, g]);
  });

  it('skips parameters without a gradient (their step count stays), ignores gradients of other variables', () => {
    const a = vt.variable(vt.tensor1d([1]));
    const b = vt.variable(vt.tensor1d([1]));
    const other = vt.variable(vt.tensor1d([1]));
    const g = vt.tensor1d([1]);
    const opt = new Adam([a, b], { lr: 0.1 });
    opt.step({ [a.name]: g, [other.name]: g });
    expect(values(a)[0]).toBeCloseTo(0.9, 6);
    expect(values(b)[0]).toBe(1);
    expect(opt.stateDict().state.map((s) => s.step)).toEqual([1, 0]);
    expect(() => opt.step({ [other.name]: g })).toThrow(/none of the 1 gradients .* belongs to a parameter of this optimizer/);
    opt.dispose();
    vt.dispose([a, b, other, g]);
  });

  it('lr is mutable (and validated)', () => {
    const p = vt.variable(vt.scalar(0));
    const opt = new Adam([p]);
    expect(opt.lr).toBe(1e-3);
    opt.lr = 0.5;
    expect(opt.lr).toBe(0.5);
    expect(() => {
      opt.lr = -1;
    }).toThrow("Adam: argument 'lr' must be a finite number >= 0, got -1");
    opt.dispose();
    p.dispose();
  });

  it('defaults follow torch', () => {
    const p = vt.variable(vt.scalar(0));
    const adam = new Adam([p]);
    const adamw = new AdamW([p]);
    expect({ lr: adam.lr, betas: adam.betas, eps: adam.eps, weightDecay: adam.weightDecay, amsgrad: adam.amsgrad }).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false });
    expect({ lr: adamw.lr, weightDecay: adamw.weightDecay }).toEqual({ lr: 1e-3, weightDecay: 1e-2 });
    adam.dispose();
    adamw.dispose();
    p.dispose();
  });

  it('no tensors leak: steps allocate nothing, dispose frees the moments', () => {
    const p = vt.variable(vt.randomNormal([4, 3], { seed: 1 }));
    const before = vt.numTensors();
    const opts = [new Adam([p], { amsgrad: true, weightDecay: 0.1 }), new AdamW([p]), new SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true })];
    const afterCreate = vt.numTensors();
    expect(afterCreate - before).toBe(3 + 2 + 1); // one buffer per moment
    for (let i = 0; i < 5; i++) {
      for (const opt of opts) {
        vt.tidy(() => {
          const { grads } = vt.variableGrads(() => vt.sum(vt.square(p)) as vt.Scalar, [p]);
          opt.step(grads);
        });
      }
    }
    expect(vt.numTensors()).toBe(afterCreate);
    const dict = opts[0]?.stateDict();
    opts[0]?.loadStateDict(dict as never);
    expect(vt.numTensors()).toBe(afterCreate);
    for (const opt of opts) opt.dispose();
    expect(vt.numTensors()).toBe(before);
    expect(() => opts[0]?.step({})).toThrow('Adam.step: the optimizer has been disposed');
    p.dispose();
  });

  it('refuses bad arguments, naming the argument, the constraint and the value', () => {
    const p = vt.variable(vt.tensor1d([1, 2]));
    expect(() => new Adam([p], { lr: -1 })).toThrow("Adam: argument 'lr' must be a finite number >= 0, got -1");
    expect(() => new Adam([p], { betas: [0.9, 1] })).toThrow("Adam: argument 'betas[1]' must be a finite number in [0, 1), got 1");
    expect(() => new Adam([p], { betas: [0.9] as never })).toThrow("Adam: argument 'betas' must be an array of two numbers in [0, 1), got an array of length 1");
    expect(() => new AdamW([p], { eps: Number.NaN })).toThrow("AdamW: argument 'eps' must be a finite number >= 0, got NaN");
    expect(() => new AdamW([p], { weightDecay: -0.1 })).toThrow("AdamW: argument 'weightDecay' must be a finite number >= 0, got -0.1");
    expect(() => new Adam([p], { amsgrad: 1 as never })).toThrow("Adam: argument 'amsgrad' must be a boolean, got 1");
    expect(() => new Adam([])).toThrow("Adam: argument 'params' must be a non-empty array of Variables, got an array of length 0");
    expect(() => new Adam([p, p])).toThrow(`Adam: argument 'params' lists the variable '${p.name}' twice`);
    expect(() => new Adam([vt.tensor1d([1]) as never])).toThrow("Adam: argument 'params[0]' must be a Variable, got a float32 Tensor of shape [1]");
    expect(() => new SGD([p], {} as never)).toThrow("SGD: argument 'lr' is required (a finite number >= 0), got undefined");
    expect(() => new SGD([p], { lr: 0.1, nesterov: true })).toThrow("SGD: argument 'nesterov' needs momentum > 0 and dampening 0, got momentum 0 and dampening 0");
    const opt = new Adam([p]);
    const wrong = vt.tensor1d([1, 2, 3]);
    expect(() => opt.step({ [p.name]: wrong })).toThrow(`Adam.step: the gradient of '${p.name}' has shape [3], expected the parameter's shape [2]`);
    expect(() => opt.step(wrong as never)).toThrow(/Adam.step: argument 'grads' must be an object of Tensors keyed by variable name or a Map<Variable, Tensor>/);
    const dict = opt.stateDict();
    expect(() => new AdamW([p]).loadStateDict(dict)).toThrow('AdamW.loadStateDict: the state dict is from a Adam optimizer, not AdamW');
    expect(() => new Adam([p], { amsgrad: true }).loadStateDict(dict)).toThrow('Adam.loadStateDict: the state dict has amsgrad false, this optimizer has amsgrad true');
    expect(() => opt.loadStateDict({ ...dict, state: [] })).toThrow('Adam.loadStateDict: the state dict has 0 parameter entries, this optimizer has 1 parameters');
    const short = { ...dict, state: [{ step: 1, buffers: { expAvg: [0], expAvgSq: [0, 0] } }] };
    expect(() => opt.loadStateDict(short)).toThrow(`Adam.loadStateDict: state[0].buffers.expAvg has 1 values, expected 2 (parameter '${p.name}' of shape [2])`);
    opt.dispose();
    vt.dispose([p, wrong]);
  });
});
