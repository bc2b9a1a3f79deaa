package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Shape;
import java.util.Arrays;
import java.util.List;

/**
 * The common part of the merge layers ({@link Add}, {@link Multiply}, {@link Average},
 * {@link Concatenate}), like Keras's merge layers: a module without parameters that combines two or
 * more inputs given to {@link #forward(Variable...)} (or {@link #forward(List)}). The element-wise
 * merges need inputs of one shape; {@link Concatenate} needs one shape but along its axis.
 */
public abstract class MergeLayer extends Module {
    /** Creates a merge layer. */
    protected MergeLayer() {}

    /**
     * A merge layer takes several inputs: use {@link #forward(Variable...)}.
     *
     * @param input a single input
     * @return never
     * @throws IllegalArgumentException always
     */
    @Override
    public Variable forward(Variable input) {
        throw new IllegalArgumentException(
                label() + ": a merge layer needs at least 2 inputs, got 1 of shape " + Shape.format(input.shape()));
    }

    /**
     * Merges the inputs.
     *
     * @param inputs two or more inputs
     * @return the merged output
     */
    @Override
    public Variable forward(Variable... inputs) {
        if (inputs == null || inputs.length < 2) {
            throw new IllegalArgumentException(
                    label() + ": a merge layer needs at least 2 inputs, got " + (inputs == null ? 0 : inputs.length));
        }
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                throw new IllegalArgumentException(label() + ": input " + i + " is null");
            }
        }
        checkShapes(inputs);
        return merge(inputs);
    }

    /**
     * Merges a list of inputs (Keras's calling convention).
     *
     * @param inputs two or more inputs
     * @return the merged output
     */
    public Variable forward(List<Variable> inputs) {
        return forward(inputs.toArray(new Variable[0]));
    }

    /** Checks that all inputs have the shape of the first (overridden by {@link Concatenate}). */
    void checkShapes(Variable[] inputs) {
        int[] s0 = inputs[0].shape();
        for (Variable v : inputs) {
            if (!Arrays.equals(s0, v.shape())) {
                throw new IllegalArgumentException(
                        label() + ": all inputs must have the same shape, got " + shapes(inputs));
            }
        }
    }

    /** The inputs' shapes, for error messages. */
    static String shapes(Variable[] inputs) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < inputs.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(Shape.format(inputs[i].shape()));
        }
        return sb.append(']').toString();
    }

    /**
     * Combines inputs whose shapes have been checked.
     *
     * @param inputs two or more inputs
     * @return the merged output
     */
    protected abstract Variable merge(Variable[] inputs);
}
