#!/usr/bin/python3
"""Writes the PyTorch reference values for the layers of issue 22: merge layers, Upsample /
F.interpolate, ConvTranspose1d, adaptive max pooling, PixelShuffle / PixelUnshuffle.

Run with Debian's PyTorch (python3-torch, 1.13):
    /usr/bin/python3 make_resampling_fixtures.py OUTDIR        (OUTDIR: layers/src/test/resources/torch)

Single-input layers use the LAYER_<case>.txt format of make_layer_fixtures.py (p.<k>, x, y, r, gx,
g.<k>, s.<k>), so LayerParityTest reads them. Merge cases (MERGE_<case>.txt) hold the inputs x0,
x1, ..., the output y, a random r, and the gradients g0, g1, ... of sum(y * r).
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_layer_fixtures as base  # noqa: E402  (fmt, Writer, layer_case)

torch.manual_seed(2222)
torch.set_default_dtype(torch.float64)
base.OUT = sys.argv[1] if len(sys.argv) > 1 else "."


class Fn(nn.Module):
    """A parameterless function as a module, so layer_case can run it."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


def merge_case(name, fn, xs):
    w = base.Writer("MERGE_" + name)
    xs = [x.clone().requires_grad_(True) for x in xs]
    y = fn(xs)
    r = torch.randn_like(y)
    (y * r).sum().backward()
    for i, x in enumerate(xs):
        w(f"x{i}", x)
    w("y", y)
    w("r", r)
    for i, x in enumerate(xs):
        w(f"g{i}", x.grad)
    w.close()


def merges():
    a, b, c = torch.randn(2, 3, 4), torch.randn(2, 3, 4), torch.randn(2, 3, 4)
    merge_case("add", lambda t: t[0] + t[1] + t[2], [a, b, c])
    merge_case("multiply", lambda t: t[0] * t[1] * t[2], [a, b, c])
    merge_case("average", lambda t: torch.stack(t).mean(0), [a, b, c])
    merge_case("concatenate_last", lambda t: torch.cat(t, -1), [a, torch.randn(2, 3, 2)])
    merge_case("concatenate_axis1", lambda t: torch.cat(t, 1), [a, torch.randn(2, 1, 4), torch.randn(2, 2, 4)])


def resampling():
    lc = base.layer_case
    x = torch.randn(2, 3, 4, 5)
    lc("upsample_nearest_2x", nn.Upsample(scale_factor=2, mode="nearest"), x)
    lc("upsample_nearest_size", nn.Upsample(size=(7, 3), mode="nearest"), x)
    lc("upsample_nearest_frac", nn.Upsample(scale_factor=(1.5, 2.3), mode="nearest"), x)
    lc("upsample_nearest_exact", nn.Upsample(size=(6, 8), mode="nearest-exact"), x)
    lc("upsample_bilinear_2x", nn.Upsample(scale_factor=2, mode="bilinear"), x)
    lc("upsample_bilinear_size", nn.Upsample(size=(7, 3), mode="bilinear"), x)
    lc("upsample_bilinear_frac", nn.Upsample(scale_factor=(1.5, 2.3), mode="bilinear"), x)
    lc("upsample_bilinear_align", nn.Upsample(size=(7, 9), mode="bilinear", align_corners=True), x)
    lc("upsample_bilinear_align_scale", nn.Upsample(scale_factor=1.7, mode="bilinear", align_corners=True), x)
    lc("upsample_bilinear_align_one", nn.Upsample(size=(1, 6), mode="bilinear", align_corners=True), x)
    lc("upsample_bilinear_down", nn.Upsample(size=(3, 2), mode="bilinear"), x)
    lc("upsample_linear_1d", nn.Upsample(scale_factor=2.5, mode="linear"), torch.randn(2, 3, 5))
    lc("upsample_nearest_1d", nn.Upsample(size=9, mode="nearest"), torch.randn(2, 3, 5))
    lc("interpolate_recompute", Fn(lambda t: F.interpolate(t, scale_factor=1.6, mode="bilinear",
                                                           recompute_scale_factor=True)), x)


def conv_transpose_1d():
    lc = base.layer_case
    lc("convtranspose1d", nn.ConvTranspose1d(3, 2, 3), torch.randn(2, 3, 6))
    lc("convtranspose1d_cfg", nn.ConvTranspose1d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2),
       torch.randn(2, 4, 5))
    lc("convtranspose1d_dilation", nn.ConvTranspose1d(2, 3, 2, stride=3, padding=2, dilation=2, output_padding=2,
                                                      bias=False), torch.randn(1, 2, 5))


def pooling_and_shuffle():
    lc = base.layer_case
    lc("adaptivemaxpool2d", nn.AdaptiveMaxPool2d((3, 2)), torch.randn(2, 3, 7, 5))
    lc("adaptivemaxpool2d_up", nn.AdaptiveMaxPool2d((5, 4)), torch.randn(1, 2, 3, 3))
    lc("adaptivemaxpool1d", nn.AdaptiveMaxPool1d(4), torch.randn(2, 3, 10))
    lc("adaptivemaxpool1d_overlap", nn.AdaptiveMaxPool1d(5), torch.randn(2, 2, 7))
    lc("pixelshuffle", nn.PixelShuffle(2), torch.randn(2, 8, 3, 4))
    lc("pixelshuffle_3", nn.PixelShuffle(3), torch.randn(1, 9, 2, 2))
    lc("pixelunshuffle", nn.PixelUnshuffle(2), torch.randn(2, 3, 4, 6))


if __name__ == "__main__":
    merges()
    resampling()
    conv_transpose_1d()
    pooling_and_shuffle()
