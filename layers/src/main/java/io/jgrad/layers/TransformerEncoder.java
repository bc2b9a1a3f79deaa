package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Tensor;
import java.util.function.Supplier;

/**
 * A stack of {@link TransformerEncoderLayer}s with an optional final layer norm, like
 * {@code torch.nn.TransformerEncoder}. Children: {@code layers} (a {@link ModuleList}, so parameters
 * are named {@code layers.0.self_attn.in_proj_weight} and so on) and {@code norm} when given, as in
 * PyTorch. Every layer sees the same masks.
 *
 * <pre>{@code
 * TransformerEncoder enc = new TransformerEncoder(
 *         () -> new TransformerEncoderLayer(128, 4, 512, 0.1, "gelu", 1e-5, true, true), 4, new LayerNorm(128));
 * Variable y = enc.forward(x, null, null, true);   // causal
 * }</pre>
 */
public class TransformerEncoder extends Module {
    private final ModuleList layers;
    private final LayerNorm norm;

    /**
     * A stack without final norm.
     *
     * @param layer makes each layer (called {@code numLayers} times; each layer is initialized independently)
     * @param numLayers the number of layers
     */
    public TransformerEncoder(Supplier<TransformerEncoderLayer> layer, int numLayers) {
        this(layer, numLayers, null);
    }

    /**
     * A stack with an optional final norm (used with pre-norm layers).
     *
     * @param layer makes each layer
     * @param numLayers the number of layers, at least 1
     * @param norm the final norm, or null
     */
    public TransformerEncoder(Supplier<TransformerEncoderLayer> layer, int numLayers, LayerNorm norm) {
        if (numLayers < 1) {
            throw new IllegalArgumentException("TransformerEncoder: numLayers must be at least 1, got " + numLayers);
        }
        ModuleList list = new ModuleList();
        for (int i = 0; i < numLayers; i++) {
            list.add(layer.get());
        }
        this.layers = registerModule("layers", list);
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    @Override
    public Variable forward(Variable x) {
        return forward(x, null, null, false);
    }

    /**
     * The stack with masks (see {@link TransformerEncoderLayer#forward(Variable, Tensor, Tensor, boolean)}).
     *
     * @param x {@code (B, L, dModel)} (or {@code (L, B, dModel)})
     * @param mask attention mask, or null
     * @param srcKeyPaddingMask {@code (B, L)} padding mask, or null
     * @param causal causal self-attention
     * @return the output, same shape as x
     */
    public Variable forward(Variable x, Tensor mask, Tensor srcKeyPaddingMask, boolean causal) {
        for (Module m : layers) {
            x = ((TransformerEncoderLayer) m).forward(x, mask, srcKeyPaddingMask, causal);
        }
        return norm == null ? x : norm.call(x);
    }

    /**
     * The number of layers.
     *
     * @return the stack depth
     */
    public int numLayers() {
        return layers.size();
    }

    /**
     * Layer {@code i}.
     *
     * @param i the index
     * @return the layer
     */
    public TransformerEncoderLayer layer(int i) {
        return (TransformerEncoderLayer) layers.get(i);
    }
}
