#!/usr/bin/python3
"""Writes the PyTorch reference values for the decoder side of the transformer:
nn.TransformerDecoderLayer (post- and pre-norm), nn.TransformerDecoder and nn.Transformer.

Run with Debian's PyTorch (python3-torch, 1.13):
    /usr/bin/python3 make_transformer_fixtures.py OUTDIR        (OUTDIR: layers/src/test/resources/torch)

Format as make_sequence_fixtures.py (SEQ_<case>.txt, float64, training mode with dropout 0):
  p.<k>                  the state dict (PyTorch's names)
  tgt, memory / src      inputs
  tgt_mask, memory_mask, src_mask, tgt_kpm, memory_kpm, src_kpm   boolean masks as 0/1 when used
  y, r                   the output and the weights of the loss sum(y * r)
  g<input>               input gradients (gtgt, gmemory, gsrc)
  g.<k>                  parameter gradients
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_sequence_fixtures as base  # noqa: E402  (Writer, params_and_grads)

torch.manual_seed(2025)
torch.set_default_dtype(torch.float64)
base.OUT = sys.argv[1] if len(sys.argv) > 1 else "."

B, T, S, D, NH, FF = 2, 4, 5, 8, 2, 16


def perturb(module):
    """Non-trivial biases and norm parameters (PyTorch starts them at 0 and 1)."""
    with torch.no_grad():
        for k, p in module.named_parameters():
            if k.endswith("bias") or "norm" in k:
                p.add_(torch.randn_like(p) * 0.3)


def case(name, module, inputs, masks, call):
    """inputs: name -> tensor (differentiated); masks: name -> bool tensor; call(module, ins, masks) -> y."""
    w = base.Writer("SEQ_" + name)
    module = module.double().train()
    perturb(module)
    before = {k: v.clone() for k, v in module.state_dict().items()}
    ins = {k: v.clone().requires_grad_(True) for k, v in inputs.items()}
    y = call(module, ins, masks)
    r = torch.randn_like(y)
    (y * r).sum().backward()
    for k, v in ins.items():
        w(k, v)
    for k, v in masks.items():
        w(k, v.to(torch.float64))
    w("y", y)
    w("r", r)
    for k, v in ins.items():
        w("g" + k, v.grad)
    base.params_and_grads(w, module, before)
    w.close()


def causal(n):
    return torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)


def decoder_call(m, ins, masks):
    return m(ins["tgt"], ins["memory"], tgt_mask=masks.get("tgt_mask"), memory_mask=masks.get("memory_mask"),
             tgt_key_padding_mask=masks.get("tgt_kpm"), memory_key_padding_mask=masks.get("memory_kpm"))


def transformer_call(m, ins, masks):
    return m(ins["src"], ins["tgt"], src_mask=masks.get("src_mask"), tgt_mask=masks.get("tgt_mask"),
             memory_mask=masks.get("memory_mask"), src_key_padding_mask=masks.get("src_kpm"),
             tgt_key_padding_mask=masks.get("tgt_kpm"), memory_key_padding_mask=masks.get("memory_kpm"))


def main():
    tgt_kpm = torch.tensor([[False] * T, [False, False, False, True]])
    mem_kpm = torch.tensor([[False] * S, [False, False, False, True, True]])
    memory_mask = torch.rand(T, S) < 0.3
    memory_mask[:, 0] = False  # no fully masked row (PyTorch gives NaN there)
    case("tdl_post_relu", nn.TransformerDecoderLayer(D, NH, FF, dropout=0.0, batch_first=True),
         {"tgt": torch.randn(B, T, D), "memory": torch.randn(B, S, D)},
         {"tgt_mask": causal(T), "tgt_kpm": tgt_kpm, "memory_kpm": mem_kpm}, decoder_call)
    case("tdl_pre_gelu", nn.TransformerDecoderLayer(D, NH, FF, dropout=0.0, activation="gelu", batch_first=True,
                                                    norm_first=True),
         {"tgt": torch.randn(B, T, D), "memory": torch.randn(B, S, D)},
         {"tgt_mask": causal(T), "memory_mask": memory_mask}, decoder_call)
    case("tdl_seqfirst", nn.TransformerDecoderLayer(D, NH, FF, dropout=0.0),
         {"tgt": torch.randn(T, B, D), "memory": torch.randn(S, B, D)}, {"memory_kpm": mem_kpm}, decoder_call)
    layer = nn.TransformerDecoderLayer(D, NH, FF, dropout=0.0, batch_first=True)
    dec = nn.TransformerDecoder(layer, 2, norm=nn.LayerNorm(D))
    with torch.no_grad():  # the deep copies start equal; make the layers differ
        for p in dec.layers[1].parameters():
            p.add_(torch.randn_like(p) * 0.1)
    case("decoder_2l", dec, {"tgt": torch.randn(B, T, D), "memory": torch.randn(B, S, D)},
         {"tgt_mask": causal(T), "memory_kpm": mem_kpm}, decoder_call)
    src_kpm = mem_kpm
    for name, norm_first, act in [("transformer_post", False, "relu"), ("transformer_pre", True, "gelu")]:
        t = nn.Transformer(d_model=D, nhead=NH, num_encoder_layers=2, num_decoder_layers=2, dim_feedforward=FF, dropout=0.0,
                           activation=act, batch_first=True, norm_first=norm_first)
        case(name, t, {"src": torch.randn(B, S, D), "tgt": torch.randn(B, T, D)},
             {"tgt_mask": causal(T), "src_kpm": src_kpm, "tgt_kpm": tgt_kpm, "memory_kpm": src_kpm}, transformer_call)


if __name__ == "__main__":
    main()
