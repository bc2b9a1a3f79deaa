package io.jgrad.optim;

import java.util.List;

/**
 * The one-cycle policy (Smith and Topin, "Super-Convergence: Very Fast Training of Neural Networks
 * Using Large Learning Rates", 2017), stepped once per batch, as PyTorch 1.13's {@code OneCycleLR}.
 *
 * <p>Two phases (the fastai default): the learning rate rises from {@code maxLr / divFactor} to
 * {@code maxLr} over the first {@code pctStart} of the steps, then anneals to
 * {@code initial_lr / finalDivFactor}. With {@code threePhase} it rises, comes back down to the initial
 * rate symmetrically, then anneals to the minimum (the paper's schedule). Annealing is cosine or
 * linear. With momentum cycling (default on) the momentum (SGD's {@code momentum}, or Adam's
 * {@code beta1}) moves inversely between {@code maxMomentum} and {@code baseMomentum}.
 *
 * <p>The schedule stores {@code initial_lr}, {@code max_lr}, {@code min_lr} (and {@code max_momentum},
 * {@code base_momentum}) in each parameter group, as PyTorch does.
 */
public class OneCycleLR extends LRScheduler {

    /** How the rate moves between two values within a phase. */
    public enum Anneal {
        /** {@code end + (start - end) / 2 * (1 + cos(pi * pct))}. */
        COS,
        /** {@code start + (end - start) * pct}. */
        LINEAR
    }

    /** The schedule's settings, with PyTorch's defaults. */
    public static final class Options {
        double pctStart = 0.3;
        Anneal anneal = Anneal.COS;
        boolean cycleMomentum = true;
        double baseMomentum = 0.85;
        double maxMomentum = 0.95;
        double divFactor = 25;
        double finalDivFactor = 1e4;
        boolean threePhase;

        /** Fraction of the steps spent increasing the rate (0.3). */
        public Options pctStart(double v) {
            pctStart = v;
            return this;
        }

        /** Cosine (default) or linear annealing. */
        public Options anneal(Anneal v) {
            anneal = v;
            return this;
        }

        /** Whether to cycle the momentum inversely to the rate (true). */
        public Options cycleMomentum(boolean v) {
            cycleMomentum = v;
            return this;
        }

        /** Momentum at the peak learning rate (0.85). */
        public Options baseMomentum(double v) {
            baseMomentum = v;
            return this;
        }

        /** Momentum at the start and end of the cycle (0.95). */
        public Options maxMomentum(double v) {
            maxMomentum = v;
            return this;
        }

        /** {@code initial_lr = maxLr / divFactor} (25). */
        public Options divFactor(double v) {
            divFactor = v;
            return this;
        }

        /** {@code min_lr = initial_lr / finalDivFactor} (1e4). */
        public Options finalDivFactor(double v) {
            finalDivFactor = v;
            return this;
        }

        /** The paper's three phases instead of fastai's two (false). */
        public Options threePhase(boolean v) {
            threePhase = v;
            return this;
        }
    }

    /** One phase: it ends at {@code endStep} and moves from one group entry to another. */
    private static final class Phase {
        final double endStep;
        final String startLr;
        final String endLr;
        final String startMomentum;
        final String endMomentum;

        Phase(double endStep, String startLr, String endLr, String startMomentum, String endMomentum) {
            this.endStep = endStep;
            this.startLr = startLr;
            this.endLr = endLr;
            this.startMomentum = startMomentum;
            this.endMomentum = endMomentum;
        }
    }

    private final int totalSteps;
    private final Phase[] phases;
    private final Anneal anneal;
    private final boolean cycleMomentum;
    private final String momentumKey;

