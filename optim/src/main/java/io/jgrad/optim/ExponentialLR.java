package io.jgrad.optim;

/** Multiplies each group's learning rate by {@code gamma} every epoch (PyTorch's {@code ExponentialLR}). */
public class ExponentialLR extends LRScheduler {
    private final double gamma;

    /** Decays by {@code gamma} per epoch. */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("ExponentialLR: invalid gamma " + gamma + " (must be >= 0)");
        }
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = groupLrs();
        if (lastEpoch == 0) {
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
            lr[i] *= Math.pow(gamma, lastEpoch);
        }
        return lr;
    }
}
