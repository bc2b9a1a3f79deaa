#!/usr/bin/python3
"""Writes the PyTorch reference values used by the layers tests.

Run with Debian's PyTorch (python3-torch, 1.13):
    /usr/bin/python3 make_layer_fixtures.py OUTDIR        (OUTDIR: layers/src/test/resources/torch)

Each output file holds lines `name|shape|v1,v2,...` (shape as comma-separated sizes, empty for a
scalar), in float64. Integer tensors (targets, num_batches_tracked) are written as floats too.

Layer cases (one file each, LAYER_<case>.txt):
  p.<k>      the state dict before the forward (parameters and buffers, PyTorch's names)
  x          the input
  y          the output
  r          a random tensor; the gradients are those of sum(y * r)
  gx         the gradient of the input
  g.<k>      the gradient of parameter k
  s.<k>      the state dict after the forward (running statistics)
Multi-step batch-norm cases hold x0, x1, ... and y0, y1, ... with the state after all steps.

cnn_state.safetensors is the state dict of a small CNN trained a few steps by PyTorch (float32,
num_batches_tracked converted to int32), written in the safetensors format by hand (there is no
safetensors package here); cnn_state_int64.safetensors is the same with num_batches_tracked in
int64, as PyTorch writes it; cnn_state_f16 and cnn_state_bf16.safetensors hold the floats in float16
and bfloat16 (model.half(), model.bfloat16()); MODEL_cnn.txt holds an input and the model's output in
eval mode.
"""
import json
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(1234)
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


def dump_state(w, prefix, module):
    for k, v in module.state_dict().items():
        w(prefix + k, v)


def layer_case(name, module, x, train=True):
    """One forward and backward of `module` on `x` (float64)."""
    w = Writer("LAYER_" + name)
    module = module.double()
    module.train(train)
    dump_state(w, "p.", module)
    x = x.clone().requires_grad_(True)
    y = module(x)
    r = torch.randn_like(y)
    (y * r).sum().backward()
    w("x", x)
    w("y", y)
    w("r", r)
    w("gx", x.grad)
    for k, p in module.named_parameters():
        if p.grad is not None:
            w("g." + k, p.grad)
    dump_state(w, "s.", module)
    w.close()


def multi_step_case(name, module, xs, eval_x):
    """Several training steps (running statistics), then one evaluation forward with gradients."""
    w = Writer("LAYER_" + name)
    module = module.double()
    dump_state(w, "p.", module)
    module.train()
    for i, x in enumerate(xs):
        w(f"x{i}", x)
        w(f"y{i}", module(x))
    module.eval()
    x = eval_x.clone().requires_grad_(True)
    y = module(x)
    r = torch.randn_like(y)
    (y * r).sum().backward()
    w("x", x)
    w("y", y)
    w("r", r)
    w("gx", x.grad)
    for k, p in module.named_parameters():
        if p.grad is not None:
            w("g." + k, p.grad)
    dump_state(w, "s.", module)
    w.close()


def randomize(module):
    """Non-trivial affine parameters for normalization layers."""
    with torch.no_grad():
        for k, p in module.named_parameters():
            p.copy_(torch.randn_like(p) * 0.5 + (1.0 if k.endswith("weight") else 0.0))
    return module


