package io.jgrad.layers;

import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * The encoder-decoder transformer of Vaswani et al. (2017), like {@code torch.nn.Transformer}: a
 * {@link TransformerEncoder} of {@link TransformerEncoderLayer}s with a final layer norm and a
 * {@link TransformerDecoder} of {@link TransformerDecoderLayer}s with a final layer norm. Like
 * PyTorch's, it has no embeddings and no output projection: inputs and output are
 * {@code dModel}-sized features.
 *
 * <p>Children, named as PyTorch's so a {@code torch.nn.Transformer} state dict loads:
 * {@code encoder.layers.i.*}, {@code encoder.norm}, {@code decoder.layers.i.*},
 * {@code decoder.norm}. Parameters of two or more dimensions are initialized Xavier-uniform, as
 * PyTorch's {@code _reset_parameters}. Batch-first by default (PyTorch's default is
 * sequence-first).
 *
 * <pre>{@code
 * Transformer t = new Transformer(128, 4, 3, 3, 512, 0.1, "relu", 1e-5, true, false);
 * Variable y = t.forward(src, tgt, null, null, null, srcPadding, tgtPadding, srcPadding, true); // (B, T, 128)
 * // greedy decoding: encode once, decode step by step
 * Variable memory = t.encode(src, null, srcPadding);
 * Variable out = t.decode(tgtSoFar, memory, null, null, null, srcPadding, true);
 * }</pre>
 */
public class Transformer extends Module {
    private final TransformerEncoder encoder;
    private final TransformerDecoder decoder;
    private final int dModel;
    private final boolean batchFirst;

    /**
     * PyTorch's defaults (dModel 512, 8 heads, 6 + 6 layers, feed-forward 2048, dropout 0.1, ReLU,
     * eps 1e-5, post-norm), batch-first.
     */
    public Transformer() {
        this(512, 8, 6, 6, 2048, 0.1, "relu", 1e-5, true, false);
    }

    /**
     * A configured transformer.
     *
     * @param dModel the model size
     * @param nhead the number of attention heads (divides dModel)
     * @param numEncoderLayers the encoder's depth (at least 1)
     * @param numDecoderLayers the decoder's depth (at least 1)
     * @param dimFeedforward the hidden size of the feed-forward blocks
     * @param dropout the dropout probability
     * @param activation {@code "relu"} or {@code "gelu"}
     * @param layerNormEps the layer norms' eps
     * @param batchFirst {@code (B, L, dModel)} when true, {@code (L, B, dModel)} when false
     * @param normFirst pre-norm layers when true, post-norm when false
     */
    public Transformer(
            int dModel,
            int nhead,
            int numEncoderLayers,
            int numDecoderLayers,
            int dimFeedforward,
            double dropout,
            String activation,
            double layerNormEps,
            boolean batchFirst,
            boolean normFirst) {
        this.encoder = registerModule(
                "encoder",
                new TransformerEncoder(
                        () -> new TransformerEncoderLayer(
                                dModel,
                                nhead,
                                dimFeedforward,
                                dropout,
                                activation,
                                layerNormEps,
                                batchFirst,
                                normFirst),
                        numEncoderLayers,
                        new LayerNorm(new int[] {dModel}, layerNormEps, true)));
        this.decoder = registerModule(
                "decoder",
                new TransformerDecoder(
                        () -> new TransformerDecoderLayer(
                                dModel,
                                nhead,
                                dimFeedforward,
                                dropout,
                                activation,
                                layerNormEps,
                                batchFirst,
                                normFirst),
                        numDecoderLayers,
                        new LayerNorm(new int[] {dModel}, layerNormEps, true)));
        this.dModel = dModel;
        this.batchFirst = batchFirst;
        xavier(Generator.global());
    }

    @Override
    public void resetParameters(Generator g) {
        super.resetParameters(g);
        xavier(g);
    }

    private void xavier(Generator g) {
        for (Parameter p : parameters()) {
            if (p.dim() > 1) {
                Init.xavierUniform(p.data(), 1.0, g);
            }
        }
    }

    /**
     * A transformer needs the source and the target: use {@link #forward(Variable...)}.
     *
     * @param x a single input
     * @return never
     * @throws IllegalArgumentException always
     */
    @Override
    public Variable forward(Variable x) {
        throw new IllegalArgumentException(
                label() + ": expected the inputs (src, tgt), got one input of shape " + Shape.format(x.shape()));
    }

    /**
     * The transformer on {@code (src, tgt)} without masks (as PyTorch's default; see the full form
     * for a causal target).
     *
     * @param inputs the source and the target
     * @return the decoder's output, the target's shape
     */
    @Override
    public Variable forward(Variable... inputs) {
        if (inputs.length != 2) {
            throw new IllegalArgumentException(
                    label() + ": expected the inputs (src, tgt), got " + inputs.length + " inputs");
        }
        return forward(inputs[0], inputs[1], null, null, null, null, null, null, false);
    }

