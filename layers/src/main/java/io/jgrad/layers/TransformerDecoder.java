package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.function.Supplier;

/**
 * A stack of {@link TransformerDecoderLayer}s with an optional final layer norm, like
 * {@code torch.nn.TransformerDecoder}. Children: {@code layers} (a {@link ModuleList}, so parameters
 * are named {@code layers.0.self_attn.in_proj_weight}, {@code layers.0.multihead_attn.out_proj.weight}
 * and so on) and {@code norm} when given, as in PyTorch. Every layer sees the same memory and masks.
 *
 * <pre>{@code
 * TransformerDecoder dec = new TransformerDecoder(
 *         () -> new TransformerDecoderLayer(128, 4, 512, 0.1, "relu", 1e-5, true, false), 3, new LayerNorm(128));
 * Variable y = dec.forward(tgt, memory, null, null, null, srcPadding, true);   // causal target
 * }</pre>
 */
public class TransformerDecoder extends Module {
    private final ModuleList layers;
    private final LayerNorm norm;

    /**
     * A stack without final norm.
     *
     * @param layer makes each layer (called {@code numLayers} times; each layer is initialized independently)
     * @param numLayers the number of layers
     */
    public TransformerDecoder(Supplier<TransformerDecoderLayer> layer, int numLayers) {
        this(layer, numLayers, null);
    }

    /**
     * A stack with an optional final norm.
     *
     * @param layer makes each layer
     * @param numLayers the number of layers, at least 1
     * @param norm the final norm, or null
     */
    public TransformerDecoder(Supplier<TransformerDecoderLayer> layer, int numLayers, LayerNorm norm) {
        if (numLayers < 1) {
            throw new IllegalArgumentException("TransformerDecoder: numLayers must be at least 1, got " + numLayers);
        }
        ModuleList list = new ModuleList();
        for (int i = 0; i < numLayers; i++) {
            list.add(layer.get());
        }
        this.layers = registerModule("layers", list);
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    /**
     * A decoder needs the target and the memory: use {@link #forward(Variable...)}.
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
     * The stack on {@code (tgt, memory)} without masks (as PyTorch's default).
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
     * The stack with masks (see
     * {@link TransformerDecoderLayer#forward(Variable, Variable, Tensor, Tensor, Tensor, Tensor, boolean)}).
     *
     * @param tgt the target {@code (B, T, dModel)} (or {@code (T, B, dModel)})
     * @param memory the encoder's output {@code (B, S, dModel)} (or {@code (S, B, dModel)})
     * @param tgtMask self-attention mask, or null
     * @param memoryMask cross-attention mask, or null
     * @param tgtKeyPaddingMask {@code (B, T)}, or null
     * @param memoryKeyPaddingMask {@code (B, S)}, or null
     * @param tgtIsCausal causal self-attention
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
        Variable x = tgt;
        for (Module m : layers) {
            x = ((TransformerDecoderLayer) m)
                    .forward(x, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, tgtIsCausal);
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
    public TransformerDecoderLayer layer(int i) {
        return (TransformerDecoderLayer) layers.get(i);
    }
}