def layers():
    layer_case("linear", nn.Linear(5, 3), torch.randn(4, 5))
    layer_case("linear_nobias", nn.Linear(5, 3, bias=False), torch.randn(4, 5))
    layer_case("linear_3d", nn.Linear(5, 3), torch.randn(2, 3, 5))
    x = torch.randn(3, 5) * 2
    for name, m in [("relu", nn.ReLU()), ("leaky_relu", nn.LeakyReLU(0.2)), ("elu", nn.ELU(0.7)), ("selu", nn.SELU()),
                    ("gelu", nn.GELU()), ("gelu_tanh", nn.GELU(approximate="tanh")), ("mish", nn.Mish()),
                    ("silu", nn.SiLU()), ("tanh", nn.Tanh()), ("sigmoid", nn.Sigmoid()),
                    ("softmax", nn.Softmax(dim=1)), ("log_softmax", nn.LogSoftmax(dim=1)),
                    ("softmax_dim0", nn.Softmax(dim=0)), ("identity", nn.Identity())]:
        layer_case(name, m, x)
    layer_case("flatten", nn.Flatten(), torch.randn(2, 3, 2, 2))
    # layer norm
    layer_case("layernorm", randomize(nn.LayerNorm(5)), torch.randn(3, 4, 5) * 3 + 1)
    layer_case("layernorm_2d", randomize(nn.LayerNorm([4, 5])), torch.randn(3, 4, 5))
    layer_case("layernorm_noaffine", nn.LayerNorm(5, elementwise_affine=False), torch.randn(3, 5))
    # group norm
    layer_case("groupnorm", randomize(nn.GroupNorm(2, 6)), torch.randn(3, 6, 4, 4) * 2 - 1)
    layer_case("groupnorm_noaffine", nn.GroupNorm(3, 6, affine=False), torch.randn(2, 6, 5))
    # instance norm
    layer_case("instancenorm", nn.InstanceNorm2d(3), torch.randn(2, 3, 4, 5) + 2)
    multi_step_case("instancenorm_track", randomize(nn.InstanceNorm2d(3, affine=True, track_running_stats=True)),
                    [torch.randn(2, 3, 4, 4) * 2 + 1 for _ in range(3)], torch.randn(2, 3, 4, 4))
    layer_case("instancenorm_track_train", randomize(nn.InstanceNorm2d(3, affine=True, track_running_stats=True)),
               torch.randn(2, 3, 4, 4))
    # batch norm: train step (gradients through the batch statistics), several steps, eval
    layer_case("batchnorm1d", randomize(nn.BatchNorm1d(4)), torch.randn(6, 4) * 3 + 2)
    layer_case("batchnorm1d_3d", randomize(nn.BatchNorm1d(4)), torch.randn(3, 4, 5))
    layer_case("batchnorm2d", randomize(nn.BatchNorm2d(3)), torch.randn(4, 3, 5, 5) * 2 - 1)
    layer_case("batchnorm2d_noaffine", nn.BatchNorm2d(3, affine=False), torch.randn(2, 3, 3, 3))
    layer_case("batchnorm2d_notrack_eval", randomize(nn.BatchNorm2d(3, track_running_stats=False)),
               torch.randn(2, 3, 3, 3), train=False)
    multi_step_case("batchnorm1d_steps", randomize(nn.BatchNorm1d(4, momentum=0.3)),
                    [torch.randn(8, 4) * (i + 1) + i for i in range(4)], torch.randn(5, 4))
    multi_step_case("batchnorm2d_steps", randomize(nn.BatchNorm2d(3)),
                    [torch.randn(4, 3, 4, 4) * 2 + i for i in range(3)], torch.randn(2, 3, 4, 4))
    multi_step_case("batchnorm2d_cumulative", randomize(nn.BatchNorm2d(3, momentum=None)),
                    [torch.randn(4, 3, 2, 2) + i for i in range(3)], torch.randn(2, 3, 2, 2))
    # weight norm
    layer_case("weightnorm_linear", nn.utils.weight_norm(nn.Linear(5, 3)), torch.randn(4, 5))
    layer_case("weightnorm_linear_dim1", nn.utils.weight_norm(nn.Linear(5, 3), dim=1), torch.randn(4, 5))
    # global pooling (amax spreads ties evenly; random inputs have none)
    layer_case("global_avg", GlobalPool(False), torch.randn(2, 3, 4, 5))
    layer_case("global_max", GlobalPool(True), torch.randn(2, 3, 4, 5))


