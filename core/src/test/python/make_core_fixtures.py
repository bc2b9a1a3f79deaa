#!/usr/bin/env python3
"""Writes the PyTorch/NumPy reference values used by the core tensor tests.

Run from the repository root with Debian's python3-torch and python3-numpy:

    /usr/bin/python3 core/src/test/python/make_core_fixtures.py

It writes core/src/test/resources/io/jgrad/core/torch_core_reference.txt, one case per line,
tab-separated fields, first field the kind of case:

    print     dtype  shape  values  view  repr      (repr with newlines written as \\n)
    linspace  dtype  start  end  steps  values
    arange    dtype  start  end  step   values
    erf       x  erf(x)                 (Python's math.erf, correctly rounded in practice)
    gelu      x  gelu(x)                (torch.nn.functional.gelu in float64, exact form)

Numbers are written with float.hex() so that they are read back bit for bit; values of a
tensor are comma-separated, or "arange:<start>:<step>" for long runs.
"""
import math
import os

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "io", "jgrad", "core",
                   "torch_core_reference.txt")

DTYPES = {"float32": torch.float32, "float64": torch.float64, "int32": torch.int32}


def hexs(values):
    return ",".join(float(v).hex() for v in values)


def print_case(lines, dtype, shape, values, view="none"):
    """values: list of numbers or ('arange', start, step)."""
    n = 1
    for s in shape:
        n *= s
    if isinstance(values, tuple):
        _, start, step = values
        data = [start + k * step for k in range(n)]
        spec = "arange:%s:%s" % (float(start).hex(), float(step).hex())
    else:
        data = values
        spec = hexs(values) if values else "-"
    t = torch.tensor(data, dtype=torch.float64).to(DTYPES[dtype]).reshape(shape)
    if view == "t":
        t = t.transpose(-2, -1)
    elif view == "step2":
        t = t[..., ::2]
    r = repr(t)
    assert "\t" not in r and "\\" not in r
    lines.append("\t".join(["print", dtype, ",".join(str(s) for s in shape) or "-", spec, view,
                            r.replace("\n", "\\n")]))


