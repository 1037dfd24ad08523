import { describe, expect, it } from 'vitest';
import * as vt from '../index.js';

describe('oneHot', () => {
  it('gives float32 one-hot vectors on every backend (tfjs-backend-wasm alone returns int32 bits)', () => {
    const idx = vt.tensor([0, 2], undefined, 'int32');
    const f = vt.oneHot(idx, 3, 1, 0, 'float32');
    expect(f.dtype).toBe('float32');
    expect(Array.from(f.dataSync())).toEqual([1, 0, 0, 0, 0, 1]);
    const g = vt.oneHot(idx, 3, 5, -1, 'float32');
    expect(Array.from(g.dataSync())).toEqual([5, -1, -1, -1, -1, 5]);
    const i = vt.oneHot(idx, 3);
    expect(i.dtype).toBe('int32');
    expect(Array.from(i.dataSync())).toEqual([1, 0, 0, 0, 0, 1]);
    vt.dispose([idx, f, g, i]);
  });
});
