package io.jgrad.train;

import io.jgrad.core.Tensor;
import io.jgrad.optim.ReduceLROnPlateau;
import java.util.Map;

/**
 * Feeds a monitored value to the optimizer package's {@link ReduceLROnPlateau} after each epoch, so
 * that the learning rates drop when it stops improving (Keras's {@code ReduceLROnPlateau}, with
 * PyTorch's rule and defaults: factor 0.1, patience 10, relative threshold 1e-4).
 *
 * <pre>{@code
 * new ReduceLROnPlateauCallback("val_loss").factor(0.5).patience(2).minLr(1e-5)
 * }</pre>
 *
 * <p>The schedule is built over the trainer's optimizer when training begins (mode MIN or MAX from
 * {@link MonitorMode}), or given ready-made. Its state is saved in checkpoints.
 */
public final class ReduceLROnPlateauCallback implements Callback {
    private final String monitor;
    private ReduceLROnPlateau scheduler;
    private final boolean given;
    private MonitorMode mode = MonitorMode.AUTO;
    private double factor = 0.1;
    private int patience = 10;
    private double threshold = 1e-4;
    private ReduceLROnPlateau.ThresholdMode thresholdMode = ReduceLROnPlateau.ThresholdMode.REL;
    private int cooldown;
    private double minLr;
    private double eps = 1e-8;

    /**
     * Watches {@code monitor} with a schedule built when training begins.
     *
     * @param monitor e.g. {@code "val_loss"}
     */
    public ReduceLROnPlateauCallback(String monitor) {
        if (monitor == null || monitor.isEmpty()) {
            throw new IllegalArgumentException(
                    "ReduceLROnPlateauCallback: monitor must be a log key such as \"val_loss\"");
        }
        this.monitor = monitor;
        this.given = false;
    }

    /**
     * Watches {@code monitor} with a ready-made schedule (over the trainer's optimizer); the
     * settings methods of this class do not apply to it.
     *
     * @param monitor e.g. {@code "val_loss"}
     * @param scheduler the schedule to step
     */
    public ReduceLROnPlateauCallback(String monitor, ReduceLROnPlateau scheduler) {
        if (monitor == null || monitor.isEmpty() || scheduler == null) {
            throw new IllegalArgumentException("ReduceLROnPlateauCallback: monitor and scheduler must be given");
        }
        this.monitor = monitor;
        this.scheduler = scheduler;
        this.given = true;
    }

    /**
     * MIN, MAX or AUTO (from the monitored name).
     *
     * @param m the mode
     * @return this callback
     */
    public ReduceLROnPlateauCallback mode(MonitorMode m) {
        mode = m;
        return this;
    }

    /**
     * The factor applied to the rates (0.1).
     *
     * @param f in {@code [0, 1)}
     * @return this callback
     */
    public ReduceLROnPlateauCallback factor(double f) {
        factor = f;
        return this;
    }

    /**
     * Epochs without improvement tolerated before a reduction (10).
     *
     * @param epochs 0 or more
     * @return this callback
     */
    public ReduceLROnPlateauCallback patience(int epochs) {
        patience = epochs;
        return this;
    }

    /**
     * The least change that counts as an improvement (1e-4, relative unless
     * {@link #thresholdMode} says ABS).
     *
     * @param t 0 or more
     * @return this callback
     */
    public ReduceLROnPlateauCallback threshold(double t) {
        threshold = t;
        return this;
    }

    /**
     * Whether the threshold is relative (REL, default) or absolute (ABS, Keras's {@code min_delta}).
     *
     * @param m the threshold mode
     * @return this callback
     */
    public ReduceLROnPlateauCallback thresholdMode(ReduceLROnPlateau.ThresholdMode m) {
        thresholdMode = m;
        return this;
    }

    /**
     * Epochs to wait after a reduction before counting again (0).
     *
     * @param epochs 0 or more
     * @return this callback
     */
    public ReduceLROnPlateauCallback cooldown(int epochs) {
        cooldown = epochs;
        return this;
    }

    /**
     * The lower bound of the rates (0).
     *
     * @param lr 0 or more
     * @return this callback
     */
    public ReduceLROnPlateauCallback minLr(double lr) {
        minLr = lr;
        return this;
    }

    /**
     * Reductions smaller than this are skipped (1e-8).
     *
     * @param e 0 or more
     * @return this callback
     */
    public ReduceLROnPlateauCallback eps(double e) {
        eps = e;
        return this;
    }

    /**
     * The schedule being stepped.
     *
     * @return the schedule (null before training begins unless given)
     */
    public ReduceLROnPlateau scheduler() {
        return scheduler;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        if (given) {
            return;
        }
        ReduceLROnPlateau.Mode m =
                mode.higherIsBetter(trainer, monitor) ? ReduceLROnPlateau.Mode.MAX : ReduceLROnPlateau.Mode.MIN;
        scheduler = new ReduceLROnPlateau(
                trainer.optimizer(),
                new ReduceLROnPlateau.Options()
                        .mode(m)
                        .factor(factor)
                        .patience(patience)
                        .threshold(threshold)
                        .thresholdMode(thresholdMode)
                        .cooldown(cooldown)
                        .minLr(minLr)
                        .eps(eps));
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {
        double v = MonitorMode.value("ReduceLROnPlateauCallback", monitor, logs);
        if (!Double.isNaN(v)) {
            scheduler.step(v);
        }
    }

    @Override
    public void saveState(Map<String, Tensor> out) {
        if (scheduler != null) {
            out.putAll(scheduler.stateDict());
        }
    }

    @Override
    public void loadState(Map<String, Tensor> in) {
        scheduler.loadStateDict(in);
    }
}
