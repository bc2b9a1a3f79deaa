package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.Arrays;

/**
 * Feature-wise standardization with statistics fitted on training data, like Keras's
 * {@code Normalization} layer: {@link #adapt} computes the mean and the (biased) variance of each
 * feature over a data set, and {@link #forward} gives {@code (x - mean) / max(sqrt(variance), 1e-7)}.
 * The statistics are buffers ({@code mean}, {@code variance}) of the feature shape, so they are saved
 * and loaded with the model's state dict and move with {@link #to}; they never receive gradients.
 *
 * <p>The feature shape is the trailing part of the input's shape: {@code new Normalization(3)} for
 * inputs {@code (N, 3)}, {@code new Normalization(1, 28, 28)} for per-pixel statistics of images
 * {@code (N, 1, 28, 28)}. Before {@code adapt} the layer is the identity (mean 0, variance 1).
 */
public class Normalization extends Module {
    /** The floor of the standard deviation (Keras's {@code backend.epsilon()}). */
    public static final double EPSILON = 1e-7;

    private final int[] featureShape;

    /**
     * A layer for inputs {@code (..., featureShape)}.
     *
     * @param featureShape the trailing shape over which each element has its own statistics
     */
    public Normalization(int... featureShape) {
        if (featureShape.length == 0) {
            throw new IllegalArgumentException("Normalization: give the feature shape, e.g. new Normalization(3)");
        }
        for (int s : featureShape) {
            if (s < 1) {
                throw new IllegalArgumentException(
                        "Normalization: invalid feature shape " + Shape.format(featureShape));
            }
        }
        this.featureShape = featureShape.clone();
        registerBuffer("mean", Tensor.zeros(featureShape));
        registerBuffer("variance", Tensor.ones(featureShape));
    }

    private void checkShape(String op, int[] s) {
        int k = featureShape.length;
        if (s.length < k + 1 || !Arrays.equals(Arrays.copyOfRange(s, s.length - k, s.length), featureShape)) {
            throw new IllegalArgumentException("Normalization." + op + ": expected inputs (N, ..., "
                    + Shape.format(featureShape).replaceAll("[()]", "") + "), got " + Shape.format(s));
        }
    }

    /**
     * Fits the statistics: the mean and biased variance of each feature over every leading dimension
     * of {@code data}, computed in double precision.
     *
     * @param data training data {@code (N, ..., featureShape)}, at least one sample
     * @return this layer
     */
    public Normalization adapt(Tensor data) {
        checkShape("adapt", data.shape());
        int k = featureShape.length;
        int lead = data.dim() - k;
        int[] dims = new int[lead];
        for (int i = 0; i < lead; i++) {
            dims[i] = i;
        }
        Tensor d = data.to(DType.FLOAT64);
        Tensor mean = d.mean(dims, false);
        Tensor var = d.sub(mean).square().mean(dims, false);
        buffer("mean").copy_(mean.to(buffer("mean").dtype()));
        buffer("variance").copy_(var.to(buffer("variance").dtype()));
        return this;
    }

    /** The fitted means, of the feature shape. */
    public Tensor mean() {
        return buffer("mean");
    }

    /** The fitted (biased) variances, of the feature shape. */
    public Tensor variance() {
        return buffer("variance");
    }

    @Override
    public Variable forward(Variable x) {
        checkShape("forward", x.shape());
        Tensor std = buffer("variance").sqrt().clamp(EPSILON, Double.POSITIVE_INFINITY);
        return x.sub(Variable.constant(buffer("mean"))).div(Variable.constant(std));
    }

    @Override
    protected String extraRepr() {
        return "featureShape=" + Shape.format(featureShape);
    }
}
