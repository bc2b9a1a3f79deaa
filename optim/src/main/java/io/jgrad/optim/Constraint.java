package io.jgrad.optim;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Tensor;

/**
 * A projection applied to a weight after each optimizer step (like Keras' weight constraints), e.g.
 * {@link MaxNorm}.
 */
@FunctionalInterface
public interface Constraint {
    /** Projects {@code weight} onto the constraint set, in place. */
    void apply(Tensor weight);

    /** Projects a parameter's value in place. */
    default void apply(Variable parameter) {
        apply(parameter.data());
    }
}
