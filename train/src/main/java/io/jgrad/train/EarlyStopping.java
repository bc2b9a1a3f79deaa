package io.jgrad.train;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stops training when a monitored value has stopped improving, like Keras's {@code EarlyStopping}.
 *
 * <p>After each epoch the value is compared with the best so far: it improves when it is lower than
 * {@code best - minDelta} (mode MIN) or higher than {@code best + minDelta} (mode MAX). An
 * improvement resets the count of epochs waited (unless a baseline is set and not beaten); otherwise
 * the count grows, and training stops once it reaches {@code patience} (never after the first
 * epoch). With {@code restoreBestWeights} the model's state at the best epoch is copied and put
 * back when training ends.
 *
 * <pre>{@code
 * new EarlyStopping("val_loss").patience(3).minDelta(1e-3).restoreBestWeights(true)
 * }</pre>
 */
public final class EarlyStopping implements Callback {
    private final String monitor;
    private MonitorMode mode = MonitorMode.AUTO;
    private int patience;
    private double minDelta;
    private boolean restoreBestWeights;
    private Double baseline;
    private int startFromEpoch;

    private boolean higher;
    private double best;
    private int wait;
    private int bestEpoch;
    private int stoppedEpoch;
    private Map<String, Tensor> bestWeights;

    /** Monitors {@code val_loss}. */
    public EarlyStopping() {
        this("val_loss");
    }

    /**
     * Monitors a log entry.
     *
     * @param monitor e.g. {@code "val_loss"} or {@code "val_accuracy"}
     */
    public EarlyStopping(String monitor) {
        if (monitor == null || monitor.isEmpty()) {
            throw new IllegalArgumentException("EarlyStopping: monitor must be a log key such as \"val_loss\"");
        }
        this.monitor = monitor;
    }

    /**
     * Whether the value should fall or rise (default AUTO).
     *
     * @param m the mode
     * @return this callback
     */
    public EarlyStopping mode(MonitorMode m) {
        mode = m;
        return this;
    }

    /**
     * Epochs without improvement after which training stops (default 0).
     *
     * @param epochs 0 or more
     * @return this callback
     */
    public EarlyStopping patience(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("EarlyStopping: patience must be >= 0, got " + epochs);
        }
        patience = epochs;
        return this;
    }

    /**
     * The least change that counts as an improvement (default 0).
     *
     * @param delta 0 or more (its sign is ignored)
     * @return this callback
     */
    public EarlyStopping minDelta(double delta) {
        if (Double.isNaN(delta)) {
            throw new IllegalArgumentException("EarlyStopping: minDelta is NaN");
        }
        minDelta = Math.abs(delta);
        return this;
    }

    /**
     * Whether to put back the weights of the best epoch when training ends (default false).
     *
     * @param on true to restore them
     * @return this callback
     */
    public EarlyStopping restoreBestWeights(boolean on) {
        restoreBestWeights = on;
        return this;
    }

    /**
     * A value the monitored value must beat before the wait count is reset.
     *
     * @param value the baseline
     * @return this callback
     */
    public EarlyStopping baseline(double value) {
        baseline = value;
        return this;
    }

    /**
     * Epochs to let pass before watching (warm-up; default 0).
     *
     * @param epoch the first epoch watched
     * @return this callback
     */
    public EarlyStopping startFromEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("EarlyStopping: startFromEpoch must be >= 0, got " + epoch);
        }
        startFromEpoch = epoch;
        return this;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        higher = mode.higherIsBetter(trainer, monitor);
        best = higher ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        wait = 0;
        bestEpoch = -1;
        stoppedEpoch = -1;
        bestWeights = null;
    }

    private boolean improves(double value, double reference) {
        return higher ? value - minDelta > reference : value + minDelta < reference;
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {
        double current = MonitorMode.value("EarlyStopping", monitor, logs);
        if (Double.isNaN(current) || epoch < startFromEpoch) {
            return;
        }
        wait++;
        if (improves(current, best)) {
            best = current;
            bestEpoch = epoch;
            if (restoreBestWeights) {
                bestWeights = copy(trainer.model().stateDict());
            }
            if (baseline == null || improves(current, baseline)) {
                wait = 0;
            }
            return;
        }
        if (wait >= patience && epoch > 0) {
            stoppedEpoch = epoch;
            trainer.stopTraining();
        }
    }

    @Override
    public void onTrainEnd(Trainer trainer, Map<String, Double> logs) {
        if (restoreBestWeights && bestWeights != null) {
            trainer.model().loadStateDict(bestWeights);
        }
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> state) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            out.put(e.getKey(), e.getValue().clone());
        }
        return out;
    }

    /**
     * The best value seen.
     *
     * @return the best monitored value (infinite before any)
     */
    public double best() {
        return best;
    }

    /**
     * The epoch of the best value.
     *
     * @return its index, -1 before any
     */
    public int bestEpoch() {
        return bestEpoch;
    }

    /**
     * The epoch training was stopped at.
     *
     * @return its index, -1 when it was not stopped by this callback
     */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /**
     * Epochs waited since the last improvement.
     *
     * @return the count
     */
    public int waited() {
        return wait;
    }

    @Override
    public void saveState(Map<String, Tensor> out) {
        out.put("best", Tensor.scalar(DType.FLOAT64, best));
        out.put("wait", Tensor.scalar(DType.FLOAT64, wait));
        out.put("best_epoch", Tensor.scalar(DType.FLOAT64, bestEpoch));
        out.put("stopped_epoch", Tensor.scalar(DType.FLOAT64, stoppedEpoch));
        if (bestWeights != null) {
            for (Map.Entry<String, Tensor> e : bestWeights.entrySet()) {
                out.put("best_weights." + e.getKey(), e.getValue());
            }
        }
    }

    @Override
    public void loadState(Map<String, Tensor> in) {
        best = require(in, "best").item();
        wait = (int) require(in, "wait").item();
        bestEpoch = (int) require(in, "best_epoch").item();
        stoppedEpoch = (int) require(in, "stopped_epoch").item();
        Map<String, Tensor> w = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : in.entrySet()) {
            if (e.getKey().startsWith("best_weights.")) {
                w.put(e.getKey().substring("best_weights.".length()), e.getValue());
            }
        }
        bestWeights = w.isEmpty() ? null : w;
    }

    static Tensor require(Map<String, Tensor> in, String key) {
        Tensor t = in.get(key);
        if (t == null) {
            throw new IllegalArgumentException("callback state: missing '" + key + "' (present: " + in.keySet() + ")");
        }
        return t;
    }
}