def conv_layers():
    layer_case("conv1d", nn.Conv1d(3, 4, 3), torch.randn(2, 3, 7))
    layer_case("conv1d_cfg", nn.Conv1d(4, 6, 3, stride=2, padding=2, dilation=2, groups=2), torch.randn(2, 4, 9))
    layer_case("conv1d_same_even", nn.Conv1d(3, 4, 4, padding="same"), torch.randn(2, 3, 7))
    layer_case("conv1d_nobias_valid", nn.Conv1d(2, 3, 2, padding="valid", bias=False), torch.randn(1, 2, 5))
    layer_case("conv2d", nn.Conv2d(3, 4, 3), torch.randn(2, 3, 6, 6))
    layer_case("conv2d_stride_pad", nn.Conv2d(3, 4, (3, 2), stride=(2, 1), padding=(1, 2)), torch.randn(2, 3, 7, 6))
    layer_case("conv2d_same", nn.Conv2d(2, 3, 5, padding="same"), torch.randn(2, 2, 6, 5))
    layer_case("conv2d_same_even", nn.Conv2d(2, 3, (4, 3), padding="same"), torch.randn(2, 2, 6, 5))
    layer_case("conv2d_same_dilated", nn.Conv2d(2, 3, 2, padding="same", dilation=3), torch.randn(1, 2, 7, 7))
    layer_case("conv2d_dilation_groups", nn.Conv2d(4, 6, 3, dilation=2, groups=2, bias=False), torch.randn(2, 4, 8, 8))
    layer_case("conv2d_depthwise", nn.Conv2d(3, 3, 3, groups=3, padding=1), torch.randn(2, 3, 5, 5))
    layer_case("conv2d_reflect", nn.Conv2d(2, 3, 3, padding=1, padding_mode="reflect"), torch.randn(2, 2, 5, 4))
    layer_case("conv2d_replicate", nn.Conv2d(2, 3, 3, padding=2, padding_mode="replicate"), torch.randn(1, 2, 4, 4))
    layer_case("convtranspose2d", nn.ConvTranspose2d(3, 2, 3), torch.randn(2, 3, 4, 4))
    layer_case("convtranspose2d_cfg", nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2),
               torch.randn(2, 4, 3, 3))
    layer_case("convtranspose2d_dilation", nn.ConvTranspose2d(2, 3, (2, 3), stride=(2, 1), dilation=2, bias=False),
               torch.randn(1, 2, 3, 4))
    layer_case("maxpool1d", nn.MaxPool1d(2), torch.randn(2, 3, 8))
    layer_case("maxpool1d_cfg", nn.MaxPool1d(3, stride=2, padding=1, ceil_mode=True), torch.randn(2, 3, 8))
    layer_case("maxpool2d", nn.MaxPool2d(2), torch.randn(2, 3, 6, 6))
    layer_case("maxpool2d_cfg", nn.MaxPool2d(3, stride=2, padding=1, dilation=(1, 2), ceil_mode=True), torch.randn(2, 2, 7, 9))
    layer_case("avgpool1d", nn.AvgPool1d(3, stride=2, padding=1, count_include_pad=False), torch.randn(2, 3, 8))
    layer_case("avgpool2d", nn.AvgPool2d(2), torch.randn(2, 3, 6, 6))
    layer_case("avgpool2d_cfg", nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
               torch.randn(2, 2, 7, 6))
    layer_case("adaptiveavgpool2d", nn.AdaptiveAvgPool2d((3, 2)), torch.randn(2, 3, 7, 5))
    layer_case("adaptiveavgpool1d", nn.AdaptiveAvgPool1d(4), torch.randn(2, 3, 10))
    layer_case("weightnorm_conv2d", nn.utils.weight_norm(nn.Conv2d(3, 4, 3, padding=1)), torch.randn(2, 3, 5, 5))
    layer_case("weightnorm_convtranspose2d", nn.utils.weight_norm(nn.ConvTranspose2d(3, 2, 2, stride=2)),
               torch.randn(1, 3, 3, 3))


