#!/usr/bin/python3
"""Writes the PyTorch reference values used by the sequence-model tests (recurrent layers and cells,
embedding, multi-head attention, transformer encoder layers).

Run with Debian's PyTorch (python3-torch, 1.13):
    /usr/bin/python3 make_sequence_fixtures.py OUTDIR        (OUTDIR: layers/src/test/resources/torch)

Each output file holds lines `name|shape|v1,v2,...` in float64 (as make_layer_fixtures.py). Every
case is run in float64 and training mode, with dropout 0 where the layer has dropout; the gradients
are those of a loss that weighs every output with a random tensor of its shape:
  p.<k>          the state dict before the forward (PyTorch's names)
  x, h0, c0      inputs (q, k, v for cross attention); lengths, masks when used
  y, hn, cn, w   outputs (padded output, final states, attention weights)
  r, rh, rc, rw  the weights of the loss sum(y * r) + sum(hn * rh) + sum(cn * rc) + sum(w * rw)
  g<input>       input gradients (gx, gh0, gc0, gq, gk, gv)
  g.<k>          parameter gradients
  s.<k>          the state dict after the forward (embedding max_norm renormalizes in place)

Recurrent layers are batch-first; variable lengths go through pack_padded_sequence and
pad_packed_sequence, the reference for jgrad's masked recurrence.
"""
import math
import os
import sys

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.manual_seed(2024)
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


def params_and_grads(w, module, before):
    for k, v in before.items():
        w("p." + k, v)
    for k, p in module.named_parameters():
        if p.grad is not None:
            w("g." + k, p.grad)


def rnn_case(name, module, x, h0=None, c0=None, lengths=None):
    w = Writer("SEQ_" + name)
    module = module.double().train()
    before = {k: v.clone() for k, v in module.state_dict().items()}
    x = x.clone().requires_grad_(True)
    steps = x.shape[1]
    inp = x
    if lengths is not None:
        inp = pack_padded_sequence(x, torch.tensor(lengths), batch_first=True, enforce_sorted=False)
    state = None
    if h0 is not None:
        h0 = h0.clone().requires_grad_(True)
        state = h0
        if c0 is not None:
            c0 = c0.clone().requires_grad_(True)
            state = (h0, c0)
    out, hn = module(inp, state) if state is not None else module(inp)
    cn = None
    if isinstance(hn, tuple):
        hn, cn = hn
    if lengths is not None:
        out, _ = pad_packed_sequence(out, batch_first=True, total_length=steps)
    r = torch.randn_like(out)
    rh = torch.randn_like(hn)
    loss = (out * r).sum() + (hn * rh).sum()
    if cn is not None:
        rc = torch.randn_like(cn)
        loss = loss + (cn * rc).sum()
    loss.backward()
    w("x", x)
    if lengths is not None:
        w("lengths", torch.tensor(lengths, dtype=torch.float64))
    if h0 is not None:
        w("h0", h0)
        w("gh0", h0.grad)
    if c0 is not None:
        w("c0", c0)
        w("gc0", c0.grad)
    w("y", out)
    w("hn", hn)
    w("r", r)
    w("rh", rh)
    if cn is not None:
        w("cn", cn)
        w("rc", rc)
    w("gx", x.grad)
    params_and_grads(w, module, before)
    w.close()


def cell_case(name, module, x, h, c=None):
    w = Writer("SEQ_" + name)
    module = module.double().train()
    before = {k: v.clone() for k, v in module.state_dict().items()}
    x = x.clone().requires_grad_(True)
    h = h.clone().requires_grad_(True)
    if c is not None:
        c = c.clone().requires_grad_(True)
        hn, cn = module(x, (h, c))
    else:
        hn, cn = module(x, h), None
    rh = torch.randn_like(hn)
    loss = (hn * rh).sum()
    if cn is not None:
        rc = torch.randn_like(cn)
        loss = loss + (cn * rc).sum()
    loss.backward()
    w("x", x)
    w("h0", h)
    w("hn", hn)
    w("rh", rh)
    w("gx", x.grad)
    w("gh0", h.grad)
    if c is not None:
        w("c0", c)
        w("cn", cn)
        w("rc", rc)
        w("gc0", c.grad)
    params_and_grads(w, module, before)
    w.close()


