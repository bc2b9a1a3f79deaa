package io.jgrad.optim;

/**
 * Scales each group's learning rate by a factor that moves linearly from {@code startFactor} to
 * {@code endFactor} over {@code totalIters} epochs, then stays at {@code endFactor}: a linear
 * warm-up when {@code startFactor < endFactor} (PyTorch's {@code LinearLR}, with its recursive
 * formula). Combine with another schedule through {@link SequentialLR}.
 */
public class LinearLR extends LRScheduler {
    private final double startFactor;
    private final double endFactor;
    private final int totalIters;

    /** PyTorch's defaults: from 1/3 to 1 over 5 epochs. */
    public LinearLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 1.0, 5);
    }

    /** From {@code startFactor} to {@code endFactor} over {@code totalIters} epochs. */
    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        super(optimizer);
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("LinearLR: invalid startFactor " + startFactor + " (must be in (0, 1])");
        }
        if (!(endFactor >= 0 && endFactor <= 1)) {
            throw new IllegalArgumentException("LinearLR: invalid endFactor " + endFactor + " (must be in [0, 1])");
        }
        if (totalIters < 1) {
            throw new IllegalArgumentException("LinearLR: invalid totalIters " + totalIters + " (must be >= 1)");
        }
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = groupLrs();
        if (lastEpoch == 0) {
            for (int i = 0; i < lr.length; i++) {
                lr[i] *= startFactor;
            }
            return lr;
        }
        if (lastEpoch > totalIters) {
            return lr;
        }
        // The ratio of consecutive factors: (start + (end - start) * e / T) / (start + (end - start) * (e - 1) / T).
        double ratio = 1
                + (endFactor - startFactor) / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor));
        for (int i = 0; i < lr.length; i++) {
            lr[i] *= ratio;
        }
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lr = baseLrs.clone();
        for (int i = 0; i < lr.length; i++) {
            lr[i] *= startFactor + (endFactor - startFactor) * Math.min(totalIters, lastEpoch) / totalIters;
        }
        return lr;
    }
}
