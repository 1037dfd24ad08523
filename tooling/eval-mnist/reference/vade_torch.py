#!/usr/bin/env python3
"""A PyTorch VaDE on the digits of eval-mnist (written by src/dump-split.ts), to find a recipe
that reaches the GMM-VAE target before porting it: an MLP autoencoder pretrained (optionally
denoising), k-means or a diagonal GMM on its codes, then VaDE training (q(k|x) = p(k|z), the same
loss as @vitae/gmvae's marginal mode) with optional step decay of the learning rate. Prints the
clustering accuracy of the 9,000 training digits. Needs torch, numpy, scipy and scikit-learn
(Debian: /usr/bin/python3).

  /usr/bin/python3 reference/vade_torch.py [--hidden 500,500] [--pretrain 60] [--noise 0.2] [--init kmeans|gmm]
                                           [--epochs 30] [--lr 2e-3] [--decay 0.9] [--grey] [--cb] [--data /tmp]
                                           [--shift S] [--vade-shift S] [--wd W] [--beta B] [--save F] [--load F]

--cb scores the reconstruction with torch's ContinuousBernoulli (with --grey: the recipe of
eval-mnist's defaults, --grey --cb --pretrain 150 --pre-lr 1e-3 --lr 5e-4). The rest are the
variants tried while looking for that recipe (reference/results/): --shift moves each digit by a
random whole number of pixels up to S in each direction (pretraining, and the mixture phase
unless --vade-shift says otherwise), --wd is the pretraining weight decay, --beta weights the KL
terms of the mixture phase, --save / --load keep the pretrained autoencoder.
"""
import argparse, time, numpy as np, torch, torch.nn as nn, torch.nn.functional as F
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture
from scipy.optimize import linear_sum_assignment
p = argparse.ArgumentParser()
p.add_argument('--hidden', default='500,500'); p.add_argument('--latent', type=int, default=10)
p.add_argument('--pretrain', type=int, default=60); p.add_argument('--pre-lr', type=float, default=3e-3)
p.add_argument('--noise', type=float, default=0.0); p.add_argument('--init', default='kmeans')
p.add_argument('--epochs', type=int, default=30); p.add_argument('--lr', type=float, default=2e-3)
p.add_argument('--decay', type=float, default=1.0); p.add_argument('--grey', action='store_true')
p.add_argument('--seed', type=int, default=0); p.add_argument('--batch', type=int, default=128)
p.add_argument('--shift', type=int, default=0); p.add_argument('--wd', type=float, default=0.0); p.add_argument('--vade-shift', type=int, default=-1)
p.add_argument('--beta', type=float, default=1.0); p.add_argument('--save', default=''); p.add_argument('--load', default='')
p.add_argument('--cb', action='store_true')
p.add_argument('--threads', type=int, default=1); p.add_argument('--data', default='/tmp')
a = p.parse_args()
torch.set_num_threads(a.threads); torch.manual_seed(a.seed); rng = np.random.default_rng(a.seed)
X = np.fromfile(f'{a.data}/mnist-train-grey.f32' if a.grey else f'{a.data}/mnist-train-x.f32', dtype=np.float32).reshape(-1, 784)
y = np.fromfile(f'{a.data}/mnist-train-y.i32', dtype=np.int32)
Xt = torch.from_numpy(X); n = len(X)
def acc(pred):
    c = np.zeros((10, 10)); np.add.at(c, (pred, y), 1); r, cc = linear_sum_assignment(-c); return c[r, cc].sum() / n
h = [int(v) for v in a.hidden.split(',')]
def mlp(sizes): 
    layers = []
    for i in range(len(sizes) - 1): layers += [nn.Linear(sizes[i], sizes[i+1]), nn.ReLU()]
    return nn.Sequential(*layers)
enc = mlp([784] + h); mu_head = nn.Linear(h[-1], a.latent); lv_head = nn.Linear(h[-1], a.latent)
dec = nn.Sequential(mlp([a.latent] + h[::-1]), nn.Linear(h[0], 784))
def shift(x, S):
    if S <= 0: return x
    B = x.shape[0]; P = F.pad(x.view(B, 28, 28), (S, S, S, S))
    dy = torch.randint(-S, S + 1, (B,)); dx = torch.randint(-S, S + 1, (B,)); ar = torch.arange(28)
    r = (ar[None, :] + S + dy[:, None]); c = (ar[None, :] + S + dx[:, None])
    return P[torch.arange(B)[:, None, None], r[:, :, None], c[:, None, :]].reshape(B, 784)