def recurrent():
    B, T, I, H = 3, 5, 3, 4
    x = lambda b=B: torch.randn(b, T, I)
    rnn_case("rnn_tanh", nn.RNN(I, H, batch_first=True), x())
    rnn_case("rnn_relu_2l_bi", nn.RNN(I, H, num_layers=2, nonlinearity="relu", bidirectional=True, batch_first=True),
             x(), h0=torch.randn(4, B, H))
    rnn_case("rnn_bi_lengths", nn.RNN(I, H, bidirectional=True, batch_first=True), x(), h0=torch.randn(2, B, H),
             lengths=[5, 2, 4])
    rnn_case("lstm_1l", nn.LSTM(I, H, batch_first=True), x())
    rnn_case("lstm_nobias", nn.LSTM(I, H, bias=False, batch_first=True), x())
    rnn_case("lstm_2l", nn.LSTM(I, H, num_layers=2, batch_first=True), x(), h0=torch.randn(2, B, H),
             c0=torch.randn(2, B, H))
    rnn_case("lstm_2l_bi", nn.LSTM(I, H, num_layers=2, bidirectional=True, batch_first=True), x(),
             h0=torch.randn(4, B, H), c0=torch.randn(4, B, H))
    rnn_case("lstm_2l_bi_lengths", nn.LSTM(I, H, num_layers=2, bidirectional=True, batch_first=True), x(),
             h0=torch.randn(4, B, H), c0=torch.randn(4, B, H), lengths=[5, 2, 4])
    rnn_case("lstm_lengths", nn.LSTM(I, H, batch_first=True), x(), lengths=[3, 5, 1])
    rnn_case("gru_1l", nn.GRU(I, H, batch_first=True), x())
    rnn_case("gru_2l", nn.GRU(I, H, num_layers=2, batch_first=True), x(), h0=torch.randn(2, B, H))
    rnn_case("gru_2l_bi", nn.GRU(I, H, num_layers=2, bidirectional=True, batch_first=True), x(), h0=torch.randn(4, B, H))
    rnn_case("gru_2l_bi_lengths", nn.GRU(I, H, num_layers=2, bidirectional=True, batch_first=True), x(),
             h0=torch.randn(4, B, H), lengths=[4, 5, 2])
    cell_case("lstmcell", nn.LSTMCell(I, H), torch.randn(B, I), torch.randn(B, H), torch.randn(B, H))
    cell_case("grucell", nn.GRUCell(I, H), torch.randn(B, I), torch.randn(B, H))
    cell_case("rnncell_relu", nn.RNNCell(I, H, nonlinearity="relu"), torch.randn(B, I), torch.randn(B, H))


def embedding():
    for name, m in [("embedding_padding", nn.Embedding(7, 3, padding_idx=2)),
                    ("embedding_maxnorm", nn.Embedding(7, 3, padding_idx=-1, max_norm=1.0))]:
        w = Writer("SEQ_" + name)
        m = m.double().train()
        with torch.no_grad():
            m.weight.mul_(1.5)
        for k, v in m.state_dict().items():
            w("p." + k, v)
        idx = torch.tensor([[1, 2, 6, 1], [6, 0, 2, 3]])
        y = m(idx)
        r = torch.randn_like(y)
        (y * r).sum().backward()
        w("idx", idx.to(torch.float64))
        w("y", y)
        w("r", r)
        w("g.weight", m.weight.grad)
        for k, v in m.state_dict().items():
            w("s." + k, v)
        w.close()


def mha_case(name, module, q, k=None, v=None, key_padding_mask=None, attn_mask=None, average=True):
    w = Writer("SEQ_" + name)
    module = module.double().train()
    with torch.no_grad():  # non-zero biases
        for pk, p in module.named_parameters():
            if pk.endswith("bias"):
                p.copy_(torch.randn_like(p) * 0.3)
    before = {kk: vv.clone() for kk, vv in module.state_dict().items()}
    self_attn = k is None
    q = q.clone().requires_grad_(True)
    if self_attn:
        k = v = q
    else:
        k = k.clone().requires_grad_(True)
        v = v.clone().requires_grad_(True)
    y, att = module(q, k, v, key_padding_mask=key_padding_mask, need_weights=True, attn_mask=attn_mask,
                    average_attn_weights=average)
    r = torch.randn_like(y)
    rw = torch.randn_like(att)
    ((y * r).sum() + (att * rw).sum()).backward()
    w("q", q)
    if not self_attn:
        w("k", k)
        w("v", v)
        w("gk", k.grad)
        w("gv", v.grad)
    if key_padding_mask is not None:
        w("kpm", key_padding_mask.to(torch.float64))
    if attn_mask is not None:
        w("mask", attn_mask.to(torch.float64))
    w("y", y)
    w("w", att)
    w("r", r)
    w("rw", rw)
    w("gq", q.grad)
    params_and_grads(w, module, before)
    w.close()


