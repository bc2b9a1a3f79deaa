#!/usr/bin/env python3
"""Fits the README's scaling model to SparkStepBenchmark's output and predicts steps on W workers.

Usage: scaling-model.py BENCH_OUTPUT [--params mlp=101770,cnn=N]

For each (model, batch) measured with the broadcast exchange on 1 and 2 workers it fits
  scheduling      s0 + s1 * W                        (Spark's job, task launch, result delivery)
  local exchange  e0 + e1 * W                        (publish, fetch and load the weights, sum W gradients)
  compute         c * B / W                          (the slowest worker's forward and backward)
and adds what a network would cost that the one-machine measurement does not contain:
  broadcast       4P / bw * ceil(log2(W + 1))        (torrent broadcast of the weights)
  gather          W * 4P / bw                        (every gradient through the driver's link)
The speed-up is the single-machine step over the predicted step; a step "pays" when it is > 1.
Larger hypothetical models scale P and c by the same factor (compute grows with parameters).
"""
import math
import sys


def load(path):
    rows = []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) != 11 or parts[0] == "exchange":
                continue
            ex, model = parts[0], parts[1]
            batch, workers = int(parts[2]), int(parts[3])
            step, comp, exch, sched, single = map(float, parts[4:9])
            rows.append(dict(ex=ex, model=model, batch=batch, w=workers, step=step, compute=comp,
                             exchange=exch, sched=sched, single=single,
                             bytes_to=int(parts[9]), bytes_from=int(parts[10])))
    return rows


def fit(rows, model, batch):
    r = {x["w"]: x for x in rows if x["ex"] == "broadcast" and x["model"] == model and x["batch"] == batch}
    if 1 not in r or 2 not in r:
        return None
    s1 = max(0.0, r[2]["sched"] - r[1]["sched"])
    s0 = r[1]["sched"] - s1
    e1 = max(0.0, r[2]["exchange"] - r[1]["exchange"])
    e0 = r[1]["exchange"] - e1
    return dict(s0=s0, s1=s1, e0=e0, e1=e1, compute1=r[1]["compute"], single=r[1]["single"],
                params=r[1]["bytes_to"] // 4)


def predict(f, w, gbit, scale=1.0):
    bw = gbit * 1e9 / 8 / 1e3  # bytes per millisecond
    p4 = 4 * f["params"] * scale
    t = (f["s0"] + f["s1"] * w + (f["e0"] + f["e1"] * w) * scale + f["compute1"] * scale / w
         + p4 / bw * math.ceil(math.log2(w + 1)) + w * p4 / bw)
    return t, f["single"] * scale / t


def main():
    rows = load(sys.argv[1])
    keys = sorted({(x["model"], x["batch"]) for x in rows})
    ws = [1, 2, 4, 8, 16, 32, 64]
    print("| model | batch | P | single ms | s0 + s1 W (ms) | e0 + e1 W (ms) | net | " +
          " | ".join(f"W={w}" for w in ws) + " |")
    print("| --- " * (7 + len(ws)) + "|")
    for model, batch in keys:
        f = fit(rows, model, batch)
        if f is None:
            continue
        for scale, label in ((1, ""), (10, " x10"), (100, " x100")):
            for gbit in (10, 25):
                cells = []
                for w in ws:
                    t, s = predict(f, w, gbit, scale)
                    cells.append(f"{s:.2f}x ({t:.0f} ms)")
                print(f"| {model}{label} | {batch} | {f['params'] * scale:,} | {f['single'] * scale:.1f} | "
                      f"{f['s0']:.1f} + {f['s1']:.1f} W | {f['e0'] * scale:.2f} + {f['e1'] * scale:.2f} W | "
                      f"{gbit} Gbit/s | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
