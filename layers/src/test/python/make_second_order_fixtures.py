#!/usr/bin/python3
"""Writes the PyTorch reference values of second-order computations (gradient penalties and
Hessian-vector products) used by SecondOrderParityTest.

Run with Debian's PyTorch (python3-torch, 1.13):
    /usr/bin/python3 make_second_order_fixtures.py OUTDIR        (OUTDIR: layers/src/test/resources/torch)

Each output file (SECOND_<case>.txt) holds lines `name|shape|v1,v2,...` in float64, as
make_layer_fixtures.py. Every module runs in float64 and training mode (batch statistics).

WGAN-GP on a conv critic (SECOND_wgan_gp_conv.txt):
  p.<k>            the critic's state dict (PyTorch's names; a Sequential, so 0.weight, 0.bias, ...)
  real, fake, eps  the batches and the interpolation weights (N, 1, 1, 1)
  xhat             eps * real + (1 - eps) * fake, a leaf
  d_real, d_fake   critic(real).mean(), critic(fake).mean()
  gxhat            grad of critic(xhat).sum() w.r.t. xhat (first order, create_graph=True)
  penalty          ((gxhat.flatten(1).norm(dim=1) - 1) ** 2).mean()
  loss             d_fake - d_real + 10 * penalty
  g.<k>            the gradients of the loss w.r.t. every parameter
  gp.<k>           the gradients of the penalty alone w.r.t. every parameter (zeros for the last
                   bias, which the penalty does not depend on)

Gradient penalties through a module (SECOND_gp_<case>.txt), for y = module(x) (plus the final
states hn, cn of recurrent layers and the attention weights w when returned):
  p.<k>            the state dict before the forward
  x, y, hn, cn, w  the input and outputs
  r, rh, rc, rw    s = sum(y * r) + sum(hn * rh) + sum(cn * rc) + sum(w * rw)
  gx               grad of s w.r.t. x (first order, create_graph=True)
  penalty          sum(gx ** 2)
  ggx              the gradient of the penalty w.r.t. x
  g.<k>            the gradient of the penalty w.r.t. every parameter (zeros when it does not depend
                   on the parameter)

Hessian-vector products of a classification loss (SECOND_hvp_<case>.txt): logits = Linear(3, 5)(x),
loss = cross entropy (label smoothing, class weights, ignore index; mean) or NLL after log_softmax:
  p.weight, p.bias the Linear's parameters
  x, target        the input (N, 3) and the class indices (N), as floats
  weight           the class weights (C), when used
  logits, loss     the forward values
  g.weight, g.bias the first-order parameter gradients
  v.weight, v.bias the vector of the product
  hvp.weight, hvp.bias   grad of (g . v) w.r.t. the parameters
  z                the logits as a leaf; gz the gradient of the loss w.r.t. z
  vz, hvpz         the vector and the product w.r.t. the logits
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(4321)
torch.set_default_dtype(torch.float64)
OUT = sys.argv[1] if len(sys.argv) > 1 else "."


def fmt(t):
    t = t.detach().to(torch.float64).contiguous()
    shape = ",".join(str(s) for s in t.shape)
    vals = ",".join(repr(float(v)) for v in t.reshape(-1).tolist())
    return f"{shape}|{vals}"


class Writer:
    def __init__(self, name):
        self.f = open(os.path.join(OUT, name + ".txt"), "w")

    def __call__(self, name, t):
        self.f.write(f"{name}|{fmt(t)}\n")

    def close(self):
        self.f.close()


def dump_state(w, prefix, state):
    for k, v in state.items():
        w(prefix + k, v)


def randomize(module):
    """Non-trivial affine parameters for normalization layers."""
    with torch.no_grad():
        for k, p in module.named_parameters():
            p.copy_(torch.randn_like(p) * 0.5 + (1.0 if k.endswith("weight") else 0.0))
    return module


# ------------------------------------------------------------------------------------------ WGAN-GP

def wgan_gp_conv():
    w = Writer("SECOND_wgan_gp_conv")
    critic = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1),    # (N, 4, 6, 6)
        nn.LeakyReLU(0.2),
        nn.MaxPool2d(2),                  # (N, 4, 3, 3)
        nn.Conv2d(4, 4, 3, padding=1),    # (N, 4, 3, 3)
        nn.LeakyReLU(0.2),
        nn.AvgPool2d(2, stride=1),        # (N, 4, 2, 2), overlapping windows
        nn.Flatten(),                     # (N, 16)
        nn.Linear(16, 1),
    ).double().train()
    dump_state(w, "p.", critic.state_dict())
    real = torch.randn(3, 1, 6, 6)
    fake = torch.randn(3, 1, 6, 6) * 0.7 + 0.3
    eps = torch.rand(3, 1, 1, 1)
    xhat = (eps * real + (1 - eps) * fake).detach().requires_grad_(True)
    d_real = critic(real).mean()
    d_fake = critic(fake).mean()
    gxhat, = torch.autograd.grad(critic(xhat).sum(), xhat, create_graph=True)
    penalty = ((gxhat.flatten(1).norm(dim=1) - 1) ** 2).mean()
    loss = d_fake - d_real + 10 * penalty
    names = [k for k, _ in critic.named_parameters()]
    params = [p for _, p in critic.named_parameters()]
    gp = torch.autograd.grad(penalty, params, retain_graph=True, allow_unused=True)
    loss.backward()
    w("real", real)
    w("fake", fake)
    w("eps", eps)
    w("xhat", xhat)
    w("d_real", d_real)
    w("d_fake", d_fake)
    w("gxhat", gxhat)
    w("penalty", penalty)
    w("loss", loss)
    for k, p in zip(names, params):
        w("g." + k, p.grad)
    for k, g, p in zip(names, gp, params):
        w("gp." + k, g if g is not None else torch.zeros_like(p))
    w.close()


# ------------------------------------------------------------------------------------------ gradient penalties

def penalty_case(name, module, x, call=None):
    """Penalty sum(gx^2) with gx the input gradient of a random weighing of every output.

    `call(module, x)` returns a dict of outputs {"y": ..., "hn": ..., "cn": ..., "w": ...}.
    """
    w = Writer("SECOND_gp_" + name)
    module = module.double().train()
    dump_state(w, "p.", {k: v.clone() for k, v in module.state_dict().items()})
    x = x.clone().requires_grad_(True)
    outs = call(module, x) if call is not None else {"y": module(x)}
    s = 0
    weights = {}
    for k, o in outs.items():
        r = torch.randn_like(o)
        weights[k] = r
        s = s + (o * r).sum()
    gx, = torch.autograd.grad(s, x, create_graph=True)
    penalty = (gx ** 2).sum()
    penalty.backward()
    w("x", x)
    for k, o in outs.items():
        w(k, o)
        w("r" if k == "y" else "r" + k[0], weights[k])
    w("gx", gx)
    w("penalty", penalty)
    w("ggx", x.grad)
    for k, p in module.named_parameters():
        w("g." + k, p.grad if p.grad is not None else torch.zeros_like(p))
    w.close()


def recurrent(module, x):
    out, state = module(x)
    if isinstance(state, tuple):
        return {"y": out, "hn": state[0], "cn": state[1]}
    return {"y": out, "hn": state}


def mha_plain(module, x):
    y, _ = module(x, x, x, need_weights=False)
    return {"y": y}


def mha_causal(module, x):
    n = x.shape[1]
    mask = torch.triu(torch.ones(n, n, dtype=torch.bool), 1)
    y, wts = module(x, x, x, attn_mask=mask, need_weights=True, average_attn_weights=True)
    return {"y": y, "w": wts}


def penalties():
    # recurrent layers, tiny: input 3, hidden 4, sequence 3, batch 2
    penalty_case("lstm_2l_bf", nn.LSTM(3, 4, num_layers=2, batch_first=True), torch.randn(2, 3, 3), recurrent)
    penalty_case("lstm_tf", nn.LSTM(3, 4), torch.randn(3, 2, 3), recurrent)
    penalty_case("lstm_bi_bf", nn.LSTM(3, 4, batch_first=True, bidirectional=True), torch.randn(2, 3, 3), recurrent)
    penalty_case("gru_2l_bf", nn.GRU(3, 4, num_layers=2, batch_first=True), torch.randn(2, 3, 3), recurrent)
    penalty_case("gru_tf", nn.GRU(3, 4), torch.randn(3, 2, 3), recurrent)
    penalty_case("rnn_tanh_2l_bf", nn.RNN(3, 4, num_layers=2, batch_first=True), torch.randn(2, 3, 3), recurrent)
    penalty_case("rnn_tanh_tf", nn.RNN(3, 4), torch.randn(3, 2, 3), recurrent)
    # multi-head attention: embed 4, 2 heads, self-attention, batch-first (B=2, L=3)
    mha = nn.MultiheadAttention(4, 2, batch_first=True)
    with torch.no_grad():
        mha.in_proj_bias.copy_(torch.randn(12) * 0.3)
        mha.out_proj.bias.copy_(torch.randn(4) * 0.3)
    penalty_case("mha_self", mha, torch.randn(2, 3, 4), mha_plain)
    mha = nn.MultiheadAttention(4, 2, batch_first=True)
    with torch.no_grad():
        mha.in_proj_bias.copy_(torch.randn(12) * 0.3)
        mha.out_proj.bias.copy_(torch.randn(4) * 0.3)
    penalty_case("mha_causal", mha, torch.randn(2, 3, 4), mha_causal)
    # normalization after an affine layer, then tanh (so the penalty depends on the norm's bias)
    penalty_case("layernorm", nn.Sequential(nn.Linear(3, 5), randomize(nn.LayerNorm(5)), nn.Tanh()),
                 torch.randn(2, 3, 3))
    penalty_case("batchnorm1d", nn.Sequential(nn.Linear(3, 4), randomize(nn.BatchNorm1d(4)), nn.Tanh()),
                 torch.randn(5, 3))
    penalty_case("batchnorm2d", nn.Sequential(nn.Conv2d(2, 3, 3, padding=1), randomize(nn.BatchNorm2d(3)), nn.Tanh()),
                 torch.randn(2, 2, 4, 4))
    penalty_case("groupnorm", nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), randomize(nn.GroupNorm(2, 4)), nn.Tanh()),
                 torch.randn(2, 2, 4, 4))
    penalty_case("instancenorm2d",
                 nn.Sequential(nn.Conv2d(2, 3, 3, padding=1), randomize(nn.InstanceNorm2d(3, affine=True)), nn.Tanh()),
                 torch.randn(2, 2, 4, 4))


# ------------------------------------------------------------------------------------------ Hessian-vector products

def hvp_case(name, loss_fn, target, weight=None):
    w = Writer("SECOND_hvp_" + name)
    lin = nn.Linear(3, 5).double()
    dump_state(w, "p.", lin.state_dict())
    x = torch.randn(4, 3) * 1.5
    params = [lin.weight, lin.bias]
    logits = lin(x)
    loss = loss_fn(logits)
    g = torch.autograd.grad(loss, params, create_graph=True)
    v = [torch.randn_like(p) for p in params]
    hvp = torch.autograd.grad(sum((gi * vi).sum() for gi, vi in zip(g, v)), params)
    z = logits.detach().clone().requires_grad_(True)
    gz, = torch.autograd.grad(loss_fn(z), z, create_graph=True)
    vz = torch.randn_like(z)
    hvpz, = torch.autograd.grad((gz * vz).sum(), z)
    w("x", x)
    w("target", target)
    if weight is not None:
        w("weight", weight)
    w("logits", logits)
    w("loss", loss)
    w("g.weight", g[0])
    w("g.bias", g[1])
    w("v.weight", v[0])
    w("v.bias", v[1])
    w("hvp.weight", hvp[0])
    w("hvp.bias", hvp[1])
    w("z", z)
    w("gz", gz)
    w("vz", vz)
    w("hvpz", hvpz)
    w.close()


def hvps():
    t = torch.tensor([1, 4, 0, 2])
    hvp_case("ce_smooth", lambda z: F.cross_entropy(z, t, label_smoothing=0.1), t)
    cw = torch.rand(5) + 0.5
    t2 = torch.tensor([1, 2, 4, 2])  # class 2 ignored
    hvp_case("ce_smooth_weight_ignore",
             lambda z: F.cross_entropy(z, t2, weight=cw, ignore_index=2, label_smoothing=0.2), t2, cw)
    t3 = torch.tensor([3, -100, 0, 1])
    hvp_case("ce_weight_ignore", lambda z: F.cross_entropy(z, t3, weight=cw), t3, cw)
    hvp_case("nll_log_softmax", lambda z: F.nll_loss(F.log_softmax(z, dim=1), t3, weight=cw), t3, cw)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    wgan_gp_conv()
    penalties()
    hvps()
