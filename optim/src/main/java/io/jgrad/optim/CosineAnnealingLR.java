package io.jgrad.optim;

/**
 * Cosine annealing from each group's initial learning rate down to {@code etaMin} over {@code tMax}
 * epochs (Loshchilov and Hutter, "SGDR", ICLR 2017, without restarts):
 * {@code lr_e = etaMin + (initial_lr - etaMin) * (1 + cos(pi * e / tMax)) / 2}.
 *
 * <p>Computed with PyTorch 1.13's recursive (chainable) formula,
 * {@code lr_e = etaMin + (lr_{e-1} - etaMin) * (1 + cos(pi e / T)) / (1 + cos(pi (e - 1) / T))},
 * so the values match PyTorch's to the last bits; past {@code tMax} the rate climbs back up as in
 * PyTorch (a cosine of period {@code 2 tMax}).
 */
public class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    /** Anneals to 0 over {@code tMax} epochs. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0);
    }

    /** Anneals to {@code etaMin} over {@code tMax} epochs. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax < 1) {
            throw new IllegalArgumentException("CosineAnnealingLR: invalid tMax " + tMax + " (must be >= 1)");
        }
        if (!(etaMin >= 0) || Double.isInfinite(etaMin)) {
            throw new IllegalArgumentException("CosineAnnealingLR: invalid etaMin " + etaMin + " (must be >= 0)");
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = groupLrs();
        if (lastEpoch == 0) {
            return lr;
        }
        if (stepCount == 1 && lastEpoch > 0) {
            return closedFormLr();
        }
        if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
            // the bottom of the cosine: the recursion would divide by zero, add the increment instead
            for (int i = 0; i < lr.length; i++) {
                lr[i] += (baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            }
            return lr;
        }
        double ratio = (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax));
        for (int i = 0; i < lr.length; i++) {
            lr[i] = ratio * (lr[i] - etaMin) + etaMin;
        }
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lr = new double[baseLrs.length];
        for (int i = 0; i < lr.length; i++) {
            lr[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2;
        }
        return lr;
    }
}
