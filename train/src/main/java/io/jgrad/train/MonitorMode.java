package io.jgrad.train;

/** Whether a monitored value should fall or rise, for callbacks that watch one. */
public enum MonitorMode {
    /** Decided from the value's name: metrics that score (accuracy, AUC, F1, ...) rise, losses and errors fall. */
    AUTO,
    /** Lower is better. */
    MIN,
    /** Higher is better. */
    MAX;

    /** Whether higher values of {@code monitor} are better under this mode. */
    boolean higherIsBetter(Trainer trainer, String monitor) {
        return this == AUTO ? trainer.higherIsBetter(monitor) : this == MAX;
    }

    /** The monitored value of an epoch's logs; a missing key is a configuration error. */
    static double value(String callback, String monitor, java.util.Map<String, Double> logs) {
        Double v = logs.get(monitor);
        if (v == null) {
            throw new IllegalStateException(
                    callback + ": the logs have no '" + monitor + "' (available: " + logs.keySet() + ")"
                            + (monitor.startsWith("val_") ? "; give fit validation data or a validation split" : ""));
        }
        return v;
    }
}
