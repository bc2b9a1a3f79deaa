package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;

/**
 * The common part of the dropout layers: a drop probability, a generator for the masks, and
 * identity in evaluation mode. {@link MonteCarloDropout} switches exactly the modules of this type
 * back to training mode.
 *
 * <p>Masks are drawn from the generator set with {@link Module#setGenerator} (by default
 * {@link Generator#global()}), so a run repeats exactly for a given seed.
 */
public abstract class BaseDropout extends Module {
    /** The drop probability. */
    protected final double p;

    private Generator generator;

    /**
     * A dropout layer dropping with probability {@code p}.
     *
     * @param p the drop probability in [0, 1]
     */
    protected BaseDropout(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(
                    getClass().getSimpleName() + ": drop probability must be in [0, 1], got " + p);
        }
        this.p = p;
    }

    /**
     * The drop probability.
     *
     * @return p
     */
    public double p() {
        return p;
    }

    @Override
    protected void useGenerator(Generator g) {
        this.generator = g;
    }

    /**
     * The generator masks are drawn from.
     *
     * @return the generator set with {@link Module#setGenerator}, else the global one
     */
    protected final Generator generator() {
        return generator != null ? generator : Generator.global();
    }

    @Override
    public Variable forward(Variable x) {
        if (!isTraining() || p == 0) {
            return x;
        }
        return applyMask(x, sampleKeepMask(x.dtype(), maskShape(x.shape())));
    }

    /**
     * The shape of the keep mask for an input of shape {@code inputShape} (broadcast against it).
     *
     * @param inputShape the input's shape
     * @return the mask's shape
     */
    protected abstract int[] maskShape(int[] inputShape);

    /**
     * The training-mode output given a keep mask of ones (kept) and zeros (dropped).
     *
     * @param x the input
     * @param keep the mask, of {@link #maskShape} and the input's type
     * @return the output
     */
    protected abstract Variable applyMask(Variable x, Tensor keep);

    /** Ones with probability {@code 1 - p}, zeros otherwise (one generator draw per element). */
    final Tensor sampleKeepMask(DType dtype, int[] shape) {
        return sampleMask(dtype, shape, 1);
    }

    /** {@code kept} with probability {@code 1 - p}, zeros otherwise (one generator draw per element). */
    final Tensor sampleMask(DType dtype, int[] shape, double kept) {
        Tensor m = Tensor.bernoulli(generator(), dtype, 1 - p, shape);
        return kept == 1 ? m : m.mul_(kept);
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
