package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.Locale;

/**
 * One transformer decoder layer, like {@code torch.nn.TransformerDecoderLayer}: self-attention over
 * the target (usually causal), cross-attention from the target to the encoder's output
 * ({@code memory}) and a feed-forward block, each with a residual connection and layer
 * normalization.
 *
 * <pre>
 * post-norm (default):  x = norm1(x + dropout1(self_attn(x)))
 *                       x = norm2(x + dropout2(multihead_attn(x, memory)))
 *                       x = norm3(x + dropout3(ff(x)))
 * pre-norm (normFirst): x = x + dropout1(self_attn(norm1(x)))
 *                       x = x + dropout2(multihead_attn(norm2(x), memory))
 *                       x = x + dropout3(ff(norm3(x)))
 * ff(x) = linear2(dropout(activation(linear1(x))))
 * </pre>
 *
 * <p>Children, named as PyTorch's so its state dicts load: {@code self_attn} and
 * {@code multihead_attn} ({@link MultiheadAttention}), {@code linear1 (dModel -> dimFeedforward)},
 * {@code dropout}, {@code linear2 (dimFeedforward -> dModel)}, {@code norm1}, {@code norm2},
 * {@code norm3}, {@code dropout1}, {@code dropout2}, {@code dropout3}. Activation: {@code "relu"}
 * (default) or {@code "gelu"} (exact). Inputs {@code (B, T, dModel)} and memory
 * {@code (B, S, dModel)} batch-first by default (PyTorch's default is sequence-first).
 *
 * <pre>{@code
 * TransformerDecoderLayer layer = new TransformerDecoderLayer(256, 8, 1024, 0.1, "relu", 1e-5, true, false);
 * Variable y = layer.forward(tgt, memory, null, null, tgtPadding, memoryPadding, true);   // causal
 * }</pre>
 */
public class TransformerDecoderLayer extends Module {
    private final MultiheadAttention selfAttn;
    private final MultiheadAttention crossAttn;
    private final Linear linear1;
    private final Dropout dropout;
    private final Linear linear2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final LayerNorm norm3;
    private final Dropout dropout1;
    private final Dropout dropout2;
    private final Dropout dropout3;
    private final int dModel;
    private final boolean gelu;
    private final boolean normFirst;

    /**
     * PyTorch's defaults: feed-forward size 2048, dropout 0.1, ReLU, eps 1e-5, post-norm; batch-first.
     *
     * @param dModel the model size
     * @param nhead the number of attention heads
     */
    public TransformerDecoderLayer(int dModel, int nhead) {
        this(dModel, nhead, 2048, 0.1, "relu", 1e-5, true, false);
    }

