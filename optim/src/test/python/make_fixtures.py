#!/usr/bin/python3
"""Writes the PyTorch reference values used by the optim tests.

Run with Debian's PyTorch (python3-torch, 1.13):
    /usr/bin/python3 make_fixtures.py OUTDIR      (OUTDIR = optim/src/test/resources/torch)
Each output file holds lines `name|shape|v1,v2,...` (shape as comma-separated sizes, empty for a scalar).

The default dtype is float64, so every optimizer state (including the 0-d `step` and Nadam's
`mu_product` tensors, which PyTorch creates in the default dtype) is kept in double precision.
"""
import inspect
import math
import os
import sys

import torch
from torch import optim
from torch.optim import lr_scheduler as S

torch.set_default_dtype(torch.float64)
torch.manual_seed(0)
out_dir = sys.argv[1] if len(sys.argv) > 1 else "."
STEPS = 20


def dump(f, name, t):
    t = torch.as_tensor(t, dtype=torch.float64).detach().contiguous()
    shape = ",".join(str(s) for s in t.shape)
    vals = ",".join(repr(float(v)) for v in t.reshape(-1).tolist())
    f.write(f"{name}|{shape}|{vals}\n")


# ------------------------------------------------------------------------------ optimizers
# The model: a 2-layer MLP, loss = mean((tanh(x W1^T + b1) W2^T + b2 - target)^2).
X = torch.randn(8, 5)
T = torch.randn(8, 3)
INIT = {
    "w1": torch.randn(6, 5) * 0.5,
    "b1": torch.randn(6) * 0.1,
    "w2": torch.randn(3, 6) * 0.5,
    "b2": torch.randn(3) * 0.1,
}
NAMES = ["w1", "b1", "w2", "b2"]


def loss_of(p):
    h = torch.tanh(X @ p["w1"].t() + p["b1"])
    y = h @ p["w2"].t() + p["b2"]
    return ((y - T) ** 2).mean()


def groups_all(p, **kw):
    return [dict(params=[p[n] for n in NAMES], **kw)]


# name -> (constructor, param groups builder). Keep in sync with OptimizerParityTest.CASES.
CASES = {
    "sgd": lambda p: optim.SGD([p[n] for n in NAMES], lr=0.1, foreach=False),
    "sgd_momentum": lambda p: optim.SGD([p[n] for n in NAMES], lr=0.1, momentum=0.9, foreach=False),
    "sgd_dampening": lambda p: optim.SGD([p[n] for n in NAMES], lr=0.1, momentum=0.9, dampening=0.5, foreach=False),
    "sgd_nesterov": lambda p: optim.SGD([p[n] for n in NAMES], lr=0.1, momentum=0.9, nesterov=True, foreach=False),
    "sgd_wd": lambda p: optim.SGD([p[n] for n in NAMES], lr=0.1, momentum=0.9, weight_decay=0.01, foreach=False),
    "sgd_maximize": lambda p: optim.SGD([p[n] for n in NAMES], lr=0.05, weight_decay=0.01, maximize=True,
                                        foreach=False),
    "sgd_groups": lambda p: optim.SGD([
        dict(params=[p["w1"], p["w2"]]),
        dict(params=[p["b1"], p["b2"]], lr=0.02, weight_decay=0.1, momentum=0.5),
    ], lr=0.1, momentum=0.9, foreach=False),
    "adagrad": lambda p: optim.Adagrad([p[n] for n in NAMES], lr=0.1, foreach=False),
    "adagrad_decay": lambda p: optim.Adagrad([p[n] for n in NAMES], lr=0.1, lr_decay=0.01,
                                             initial_accumulator_value=0.1, weight_decay=0.01, eps=1e-8,
                                             foreach=False),
    "adadelta": lambda p: optim.Adadelta([p[n] for n in NAMES], lr=1.0, foreach=False),
    "adadelta_opts": lambda p: optim.Adadelta([p[n] for n in NAMES], lr=0.5, rho=0.8, eps=1e-5,
                                              weight_decay=0.01, foreach=False),
    "rmsprop": lambda p: optim.RMSprop([p[n] for n in NAMES], lr=0.01, foreach=False),
    "rmsprop_centered": lambda p: optim.RMSprop([p[n] for n in NAMES], lr=0.01, alpha=0.9, centered=True,
                                                foreach=False),
    "rmsprop_momentum": lambda p: optim.RMSprop([p[n] for n in NAMES], lr=0.01, momentum=0.9,
                                                weight_decay=0.01, foreach=False),
    "rmsprop_centered_momentum": lambda p: optim.RMSprop([p[n] for n in NAMES], lr=0.005, centered=True,
                                                         momentum=0.5, foreach=False),
    "adam": lambda p: optim.Adam([p[n] for n in NAMES], lr=0.01, foreach=False),
    "adam_amsgrad": lambda p: optim.Adam([p[n] for n in NAMES], lr=0.01, betas=(0.8, 0.99), amsgrad=True,
                                         foreach=False),
    "adam_wd": lambda p: optim.Adam([p[n] for n in NAMES], lr=0.01, weight_decay=0.1, foreach=False),
    "adam_maximize": lambda p: optim.Adam([p[n] for n in NAMES], lr=0.01, eps=1e-6, maximize=True,
                                          foreach=False),
    "adamw": lambda p: optim.AdamW([p[n] for n in NAMES], lr=0.01, weight_decay=0.1, foreach=False),
    "adamw_amsgrad": lambda p: optim.AdamW([p[n] for n in NAMES], lr=0.01, weight_decay=0.05, amsgrad=True,
                                           foreach=False),
    "nadam": lambda p: optim.NAdam([p[n] for n in NAMES], lr=0.01, foreach=False),
    "nadam_wd": lambda p: optim.NAdam([p[n] for n in NAMES], lr=0.01, betas=(0.85, 0.99), weight_decay=0.01,
                                      momentum_decay=0.01, foreach=False),
    # PyTorch 2.0's corrected mu_product_next (pytorch/pytorch#92699), see nadam_corrected() below
    "nadam_corrected": lambda p: optim.NAdam([p[n] for n in NAMES], lr=0.01, betas=(0.85, 0.99), foreach=False),
    "adamax": lambda p: optim.Adamax([p[n] for n in NAMES], lr=0.01, foreach=False),
    "adamax_wd": lambda p: optim.Adamax([p[n] for n in NAMES], lr=0.02, betas=(0.8, 0.99), eps=1e-6,
                                        weight_decay=0.01, foreach=False),
}


