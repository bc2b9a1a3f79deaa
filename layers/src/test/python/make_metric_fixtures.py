#!/usr/bin/python3
"""Writes the PyTorch reference values of the contrastive and distillation losses.

Run with Debian's PyTorch (python3-torch, 1.13):
    /usr/bin/python3 make_metric_fixtures.py OUTDIR        (OUTDIR: layers/src/test/resources/torch)

The files have the format of make_layer_fixtures.py (LOSS_<case>.txt: in0.. inputs, c0.. constants,
out, r and grad0.. as there). PyTorch has no contrastive loss op: it is built here from
F.pairwise_distance and clamp, as Hadsell, Chopra and LeCun (2006) define it with label 1 for a
similar pair. The distillation loss is the usual PyTorch expression
    alpha * F.kl_div(F.log_softmax(s / T, 1), F.softmax(t / T, 1), reduction="batchmean") * T * T
    + (1 - alpha) * F.cross_entropy(s, y)
"""
import sys

import torch
import torch.nn.functional as F

import make_layer_fixtures as base

torch.manual_seed(2006)
torch.set_default_dtype(torch.float64)
base.OUT = sys.argv[1] if len(sys.argv) > 1 else "."


def contrastive(x1, x2, y, margin, reduction):
    d = F.pairwise_distance(x1, x2, p=2, eps=1e-6)
    l = y * 0.5 * d ** 2 + (1 - y) * 0.5 * torch.clamp(margin - d, min=0) ** 2
    return {"none": l, "mean": l.mean(), "sum": l.sum()}[reduction]


def distillation(s, t, y, temperature, alpha):
    soft = F.kl_div(F.log_softmax(s / temperature, 1), F.softmax(t / temperature, 1), reduction="batchmean")
    return alpha * soft * temperature * temperature + (1 - alpha) * F.cross_entropy(s, y)


def main():
    x1, x2 = torch.randn(6, 4), torch.randn(6, 4)
    x2[1] = x1[1] + 0.1  # a close dissimilar pair: inside the margin
    y = torch.tensor([1.0, 0.0, 1.0, 0.0, 0.0, 1.0])
    for red in ["none", "mean", "sum"]:
        base.loss_case("contrastive_" + red, lambda u, v, t: contrastive(u, v, t, 2.0, red), [x1, x2], [y])
    # margin 1: most dissimilar pairs lie beyond it and cost nothing
    base.loss_case("contrastive_margin1", lambda u, v, t: contrastive(u, v, t, 1.0, "mean"), [x1, x2], [y])

    s, t = torch.randn(5, 4) * 2, torch.randn(5, 4) * 3
    labels = torch.tensor([0, 3, 1, 1, 2])
    for temp, alpha in [(1.0, 0.5), (4.0, 0.9), (2.5, 1.0), (3.0, 0.0)]:
        name = f"distill_T{temp:g}_a{alpha:g}".replace(".", "p")
        base.loss_case(name, lambda u, te, la: distillation(u, te, la, temp, alpha), [s], [t, labels])


if __name__ == "__main__":
    main()