def recon_loss(logits, x):
    if a.cb: return -torch.distributions.ContinuousBernoulli(logits=logits, validate_args=False).log_prob(x).sum(-1)
    return F.binary_cross_entropy_with_logits(logits, x, reduction='none').sum(-1)
opt = torch.optim.Adam(list(enc.parameters()) + list(mu_head.parameters()) + list(dec.parameters()), lr=a.pre_lr, weight_decay=a.wd)
t0 = time.time()
if a.load: [m.load_state_dict(sd) for m, sd in zip((enc, mu_head, dec), torch.load(a.load))]
for ep in range(0 if a.load else a.pretrain):
    perm = rng.permutation(n); tot = 0
    for i in range(0, n, a.batch):
        x = shift(Xt[perm[i:i+a.batch]], a.shift); xin = F.dropout(x, a.noise) if a.noise > 0 else x
        loss = recon_loss(dec(mu_head(enc(xin))), x).mean(); opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(x)
    if ep % 10 == 9: print(f'pretrain {ep+1}: {tot/n:.2f} ({time.time()-t0:.0f} s)', flush=True)
if a.save: torch.save([m.state_dict() for m in (enc, mu_head, dec)], a.save)
with torch.no_grad(): Z = mu_head(enc(Xt)).numpy()
km = KMeans(10, n_init=10, random_state=a.seed).fit(Z); print(f'AE + k-means acc {acc(km.labels_):.3f}')
gm = GaussianMixture(10, covariance_type='diag', random_state=a.seed).fit(Z); print(f'AE + GMM acc {acc(gm.predict(Z)):.3f}')
if a.init == 'gmm': means, var, w = gm.means_, gm.covariances_, gm.weights_
else:
    means = km.cluster_centers_; lab = km.labels_
    var = np.stack([np.maximum(Z[lab == k].var(0), 0.05**2) for k in range(10)]); w = np.bincount(lab, minlength=10) / n
pm = nn.Parameter(torch.tensor(means, dtype=torch.float32)); plv = nn.Parameter(torch.tensor(np.log(var), dtype=torch.float32))
pl = nn.Parameter(torch.tensor(np.log(w), dtype=torch.float32))
params = list(enc.parameters()) + list(mu_head.parameters()) + list(lv_head.parameters()) + list(dec.parameters()) + [pm, plv, pl]
opt = torch.optim.Adam(params, lr=a.lr); sched = torch.optim.lr_scheduler.StepLR(opt, 10, a.decay)
def comp_logp(z):  # [B, K]
    return -0.5 * (((z[:, None, :] - pm) ** 2) / plv.exp() + plv + np.log(2 * np.pi)).sum(-1)
def predict():
    with torch.no_grad():
        z = mu_head(enc(Xt)); return (comp_logp(z) + F.log_softmax(pl, 0)).argmax(1).numpy()
print(f'start acc {acc(predict()):.3f}', flush=True)
for ep in range(a.epochs):
    perm = rng.permutation(n); tot = 0
    for i in range(0, n, a.batch):
        x = shift(Xt[perm[i:i+a.batch]], a.shift if a.vade_shift < 0 else a.vade_shift); hh = enc(x); m = mu_head(hh); lv = lv_head(hh)
        z = m + (0.5 * lv).exp() * torch.randn_like(m)
        logpi = F.log_softmax(pl, 0); lg = comp_logp(z) + logpi; logq = F.log_softmax(lg, 1); q = logq.exp()
        klz = 0.5 * (plv - lv[:, None, :] + (lv.exp()[:, None, :] + (m[:, None, :] - pm) ** 2) / plv.exp() - 1).sum(-1)
        loss = (recon_loss(dec(z), x) + a.beta * ((q * klz).sum(1) + (q * (logq - logpi)).sum(1))).mean()
        opt.zero_grad(); loss.backward(); opt.step(); tot += loss.item() * len(x)
    sched.step()
    if ep % 10 == 9 or ep == a.epochs - 1: print(f'vade {ep+1}: {tot/n:.2f} acc {acc(predict()):.3f} ({time.time()-t0:.0f} s)', flush=True)
