package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Shape;

/**
 * Reshapes each sample, keeping the batch dimension (like Keras' {@code Reshape}): an input
 * {@code (N, ...)} becomes {@code (N, shape...)}. One entry of {@code shape} may be -1.
 */
public class Reshape extends Module {
    private final int[] shape;

    /**
     * A reshape of every sample to {@code shape}.
     *
     * @param shape the per-sample shape
     */
    public Reshape(int... shape) {
        this.shape = shape.clone();
    }

    @Override
    public Variable forward(Variable x) {
        if (x.dim() == 0) {
            throw new IllegalArgumentException(
                    "Reshape: input must have a batch dimension, got " + Shape.format(x.shape()));
        }
        int[] s = new int[shape.length + 1];
        s[0] = x.size(0);
        System.arraycopy(shape, 0, s, 1, shape.length);
        return x.reshape(s);
    }

    @Override
    protected String extraRepr() {
        return "shape=" + Shape.format(shape);
    }
}
