package io.jgrad.optim;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Multiplies each group's learning rate by {@code gamma} at each milestone epoch (a milestone listed
 * twice multiplies by {@code gamma^2}), like PyTorch's {@code MultiStepLR}.
 */
public class MultiStepLR extends LRScheduler {
    private final Map<Integer, Integer> milestones = new TreeMap<>();
    private final int[] sorted;
    private final double gamma;

    /** Decays by {@code gamma} at each of {@code milestones}. */
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer);
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("MultiStepLR: invalid gamma " + gamma + " (must be >= 0)");
        }
        for (int m : milestones) {
            if (m < 0) {
                throw new IllegalArgumentException("MultiStepLR: invalid milestone " + m + " (must be >= 0)");
            }
            this.milestones.merge(m, 1, Integer::sum);
        }
        this.sorted = milestones.clone();
        Arrays.sort(this.sorted);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lr = groupLrs();
        Integer count = milestones.get(lastEpoch);
        if (count == null) {
            return lr;
        }
        for (int i = 0; i < lr.length; i++) {
            lr[i] *= Math.pow(gamma, count);
        }
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        int passed = 0; // bisect_right: milestones <= lastEpoch
        while (passed < sorted.length && sorted[passed] <= lastEpoch) {
            passed++;
        }
        double[] lr = baseLrs.clone();
        for (int i = 0; i < lr.length; i++) {
            lr[i] *= Math.pow(gamma, passed);
        }
        return lr;
    }
}
