#!/usr/bin/python3
"""PyTorch's figures for jgrad's `infer` workload: batch-1 inference latency, in eval mode under
torch.no_grad(), of the mlp and cnn models of the peer script's `mlp` and `cnn` workloads on one
1 x 28 x 28 image, and of one step of its `lstm` workload's model (Embedding(65, 64), a 2-layer LSTM
of 256 units, Linear(256, 65)) on one token, the hidden and cell states carried from step to step.

    THREADS=2 /usr/bin/python3 benchmarks/scripts/torch_infer.py

Each model runs at least 3000 untimed calls lasting at least 2 seconds (as jgrad's side, whose JIT
compiles during them), then 3000 calls timed one by one; prints the median and the 90th
percentile in microseconds, in the line format of jgrad's workload:
    infer mlp_us=... mlp_p90_us=... cnn_us=... cnn_p90_us=... lstm_step_us=... lstm_step_p90_us=...
"""
import os
import time

import torch
import torch.nn as nn

torch.set_num_threads(int(os.environ.get("THREADS", "2")))
torch.manual_seed(0)
WARMUP = 3000
WARMUP_SECONDS = 2
CALLS = 3000


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256), nn.ReLU(), nn.Linear(256, 10))


def cnn():
    return nn.Sequential(nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(64 * 7 * 7, 1024), nn.ReLU(), nn.Dropout(0.5), nn.Linear(1024, 10))


def latency(name, call):
    start = time.perf_counter()
    i = 0
    while i < WARMUP or time.perf_counter() - start < WARMUP_SECONDS:
        call()
        i += 1
    ns = []
    for _ in range(CALLS):
        t = time.perf_counter_ns()
        call()
        ns.append(time.perf_counter_ns() - t)
    ns.sort()
    return f" {name}_us={ns[CALLS // 2] / 1e3:.1f} {name}_p90_us={ns[CALLS * 9 // 10] / 1e3:.1f}"


def lstm_step():
    vocab = 65
    emb = nn.Embedding(vocab, 64).eval()
    rnn = nn.LSTM(64, 256, num_layers=2, batch_first=True).eval()
    head = nn.Linear(256, vocab).eval()
    tokens = torch.randint(0, vocab, (1024,))
    state = [None]
    t = [0]

    def call():
        token = tokens[t[0] & 1023].view(1, 1)
        t[0] += 1
        out, state[0] = rnn(emb(token), state[0])
        head(out)
    return call


if __name__ == "__main__":
    print(f"torch {torch.__version__} threads={torch.get_num_threads()}")
    image = torch.rand(1, 1, 28, 28)
    line = "infer"
    with torch.no_grad():
        m = mlp().eval()
        line += latency("mlp", lambda: m(image))
        c = cnn().eval()
        line += latency("cnn", lambda: c(image))
        line += latency("lstm_step", lstm_step())
    print(line)
