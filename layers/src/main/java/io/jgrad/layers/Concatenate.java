package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import java.util.Arrays;

/**
 * Concatenates two or more inputs along an axis, like Keras's {@code Concatenate} (PyTorch:
 * {@code torch.cat(inputs, dim=axis)}). The inputs must have the same rank and the same sizes in
 * every dimension but the axis. The default axis is the last ({@code -1}), as in Keras; negative
 * axes count from the end.
 */
public class Concatenate extends MergeLayer {
    private final int axis;

    /** Concatenation along the last axis. */
    public Concatenate() {
        this(-1);
    }

    /**
     * Concatenation along {@code axis}.
     *
     * @param axis the dimension to join (negative counts from the end)
     */
    public Concatenate(int axis) {
        this.axis = axis;
    }

    /**
     * The axis as given.
     *
     * @return the concatenation axis
     */
    public int axis() {
        return axis;
    }

    @Override
    void checkShapes(Variable[] inputs) {
        int rank = inputs[0].dim();
        if (axis < -rank || axis >= rank) {
            throw new IllegalArgumentException(label() + ": axis " + axis + " is out of range for inputs of rank "
                    + rank + ", shapes " + shapes(inputs));
        }
        int a = axis < 0 ? axis + rank : axis;
        int[] s0 = inputs[0].shape();
        for (Variable v : inputs) {
            int[] s = v.shape();
            boolean ok = s.length == rank;
            for (int d = 0; ok && d < rank; d++) {
                ok = d == a || s[d] == s0[d];
            }
            if (!ok) {
                throw new IllegalArgumentException(label() + ": inputs must have the same shape except along axis "
                        + axis + ", got " + shapes(inputs));
            }
        }
    }

    @Override
    protected Variable merge(Variable[] inputs) {
        int a = axis < 0 ? axis + inputs[0].dim() : axis;
        return Variable.cat(Arrays.asList(inputs), a);
    }

    @Override
    protected String extraRepr() {
        return "axis=" + axis;
    }
}
