"""Writes core/src/test/resources/io/jgrad/core/pad_fixtures.txt with torch.nn.functional.pad results.

Run with PyTorch 1.13 from the repository root:  python3 core/src/test/python/make_pad_fixtures.py

One case per line, fields separated by '|':
    mode | value | input shape | pads | output shape | output values (row-major)
The input is always arange(numel) in float64 reshaped to the input shape.
"""
import os

import torch
import torch.nn.functional as F

CASES = [
    # mode, value, input shape, pads
    ("reflect", 0.0, (2, 5), (2, 3)),
    ("reflect", 0.0, (2, 5), (-1, 2)),
    ("reflect", 0.0, (3, 4), (3, 0)),
    ("reflect", 0.0, (1, 3, 4), (3, 3, 2, 1)),
    ("reflect", 0.0, (2, 2, 4, 5), (1, 2, 3, 0)),
    ("reflect", 0.0, (1, 2, 3, 4, 5), (1, 2, 2, 1, 1, 2)),
    ("replicate", 0.0, (2, 5), (2, 3)),
    ("replicate", 0.0, (2, 3), (7, 6)),
    ("replicate", 0.0, (2, 5), (-2, 1)),
    ("replicate", 0.0, (1, 3, 4), (4, 1, 0, 5)),
    ("replicate", 0.0, (2, 2, 2, 3), (1, 2, 3, 0)),
    ("replicate", 0.0, (1, 2, 3, 2, 4), (2, 1, 0, 3, 1, 1)),
    ("constant", 1.5, (2, 5), (2, 3)),
    ("constant", -2.0, (2, 3, 4), (1, -1, -2, 2, 1, 0)),
    ("constant", 0.0, (3, 4), (-1, -2, 0, -1)),
]


def fmt(values):
    return " ".join(repr(float(v)) for v in values)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out_path = os.path.join(here, "..", "resources", "io", "jgrad", "core", "pad_fixtures.txt")
    lines = ["# torch " + torch.__version__.split("a")[0] + " torch.nn.functional.pad; made by make_pad_fixtures.py"]
    for mode, value, shape, pads in CASES:
        n = 1
        for s in shape:
            n *= s
        x = torch.arange(n, dtype=torch.float64).reshape(shape)
        if mode == "constant":
            y = F.pad(x, pads, mode=mode, value=value)
        else:
            y = F.pad(x, pads, mode=mode)
        lines.append("|".join([
            mode,
            repr(value),
            " ".join(str(s) for s in shape),
            " ".join(str(p) for p in pads),
            " ".join(str(s) for s in y.shape),
            fmt(y.flatten().tolist()),
        ]))
    with open(out_path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
