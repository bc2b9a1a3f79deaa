#!/usr/bin/env python3
"""Summarises JMH JSON result files (written with `-rf json -rff FILE`): for every benchmark and
parameter set, the median (min-max) of all measured iterations pooled over the files, and, for
GemmBench, the ratio of EJML's median time to jgrad's, overall and per file.

    python3 benchmarks/scripts/jmh-medians.py run1.json [run2.json ...]

Medians rather than JMH's means: on a shared machine one iteration slowed by outside load moves a
mean of three iterations by tens of percent.
"""
import json
import statistics
import sys
from collections import defaultdict

pooled = defaultdict(list)            # (benchmark, params) -> iteration times
per_file = defaultdict(dict)          # file -> (benchmark, params) -> median
unit = {}
for path in sys.argv[1:]:
    for result in json.load(open(path)):
        name = ".".join(result["benchmark"].rsplit(".", 2)[-2:])       # Class.method
        params = ",".join(f"{k}={v}" for k, v in sorted(result.get("params", {}).items()))
        values = [v for fork in result["primaryMetric"]["rawData"] for v in fork]
        pooled[(name, params)].extend(values)
        per_file[path][(name, params)] = statistics.median(values)
        unit[(name, params)] = result["primaryMetric"]["scoreUnit"]

for key in sorted(pooled):
    v = pooled[key]
    print(f"{key[0]:28} {key[1]:10} median {statistics.median(v):12.1f} "
          f"({min(v):.1f}-{max(v):.1f}) {unit[key]}, {len(v)} iterations")

for key in sorted(k for k in pooled if k[0] == "GemmBench.jgrad"):
    ejml = ("GemmBench.ejml", key[1])
    if ejml not in pooled:
        continue
    overall = statistics.median(pooled[ejml]) / statistics.median(pooled[key])
    runs = [f"{m[ejml] / m[key]:.1f}" for m in per_file.values() if key in m and ejml in m]
    print(f"EJML / jgrad {key[1]:10} {overall:.1f}x (per file: {'/'.join(runs)})")
