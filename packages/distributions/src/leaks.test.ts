import * as t from '@vitae/tensor';
import { describe, expect, it } from 'vitest';
import { zoo } from '../test/zoo.js';

// Every public method returns tensors the caller owns and frees what it made: numTensors is
// unchanged after 1,000 construct / sample / logProb / moments / entropy / expand / dispose rounds.
describe.each(zoo)('$name', ({ make, moments }) => {
  it('leaks no tensors across 1,000 calls', () => {
    let before = 0;
    // Iteration 0 warms up (kernels allocate their one-time constants); counting starts after it.
    for (let i = 0; i <= 1000; i++) {
      if (i === 1) before = t.numTensors();
      const d = make();
      const x = d.sample([2], { seed: i });
      const out = [x, d.logProb(x)];
      if (d.hasRsample) out.push(d.rsample([1], { seed: i }));
      if (moments && i % 100 === 0) out.push(d.mean, d.variance, d.stddev);
      if (i % 100 === 0) {
        try {
          out.push(d.entropy());
        } catch {
          // no closed form (RelaxedOneHotCategorical, MixtureSameFamily): nothing allocated
        }
        const e = d.expand([2, 2, 3]);
        const xe = e.sample([1], { seed: i });
        out.push(xe, e.logProb(xe));
        e.dispose();
      }
      t.dispose(out);
      d.dispose();
    }
    expect(t.numTensors()).toBe(before);
  });
});