def write_safetensors(path, tensors, metadata=None, int64_to_int32=True):
    """The safetensors format by hand: 8-byte LE header length, JSON header, raw LE bytes."""
    header = {}
    blobs = []
    offset = 0
    for name, t in tensors.items():
        t = t.detach().contiguous()
        if t.dtype == torch.int64 and int64_to_int32:
            t = t.to(torch.int32)  # an int32 counter, as older jgrad versions wrote it
        dtype = {torch.float32: "F32", torch.float64: "F64", torch.int32: "I32", torch.int64: "I64",
                 torch.float16: "F16", torch.bfloat16: "BF16"}[t.dtype]
        if t.dtype == torch.bfloat16:
            b = t.view(torch.int16).numpy().astype("<i2").tobytes()  # NumPy has no bfloat16
        else:
            b = t.numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    if metadata:
        header["__metadata__"] = metadata
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def torch_model():
    """A small CNN trained a few steps in PyTorch (float32), saved as safetensors, with eval outputs."""
    torch.set_default_dtype(torch.float32)
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3, padding="same", bias=False), nn.GroupNorm(2, 6), nn.GELU(),
        nn.Flatten(), nn.Dropout(0.3), nn.Linear(6 * 4 * 4, 16), nn.LayerNorm(16), nn.Tanh(), nn.Linear(16, 3))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(3):
        x = torch.randn(8, 1, 8, 8)
        loss = F.cross_entropy(model(x), torch.randint(0, 3, (8,)))
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    write_safetensors(os.path.join(OUT, "cnn_state.safetensors"), model.state_dict(), {"format": "pt"})
    # as PyTorch itself would write it: num_batches_tracked in int64
    write_safetensors(os.path.join(OUT, "cnn_state_int64.safetensors"), model.state_dict(), {"format": "pt"},
                      int64_to_int32=False)
    # model.half() and model.bfloat16() state dicts (floats rounded by PyTorch, counters int64)
    for name, dt in (("f16", torch.float16), ("bf16", torch.bfloat16)):
        sd = {k: v.to(dt) if v.is_floating_point() else v for k, v in model.state_dict().items()}
        write_safetensors(os.path.join(OUT, "cnn_state_%s.safetensors" % name), sd, {"format": "pt"},
                          int64_to_int32=False)
    w = Writer("MODEL_cnn")
    x = torch.randn(5, 1, 8, 8)
    w("x", x)
    w("y", model(x))
    w.close()
    torch.set_default_dtype(torch.float64)


class GlobalPool(nn.Module):
    def __init__(self, is_max):
        super().__init__()
        self.is_max = is_max

    def forward(self, x):
        return x.amax(dim=(2, 3)) if self.is_max else x.mean(dim=(2, 3))


def dropout_case(name, fn, x, keep_from_y):
    """PyTorch's dropout output; the keep mask it used is recovered from the output."""
    w = Writer("DROPOUT_" + name)
    x = x.clone().requires_grad_(True)
    y = fn(x)
    r = torch.randn_like(y)
    (y * r).sum().backward()
    w("x", x)
    w("y", y)
    w("keep", keep_from_y(y))
    w("r", r)
    w("gx", x.grad)
    w.close()


def dropouts():
    x = torch.rand(6, 7) + 0.5  # no zeros, so zeros in y are dropped elements
    dropout_case("dropout", lambda t: F.dropout(t, 0.3, True), x, lambda y: (y != 0).double())
    x4 = torch.rand(4, 5, 3, 3) + 0.5
    dropout_case("dropout2d", lambda t: F.dropout2d(t, 0.4, True), x4,
                 lambda y: (y[:, :, :1, :1] != 0).double())
    xa = torch.randn(8, 9)
    def alpha_keep(y):
        vals, counts = torch.unique(y, return_counts=True)
        dropped = vals[counts.argmax()]  # every dropped element has the same value
        return (y != dropped).double()
    dropout_case("alpha", lambda t: F.alpha_dropout(t, 0.25, True), xa, alpha_keep)


