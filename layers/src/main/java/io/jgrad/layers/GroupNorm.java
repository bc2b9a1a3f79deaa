package io.jgrad.layers;

import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * Group normalization, like {@code torch.nn.GroupNorm}: the C channels of an input
 * {@code (N, C, ...)} are split into {@code numGroups} groups, each normalized per sample over its
 * channels and positions (biased variance), then scaled and shifted per channel. Independent of the
 * batch size and the same in training and evaluation.
 *
 * <p>Parameters {@code weight} (ones) and {@code bias} (zeros) of shape (C) when affine.
 */
public class GroupNorm extends Module {
    private final int numGroups;
    private final int numChannels;
    private final double eps;
    private final boolean affine;

    /**
     * Eps 1e-5 with a learned affine.
     *
     * @param numGroups G, which must divide C
     * @param numChannels C
     */
    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5, true);
    }

    /**
     * A fully configured layer.
     *
     * @param numGroups G, which must divide C
     * @param numChannels C
     * @param eps added to the variance
     * @param affine whether to learn a per-channel weight and bias
     */
    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        if (numGroups <= 0 || numChannels <= 0 || numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: numChannels (" + numChannels
                    + ") must be a positive multiple of numGroups (" + numGroups + ")");
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.affine = affine;
        registerParameter("weight", affine ? new Parameter(Tensor.ones(numChannels)) : null);
        registerParameter("bias", affine ? new Parameter(Tensor.zeros(numChannels)) : null);
    }

    @Override
    public void resetParameters(Generator g) {
        if (affine) {
            Init.ones(parameter("weight").data());
            Init.zeros(parameter("bias").data());
        }
    }

    @Override
    public Variable forward(Variable x) {
        int[] s = x.shape();
        if (s.length < 2 || s[1] != numChannels) {
            throw new IllegalArgumentException(
                    "GroupNorm: expected an input (N, " + numChannels + ", ...), got " + Shape.format(s));
        }
        return Functional.groupNorm(x, numGroups, param("weight"), param("bias"), eps);
    }

    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + eps + ", affine=" + affine;
    }
}
