// Activation functions by name, and a parameter-free module wrapping one.
import { add, elu, leakyRelu, mul, pow, relu, selu, sigmoid, softplus, tanh } from '@vitae/tensor';
import { Module } from './module.js';
import { oneOf } from './validate.js';

import type { Tensor } from '@vitae/tensor';

/** GELU, tanh approximation: x/2 · (1 + tanh(√(2/π) (x + 0.044715 x³))). */
function gelu(x: Tensor): Tensor {
  const inner = mul(Math.sqrt(2 / Math.PI), add(x, mul(0.044715, pow(x, 3))));
  return mul(mul(x, 0.5), add(tanh(inner), 1));
}

export const ACTIVATIONS = {
  relu: (x: Tensor) => relu(x),
  tanh: (x: Tensor) => tanh(x),
  sigmoid: (x: Tensor) => sigmoid(x),
  elu: (x: Tensor) => elu(x),
  selu: (x: Tensor) => selu(x),
  leakyRelu: (x: Tensor) => leakyRelu(x, 0.01),
  softplus: (x: Tensor) => softplus(x),
  gelu,
  identity: (x: Tensor) => x,
} as const;

export type ActivationName = keyof typeof ACTIVATIONS;
export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS) as ActivationName[];

/** The activation function called `name`. */
export function activation(name: ActivationName): (x: Tensor) => Tensor {
  return ACTIVATIONS[oneOf(name, 'activation', 'name', ACTIVATION_NAMES)];
}

export class Activation extends Module {
  readonly kind: ActivationName;
  private readonly fn: (x: Tensor) => Tensor;

  constructor(kind: ActivationName) {
    super();
    this.kind = oneOf(kind, 'Activation', 'kind', ACTIVATION_NAMES);
    this.fn = ACTIVATIONS[this.kind];
  }

  forward(x: Tensor): Tensor {
    return this.fn(x);
  }
}
