package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/**
 * Cosine embedding loss of pairs labelled 1 (similar) or -1 (dissimilar), like
 * {@code torch.nn.CosineEmbeddingLoss}; takes three inputs {@code (x1, x2, y)}. See
 * {@link Losses#cosineEmbedding}.
 */
public class CosineEmbeddingLoss extends Loss {
    private final double margin;

    /** Margin 0, mean reduction. */
    public CosineEmbeddingLoss() {
        this(0, Reduction.MEAN);
    }

    /**
     * A configured loss.
     *
     * @param margin the margin for dissimilar pairs
     * @param reduction NONE, MEAN or SUM
     */
    public CosineEmbeddingLoss(double margin, Reduction reduction) {
        super(reduction);
        this.margin = margin;
    }

    /**
     * The loss of the pairs.
     *
     * @param x1 (N, D)
     * @param x2 (N, D)
     * @param y labels (N) of 1 or -1
     * @return the loss
     */
    public Variable forward(Variable x1, Variable x2, Variable y) {
        return Losses.cosineEmbedding(x1, x2, y.data(), margin, reduction);
    }

    @Override
    public Variable forward(Variable input, Variable target) {
        throw new IllegalArgumentException("CosineEmbeddingLoss: expected 3 inputs (x1, x2, y), got 2");
    }

    @Override
    public Variable forward(Variable... inputs) {
        if (inputs.length != 3) {
            throw new IllegalArgumentException(
                    "CosineEmbeddingLoss: expected 3 inputs (x1, x2, y), got " + inputs.length);
        }
        return forward(inputs[0], inputs[1], inputs[2]);
    }
}
