package io.jgrad.optim;

/**
 * Multiplies each group's learning rate by {@code gamma} every {@code stepSize} epochs:
 * {@code lr = initial_lr * gamma^(epoch / stepSize)} (PyTorch's {@code StepLR}).
 */
public class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    /** Decays by {@code gamma} every {@code stepSize} epochs. */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize < 1) {
            throw new IllegalArgumentException("StepLR: invalid stepSize " + stepSize + " (must be >= 1)");
        }
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("StepLR: invalid gamma " + gamma + " (must be >= 0)");
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    /** Decays by 0.1 every {@code stepSize} epochs. */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    @Override
    protected double[] computeLr() {
        double[] lr = groupLrs();
        if (lastEpoch == 0 || lastEpoch % stepSize != 0) {
            return lr;
        }
        for (int i = 0; i < lr.length; i++) {
            lr[i] *= gamma;
        }
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lr = baseLrs.clone();
        for (int i = 0; i < lr.length; i++) {
            lr[i] *= Math.pow(gamma, Math.floorDiv(lastEpoch, stepSize));
        }
        return lr;
    }
}
