#!/usr/bin/env python3
"""Summarises logs written by side-by-side.sh: median (min-max) and run count of every figure,
per runner (jgrad, baseline, torch) and workload, the ratio of jgrad's median to PyTorch's, and to
the baseline build's when the log has one (side-by-side.sh with BASELINE_JAR).

    python3 benchmarks/scripts/summarise.py side-by-side.log [more.log ...]
"""
import re
import statistics
import sys
from collections import defaultdict

figures = defaultdict(list)          # (who, workload, key) -> values
for path in sys.argv[1:]:
    for line in open(path):
        if not line.startswith("round="):
            continue
        who = re.search(r"who=(\S+)", line).group(1)
        workload = re.search(r"workload=(\S+)", line).group(1)
        for key, value in re.findall(r"(sgemm\d+|fma_gflops|train_tokens_per_s|test_acc|peak_rss_kb|first_step_ms|warm_step_ms|alloc_mb_per_step|gc_share|train_gflops|(?:mlp|cnn|lstm_step)(?:_opt)?(?:_p90)?_us)=([\d.]+)", line):
            figures[(who, workload, key)].append(float(value))
        m = re.search(r"epoch_s=\[([^\]]*)\]", line)
        if m:
            for v in re.findall(r"[\d.]+", m.group(1)):
                figures[(who, workload, "epoch_s")].append(float(v))


def fmt(v):
    return f"{v:.4f}" if v < 1 else f"{v:.1f}" if v < 1000 else f"{v:.0f}"


keys = sorted({(w, k) for (_, w, k) in figures})
for workload, key in keys:
    row = [f"{workload:5} {key:18}"]
    med = {}
    for who in ("jgrad", "baseline", "torch"):
        vals = figures.get((who, workload, key))
        if vals:
            med[who] = statistics.median(vals)
            row.append(f"{who} {fmt(med[who])} ({fmt(min(vals))}-{fmt(max(vals))}, n={len(vals)})")
    if "jgrad" in med and med.get("torch"):
        row.append(f"ratio {med['jgrad'] / med['torch']:.3f}")
    if "jgrad" in med and med.get("baseline"):
        row.append(f"jgrad/baseline {med['jgrad'] / med['baseline']:.3f}")
    print("  ".join(row))
