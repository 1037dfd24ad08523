#!/usr/bin/env python3
"""scVI in PyTorch with scvi-tools' default architecture, written out here (scvi-tools itself is
not installable on our machines): the reference `pnpm bench` times and `pnpm eval:scvi` trains.

Architecture (scvi-tools 1.x `scvi.module.VAE` with the SCVI defaults):
  z encoder   Linear(G, 128) -> BatchNorm1d(momentum 0.01, eps 1e-3) -> ReLU -> Dropout(0.1)
              mean head Linear(128, 10); variance exp(Linear(128, 10)) + 1e-4
  decoder     [z, one-hot batch] -> Linear(10 + B, 128) -> BatchNorm1d -> ReLU
              px_scale = softmax(Linear(128, G)); px_dropout = Linear(128, G) (logits)
  px_r        per gene, initialised from randn; theta = exp(px_r)
  library     log of the observed total count
  loss        mean over cells of -log ZINB(x | exp(l) px_scale, theta, px_dropout)
              + kl_weight * KL(q(z | x) || N(0, I)), kl_weight = min(1, epoch / 400)
  optimiser   Adam(lr 1e-3, eps 0.01, weight_decay 1e-6), batches of 128, shuffled each epoch
with the batch covariate (one-hot, B > 1 only) injected into the decoder and, with
--encode-covariates, the encoder.

Modes (prints one JSON object on stdout):
  throughput  median seconds of a training step (batch 128, counts densified per batch as the
              scvi-tools data loader does) at the default thread count and at one thread
  train       trains on the cells of --split (JSON: {"train": [...], "validation": [...]}),
              reports the validation ELBO after every epoch and the latent means of all cells

Needs torch, numpy and h5py (Debian: apt-get install python3-torch python3-h5py).
"""
import argparse
import json
import math
import os
import resource
import time

import h5py
import numpy as np
import torch
from torch import nn
from torch.distributions import Normal, kl_divergence

EPS = 1e-8


def read_counts(path):
    """X of an .h5ad (CSR or dense) as (data, indices, indptr, shape) float32 CSR arrays."""
    with h5py.File(path, "r") as f:
        x = f["X"]
        if isinstance(x, h5py.Dataset):
            dense = np.asarray(x[...], dtype=np.float32)
            rows, cols = np.nonzero(dense)
            indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=dense.shape[0]))])
            return dense[rows, cols], cols.astype(np.int64), indptr.astype(np.int64), dense.shape
        shape = tuple(int(s) for s in x.attrs["shape"])
        if x.attrs["encoding-type"] != "csr_matrix":
            raise SystemExit(f"scvi_torch.py: X must be CSR or dense, got {x.attrs['encoding-type']}")
        return (np.asarray(x["data"], dtype=np.float32), np.asarray(x["indices"], dtype=np.int64),
                np.asarray(x["indptr"], dtype=np.int64), shape)


def read_obs_codes(path, key):
    """Integer codes of a categorical obs column (anndata >= 0.8 layout)."""
    with h5py.File(path, "r") as f:
        return np.asarray(f["obs"][key]["codes"], dtype=np.int64)


class CsrRows:
    def __init__(self, data, indices, indptr, shape):
        self.data, self.indices, self.indptr, self.shape = data, indices, indptr, shape

    def dense(self, rows):
        out = np.zeros((len(rows), self.shape[1]), dtype=np.float32)
        for r, i in enumerate(rows):
            lo, hi = self.indptr[i], self.indptr[i + 1]
            out[r, self.indices[lo:hi]] = self.data[lo:hi]
        return torch.from_numpy(out)


def one_hot(batch, n_batch):
    return nn.functional.one_hot(batch, n_batch).float()


class FCLayer(nn.Module):
    """scvi-tools' FCLayers with one hidden layer: Linear, BatchNorm1d, ReLU, Dropout."""

    def __init__(self, n_in, n_out, n_cat, dropout):
        super().__init__()
        self.n_cat = n_cat if n_cat > 1 else 0
        self.linear = nn.Linear(n_in + self.n_cat, n_out)
        self.bn = nn.BatchNorm1d(n_out, momentum=0.01, eps=1e-3)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()

    def forward(self, x, batch):
        if self.n_cat:
            x = torch.cat([x, one_hot(batch, self.n_cat)], dim=-1)
        return self.dropout(torch.relu(self.bn(self.linear(x))))


class SCVITorch(nn.Module):
    def __init__(self, n_genes, n_batch=1, n_hidden=128, n_latent=10, dropout=0.1, encode_covariates=False):
        super().__init__()
        self.n_batch = n_batch
        self.px_r = nn.Parameter(torch.randn(n_genes))
        self.z_hidden = FCLayer(n_genes, n_hidden, n_batch if encode_covariates else 0, dropout)
        self.z_mean = nn.Linear(n_hidden, n_latent)
        self.z_var = nn.Linear(n_hidden, n_latent)
        self.px_hidden = FCLayer(n_latent, n_hidden, n_batch, 0.0)
        self.px_scale = nn.Linear(n_hidden, n_genes)
        self.px_dropout = nn.Linear(n_hidden, n_genes)

    def qz(self, x, batch):
        h = self.z_hidden(torch.log1p(x), batch)
        return Normal(self.z_mean(h), torch.sqrt(torch.exp(self.z_var(h)) + 1e-4))

    def losses(self, x, batch):
        """Per cell: reconstruction -log p(x | z, l) and KL(q(z | x) || N(0, I))."""
        qz = self.qz(x, batch)
        z = qz.rsample()
        library = torch.log(x.sum(-1, keepdim=True))
        h = self.px_hidden(z, batch)
        mu = torch.exp(library) * torch.softmax(self.px_scale(h), dim=-1)
        pi = self.px_dropout(h)
        theta = torch.exp(self.px_r)
        reconstruction = -log_zinb(x, mu, theta, pi).sum(-1)
        kl = kl_divergence(qz, Normal(torch.zeros_like(qz.loc), torch.ones_like(qz.scale))).sum(-1)
        return reconstruction, kl


