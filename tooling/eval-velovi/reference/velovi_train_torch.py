#!/usr/bin/env python3
"""Trains velovi's VELOVAE in PyTorch on the data of an eval:velovi run, so that the same scoring
(CBDir, latent time, fit error) can be applied to a model trained by velovi's own numerics:
`pnpm eval:velovi --torch-weights <out>.safetensors` loads the weights into vitae's VELOVI
(loadVeloviStateDict) instead of training, and scores them like any run.

velovi and scvi-tools cannot be installed here; the module is the torch transcription in
tooling/fixtures/generators/velovi_module.py (velovi's attribute names, so `state_dict()` has
velovi's names), with velovi's Dirichlet rsample of pi in generative. Training follows velovi's
VELOVI.train defaults on scvi-tools' TrainingPlan: AdamW (lr 1e-2, weight decay 1e-2, eps 0.01),
batch 256, a random 90 / 10 split, KL warm-up of z over 400 epochs, the switch penalty scaled by
0.2 (1 - kl_weight), gradient norm clipped at 10, early stopping on the validation ELBO
(patience 45), at most 500 epochs. The initialisation from the data is velovi's: alpha_unconstr =
softplus^-1(median of the unspliced top 1 %), switch targets = the medians of that top 1 %.

Input: the h5ad written by `pnpm eval:velovi --h5ad F` (layers Ms / Mu are the min-max scaled
moments VELOVI was built on). Output: velovi's state dict as safetensors (float32), and a line per
10 epochs.

  /usr/bin/python3 reference/velovi_train_torch.py --h5ad /tmp/ev/seed2.h5ad --out /tmp/ev/torch-seed0.safetensors [--seed 0] [--threads 1]
"""
import argparse
import json
import os
import struct
import sys
import time

import h5py
import numpy as np
import torch
import torch.nn.functional as F
from torch.distributions import Dirichlet

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "fixtures", "generators"))
import velovi_module as vm  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("--h5ad", required=True)
p.add_argument("--out", required=True)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--threads", type=int, default=1)
p.add_argument("--max-epochs", type=int, default=500)
a = p.parse_args()

torch.set_default_dtype(torch.float32)
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
rng = np.random.default_rng(a.seed)

with h5py.File(a.h5ad, "r") as f:
    ms = np.asarray(f["layers/Ms"], dtype=np.float32)
    mu = np.asarray(f["layers/Mu"], dtype=np.float32)
n_cells, n_genes = ms.shape

# velovi's VELOVI.__init__: medians of the top 1 % of cells by unspliced abundance, per gene
start = int(n_cells * 0.99)
order = np.argsort(mu, axis=0, kind="stable")[start:]
us_upper = np.median(np.take_along_axis(mu, order, axis=0), axis=0)
ms_upper = np.median(np.take_along_axis(ms, order, axis=0), axis=0)
softplus_inverse = lambda x: np.where(x > 20, x, np.log(np.expm1(np.minimum(x, 20))))  # noqa: E731

vm.N_INPUT, vm.N_HIDDEN, vm.N_LATENT = n_genes, 256, 10
options = {"nLayers": 1, "dropoutRate": 0.1, "latentDistribution": "normal", "useBatchNorm": "both", "useLayerNorm": "both",
           "logVariational": False, "linearDecoder": False, "timeDepTranscriptionRate": False}
module = vm.VELOVAE(options, ms_upper.astype(np.float32), us_upper.astype(np.float32))
with torch.no_grad():
    module.alpha_unconstr.copy_(torch.tensor(softplus_inverse(us_upper.astype(np.float64)), dtype=torch.float32))


def generative(z, gamma, beta, alpha, alpha_1, lambda_alpha):
    """velovi's generative: the decoder once, then pi ~ Dirichlet(concentrations) by rsample."""
    px_pi_alpha, px_rho, px_tau = module.decoder(z)
    px_pi = Dirichlet(px_pi_alpha).rsample()
    scale = F.softplus(module.scale_unconstr)
    mixture_dist_s, mixture_dist_u, end_penalty, _ = module.get_px(px_pi, px_rho, px_tau, scale, gamma, beta, alpha, alpha_1, lambda_alpha)
    return {"px_pi": px_pi, "px_pi_alpha": px_pi_alpha, "mixture_dist_u": mixture_dist_u, "mixture_dist_s": mixture_dist_s, "end_penalty": end_penalty}


def loss_of(s, u, kl_weight):
    inf = module.inference(s, u, torch.randn(s.shape[0], vm.N_LATENT))
    gen = generative(inf["z"], inf["gamma"], inf["beta"], inf["alpha"], inf["alpha_1"], inf["lambda_alpha"])
    out = module.loss(s, u, inf, gen, kl_weight)
    elbo = (out["reconstruction"] + out["klZ"] + out["klPi"]).mean()
    return out["loss"], elbo


S, U = torch.from_numpy(ms), torch.from_numpy(mu)
perm = rng.permutation(n_cells)
n_val = int(np.floor(0.1 * n_cells))
val_idx, train_idx = perm[:n_val], perm[n_val:]
params = [q for q in module.parameters() if q.requires_grad]
opt = torch.optim.AdamW(params, lr=1e-2, weight_decay=1e-2, eps=0.01)
best, since, t0 = np.inf, 0, time.time()
for epoch in range(a.max_epochs):
    kl_weight = min(1.0, epoch / 400)
    module.train()
    order_ = rng.permutation(train_idx)
    for i in range(0, len(order_), 256):
        rows = order_[i:i + 256]
        if len(rows) < 2:
            continue  # batch norm cannot normalise one cell
        loss, _ = loss_of(S[rows], U[rows], kl_weight)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 10.0)
        opt.step()
    module.eval()
    with torch.no_grad():
        _, val = loss_of(S[val_idx], U[val_idx], kl_weight)
    val = float(val)
    if val < best:
        best, since = val, 0
    else:
        since += 1
    if epoch % 10 == 0 or since >= 45:
        print(f"epoch {epoch + 1} elbo_validation {val:.2f} kl_weight {kl_weight:.3f} ({time.time() - t0:.0f} s)", flush=True)
    if since >= 45:
        print(f"early stopping at epoch {epoch + 1}", flush=True)
        break

# velovi's state dict as safetensors: an 8-byte little-endian header length, the JSON header, the data
state = {k: v.detach().to(torch.float32).contiguous().numpy() for k, v in module.state_dict().items() if v.dtype.is_floating_point}
header, blobs, offset = {}, [], 0
for name, arr in state.items():
    b = arr.astype("<f4").tobytes()
    header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [offset, offset + len(b)]}
    blobs.append(b)
    offset += len(b)
header["__metadata__"] = {"source": "tooling/eval-velovi/reference/velovi_train_torch.py", "seed": str(a.seed), "epochs": str(epoch + 1)}
text = json.dumps(header).encode()
text += b" " * (-len(text) % 8)
with open(a.out, "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
print(f"wrote {a.out} ({len(state)} tensors, {epoch + 1} epochs, best elbo_validation {best:.2f})")
