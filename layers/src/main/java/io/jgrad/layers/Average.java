package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/**
 * The element-wise mean of two or more inputs of the same shape, like Keras's {@code Average}
 * (PyTorch: {@code (a + b + ...) / n}).
 */
public class Average extends MergeLayer {
    /** Creates the layer. */
    public Average() {}

    @Override
    protected Variable merge(Variable[] inputs) {
        Variable out = inputs[0];
        for (int i = 1; i < inputs.length; i++) {
            out = out.add(inputs[i]);
        }
        return out.div(inputs.length);
    }
}
