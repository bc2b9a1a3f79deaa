package io.jgrad.autograd;

import io.jgrad.core.Tensor;

/**
 * A leaf variable that an optimizer updates: requires gradients unless frozen. Layers create their
 * parameters in their constructors; optimizers update {@link #data()} in place.
 */
public class Parameter extends Variable {
    /** A trainable parameter holding {@code data}. */
    public Parameter(Tensor data) {
        super(data, true);
    }

    /** A parameter that is trainable or not. */
    public Parameter(Tensor data, boolean requiresGrad) {
        super(data, requiresGrad);
    }
}
