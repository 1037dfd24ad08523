#!/usr/bin/env python3
"""One training step of velovi's VELOVAE in PyTorch, at the size of bench/step.ts (batch 256,
775 genes, 256 hidden units, 10 latent dimensions), for comparison with the vitae step time.

The module is the torch transcription of velovi in tooling/fixtures/generators/velovi_module.py
(velovi itself needs scvi-tools, which cannot be installed here), with velovi's Dirichlet rsample
of pi put back into generative. A step: forward, loss (kl_weight 0.3), backward, gradient-norm
clipping at 10, AdamW (lr 1e-2, weight decay 1e-2, eps 0.01), as velovi's training does.

Run: /usr/bin/python3 bench/velovi_torch.py [--genes 775] [--batch 256] [--rounds 5] [--threads 2]
"""
import argparse
import os
import sys
import time

import torch
import torch.nn.functional as F
from torch.distributions import Dirichlet

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "tooling", "fixtures", "generators"))
import velovi_module as vm  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--genes", type=int, default=775)
parser.add_argument("--batch", type=int, default=256)
parser.add_argument("--rounds", type=int, default=5)
parser.add_argument("--threads", type=int, default=2)
args = parser.parse_args()

torch.set_default_dtype(torch.float32)
torch.set_num_threads(args.threads)
torch.manual_seed(0)
vm.N_INPUT, vm.N_HIDDEN, vm.N_LATENT = args.genes, 256, 10
G, B = args.genes, args.batch


def generative(self, z, gamma, beta, alpha, alpha_1, lambda_alpha):
    px_pi_alpha, px_rho, px_tau = self.decoder(z)
    px_pi = Dirichlet(px_pi_alpha).rsample()
    scale = F.softplus(self.scale_unconstr)
    mixture_dist_s, mixture_dist_u, end_penalty, _ = self.get_px(px_pi, px_rho, px_tau, scale, gamma, beta, alpha, alpha_1, lambda_alpha)
    return {"px_pi": px_pi, "px_pi_alpha": px_pi_alpha, "mixture_dist_u": mixture_dist_u, "mixture_dist_s": mixture_dist_s, "end_penalty": end_penalty}


options = {"nLayers": 1, "dropoutRate": 0.1, "latentDistribution": "normal", "useBatchNorm": "both", "useLayerNorm": "both",
           "logVariational": False, "linearDecoder": False, "timeDepTranscriptionRate": False}
module = vm.VELOVAE(options, torch.full((G,), 0.5).numpy(), torch.full((G,), 0.5).numpy())
module.train()
optimizer = torch.optim.AdamW([p for p in module.parameters() if p.requires_grad], lr=1e-2, eps=0.01, weight_decay=1e-2)
spliced = torch.rand(B, G)
unspliced = torch.rand(B, G)


def step():
    optimizer.zero_grad()
    inf = module.inference(spliced, unspliced, torch.randn(B, vm.N_LATENT))
    gen = generative(module, inf["z"], inf["gamma"], inf["beta"], inf["alpha"], inf["alpha_1"], inf["lambda_alpha"])
    loss = module.loss(spliced, unspliced, inf, gen, 0.3)["loss"]
    loss.backward()
    torch.nn.utils.clip_grad_norm_(module.parameters(), 10)
    optimizer.step()
    return float(loss)


step()
started = time.perf_counter()
for _ in range(args.rounds):
    step()
ms = (time.perf_counter() - started) / args.rounds * 1000
print(f"PyTorch {torch.__version__}, {args.threads} thread(s): {ms:.1f} ms per step (batch {B}, {G} genes)")
