package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/**
 * The element-wise product of two or more inputs of the same shape, like Keras's {@code Multiply}
 * (PyTorch: {@code a * b * ...}).
 */
public class Multiply extends MergeLayer {
    /** Creates the layer. */
    public Multiply() {}

    @Override
    protected Variable merge(Variable[] inputs) {
        Variable out = inputs[0];
        for (int i = 1; i < inputs.length; i++) {
            out = out.mul(inputs[i]);
        }
        return out;
    }
}
