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
then the same keys with `_opt` (mlp_opt_us=...) for the models prepared by
torch.jit.optimize_for_inference (scripted, frozen, weights prepacked: oneDNN for the convolutions),
which jgrad's side compares with its own Inference.optimize.
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


def prepare(model, optimized):
    model = model.eval()
    return torch.jit.optimize_for_inference(torch.jit.script(model)) if optimized else model


class LstmStep(nn.Module):
    """The lstm workload's model on one token: (token, h, c) -> (logits, h, c)."""

    def __init__(self, vocab=65):
        super().__init__()
        self.emb = nn.Embedding(vocab, 64)
        self.rnn = nn.LSTM(64, 256, num_layers=2, batch_first=True)
        self.head = nn.Linear(256, vocab)

    def forward(self, token, h, c):
        out, (h, c) = self.rnn(self.emb(token), (h, c))
        return self.head(out), h, c


def lstm_step(optimized):
    vocab = 65
    tokens = torch.randint(0, vocab, (1024,))
    state = [torch.zeros(2, 1, 256), torch.zeros(2, 1, 256)]
    model = LstmStep(vocab).eval()
    if optimized:
        # scripting nn.LSTM leaves overloads that optimize_for_inference rejects: trace the step instead
        model = torch.jit.optimize_for_inference(torch.jit.trace(model, (tokens[:1].view(1, 1), *state)))
    t = [0]

    def call():
        token = tokens[t[0] & 1023].view(1, 1)
        t[0] += 1
        _, state[0], state[1] = model(token, state[0], state[1])
    return call


if __name__ == "__main__":
    print(f"torch {torch.__version__} threads={torch.get_num_threads()}")
    image = torch.rand(1, 1, 28, 28)
    line = "infer"
    with torch.no_grad():
        for optimized in (False, True):
            sfx = "_opt" if optimized else ""
            m = prepare(mlp(), optimized)
            line += latency("mlp" + sfx, lambda: m(image))
            c = prepare(cnn(), optimized)
            line += latency("cnn" + sfx, lambda: c(image))
            line += latency("lstm_step" + sfx, lstm_step(optimized))
    print(line)