def nadam_corrected():
    """1.13's single-tensor NAdam with the one-line fix of PyTorch 2.0: mu_product_next = mu_product * mu_next."""
    import torch.optim.nadam as mod
    old = "mu_product_next = mu_product * mu * mu_next"
    src = inspect.getsource(mod._single_tensor_nadam)
    assert old in src
    ns = {}
    exec(src.replace(old, "mu_product_next = mu_product * mu_next"), mod.__dict__, ns)
    return mod, ns["_single_tensor_nadam"]


def optimizers(f):
    dump(f, "x", X)
    dump(f, "target", T)
    for n in NAMES:
        dump(f, "init." + n, INIT[n])
    for case, make in CASES.items():
        p = {n: INIT[n].clone().requires_grad_(True) for n in NAMES}
        opt = make(p)
        losses = []
        if case == "nadam_corrected":
            mod, fixed = nadam_corrected()
            original, mod._single_tensor_nadam = mod._single_tensor_nadam, fixed
        for _ in range(STEPS):
            opt.zero_grad()
            loss = loss_of(p)
            loss.backward()
            losses.append(loss.item())
            opt.step()
        if case == "nadam_corrected":
            mod._single_tensor_nadam = original
        for n in NAMES:
            dump(f, case + "." + n, p[n])
        dump(f, case + ".losses", torch.tensor(losses))


# ------------------------------------------------------------------------------ schedules
SCHED_STEPS = 30


def two_groups():
    a = torch.zeros(2, requires_grad=True)
    b = torch.zeros(2, requires_grad=True)
    return optim.SGD([dict(params=[a]), dict(params=[b], lr=0.05)], lr=0.1, momentum=0.9)


def record(f, name, opt, sched, steps=SCHED_STEPS, extra=None):
    """lr of each group at epochs 0..steps-1 (the value used by optimizer.step() in that epoch)."""
    lrs = [[] for _ in opt.param_groups]
    extras = [[] for _ in opt.param_groups]
    for _ in range(steps):
        for i, g in enumerate(opt.param_groups):
            lrs[i].append(g["lr"])
            if extra is not None:
                extras[i].append(extra(g))
        opt.step()
        sched.step()
    for i in range(len(lrs)):
        dump(f, f"{name}.g{i}", torch.tensor(lrs[i]))
        if extra is not None:
            dump(f, f"{name}.momentum.g{i}", torch.tensor(extras[i]))