    /** A cycle of {@code totalSteps} steps peaking at {@code maxLr}, with the default settings. */
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps) {
        this(optimizer, new double[] {maxLr}, totalSteps, new Options());
    }

    /**
     * A cycle of {@code totalSteps} steps (e.g. epochs times batches per epoch) peaking at
     * {@code maxLr} (one value, or one per group).
     */
    public OneCycleLR(Optimizer optimizer, double[] maxLr, int totalSteps, Options options) {
        super(optimizer);
        if (totalSteps < 1) {
            throw new IllegalArgumentException("OneCycleLR: invalid totalSteps " + totalSteps + " (must be >= 1)");
        }
        if (!(options.pctStart >= 0 && options.pctStart <= 1)) {
            throw new IllegalArgumentException(
                    "OneCycleLR: invalid pctStart " + options.pctStart + " (must be in [0, 1])");
        }
        if (!(options.divFactor > 0) || !(options.finalDivFactor > 0)) {
            throw new IllegalArgumentException("OneCycleLR: divFactor and finalDivFactor must be > 0, got "
                    + options.divFactor + " and " + options.finalDivFactor);
        }
        this.totalSteps = totalSteps;
        this.anneal = options.anneal;
        this.cycleMomentum = options.cycleMomentum;
        double pct = options.pctStart;
        if (options.threePhase) {
            phases = new Phase[] {
                new Phase(pct * totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new Phase(2 * pct * totalSteps - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                new Phase(totalSteps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
            };
        } else {
            phases = new Phase[] {
                new Phase(pct * totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new Phase(totalSteps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
            };
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] maxLrs = perGroup("OneCycleLR", "maxLr", maxLr, groups.size());
        for (int i = 0; i < groups.size(); i++) {
            if (!(maxLrs[i] >= 0) || Double.isInfinite(maxLrs[i])) {
                throw new IllegalArgumentException("OneCycleLR: invalid maxLr " + maxLrs[i] + " for group " + i);
            }
            ParamGroup g = groups.get(i);
            g.put("initial_lr", maxLrs[i] / options.divFactor);
            g.put("max_lr", maxLrs[i]);
            g.put("min_lr", g.get("initial_lr") / options.finalDivFactor);
        }
        if (cycleMomentum) {
            ParamGroup first = groups.get(0);
            if (first.has("beta1")) {
                momentumKey = "beta1";
            } else if (first.has("momentum")) {
                momentumKey = "momentum";
            } else {
                throw new IllegalArgumentException("OneCycleLR: momentum cycling needs an optimizer with 'momentum' or "
                        + "'beta1' (" + optimizer.name() + " has neither); use cycleMomentum(false)");
            }
            for (ParamGroup g : groups) {
                g.put(momentumKey, options.maxMomentum);
                g.put("max_momentum", options.maxMomentum);
                g.put("base_momentum", options.baseMomentum);
            }
        } else {
            momentumKey = null;
        }
        initialStep();
    }

    private double anneal(double start, double end, double pct) {
        if (anneal == Anneal.COS) {
            double cosOut = Math.cos(Math.PI * pct) + 1;
            return end + (start - end) / 2.0 * cosOut;
        }
        return (end - start) * pct + start;
    }

    @Override
    protected double[] computeLr() {
        int stepNum = lastEpoch;
        if (stepNum > totalSteps) {
            throw new IllegalStateException("OneCycleLR: tried to step " + (stepNum + 1) + " times; the specified "
                    + "number of total steps is " + totalSteps);
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int i = 0; i < lrs.length; i++) {
            ParamGroup g = groups.get(i);
            double startStep = 0;
            for (int k = 0; k < phases.length; k++) {
                Phase ph = phases[k];
                if (stepNum <= ph.endStep || k == phases.length - 1) {
                    double pct = (stepNum - startStep) / (ph.endStep - startStep);
                    lrs[i] = anneal(g.get(ph.startLr), g.get(ph.endLr), pct);
                    if (cycleMomentum) {
                        g.put(momentumKey, anneal(g.get(ph.startMomentum), g.get(ph.endMomentum), pct));
                    }
                    break;
                }
                startStep = ph.endStep;
            }
        }
        return lrs;
    }
}
