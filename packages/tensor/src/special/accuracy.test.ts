import { describeSpecialFunctionAccuracy } from '@vitae/conformance';
import { describe, expect, it } from 'vitest';
import * as vt from '../index.js';
import { listArrayKernels } from '../kernels/array-kernel.js';

describe('the special-function kernels run the portable JS implementation here', () => {
  it('lists every special kernel with provider js', () => {
    const providers = listArrayKernels().filter((k) => k.kernelName.startsWith('Vitae'));
    expect(providers.length).toBeGreaterThanOrEqual(8);
    expect(providers.every((k) => k.provider === 'js')).toBe(true);
  });
});

describeSpecialFunctionAccuracy(vt, `special functions (JS kernels, ${process.env.VITAE_BACKEND} backend)`);