def main():
    torch.set_printoptions(profile="default")
    lines = []
    # printing
    print_case(lines, "float32", [2, 2], [1, 2, 3, 4])
    print_case(lines, "float32", [3], [1.5, -2.25, 3])
    print_case(lines, "float32", [2], [1e-5, 1.0])
    print_case(lines, "float32", [2], [1e9, 1.0])
    print_case(lines, "float32", [2, 2, 2], ("arange", 0, 1))
    print_case(lines, "float64", [2, 3, 4], ("arange", 0, 1))
    print_case(lines, "float32", [2, 1, 2, 2], ("arange", -3, 1))
    print_case(lines, "float64", [2], [1, 2])
    print_case(lines, "int32", [3], [1, -20, 300])
    print_case(lines, "int32", [2, 2], [7, -1, 12, 5])
    print_case(lines, "float32", [], [3.5])
    print_case(lines, "float32", [], [2])
    print_case(lines, "float64", [], [-0.125])
    print_case(lines, "int32", [], [42])
    print_case(lines, "float32", [0], [])
    print_case(lines, "float32", [0, 3], [])
    print_case(lines, "float64", [0], [])
    print_case(lines, "int32", [3, 0], [])
    print_case(lines, "float32", [20], ("arange", 0, 1))
    print_case(lines, "float32", [40, 50], ("arange", 0, 1))
    print_case(lines, "float32", [1001], ("arange", 0, 1))
    print_case(lines, "float32", [1001], ("arange", 0.5, 0.25))
    print_case(lines, "int32", [2000], ("arange", -1000, 1))
    print_case(lines, "float32", [10, 10, 11], ("arange", 0, 0.5))
    print_case(lines, "float32", [4], [1, float("nan"), float("inf"), float("-inf")])
    print_case(lines, "float32", [3], [0.1, 0.25, float("nan")])
    print_case(lines, "float32", [2], [-0.0, 1.0])
    print_case(lines, "float32", [2], [0.0, 0.0])
    print_case(lines, "float32", [2, 2], [-1, 2, 3, -4])
    print_case(lines, "float32", [2, 3], [0.123456, -1.98765, 100.5, 3.14159, 2.71828, -0.5])
    print_case(lines, "float64", [3], [0.00012345, 0.5, -7.25])
    print_case(lines, "float32", [2, 30], ("arange", 1000.5, 1000.5))
    print_case(lines, "float32", [2, 3], ("arange", 1, 1), view="t")
    print_case(lines, "float32", [3, 4], [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5, 5.5, 6], view="step2")
    print_case(lines, "float32", [3], [0.00015, 0.00025, 1.00005])
    print_case(lines, "float64", [4], [1e-10, -2.5e12, 3.0, float("nan")])
    rng = np.random.default_rng(7)
    print_case(lines, "float32", [2, 3], [float(x) for x in rng.standard_normal(6)])
    print_case(lines, "float64", [3, 2], [float(x) for x in rng.standard_normal(6) * 100])
    print_case(lines, "float32", [2], [123456.789, -0.5])
    print_case(lines, "float32", [2], [1e-4, 1.0])
    print_case(lines, "float64", [2], [1e-4, 1.0])
    print_case(lines, "float32", [2], [1e8, 1.0])
    print_case(lines, "float32", [2], [123456789.0, 2.0])
    print_case(lines, "float32", [3], [0.00005, 0.00015, 0.5])
    print_case(lines, "float64", [4], [0.12345, 0.12355, 2.00005, -0.00005])
    print_case(lines, "int32", [40, 30], ("arange", -600, 1))
    print_case(lines, "float32", [7, 8], ("arange", -28, 1), view="t")
    print_case(lines, "float32", [2, 3, 1, 2], ("arange", 0.25, 0.5))
    print_case(lines, "float32", [1, 1], [float("inf")])
    print_case(lines, "float32", [], [float("nan")])

    # linspace and arange, exact values
    for dtype, start, end, steps in [("float32", 0, 1, 7), ("float32", -1, 1, 5), ("float64", 0, 1, 7),
                                     ("float32", 0.1, 2.7, 11), ("float64", -3.3, 7.1, 9),
                                     ("float32", 2, 3, 1), ("float32", 0, 10, 3), ("float32", 5, -5, 15),
                                     ("float64", 0, 1, 0), ("int32", 0, 10, 4)]:
        v = torch.linspace(start, end, steps, dtype=DTYPES[dtype]).tolist()
        lines.append("\t".join(["linspace", dtype, float(start).hex(), float(end).hex(), str(steps),
                                hexs(v) if v else "-"]))
    for dtype, start, end, step in [("float32", 0, 1, 0.1), ("float32", -1, 1, 0.25), ("float64", 0.5, 3.2, 0.3),
                                    ("float32", 10, 0, -1.5), ("int32", 0, 10, 3), ("float32", 0, 1, 2)]:
        v = torch.arange(start, end, step, dtype=DTYPES[dtype]).tolist()
        lines.append("\t".join(["arange", dtype, float(start).hex(), float(end).hex(), float(step).hex(),
                                hexs(v) if v else "-"]))

    # erf and exact gelu
    xs = list(np.linspace(-6.0, 6.0, 481)) + [1e-300, -1e-10, 0.46875, 0.4999999999, 0.5, 0.5000000001,
                                              3.9999999, 4.0, 4.0000001, 0.75, 1.0, 2.0, -3.0, 5.0,
                                              10.0, 26.5, 27.5, -30.0]
    for x in xs:
        lines.append("\t".join(["erf", float(x).hex(), math.erf(float(x)).hex()]))
    for x in list(np.linspace(-8.0, 8.0, 161)) + [1e-8, -1e-8, 40.0, -40.0]:
        g = torch.nn.functional.gelu(torch.tensor(float(x), dtype=torch.float64)).item()
        lines.append("\t".join(["gelu", float(x).hex(), float(g).hex()]))

    with open(OUT, "w") as f:
        f.write("# Generated by core/src/test/python/make_core_fixtures.py with PyTorch %s, NumPy %s\n"
                % (torch.__version__, np.__version__))
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
