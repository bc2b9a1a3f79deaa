package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Tensor;
import java.util.Locale;

/**
 * One transformer encoder layer, like {@code torch.nn.TransformerEncoderLayer}: self-attention and a
 * feed-forward block, each with a residual connection and layer normalization.
 *
 * <pre>
 * post-norm (default):  x = norm1(x + dropout1(self_attn(x)));  x = norm2(x + dropout2(ff(x)))
 * pre-norm (normFirst): x = x + dropout1(self_attn(norm1(x)));  x = x + dropout2(ff(norm2(x)))
 * ff(x) = linear2(dropout(activation(linear1(x))))
 * </pre>
 *
 * <p>Children, named as PyTorch's so its state dicts load: {@code self_attn}
 * ({@link MultiheadAttention}), {@code linear1 (dModel -> dimFeedforward)}, {@code dropout},
 * {@code linear2 (dimFeedforward -> dModel)}, {@code norm1}, {@code norm2}, {@code dropout1},
 * {@code dropout2}. Activation: {@code "relu"} (default) or {@code "gelu"} (exact). Input
 * {@code (B, L, dModel)} batch-first by default (PyTorch's default is {@code (L, B, dModel)}).
 *
 * <pre>{@code
 * TransformerEncoderLayer layer = new TransformerEncoderLayer(256, 8, 1024, 0.1, "relu", 1e-5, true, false);
 * Variable y = layer.forward(x, null, paddingMask, false);   // x (B, L, 256), paddingMask (B, L)
 * }</pre>
 */
public class TransformerEncoderLayer extends Module {
    private final MultiheadAttention selfAttn;
    private final Linear linear1;
    private final Dropout dropout;
    private final Linear linear2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final Dropout dropout1;
    private final Dropout dropout2;
    private final boolean gelu;
    private final boolean normFirst;

    /**
     * PyTorch's defaults: feed-forward size 2048, dropout 0.1, ReLU, eps 1e-5, post-norm; batch-first.
     *
     * @param dModel the model size
     * @param nhead the number of attention heads
     */
    public TransformerEncoderLayer(int dModel, int nhead) {
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
     * @param batchFirst {@code (B, L, dModel)} when true, {@code (L, B, dModel)} when false
     * @param normFirst pre-norm when true, post-norm when false
     */
    public TransformerEncoderLayer(
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
                    "TransformerEncoderLayer: activation must be relu or gelu, got '" + activation + "'");
        }
        this.selfAttn = registerModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, true, batchFirst));
        this.linear1 = registerModule("linear1", new Linear(dModel, dimFeedforward));
        this.dropout = registerModule("dropout", new Dropout(dropout));
        this.linear2 = registerModule("linear2", new Linear(dimFeedforward, dModel));
        this.norm1 = registerModule("norm1", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.norm2 = registerModule("norm2", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.dropout1 = registerModule("dropout1", new Dropout(dropout));
        this.dropout2 = registerModule("dropout2", new Dropout(dropout));
        this.gelu = a.equals("gelu");
        this.normFirst = normFirst;
    }

    @Override
    public Variable forward(Variable x) {
        return forward(x, null, null, false);
    }

    /**
     * The layer with masks.
     *
     * @param x {@code (B, L, dModel)} (or {@code (L, B, dModel)})
     * @param srcMask attention mask {@code (L, L)} or {@code (B * nhead, L, L)}, INT32 non-zero = not
     *     allowed (or additive); or null
     * @param srcKeyPaddingMask {@code (B, L)}, INT32 non-zero for padding positions; or null
     * @param causal whether position i may only attend positions {@code j <= i}
     * @return the output, same shape as x
     */
    public Variable forward(Variable x, Tensor srcMask, Tensor srcKeyPaddingMask, boolean causal) {
        if (normFirst) {
            x = x.add(selfAttention(norm1.call(x), srcMask, srcKeyPaddingMask, causal));
            return x.add(feedForward(norm2.call(x)));
        }
        x = norm1.call(x.add(selfAttention(x, srcMask, srcKeyPaddingMask, causal)));
        return norm2.call(x.add(feedForward(x)));
    }

    private Variable selfAttention(Variable x, Tensor mask, Tensor padding, boolean causal) {
        return dropout1.call(
                selfAttn.attend(x, x, x, padding, false, mask, true, causal).output());
    }

    private Variable feedForward(Variable x) {
        Variable h = linear1.call(x);
        h = gelu ? h.gelu() : h.relu();
        return dropout2.call(linear2.call(dropout.call(h)));
    }

    /**
     * The self-attention block.
     *
     * @return self_attn
     */
    public MultiheadAttention selfAttn() {
        return selfAttn;
    }

    @Override
    protected String extraRepr() {
        return (gelu ? "activation=gelu" : "activation=relu") + (normFirst ? ", normFirst=true" : "");
    }
}
