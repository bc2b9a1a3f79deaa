package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/** Log-softmax along a dimension (the last by default), computed stably; pair it with {@link Losses#nll}. */
public class LogSoftmax extends Module {
    private final int dim;

    /** Log-softmax along the last dimension. */
    public LogSoftmax() {
        this(-1);
    }

    /**
     * Log-softmax along {@code dim}.
     *
     * @param dim the dimension (negative counts from the end)
     */
    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Variable forward(Variable x) {
        return x.logSoftmax(dim);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
