#!/usr/bin/env python3
"""PyTorch CPU reference for `pnpm bench`: median seconds of torch.lgamma / torch.digamma on
1,048,576 float32 elements log-uniform in [1e-3, 1e3], with torch's default thread count and
with one thread. Prints one JSON object. Needs torch (Debian: apt-get install python3-torch)."""
import json
import time

import numpy as np
import torch

N = 1 << 20
rng = np.random.default_rng(1)
x = torch.from_numpy(np.exp(rng.uniform(np.log(1e-3), np.log(1e3), N)).astype(np.float32))
out = torch.empty_like(x)


def median_seconds(fn, rounds=21, warmup=3):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return float(np.median(samples))


result = {"torch": torch.__version__, "n": N, "default_threads": torch.get_num_threads()}
for threads in (torch.get_num_threads(), 1):
    torch.set_num_threads(threads)
    result[f"lgamma_s_threads{threads}"] = median_seconds(lambda: torch.lgamma(x, out=out))
    result[f"digamma_s_threads{threads}"] = median_seconds(lambda: torch.digamma(x, out=out))
print(json.dumps(result))
