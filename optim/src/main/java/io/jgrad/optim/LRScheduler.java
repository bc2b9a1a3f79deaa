package io.jgrad.optim;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base of the learning-rate schedules that change every group's learning rate once per
 * {@link #step()}, reproducing PyTorch 1.13's {@code torch.optim.lr_scheduler} sequences (including its
 * "chainable" recursive formulas, so the floating-point values agree too).
 *
 * <p>Use: construct the schedule after the optimizer (construction sets the learning rate of epoch
 * 0), then call {@code optimizer.step()} for each batch and {@code scheduler.step()} at the end of each
 * epoch (or each batch for per-batch schedules such as {@link OneCycleLR}). The learning rate used in
 * epoch e is the one set by the e-th call.
 *
 * <p>Like PyTorch, a schedule records each group's starting learning rate as the group entry
 * {@code initial_lr} (only if absent, so that schedules created one after another over the same
 * optimizer, as in {@link SequentialLR}, share it). Learning rates are written without validation,
 * as in PyTorch.
 *
 * <p>Subclasses compute the new rates in {@link #computeLr()} from {@link #lastEpoch} and the groups'
 * current rates, and call {@link #initialStep()} at the end of their constructor.
 */
public abstract class LRScheduler {
    /** The optimizer whose groups' learning rates are set. */
    protected final Optimizer optimizer;
    /** Each group's {@code initial_lr}. */
    protected double[] baseLrs;
    /** The index of the last epoch (-1 before the first step). */
    protected int lastEpoch = -1;
    /** The number of steps, counted as in PyTorch (1 after construction). */
    protected int stepCount;

    private double[] lastLr;

    /** A schedule over {@code optimizer}; the subclass constructor must end with {@link #initialStep()}. */
    protected LRScheduler(Optimizer optimizer) {
        if (optimizer == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": optimizer must not be null");
        }
        this.optimizer = optimizer;
    }

    /** Records {@code initial_lr} and the base rates, then takes the step that sets epoch 0's rates. */
    protected final void initialStep() {
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            ParamGroup g = groups.get(i);
            if (!g.has("initial_lr")) {
                g.put("initial_lr", g.lr());
            }
            baseLrs[i] = g.get("initial_lr");
        }
        restart();
    }

    /** PyTorch's {@code _initial_step}: resets the step count and steps once. */
    void restart() {
        stepCount = 0;
        step();
    }

    /** Advances one epoch and sets the groups' learning rates. */
    public void step() {
        stepCount++;
        lastEpoch++;
        apply(computeLr());
    }

    /**
     * Jumps to {@code epoch} (PyTorch's deprecated {@code step(epoch)}, used by {@link SequentialLR}):
     * the closed form when the schedule has one, else {@link #computeLr()}.
     */
    void stepTo(double epoch) {
        stepCount++;
        lastEpoch = (int) epoch;
        double[] v = closedFormLr();
        apply(v != null ? v : computeLr());
    }

    /** The learning rates of the epoch {@link #lastEpoch}, one per group. */
    protected abstract double[] computeLr();

    /** The closed-form rates at {@link #lastEpoch}, or null when the schedule has none. */
    protected double[] closedFormLr() {
        return null;
    }

    /** Sets each group's learning rate. */
    protected final void apply(double[] lrs) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < lrs.length; i++) {
            groups.get(i).put("lr", lrs[i]);
        }
        lastLr = lrs.clone();
    }

    /** The current learning rate of each group. */
    protected final double[] groupLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] out = new double[groups.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = groups.get(i).lr();
        }
        return out;
    }

    /** The number of parameter groups. */
    protected final int groupCount() {
        return optimizer.paramGroups().size();
    }

    /** The learning rates set by the last step, one per group. */
    public double[] lastLr() {
        return lastLr.clone();
    }

    /** The index of the last epoch (0 after construction). */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** Each group's starting learning rate. */
    public double[] baseLrs() {
        return baseLrs.clone();
    }

    /** The optimizer. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * The schedule's progress as 0-d or 1-d FLOAT64 tensors ({@code last_epoch}, {@code step_count},
     * {@code base_lrs}, {@code last_lr}, plus the schedule's own counters). To resume: build the
     * optimizer and the schedule, load the optimizer's state dict (which restores the learning rates),
     * then this one.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("last_epoch", Tensor.scalar(DType.FLOAT64, lastEpoch));
        out.put("step_count", Tensor.scalar(DType.FLOAT64, stepCount));
        out.put("base_lrs", Tensor.of(baseLrs.clone(), baseLrs.length));
        out.put("last_lr", Tensor.of(lastLr.clone(), lastLr.length));
        saveExtra(out);
        return out;
    }

    /** Restores the progress saved by {@link #stateDict()}. */
    public void loadStateDict(Map<String, Tensor> dict) {
        lastEpoch = (int) require(dict, "last_epoch").item();
        stepCount = (int) require(dict, "step_count").item();
        double[] b = require(dict, "base_lrs").toDoubleArray();
        double[] l = require(dict, "last_lr").toDoubleArray();
        if (b.length != groupCount() || l.length != groupCount()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: saved for " + b.length
                    + " parameter groups, the optimizer has " + groupCount());
        }
        baseLrs = b;
        lastLr = l;
        loadExtra(dict);
    }

    /** Adds the subclass's mutable state to {@code out}. */
    protected void saveExtra(Map<String, Tensor> out) {}

    /** Restores what {@link #saveExtra} saved. */
    protected void loadExtra(Map<String, Tensor> dict) {}

    /** The entry {@code key} of a state dict; fails naming the schedule when absent. */
    protected final Tensor require(Map<String, Tensor> dict, String key) {
        Tensor t = dict.get(key);
        if (t == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: missing '" + key + "'");
        }
        return t;
    }

    /** Expands a single value or checks a per-group array. */
    static double[] perGroup(String who, String what, double[] values, int groups) {
        if (values.length == 1) {
            double[] out = new double[groups];
            Arrays.fill(out, values[0]);
            return out;
        }
        if (values.length != groups) {
            throw new IllegalArgumentException(
                    who + ": expected " + groups + " values for " + what + " (one per group), got " + values.length);
        }
        return values.clone();
    }
}
