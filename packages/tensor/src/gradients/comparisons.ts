// Zero gradients for the comparison and logical kernels. tfjs-core registers none, so a mask
// computed from a differentiated tensor, as in where(x < c, f(x), g(x)), fails the backward pass
// with "gradient function not found for Less" although the mask's gradient is zero: Select's
// gradient hands one to its condition, and the tape then asks the comparison for its own. The
// outputs are piecewise constant in the inputs, so zero is the gradient wherever it exists
// (float32 zeros, whatever the input's dtype: tfjs requires float32 gradients).
import * as tf from '#tfjs';

const BINARY = [tf.Less, tf.LessEqual, tf.Greater, tf.GreaterEqual, tf.Equal, tf.NotEqual, tf.LogicalAnd, tf.LogicalOr];
const UNARY = [tf.LogicalNot, tf.IsNan, tf.IsInf, tf.IsFinite];

function registerZero(kernelName: string, inputs: readonly string[]): void {
  if (tf.getGradient(kernelName) !== undefined) return; // a later tfjs may bring its own
  tf.registerGradient({
    kernelName,
    inputsToSave: [...inputs],
    gradFunc: (_dy, saved) => Object.fromEntries(inputs.map((name, i) => [name, () => tf.zeros((saved[i] as tf.Tensor).shape)])),
  });
}

export function registerComparisonGradients(): void {
  for (const kernelName of BINARY) registerZero(kernelName, ['a', 'b']);
  for (const kernelName of UNARY) registerZero(kernelName, ['x']);
}
