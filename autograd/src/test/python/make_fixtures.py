#!/usr/bin/python3
"""Writes the PyTorch reference values used by the autograd tests.

Run with Debian's PyTorch (python3-torch, 1.13): /usr/bin/python3 make_fixtures.py OUTDIR
Each output file holds lines `name|shape|v1,v2,...` (shape as comma-separated sizes, empty for a scalar).
"""
import sys, os
import torch
import torch.nn.functional as F

torch.manual_seed(0)
out_dir = sys.argv[1] if len(sys.argv) > 1 else "."


def dump(f, name, t):
    t = t.detach().to(torch.float64).contiguous()
    shape = ",".join(str(s) for s in t.shape)
    vals = ",".join(repr(float(v)) for v in t.reshape(-1).tolist())
    f.write(f"{name}|{shape}|{vals}\n")


def chain(f):
    x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    w = torch.randn(4, 5, dtype=torch.float64, requires_grad=True)
    b = torch.randn(5, dtype=torch.float64, requires_grad=True)
    y = x @ w + b
    z = F.gelu(y)
    s = torch.softmax(z, dim=1)
    loss = (s * torch.log_softmax(y, dim=1)).sum() + torch.logsumexp(y, dim=1).mean() \
        + y.var(dim=1).sum() + torch.sigmoid(y).pow(3).mean() + torch.tanh(y).abs().max() \
        + y.amax(dim=0).sum() + y.norm()
    loss.backward()
    for n, t in [("x", x), ("w", w), ("b", b)]:
        dump(f, n, t)
    dump(f, "loss", loss)
    for n, t in [("x", x), ("w", w), ("b", b)]:
        dump(f, "grad_" + n, t.grad)


def ties(f):
    x = torch.tensor([[1.0, 3.0, 3.0, 2.0], [5.0, 5.0, 5.0, 1.0]], dtype=torch.float64, requires_grad=True)
    (x.amax(dim=1) * torch.tensor([1.0, 2.0], dtype=torch.float64)).sum().backward()
    dump(f, "amax_grad", x.grad)
    x.grad = None
    x.max().backward()
    dump(f, "maxall_grad", x.grad)
    x.grad = None
    v, i = x.max(dim=1)
    (v * torch.tensor([1.0, 2.0], dtype=torch.float64)).sum().backward()
    dump(f, "maxdim_grad", x.grad)
    dump(f, "maxdim_idx", i.to(torch.float64))
    a = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([1.0, 3.0, 2.0], dtype=torch.float64, requires_grad=True)
    torch.maximum(a, b).sum().backward()
    dump(f, "maximum_grad_a", a.grad)
    dump(f, "maximum_grad_b", b.grad)


def double_backward(f):
    # gradient penalty: the gradient of the squared gradient norm of a small MLP
    x = torch.randn(4, 3, dtype=torch.float64)
    w1 = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
    b1 = torch.randn(5, dtype=torch.float64, requires_grad=True)
    w2 = torch.randn(2, 5, dtype=torch.float64, requires_grad=True)
    b2 = torch.randn(2, dtype=torch.float64, requires_grad=True)
    params = [w1, b1, w2, b2]
    out = F.linear(torch.tanh(F.linear(x, w1, b1)), w2, b2)
    loss = out.pow(2).mean()
    grads = torch.autograd.grad(loss, params, create_graph=True)
    penalty = sum((g * g).sum() for g in grads)
    penalty.backward()
    dump(f, "x", x)
    for n, t in zip(["w1", "b1", "w2", "b2"], params):
        dump(f, n, t)
    dump(f, "loss", loss)
    dump(f, "penalty", penalty)
    for n, t in zip(["w1", "b1", "w2", "b2"], params):
        dump(f, "grad_" + n, t.grad)
    # Hessian-vector product of the loss with v = ones
    out = F.linear(torch.tanh(F.linear(x, w1, b1)), w2, b2)
    loss = out.pow(2).mean()
    grads = torch.autograd.grad(loss, [w1], create_graph=True)
    hv = torch.autograd.grad((grads[0] * torch.ones_like(w1)).sum(), [w1])[0]
    dump(f, "hvp_w1", hv)


with open(os.path.join(out_dir, "chain.txt"), "w") as f:
    chain(f)
with open(os.path.join(out_dir, "ties.txt"), "w") as f:
    ties(f)
with open(os.path.join(out_dir, "double_backward.txt"), "w") as f:
    double_backward(f)
