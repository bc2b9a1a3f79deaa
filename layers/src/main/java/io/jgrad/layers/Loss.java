package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Tensor;

/**
 * A loss as a module, computing {@code forward(input, target)} with one of the functions of
 * {@link Losses}; the reduction is fixed at construction ({@link Reduction#MEAN} by default).
 */
public abstract class Loss extends Module {
    /** How the per-element losses are combined. */
    protected final Reduction reduction;

    /**
     * A loss with the given reduction.
     *
     * @param reduction NONE, MEAN or SUM
     */
    protected Loss(Reduction reduction) {
        if (reduction == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": reduction is null");
        }
        this.reduction = reduction;
    }

    /**
     * The loss of {@code input} against {@code target}.
     *
     * @param input the prediction
     * @param target the target
     * @return the loss
     */
    public abstract Variable forward(Variable input, Variable target);

    /**
     * The loss against a constant target.
     *
     * @param input the prediction
     * @param target the target tensor
     * @return the loss
     */
    public Variable forward(Variable input, Tensor target) {
        return forward(input, Variable.constant(target));
    }

    @Override
    public Variable forward(Variable... inputs) {
        if (inputs.length != 2) {
            throw new IllegalArgumentException(label() + ": expected 2 inputs (input, target), got " + inputs.length);
        }
        return forward(inputs[0], inputs[1]);
    }

    /**
     * The reduction.
     *
     * @return how per-element losses are combined
     */
    public Reduction reduction() {
        return reduction;
    }

    @Override
    protected String extraRepr() {
        return "reduction=" + reduction;
    }
}
