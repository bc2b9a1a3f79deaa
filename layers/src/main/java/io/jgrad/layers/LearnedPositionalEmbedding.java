package io.jgrad.layers;

import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * Adds a learned vector per position to a sequence (as GPT-2's {@code wpe}): for
 * {@code x (B, T, d)}, {@code y[b, t] = x[b, t] + weight[offset + t]}.
 *
 * <p>Parameter {@code weight (maxLen, d)}, initialized from {@code N(0, 0.02)} (GPT-2's choice; a
 * unit normal as in {@code nn.Embedding} swamps small token embeddings).
 */
public class LearnedPositionalEmbedding extends Module {
    private final int maxLen;
    private final int dModel;

    /**
     * A table of {@code maxLen} positions.
     *
     * @param maxLen the longest sequence
     * @param dModel the model size
     */
    public LearnedPositionalEmbedding(int maxLen, int dModel) {
        if (maxLen <= 0 || dModel <= 0) {
            throw new IllegalArgumentException(
                    "LearnedPositionalEmbedding: sizes must be positive, got maxLen=" + maxLen + ", dModel=" + dModel);
        }
        this.maxLen = maxLen;
        this.dModel = dModel;
        registerParameter("weight", new Parameter(Tensor.zeros(maxLen, dModel)));
        resetParameters(Generator.global());
    }

    @Override
    public void resetParameters(Generator g) {
        Init.normal(parameter("weight").data(), 0, 0.02, g);
    }

    @Override
    public Variable forward(Variable x) {
        return forward(x, 0);
    }

    /**
     * Adds the encodings of positions {@code offset .. offset + T - 1}.
     *
     * @param x {@code (B, T, d)}
     * @param offset the position of the first step (e.g. when generating step by step)
     * @return {@code (B, T, d)}
     */
    public Variable forward(Variable x, int offset) {
        if (x.dim() != 3 || x.size(2) != dModel) {
            throw new IllegalArgumentException(
                    "LearnedPositionalEmbedding: expected (B, T, " + dModel + "), got " + Shape.format(x.shape()));
        }
        int t = x.size(1);
        if (offset < 0 || offset + t > maxLen) {
            throw new IllegalArgumentException("LearnedPositionalEmbedding: positions " + offset + ".."
                    + (offset + t - 1) + " exceed maxLen=" + maxLen);
        }
        return x.add(param("weight").narrow(0, offset, t));
    }

    /**
     * The table.
     *
     * @return weight {@code (maxLen, d)}
     */
    public Parameter weight() {
        return parameter("weight");
    }

    @Override
    protected String extraRepr() {
        return "maxLen=" + maxLen + ", dModel=" + dModel;
    }
}
