package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * Channel-wise dropout, like {@code torch.nn.Dropout2d}: in training mode each channel of each sample
 * of an input {@code (N, C, H, W)} is zeroed as a whole with probability {@code p}, and the others
 * are scaled by {@code 1 / (1 - p)}. Inputs {@code (N, C, L)} drop whole rows of length L likewise.
 * Useful after convolutions, whose neighbouring activations are strongly correlated.
 */
public class Dropout2d extends BaseDropout {
    /** Channel dropout with p = 0.5. */
    public Dropout2d() {
        this(0.5);
    }

    /**
     * Channel dropout with drop probability {@code p}.
     *
     * @param p the probability of zeroing a channel, in [0, 1]
     */
    public Dropout2d(double p) {
        super(p);
    }

    @Override
    protected int[] maskShape(int[] s) {
        if (s.length < 3) {
            throw new IllegalArgumentException(
                    "Dropout2d: expected an input (N, C, H, W) or (N, C, L), got " + Shape.format(s));
        }
        int[] m = new int[s.length];
        java.util.Arrays.fill(m, 1);
        m[0] = s[0];
        m[1] = s[1];
        return m;
    }

    @Override
    public Variable forward(Variable x) {
        if (!isTraining() || p == 0) {
            return x;
        }
        // the mask holds 0 or 1 / (1 - p) directly: one pass to draw it, one to apply it
        return x.mul(Variable.constant(sampleMask(x.dtype(), maskShape(x.shape()), p == 1 ? 0 : 1 / (1 - p))));
    }

    @Override
    protected Variable applyMask(Variable x, Tensor keep) {
        return x.mul(Variable.constant(p == 1 ? keep.mul(0) : keep.mul(1 / (1 - p))));
    }
}