def attention():
    B, L, S, E, NH = 2, 4, 5, 8, 2
    kpm = torch.tensor([[False, False, False, True], [False, True, False, False]])
    mha_case("mha_self_padding", nn.MultiheadAttention(E, NH, batch_first=True), torch.randn(B, L, E),
             key_padding_mask=kpm)
    causal = torch.triu(torch.ones(L, L, dtype=torch.bool), diagonal=1)
    mha_case("mha_causal_heads", nn.MultiheadAttention(E, NH, batch_first=True), torch.randn(B, L, E),
             attn_mask=causal, key_padding_mask=kpm, average=False)
    kpm_s = torch.tensor([[False, False, True, False, True], [False, False, False, False, True]])
    mha_case("mha_cross_float_mask", nn.MultiheadAttention(E, NH, batch_first=True), torch.randn(B, L, E),
             torch.randn(B, S, E), torch.randn(B, S, E), key_padding_mask=kpm_s, attn_mask=torch.randn(L, S))
    mask3 = torch.rand(B * NH, L, S) < 0.3
    mask3[:, :, 0] = False  # no fully masked row (PyTorch gives NaN there)
    mha_case("mha_cross_3d_mask", nn.MultiheadAttention(E, NH, batch_first=True, bias=False), torch.randn(B, L, E),
             torch.randn(B, S, E), torch.randn(B, S, E), attn_mask=mask3)


def encoder_case(name, module, x, mask=None, kpm=None):
    w = Writer("SEQ_" + name)
    module = module.double().train()
    with torch.no_grad():
        for pk, p in module.named_parameters():
            if pk.endswith("bias") or "norm" in pk:
                p.add_(torch.randn_like(p) * 0.3)
    before = {k: v.clone() for k, v in module.state_dict().items()}
    x = x.clone().requires_grad_(True)
    y = module(x, mask=mask, src_key_padding_mask=kpm) if isinstance(module, nn.TransformerEncoder) \
        else module(x, src_mask=mask, src_key_padding_mask=kpm)
    r = torch.randn_like(y)
    (y * r).sum().backward()
    w("x", x)
    if mask is not None:
        w("mask", mask.to(torch.float64))
    if kpm is not None:
        w("kpm", kpm.to(torch.float64))
    w("y", y)
    w("r", r)
    w("gx", x.grad)
    params_and_grads(w, module, before)
    w.close()


def transformer():
    B, L, D, NH, FF = 2, 5, 8, 2, 16
    causal = torch.triu(torch.ones(L, L, dtype=torch.bool), diagonal=1)
    kpm = torch.tensor([[False, False, False, False, False], [False, False, False, True, True]])
    encoder_case("tel_post_relu", nn.TransformerEncoderLayer(D, NH, FF, dropout=0.0, batch_first=True), torch.randn(B, L, D),
                 kpm=kpm)
    encoder_case("tel_pre_gelu", nn.TransformerEncoderLayer(D, NH, FF, dropout=0.0, activation="gelu", batch_first=True,
                                                            norm_first=True), torch.randn(B, L, D), mask=causal, kpm=kpm)
    layer = nn.TransformerEncoderLayer(D, NH, FF, dropout=0.0, activation="gelu", batch_first=True, norm_first=True)
    enc = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(D), enable_nested_tensor=False)
    with torch.no_grad():  # the deep copies start equal; make the layers differ
        for p in enc.layers[1].parameters():
            p.add_(torch.randn_like(p) * 0.1)
    encoder_case("encoder_2l_causal", enc, torch.randn(B, L, D), mask=causal)


def positional():
    w = Writer("SEQ_sinusoidal")
    d, n = 6, 7
    pe = torch.zeros(n, d)
    position = torch.arange(n).unsqueeze(1)
    div = torch.exp(torch.arange(0, d, 2) * (-math.log(10000.0) / d))
    pe[:, 0::2] = torch.sin(position * div)
    pe[:, 1::2] = torch.cos(position * div)
    w("pe", pe)
    w.close()


if __name__ == "__main__":
    recurrent()
    embedding()
    attention()
    transformer()
    positional()