    /**
     * A configured layer.
     *
     * @param dModel the model size
     * @param nhead the number of attention heads (divides dModel)
     * @param dimFeedforward the hidden size of the feed-forward block
     * @param dropout the dropout probability (attention weights, feed-forward, residual branches)
     * @param activation {@code "relu"} or {@code "gelu"}
     * @param layerNormEps the layer norms' eps
     * @param batchFirst {@code (B, T, dModel)} when true, {@code (T, B, dModel)} when false
     * @param normFirst pre-norm when true, post-norm when false
     */
    public TransformerDecoderLayer(
            int dModel,
            int nhead,
            int dimFeedforward,
            double dropout,
            String activation,
            double layerNormEps,
            boolean batchFirst,
            boolean normFirst) {
        String a = activation == null ? "" : activation.toLowerCase(Locale.ROOT);
        if (!a.equals("relu") && !a.equals("gelu")) {
            throw new IllegalArgumentException(
                    "TransformerDecoderLayer: activation must be relu or gelu, got '" + activation + "'");
        }
        if (dimFeedforward < 1) {
            throw new IllegalArgumentException(
                    "TransformerDecoderLayer: dimFeedforward must be positive, got " + dimFeedforward);
        }
        this.selfAttn = registerModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, true, batchFirst));
        this.crossAttn =
                registerModule("multihead_attn", new MultiheadAttention(dModel, nhead, dropout, true, batchFirst));
        this.linear1 = registerModule("linear1", new Linear(dModel, dimFeedforward));
        this.dropout = registerModule("dropout", new Dropout(dropout));
        this.linear2 = registerModule("linear2", new Linear(dimFeedforward, dModel));
        this.norm1 = registerModule("norm1", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.norm2 = registerModule("norm2", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.norm3 = registerModule("norm3", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.dropout1 = registerModule("dropout1", new Dropout(dropout));
        this.dropout2 = registerModule("dropout2", new Dropout(dropout));
        this.dropout3 = registerModule("dropout3", new Dropout(dropout));
        this.dModel = dModel;
        this.gelu = a.equals("gelu");
        this.normFirst = normFirst;
    }

    /**
     * A decoder layer needs the target and the memory: use {@link #forward(Variable...)}.
     *
     * @param x a single input
     * @return never
     * @throws IllegalArgumentException always
     */
    @Override
    public Variable forward(Variable x) {
        throw new IllegalArgumentException(
                label() + ": expected the inputs (tgt, memory), got one input of shape " + Shape.format(x.shape()));
    }

    /**
     * The layer on {@code (tgt, memory)} without masks (as PyTorch's default; see the full form for a
     * causal target).
     *
     * @param inputs the target and the memory
     * @return the output, the target's shape
     */
    @Override
    public Variable forward(Variable... inputs) {
        if (inputs.length != 2) {
            throw new IllegalArgumentException(
                    label() + ": expected the inputs (tgt, memory), got " + inputs.length + " inputs");
        }
        return forward(inputs[0], inputs[1], null, null, null, null, false);
    }

    /**
     * The layer with masks, like PyTorch's {@code forward(tgt, memory, tgt_mask, memory_mask,
     * tgt_key_padding_mask, memory_key_padding_mask)}.
     *
     * @param tgt the target {@code (B, T, dModel)} (or {@code (T, B, dModel)})
     * @param memory the encoder's output {@code (B, S, dModel)} (or {@code (S, B, dModel)})
     * @param tgtMask self-attention mask {@code (T, T)} or {@code (B * nhead, T, T)}, INT32 non-zero =
     *     not allowed (or additive); or null
     * @param memoryMask cross-attention mask {@code (T, S)} or {@code (B * nhead, T, S)}; or null
     * @param tgtKeyPaddingMask {@code (B, T)}, INT32 non-zero for padding positions; or null
     * @param memoryKeyPaddingMask {@code (B, S)}, INT32 non-zero for padding positions; or null
     * @param tgtIsCausal whether target position i may only attend target positions {@code j <= i}
     *     (the same as a {@link Transformer#generateSquareSubsequentMask} tgtMask)
     * @return the output, the target's shape
     */
    public Variable forward(
            Variable tgt,
            Variable memory,
            Tensor tgtMask,
            Tensor memoryMask,
            Tensor tgtKeyPaddingMask,
            Tensor memoryKeyPaddingMask,
            boolean tgtIsCausal) {
        if (tgt == null
                || memory == null
                || tgt.dim() != 3
                || memory.dim() != 3
                || tgt.size(2) != dModel
                || memory.size(2) != dModel) {
            throw new IllegalArgumentException(label() + ": expected tgt and memory with " + dModel
                    + " features (3-D), got " + (tgt == null ? "null" : Shape.format(tgt.shape())) + " and "
                    + (memory == null ? "null" : Shape.format(memory.shape())));
        }
        Variable x = tgt;
        if (normFirst) {
            x = x.add(selfBlock(norm1.call(x), tgtMask, tgtKeyPaddingMask, tgtIsCausal));
            x = x.add(crossBlock(norm2.call(x), memory, memoryMask, memoryKeyPaddingMask));
            return x.add(feedForward(norm3.call(x)));
        }
        x = norm1.call(x.add(selfBlock(x, tgtMask, tgtKeyPaddingMask, tgtIsCausal)));
        x = norm2.call(x.add(crossBlock(x, memory, memoryMask, memoryKeyPaddingMask)));
        return norm3.call(x.add(feedForward(x)));
    }

    private Variable selfBlock(Variable x, Tensor mask, Tensor padding, boolean causal) {
        return dropout1.call(
                selfAttn.attend(x, x, x, padding, false, mask, true, causal).output());
    }

    private Variable crossBlock(Variable x, Variable memory, Tensor mask, Tensor padding) {
        return dropout2.call(crossAttn
                .attend(x, memory, memory, padding, false, mask, true, false)
                .output());
    }

    private Variable feedForward(Variable x) {
        Variable h = linear1.call(x);
        h = gelu ? h.gelu() : h.relu();
        return dropout3.call(linear2.call(dropout.call(h)));
    }

    /**
     * The self-attention block.
     *
     * @return self_attn
     */
    public MultiheadAttention selfAttn() {
        return selfAttn;
    }

    /**
     * The cross-attention block (target to memory).
     *
     * @return multihead_attn
     */
    public MultiheadAttention multiheadAttn() {
        return crossAttn;
    }

    @Override
    protected String extraRepr() {
        return (gelu ? "activation=gelu" : "activation=relu") + (normFirst ? ", normFirst=true" : "");
    }
}