def loss_case(name, fn, inputs, consts=(), none_reduction=False):
    """`fn(*inputs, *consts)`; gradients for every input (of sum(loss * r) when unreduced)."""
    w = Writer("LOSS_" + name)
    ins = [t.clone().requires_grad_(True) for t in inputs]
    out = fn(*ins, *consts)
    for i, t in enumerate(ins):
        w(f"in{i}", t)
    for i, t in enumerate(consts):
        if t is not None:
            w(f"c{i}", t)
    w("out", out)
    if out.dim() > 0:
        r = torch.randn_like(out)
        w("r", r)
        (out * r).sum().backward()
    else:
        out.backward()
    for i, t in enumerate(ins):
        w(f"grad{i}", t.grad if t.grad is not None else torch.zeros_like(t))
    w.close()


def losses():
    a, b = torch.randn(4, 3), torch.randn(4, 3)
    b[0, 0] = a[0, 0] + 0.25  # inside the huber/smooth-l1 quadratic zone
    for red in ["none", "mean", "sum"]:
        loss_case("mse_" + red, lambda x, y: F.mse_loss(x, y, reduction=red), [a, b])
        loss_case("l1_" + red, lambda x, y: F.l1_loss(x, y, reduction=red), [a, b])
        loss_case("huber_" + red, lambda x, y: F.huber_loss(x, y, reduction=red, delta=0.5), [a, b])
        loss_case("smoothl1_" + red, lambda x, y: F.smooth_l1_loss(x, y, reduction=red, beta=0.5), [a, b])
    loss_case("smoothl1_beta0", lambda x, y: F.smooth_l1_loss(x, y, beta=0.0), [a, b])

    logits = torch.randn(6, 5) * 2
    target = torch.tensor([0, 4, 2, 2, 1, 3])
    target_ign = torch.tensor([0, 4, -100, 2, 1, 3])
    weight = torch.tensor([1.0, 2.0, 0.5, 3.0, 1.5])
    for red in ["none", "mean", "sum"]:
        loss_case("ce_" + red, lambda x, t: F.cross_entropy(x, t, reduction=red), [logits], [target])
        loss_case("ce_weight_" + red, lambda x, t, wt: F.cross_entropy(x, t, weight=wt, reduction=red),
                  [logits], [target, weight])
        loss_case("ce_all_" + red,
                  lambda x, t, wt: F.cross_entropy(x, t, weight=wt, ignore_index=-100, label_smoothing=0.15, reduction=red),
                  [logits], [target_ign, weight])
        loss_case("nll_" + red, lambda x, t, wt: F.nll_loss(x, t, weight=wt, reduction=red),
                  [F.log_softmax(logits, 1)], [target_ign, weight])
    loss_case("ce_smooth", lambda x, t: F.cross_entropy(x, t, label_smoothing=0.2), [logits], [target_ign])
    loss_case("ce_ignore2", lambda x, t: F.cross_entropy(x, t, ignore_index=2), [logits], [target])
    loss_case("ce_kdim", lambda x, t: F.cross_entropy(x, t, reduction="none"), [torch.randn(2, 4, 3)],
              [torch.tensor([[0, 3, 1], [2, 2, 0]])])
    loss_case("ce_kdim_mean", lambda x, t: F.cross_entropy(x, t, label_smoothing=0.1), [torch.randn(2, 4, 3)],
              [torch.tensor([[0, 3, 1], [2, 2, 0]])])
    extreme = torch.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 5.0], [0.0, 0.0, -1e4]])
    loss_case("ce_extreme", lambda x, t: F.cross_entropy(x, t, label_smoothing=0.1), [extreme],
              [torch.tensor([1, 1, 2])])
    soft = torch.softmax(torch.randn(6, 5), 1)
    loss_case("ce_soft", lambda x, t: F.cross_entropy(x, t), [logits, soft])
    loss_case("ce_soft_all", lambda x, t, wt: F.cross_entropy(x, t, weight=wt, label_smoothing=0.1, reduction="sum"),
              [logits, soft], [weight])

    z = torch.randn(4, 3) * 3
    y = torch.rand(4, 3)
    bw = torch.rand(4, 3) + 0.5
    pw = torch.tensor([0.5, 2.0, 3.0])
    for red in ["none", "mean", "sum"]:
        loss_case("bcel_" + red, lambda x, t: F.binary_cross_entropy_with_logits(x, t, reduction=red), [z, y])
        loss_case("bcel_w_" + red,
                  lambda x, t, wt, p: F.binary_cross_entropy_with_logits(x, t, weight=wt, pos_weight=p, reduction=red),
                  [z, y], [bw, pw])
    zext = torch.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 30.0]])
    yext = torch.tensor([[0.0, 1.0, 0.5], [0.0, 1.0, 0.0]])
    loss_case("bcel_extreme", lambda x, t, p: F.binary_cross_entropy_with_logits(x, t, pos_weight=p), [zext, yext],
              [torch.tensor([2.0, 0.5, 1.0])])
    p = torch.sigmoid(torch.randn(4, 3))
    for red in ["none", "mean", "sum"]:
        loss_case("bce_" + red, lambda x, t, wt: F.binary_cross_entropy(x, t, weight=wt, reduction=red), [p, y], [bw])
    pext = torch.tensor([0.0, 1.0, 0.0, 1.0, 0.5])
    loss_case("bce_extreme", lambda x, t: F.binary_cross_entropy(x, t), [pext], [torch.tensor([0.0, 1.0, 1.0, 0.0, 1.0])])

    lp = F.log_softmax(torch.randn(3, 4), 1)
    q = torch.softmax(torch.randn(3, 4), 1)
    for red in ["none", "mean", "sum", "batchmean"]:
        loss_case("kl_" + red, lambda x, t: F.kl_div(x, t, reduction=red), [lp, q])
    # a zero target probability contributes 0 (PyTorch's target gradient is NaN there: target kept constant)
    q0 = q.clone()
    q0[0, 1] = 0.0
    loss_case("kl_zero_target", lambda x, t: F.kl_div(x, t, reduction="sum"), [lp], [q0])
    loss_case("kl_logtarget", lambda x, t: F.kl_div(x, t, reduction="batchmean", log_target=True),
              [lp, F.log_softmax(torch.randn(3, 4), 1)])

    x1, x2 = torch.randn(5, 4), torch.randn(5, 4)
    yl = torch.tensor([1, -1, 1, -1, -1])
    for red in ["none", "mean", "sum"]:
        loss_case("cosine_" + red, lambda u, v, t: F.cosine_embedding_loss(u, v, t, margin=0.2, reduction=red),
                  [x1, x2], [yl])
    an, po, ne = torch.randn(5, 4), torch.randn(5, 4), torch.randn(5, 4)
    for red in ["none", "mean", "sum"]:
        loss_case("triplet_" + red, lambda u, v, s: F.triplet_margin_loss(u, v, s, margin=1.0, reduction=red), [an, po, ne])
    loss_case("triplet_p1_swap", lambda u, v, s: F.triplet_margin_loss(u, v, s, margin=2.0, p=1, swap=True), [an, po, ne])


def gains():
    w = Writer("INIT_gains")
    names = ["linear", "conv1d", "conv2d", "sigmoid", "tanh", "relu", "selu"]
    for n in names:
        w("gain." + n, torch.tensor(nn.init.calculate_gain(n)))
    w("gain.leaky_relu", torch.tensor(nn.init.calculate_gain("leaky_relu")))
    w("gain.leaky_relu_0.2", torch.tensor(nn.init.calculate_gain("leaky_relu", 0.2)))
    w("gain.leaky_relu_sqrt5", torch.tensor(nn.init.calculate_gain("leaky_relu", 5 ** 0.5)))
    w.close()


if __name__ == "__main__":
    layers()
    conv_layers()
    torch_model()
    dropouts()
    losses()
    gains()
