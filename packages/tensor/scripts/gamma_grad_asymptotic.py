#!/usr/bin/env python3
"""Derives the large-alpha expansion used by src/random/gamma-grad.ts (largeAlphaGrad):
dx/dalpha for X ~ Gamma(alpha, 1) at a fixed quantile, from the Edgeworth series.

W = (X - alpha)/sqrt(alpha) has cumulants kappa_2 = 1, kappa_r = (r-1)! eps^(r-2) with
eps = alpha^(-1/2), so E[e^(tW)] = e^(t^2/2) exp(sum_{r>=3} eps^(r-2) t^r / r) = e^(t^2/2) sum_k c_k(eps) t^k,
the density is phi(w) sum_k c_k He_k(w) and the CDF Phi(w) - phi(w) sum_{k>=1} c_k He_(k-1)(w).
With x = alpha + sqrt(alpha) w held fixed,
  dx/dalpha = -(dP/dalpha)_x / f = 1 + eps w / 2 - (eps^2 / 2) (sum_k c_k'(eps) He_(k-1)(w)) / (sum_k c_k He_k(w)).
Regrouping eps^m w^j = y^j alpha^(-(m-j)/2) with y = (x - alpha)/alpha gives
  dx/dalpha = sum_k D_k(y) alpha^(-k), and the Taylor coefficients of D_k are printed.

Run: python3 packages/tensor/scripts/gamma_grad_asymptotic.py [N]   (sympy; N = 12 takes ~30 s)
"""
import sys
import sympy as sp

N = int(sys.argv[1]) if len(sys.argv) > 1 else 12
e, t, w = sp.symbols("epsilon t w")


def trunc(expr):
    p = sp.Poly(sp.expand(expr), e)
    return sum(c * e**m for (m,), c in p.terms() if m <= N)


K = sum(e ** (r - 2) * t**r / r for r in range(3, N + 3))
# exp(K) truncated at eps^N: sum_n K^n / n!, K = O(eps)
G, term = sp.Integer(1), sp.Integer(1)
for n in range(1, N + 1):
    term = trunc(term * K / n)
    G += term
G = sp.expand(G)
He = [sp.Integer(1), w]
deg = sp.Poly(G, t).degree()
for k in range(1, deg + 1):
    He.append(sp.expand(w * He[k] - k * He[k - 1]))
coeffs = sp.Poly(G, t).terms()
dens = sp.expand(sum(c * He[k] for (k,), c in coeffs))
num = sp.expand(sum(sp.diff(c, e) * He[k - 1] for (k,), c in coeffs if k >= 1))
# 1/dens = 1/(1 + r) with r = dens - 1 = O(eps): geometric series, truncated
r = dens - 1
inv, pw = sp.Integer(1), sp.Integer(1)
for n in range(1, N + 1):
    pw = trunc(pw * r)
    inv += (-1) ** n * pw
D = sp.expand(1 + w * e / 2 - e**2 / 2 * trunc(num * trunc(inv)))
for k in range(0, 5):
    print(f"D{k}:", [D.coeff(e, 2 * k + j).coeff(w, j) for j in range(0, N + 1 - 2 * k)])
