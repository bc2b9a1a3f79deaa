package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/** Softmax along a dimension (the last by default), computed stably. */
public class Softmax extends Module {
    private final int dim;

    /** Softmax along the last dimension. */
    public Softmax() {
        this(-1);
    }

    /**
     * Softmax along {@code dim}.
     *
     * @param dim the dimension whose entries sum to 1 (negative counts from the end)
     */
    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Variable forward(Variable x) {
        return x.softmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
