package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/**
 * The element-wise sum of two or more inputs of the same shape, like Keras's {@code Add} (PyTorch:
 * {@code a + b + ...}).
 *
 * <pre>{@code
 * Variable y = new Add().forward(a, b, c);   // a + b + c
 * }</pre>
 */
public class Add extends MergeLayer {
    /** Creates the layer. */
    public Add() {}

    @Override
    protected Variable merge(Variable[] inputs) {
        Variable out = inputs[0];
        for (int i = 1; i < inputs.length; i++) {
            out = out.add(inputs[i]);
        }
        return out;
    }
}