def schedules(f):
    o = two_groups(); record(f, "step", o, S.StepLR(o, step_size=4, gamma=0.5))
    o = two_groups(); record(f, "multistep", o, S.MultiStepLR(o, milestones=[3, 7, 7, 15], gamma=0.3))
    o = two_groups(); record(f, "exponential", o, S.ExponentialLR(o, gamma=0.9))
    o = two_groups(); record(f, "cosine", o, S.CosineAnnealingLR(o, T_max=7, eta_min=0.001))
    o = two_groups(); record(f, "cosine_nomin", o, S.CosineAnnealingLR(o, T_max=10))
    o = two_groups(); record(f, "warm_restarts", o, S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.001))
    o = two_groups(); record(f, "warm_restarts_1", o, S.CosineAnnealingWarmRestarts(o, T_0=5))
    o = two_groups(); record(f, "linear", o, S.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=6))
    o = two_groups(); record(f, "linear_down", o, S.LinearLR(o, start_factor=1.0, end_factor=0.25, total_iters=9))
    o = two_groups()
    warm = S.LinearLR(o, start_factor=0.2, total_iters=5)
    cos = S.CosineAnnealingLR(o, T_max=20, eta_min=0.0001)
    record(f, "sequential", o, S.SequentialLR(o, [warm, cos], milestones=[5]))

    def mom(g):
        return g["betas"][0] if "betas" in g else g["momentum"]

    o = two_groups()
    record(f, "onecycle_cos", o, S.OneCycleLR(o, max_lr=[1.0, 0.5], total_steps=SCHED_STEPS), extra=mom)
    o = two_groups()
    record(f, "onecycle_linear", o, S.OneCycleLR(o, max_lr=0.8, total_steps=SCHED_STEPS, pct_start=0.25,
                                                 anneal_strategy="linear", div_factor=10.0,
                                                 final_div_factor=100.0), extra=mom)
    o = two_groups()
    record(f, "onecycle_three", o, S.OneCycleLR(o, max_lr=1.0, epochs=3, steps_per_epoch=10, three_phase=True,
                                                cycle_momentum=False))
    p = torch.zeros(2, requires_grad=True)
    o = optim.Adam([p], lr=0.001)
    record(f, "onecycle_adam", o, S.OneCycleLR(o, max_lr=0.01, total_steps=SCHED_STEPS, base_momentum=0.8,
                                               max_momentum=0.9), extra=mom)

    # warm restarts stepped with fractional epochs (the per-batch pattern of its documentation)
    o = two_groups()
    sched = S.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=3, eta_min=0.01)
    epochs = [0.25 * k for k in range(40)] + [3.0, 1.5, 11.0, 30.5]
    lrs = []
    for e in epochs:
        sched.step(e)
        lrs.append(o.param_groups[0]["lr"])
    dump(f, "warm_restarts_epochs.epochs", torch.tensor(epochs))
    dump(f, "warm_restarts_epochs.g0", torch.tensor(lrs))

    # ReduceLROnPlateau: a fixed metric sequence
    g = torch.Generator().manual_seed(1)
    metrics = (torch.linspace(1.0, 0.5, 12).tolist() + [0.5 + 0.001 * k for k in range(10)]
               + torch.linspace(0.49, 0.2, 8).tolist() + [0.2] * 10 + (torch.rand(10, generator=g) * 0.3).tolist())
    dump(f, "plateau.metrics", torch.tensor(metrics))
    configs = {
        "plateau_min": dict(mode="min", factor=0.5, patience=2),
        "plateau_min_cool": dict(mode="min", factor=0.3, patience=1, cooldown=2, min_lr=0.004, threshold=0.01),
        "plateau_abs": dict(mode="min", factor=0.5, patience=0, threshold=0.005, threshold_mode="abs",
                            min_lr=[0.01, 0.001], eps=1e-3),
        "plateau_max": dict(mode="max", factor=0.1, patience=3, cooldown=1),
        "plateau_max_abs": dict(mode="max", factor=0.7, patience=2, threshold=0.02, threshold_mode="abs"),
    }
    for name, kw in configs.items():
        o = two_groups()
        sched = S.ReduceLROnPlateau(o, **kw)
        lrs = [[], []]
        for m in metrics:
            o.step()
            sched.step(m)
            for i, grp in enumerate(o.param_groups):
                lrs[i].append(grp["lr"])
        for i in range(2):
            dump(f, f"{name}.g{i}", torch.tensor(lrs[i]))


# ------------------------------------------------------------------------------ gradient clipping
def clipping(f):
    grads = [torch.randn(3, 4), torch.randn(5), torch.randn(2, 2, 2) * 3]
    for i, g in enumerate(grads):
        dump(f, f"grad{i}", g)
    for name, max_norm, norm_type in [("l2", 1.5, 2.0), ("l2_noclip", 1000.0, 2.0), ("inf", 0.5, math.inf),
                                      ("l1", 2.0, 1.0), ("l3", 1.0, 3.0)]:
        ps = [torch.zeros_like(g, requires_grad=True) for g in grads]
        for p, g in zip(ps, grads):
            p.grad = g.clone()
        total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type=norm_type)
        dump(f, f"{name}.total", total)
        for i, p in enumerate(ps):
            dump(f, f"{name}.grad{i}", p.grad)
    ps = [torch.zeros_like(g, requires_grad=True) for g in grads]
    for p, g in zip(ps, grads):
        p.grad = g.clone()
    torch.nn.utils.clip_grad_value_(ps, 0.7)
    for i, p in enumerate(ps):
        dump(f, f"value.grad{i}", p.grad)


if __name__ == "__main__":
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "optimizers.txt"), "w") as f:
        optimizers(f)
    with open(os.path.join(out_dir, "schedules.txt"), "w") as f:
        schedules(f)
    with open(os.path.join(out_dir, "clipping.txt"), "w") as f:
        clipping(f)
