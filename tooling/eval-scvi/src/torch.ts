// Runs packages/scvi/bench/scvi_torch.py (PyTorch scVI with scvi-tools' default architecture)
// when a python with torch and h5py exists: Debian's python3-torch / python3-h5py live in
// /usr/bin/python3, which may not be the `python3` first on PATH.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const TORCH_SCRIPT = fileURLToPath(new URL('../../../packages/scvi/bench/scvi_torch.py', import.meta.url));

/** The first python that imports torch, numpy and h5py, or null. */
export function findTorchPython(): string | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(python, ['-c', 'import torch, numpy, h5py'], { encoding: 'utf8' });
    if (r.status === 0) return python;
  }
  return null;
}

export interface TorchTrainResult {
  torch: string;
  threads: number;
  epochs: number;
  seconds: number;
  history: Array<{ epoch: number; trainLoss: number; validationElbo: number }>;
  latent: number[][];
}

/** Runs scvi_torch.py with `args` and parses the JSON it prints. */
export function runTorch<T>(python: string, args: string[]): T {
  const r = spawnSync(python, [TORCH_SCRIPT, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`scvi_torch.py ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