    /**
     * The transformer with masks, like PyTorch's {@code forward(src, tgt, src_mask, tgt_mask,
     * memory_mask, src_key_padding_mask, tgt_key_padding_mask, memory_key_padding_mask)}.
     *
     * @param src the source {@code (B, S, dModel)} (or {@code (S, B, dModel)})
     * @param tgt the target {@code (B, T, dModel)} (or {@code (T, B, dModel)})
     * @param srcMask encoder self-attention mask {@code (S, S)}, or null
     * @param tgtMask decoder self-attention mask {@code (T, T)}, or null
     * @param memoryMask cross-attention mask {@code (T, S)}, or null
     * @param srcKeyPaddingMask {@code (B, S)}, INT32 non-zero for padding; or null
     * @param tgtKeyPaddingMask {@code (B, T)}, or null
     * @param memoryKeyPaddingMask {@code (B, S)} (usually the source's), or null
     * @param tgtIsCausal causal decoder self-attention (the same as the tgtMask
     *     {@link #generateSquareSubsequentMask}{@code (T)})
     * @return the decoder's output {@code (B, T, dModel)} (or {@code (T, B, dModel)})
     */
    public Variable forward(
            Variable src,
            Variable tgt,
            Tensor srcMask,
            Tensor tgtMask,
            Tensor memoryMask,
            Tensor srcKeyPaddingMask,
            Tensor tgtKeyPaddingMask,
            Tensor memoryKeyPaddingMask,
            boolean tgtIsCausal) {
        check(src, tgt);
        Variable memory = encode(src, srcMask, srcKeyPaddingMask);
        return decode(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, tgtIsCausal);
    }

    private void check(Variable src, Variable tgt) {
        if (src == null || tgt == null || src.dim() != 3 || tgt.dim() != 3) {
            throw new IllegalArgumentException(
                    label() + ": expected 3-D src and tgt, got " + (src == null ? "null" : Shape.format(src.shape()))
                            + " and " + (tgt == null ? "null" : Shape.format(tgt.shape())));
        }
        int bd = batchFirst ? 0 : 1;
        if (src.size(bd) != tgt.size(bd)) {
            throw new IllegalArgumentException(label() + ": the batch sizes of src " + Shape.format(src.shape())
                    + " and tgt " + Shape.format(tgt.shape()) + " differ");
        }
        if (src.size(2) != dModel || tgt.size(2) != dModel) {
            throw new IllegalArgumentException(label() + ": the feature sizes of src " + Shape.format(src.shape())
                    + " and tgt " + Shape.format(tgt.shape()) + " must equal dModel " + dModel);
        }
    }

    /**
     * The encoder with its final norm: the memory the decoder attends to.
     *
     * @param src the source {@code (B, S, dModel)} (or {@code (S, B, dModel)})
     * @param srcMask the encoder's attention mask, or null
     * @param srcKeyPaddingMask {@code (B, S)}, or null
     * @return the memory, the source's shape
     */
    public Variable encode(Variable src, Tensor srcMask, Tensor srcKeyPaddingMask) {
        if (src == null || src.dim() != 3 || src.size(2) != dModel) {
            throw new IllegalArgumentException(label() + ": expected a 3-D src with " + dModel + " features, got "
                    + (src == null ? "null" : Shape.format(src.shape())));
        }
        return encoder.forward(src, srcMask, srcKeyPaddingMask, false);
    }

    /**
     * The decoder with its final norm on a target and a memory from {@link #encode}.
     *
     * @param tgt the target {@code (B, T, dModel)} (or {@code (T, B, dModel)})
     * @param memory the encoder's output
     * @param tgtMask decoder self-attention mask, or null
     * @param memoryMask cross-attention mask, or null
     * @param tgtKeyPaddingMask {@code (B, T)}, or null
     * @param memoryKeyPaddingMask {@code (B, S)}, or null
     * @param tgtIsCausal causal decoder self-attention
     * @return the decoder's output, the target's shape
     */
    public Variable decode(
            Variable tgt,
            Variable memory,
            Tensor tgtMask,
            Tensor memoryMask,
            Tensor tgtKeyPaddingMask,
            Tensor memoryKeyPaddingMask,
            boolean tgtIsCausal) {
        return decoder.forward(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, tgtIsCausal);
    }

    /**
     * A causal mask of size {@code n}, like {@code Transformer.generate_square_subsequent_mask} but as
     * an INT32 mask: 1 (not allowed) above the diagonal, 0 elsewhere.
     *
     * @param n the sequence length
     * @return the {@code (n, n)} mask
     */
    public static Tensor generateSquareSubsequentMask(int n) {
        if (n < 1) {
            throw new IllegalArgumentException(
                    "Transformer.generateSquareSubsequentMask: n must be positive, got " + n);
        }
        int[] m = new int[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                m[i * n + j] = 1;
            }
        }
        return Tensor.of(m, n, n);
    }

    /**
     * The encoder.
     *
     * @return encoder
     */
    public TransformerEncoder encoder() {
        return encoder;
    }

    /**
     * The decoder.
     *
     * @return decoder
     */
    public TransformerDecoder decoder() {
        return decoder;
    }

    /**
     * The model size.
     *
     * @return dModel
     */
    public int dModel() {
        return dModel;
    }
}
