package io.jgrad.optim;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reduces the learning rates when a metric has stopped improving (PyTorch 1.13's
 * {@code ReduceLROnPlateau}): after more than {@code patience} epochs without improvement, every
 * group's rate becomes {@code max(lr * factor, minLr)} (changes smaller than {@code eps} are ignored),
 * then {@code cooldown} epochs pass before bad epochs count again.
 *
 * <p>An improvement is {@code metric < best * (1 - threshold)} (mode MIN, threshold REL),
 * {@code metric < best - threshold} (MIN, ABS), {@code metric > best * (1 + threshold)} (MAX, REL) or
 * {@code metric > best + threshold} (MAX, ABS).
 *
 * <pre>{@code
 * ReduceLROnPlateau plateau = new ReduceLROnPlateau(opt, new ReduceLROnPlateau.Options().patience(5));
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     train(...);
 *     plateau.step(validationLoss);
 * }
 * }</pre>
 */
public class ReduceLROnPlateau {

    /** Whether lower or higher metric values are better. */
    public enum Mode {
        /** Lower is better (a loss). */
        MIN,
        /** Higher is better (an accuracy). */
        MAX
    }

    /** Whether the threshold is relative to the best value or absolute. */
    public enum ThresholdMode {
        /** {@code best * (1 -/+ threshold)}. */
        REL,
        /** {@code best -/+ threshold}. */
        ABS
    }

    /** The settings, with PyTorch's defaults. */
    public static final class Options {
        Mode mode = Mode.MIN;
        double factor = 0.1;
        int patience = 10;
        double threshold = 1e-4;
        ThresholdMode thresholdMode = ThresholdMode.REL;
        int cooldown;
        double[] minLr = {0};
        double eps = 1e-8;

        /** MIN (default) or MAX. */
        public Options mode(Mode v) {
            mode = v;
            return this;
        }

        /** The factor the rates are multiplied by (0.1; must be in [0, 1)). */
        public Options factor(double v) {
            factor = v;
            return this;
        }

        /** Epochs without improvement tolerated before reducing (10). */
        public Options patience(int v) {
            patience = v;
            return this;
        }

        /** Minimum change that counts as an improvement (1e-4). */
        public Options threshold(double v) {
            threshold = v;
            return this;
        }

        /** REL (default) or ABS. */
        public Options thresholdMode(ThresholdMode v) {
            thresholdMode = v;
            return this;
        }

        /** Epochs to wait after a reduction before counting bad epochs again (0). */
        public Options cooldown(int v) {
            cooldown = v;
            return this;
        }

        /** Lower bound of the rates: one value, or one per group (0). */
        public Options minLr(double... v) {
            minLr = v.clone();
            return this;
        }

        /** Reductions smaller than this are skipped (1e-8). */
        public Options eps(double v) {
            eps = v;
            return this;
        }
    }

    private final Optimizer optimizer;
    private final Mode mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final ThresholdMode thresholdMode;
    private final int cooldown;
    private final double[] minLrs;
    private final double eps;
    private double best;
    private int numBadEpochs;
    private int cooldownCounter;
    private int lastEpoch;
    private double[] lastLr;

    /** With PyTorch's defaults (mode MIN, factor 0.1, patience 10). */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, new Options());
    }

    /** With the given settings. */
    public ReduceLROnPlateau(Optimizer optimizer, Options options) {
        if (optimizer == null) {
            throw new IllegalArgumentException("ReduceLROnPlateau: optimizer must not be null");
        }
        if (!(options.factor >= 0 && options.factor < 1)) {
            throw new IllegalArgumentException(
                    "ReduceLROnPlateau: invalid factor " + options.factor + " (must be in [0, 1))");
        }
        if (options.patience < 0 || options.cooldown < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: patience and cooldown must be >= 0, got "
                    + options.patience + " and " + options.cooldown);
        }
        if (!(options.threshold >= 0) || !(options.eps >= 0)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: threshold and eps must be >= 0, got "
                    + options.threshold + " and " + options.eps);
        }
        this.optimizer = optimizer;
        this.mode = options.mode;
        this.factor = options.factor;
        this.patience = options.patience;
        this.threshold = options.threshold;
        this.thresholdMode = options.thresholdMode;
        this.cooldown = options.cooldown;
        this.minLrs = LRScheduler.perGroup(
                "ReduceLROnPlateau",
                "minLr",
                options.minLr,
                optimizer.paramGroups().size());
        for (double m : minLrs) {
            if (!(m >= 0)) {
                throw new IllegalArgumentException("ReduceLROnPlateau: invalid minLr " + m + " (must be >= 0)");
            }
        }
        this.eps = options.eps;
        reset();
        lastLr = currentLrs();
    }

    private void reset() {
        best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        cooldownCounter = 0;
        numBadEpochs = 0;
    }

    private double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] out = new double[groups.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = groups.get(i).lr();
        }
        return out;
    }

    /** Records the epoch's metric and reduces the rates when it has plateaued. */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0; // bad epochs in cooldown do not count
        }
        if (numBadEpochs > patience) {
            reduceLr();
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        lastLr = currentLrs();
    }

    private void reduceLr() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            double old = groups.get(i).lr();
            double next = Math.max(old * factor, minLrs[i]);
            if (old - next > eps) {
                groups.get(i).put("lr", next);
            }
        }
    }

    private boolean isBetter(double a, double best) {
        if (mode == Mode.MIN) {
            return thresholdMode == ThresholdMode.REL ? a < best * (1 - threshold) : a < best - threshold;
        }
        return thresholdMode == ThresholdMode.REL ? a > best * (threshold + 1) : a > best + threshold;
    }

    /** The learning rates after the last step, one per group. */
    public double[] lastLr() {
        return lastLr.clone();
    }

    /** The best metric so far. */
    public double best() {
        return best;
    }

    /** Epochs without improvement counted so far. */
    public int numBadEpochs() {
        return numBadEpochs;
    }

    /** True while in the cooldown after a reduction. */
    public boolean inCooldown() {
        return cooldownCounter > 0;
    }

    /** The progress as 0-d FLOAT64 tensors: {@code best}, {@code num_bad_epochs}, {@code cooldown_counter}, {@code last_epoch}. */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("best", Tensor.scalar(DType.FLOAT64, best));
        out.put("num_bad_epochs", Tensor.scalar(DType.FLOAT64, numBadEpochs));
        out.put("cooldown_counter", Tensor.scalar(DType.FLOAT64, cooldownCounter));
        out.put("last_epoch", Tensor.scalar(DType.FLOAT64, lastEpoch));
        return out;
    }

    /** Restores the progress saved by {@link #stateDict()}. */
    public void loadStateDict(Map<String, Tensor> dict) {
        for (String k : new String[] {"best", "num_bad_epochs", "cooldown_counter", "last_epoch"}) {
            if (!dict.containsKey(k)) {
                throw new IllegalArgumentException("ReduceLROnPlateau.loadStateDict: missing '" + k + "'");
            }
        }
        best = dict.get("best").item();
        numBadEpochs = (int) dict.get("num_bad_epochs").item();
        cooldownCounter = (int) dict.get("cooldown_counter").item();
        lastEpoch = (int) dict.get("last_epoch").item();
        lastLr = currentLrs();
    }
}
