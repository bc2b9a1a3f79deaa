package io.jgrad.optim;

import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * Max-norm weight constraint (Srivastava et al., "Dropout", JMLR 2014; Keras' {@code MaxNorm}): each
 * unit's incoming weight vector, the slice along {@code axes}, is rescaled so that its 2-norm is at
 * most {@code maxValue}, with Keras's formula
 * {@code w * clip(norms, 0, maxValue) / (1e-7 + norms)}.
 *
 * <p>For jgrad's linear weight of shape (out, in), a unit's incoming weights are a row: use axis 1
 * (Keras stores dense kernels as (in, out) and uses axis 0). For a convolution weight
 * (out, in, kh, kw), use axes 1, 2, 3.
 *
 * <pre>{@code
 * Constraint maxNorm = new MaxNorm(3.0, 1);
 * opt.step();
 * maxNorm.apply(linear.weight());
 * }</pre>
 */
public final class MaxNorm implements Constraint {
    /** Keras's {@code backend.epsilon()}. */
    private static final double EPSILON = 1e-7;

    private final double maxValue;
    private final int[] axes;

    /** Norms taken over {@code axes} (the dimensions of one unit's incoming weights) limited to {@code maxValue}. */
    public MaxNorm(double maxValue, int... axes) {
        if (!(maxValue >= 0) || Double.isInfinite(maxValue)) {
            throw new IllegalArgumentException("MaxNorm: invalid maxValue " + maxValue + " (must be >= 0)");
        }
        if (axes.length == 0) {
            throw new IllegalArgumentException(
                    "MaxNorm: give at least one axis (e.g. 1 for a linear weight (out, in))");
        }
        this.maxValue = maxValue;
        this.axes = axes.clone();
    }

    @Override
    public void apply(Tensor w) {
        int[] dims = new int[axes.length];
        for (int k = 0; k < axes.length; k++) {
            if (axes[k] < -w.dim() || axes[k] >= w.dim()) {
                throw new IllegalArgumentException("MaxNorm: axis " + axes[k]
                        + " is out of range for a weight of shape " + Shape.format(w.shape()));
            }
            dims[k] = axes[k] < 0 ? axes[k] + w.dim() : axes[k];
        }
        Tensor norms = w.square().sum(dims, true).sqrt(); // one norm per unit, kept for broadcasting
        Tensor desired = norms.clamp(0, maxValue); // clip(norms, 0, maxValue)
        w.mul_(desired.div(norms.add(EPSILON))); // w * desired / (eps + norms)
    }

    /** The bound on each unit's norm. */
    public double maxValue() {
        return maxValue;
    }
}