def log_zinb(x, mu, theta, pi):
    """scvi-tools' log_zinb_positive."""
    softplus_pi = nn.functional.softplus(-pi)
    log_theta_eps = torch.log(theta + EPS)
    log_theta_mu_eps = torch.log(theta + mu + EPS)
    pi_theta_log = -pi + theta * (log_theta_eps - log_theta_mu_eps)
    case_zero = nn.functional.softplus(pi_theta_log) - softplus_pi
    case_non_zero = (-softplus_pi + pi_theta_log + x * (torch.log(mu + EPS) - log_theta_mu_eps)
                     + torch.lgamma(x + theta) - torch.lgamma(theta) - torch.lgamma(x + 1))
    return torch.where(x < EPS, case_zero, case_non_zero)


def adam(model):
    return torch.optim.Adam(model.parameters(), lr=1e-3, eps=0.01, weight_decay=1e-6)


def train_step(model, optimiser, x, batch, kl_weight):
    model.train()
    reconstruction, kl = model.losses(x, batch)
    loss = torch.mean(reconstruction + kl_weight * kl)
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()
    return float(loss)


def throughput(args, counts, batch_codes):
    n_batch = int(batch_codes.max()) + 1
    rng = np.random.default_rng(0)
    result = {"torch": torch.__version__, "default_threads": torch.get_num_threads(), "cpu_count": os.cpu_count(), "batch_size": args.batch_size}
    for threads in dict.fromkeys([os.cpu_count(), 1]):
        torch.set_num_threads(threads)
        torch.manual_seed(0)
        model = SCVITorch(counts.shape[1], n_batch)
        optimiser = adam(model)
        samples = []
        for step in range(args.warmup + args.steps):
            rows = rng.choice(counts.shape[0], args.batch_size, replace=False)
            t0 = time.perf_counter()
            x = counts.dense(rows)
            train_step(model, optimiser, x, torch.from_numpy(batch_codes[rows]), 0.5)
            if step >= args.warmup:
                samples.append(time.perf_counter() - t0)
        result[f"step_s_threads{threads}"] = float(np.median(samples))
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


@torch.no_grad()
def validation_elbo(model, counts, batch_codes, rows, batch_size):
    """Mean over the cells of reconstruction + KL (unweighted), in eval mode: scvi-tools' elbo_validation."""
    model.eval()
    total = 0.0
    for lo in range(0, len(rows), batch_size):
        chunk = rows[lo:lo + batch_size]
        reconstruction, kl = model.losses(counts.dense(chunk), torch.from_numpy(batch_codes[chunk]))
        total += float((reconstruction + kl).sum())
    return total / len(rows)


def train(args, counts, batch_codes):
    with open(args.split) as f:
        split = json.load(f)
    train_rows = np.asarray(split["train"], dtype=np.int64)
    validation_rows = np.asarray(split["validation"], dtype=np.int64)
    torch.set_num_threads(args.threads or os.cpu_count())
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    n_batch = int(batch_codes.max()) + 1
    model = SCVITorch(counts.shape[1], n_batch, encode_covariates=args.encode_covariates)
    optimiser = adam(model)
    history = []
    started = time.perf_counter()
    for epoch in range(args.epochs):
        kl_weight = min(1.0, epoch / 400)
        order = rng.permutation(train_rows)
        losses = []
        for lo in range(0, len(order), args.batch_size):
            rows = order[lo:lo + args.batch_size]
            losses.append((train_step(model, optimiser, counts.dense(rows), torch.from_numpy(batch_codes[rows]), kl_weight), len(rows)))
        train_loss = sum(l * n for l, n in losses) / len(order)
        history.append({"epoch": epoch, "trainLoss": train_loss, "validationElbo": validation_elbo(model, counts, batch_codes, validation_rows, 512)})
    seconds = time.perf_counter() - started
    model.eval()
    latent = []
    with torch.no_grad():
        all_rows = np.arange(counts.shape[0])
        for lo in range(0, len(all_rows), 512):
            chunk = all_rows[lo:lo + 512]
            latent.append(model.qz(counts.dense(chunk), torch.from_numpy(batch_codes[chunk])).loc.numpy())
    return {"torch": torch.__version__, "threads": torch.get_num_threads(), "epochs": args.epochs, "seconds": seconds,
            "history": history, "latent": np.concatenate(latent).round(6).tolist()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["throughput", "train"])
    parser.add_argument("--data", required=True, help="an .h5ad with integer counts in X")
    parser.add_argument("--batch-key", help="categorical obs column used as the batch covariate")
    parser.add_argument("--batch-codes", help="a JSON array of batch indices, one per cell (instead of --batch-key)")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--split", help="JSON {train, validation} row indices (train mode)")
    parser.add_argument("--epochs", type=int, default=400)
    parser.add_argument("--encode-covariates", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=0, help="torch threads (default: every core)")
    args = parser.parse_args()
    counts = CsrRows(*read_counts(args.data))
    if args.batch_codes:
        with open(args.batch_codes) as f:
            batch_codes = np.asarray(json.load(f), dtype=np.int64)
    elif args.batch_key:
        batch_codes = read_obs_codes(args.data, args.batch_key)
    else:
        batch_codes = np.zeros(counts.shape[0], dtype=np.int64)
    if args.mode == "train" and not args.split:
        raise SystemExit("scvi_torch.py: train mode needs --split")
    out = throughput(args, counts, batch_codes) if args.mode == "throughput" else train(args, counts, batch_codes)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
