package io.jgrad.optim;

import java.util.function.IntToDoubleFunction;

/**
 * Sets each group's learning rate to its initial rate times {@code factor(epoch)} (PyTorch's
 * {@code LambdaLR}): a custom schedule or warm-up in one line, e.g.
 * {@code new LambdaLR(opt, e -> Math.min(1.0, (e + 1) / 500.0))}.
 */
public class LambdaLR extends LRScheduler {
    private final IntToDoubleFunction[] factors;

    /** One factor function for every group. */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction factor) {
        this(optimizer, new IntToDoubleFunction[] {factor});
    }

    /** One factor function per group (or one for all). */
    public LambdaLR(Optimizer optimizer, IntToDoubleFunction... factors) {
        super(optimizer);
        int n = optimizer.paramGroups().size();
        if (factors.length != 1 && factors.length != n) {
            throw new IllegalArgumentException(
                    "LambdaLR: expected 1 or " + n + " factor functions, got " + factors.length);
        }
        this.factors = new IntToDoubleFunction[n];
        for (int i = 0; i < n; i++) {
            this.factors[i] = factors[factors.length == 1 ? 0 : i];
            if (this.factors[i] == null) {
                throw new IllegalArgumentException("LambdaLR: factor function " + i + " is null");
            }
        }
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = new double[baseLrs.length];
        for (int i = 0; i < lr.length; i++) {
            lr[i] = baseLrs[i] * factors[i].applyAsDouble(lastEpoch);
        }
        return lr;
    }
}
