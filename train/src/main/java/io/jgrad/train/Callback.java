package io.jgrad.train;

import io.jgrad.core.Tensor;
import java.util.Map;

/**
 * Hooks into {@link Trainer#fit}, like Keras callbacks: {@link EarlyStopping},
 * {@link ReduceLROnPlateauCallback}, {@link ModelCheckpoint}, {@link CSVLogger}, {@link ProgressBar},
 * {@link TerminateOnNaN}, or any user class. Every method has an empty default.
 *
 * <p>Epochs and batches are counted from 0. Epoch logs hold {@code loss}, each metric, the same with
 * the prefix {@code val_} when there is validation data, and {@code lr} (the first group's learning
 * rate during the epoch). Batch logs hold {@code batch_loss} (this batch), {@code loss} (the running
 * mean of the epoch), {@code size} (samples in the batch) and the running value of each metric that
 * is cheap to read. A callback stops training with {@link Trainer#stopTraining()}; the current
 * epoch is then completed (validation and epoch-end callbacks run) and no other starts.
 *
 * <p>Callbacks run in the order given, sorted stably by {@link #order()}: user callbacks (order 0)
 * first, then the epoch's row is added to the {@link History} (at {@link #HISTORY_ORDER}), then
 * {@link CSVLogger} (60), {@link ProgressBar} (70) and {@link ModelCheckpoint} (100), so that the
 * history, the log file and a checkpoint see what the earlier callbacks did to the logs and their
 * own state for that epoch. Callbacks with state that matters for resuming (counters, best values)
 * save it with {@link #saveState} into
 * checkpoints, and {@link #loadState} restores it after {@link #onTrainBegin}.
 */
public interface Callback {
    /** The position at which {@link Trainer} records an epoch's logs in its {@link History}. */
    int HISTORY_ORDER = 50;

    /**
     * Called once before the first epoch.
     *
     * @param trainer the trainer
     */
    default void onTrainBegin(Trainer trainer) {}

    /**
     * Called once after the last epoch (also after a stop).
     *
     * @param trainer the trainer
     * @param logs the last epoch's logs (empty when no epoch ran)
     */
    default void onTrainEnd(Trainer trainer, Map<String, Double> logs) {}

    /**
     * Called before each epoch.
     *
     * @param trainer the trainer
     * @param epoch the epoch's index
     */
    default void onEpochBegin(Trainer trainer, int epoch) {}

    /**
     * Called after each epoch, validation included.
     *
     * @param trainer the trainer
     * @param epoch the epoch's index
     * @param logs the epoch's values (a callback may add entries, which later callbacks see)
     */
    default void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {}

    /**
     * Called before each training batch.
     *
     * @param trainer the trainer
     * @param batch the batch's index in the epoch
     */
    default void onBatchBegin(Trainer trainer, int batch) {}

    /**
     * Called after each training batch (after the optimizer step).
     *
     * @param trainer the trainer
     * @param batch the batch's index in the epoch
     * @param logs the batch's values
     */
    default void onBatchEnd(Trainer trainer, int batch, Map<String, Double> logs) {}

    /**
     * The position among the callbacks: lower runs first, equal keeps the given order.
     *
     * @return 0 by default; see the class documentation for the built-in callbacks
     */
    default int order() {
        return 0;
    }

    /**
     * Saves the state needed to resume exactly (counters, best values, tensors) into {@code out};
     * the trainer prefixes the keys with the callback's class name and rank among callbacks of
     * that class ({@code callbacks.EarlyStopping.0.wait}).
     *
     * @param out key to tensor (0-D FLOAT64 tensors for numbers)
     */
    default void saveState(Map<String, Tensor> out) {}

    /**
     * Restores the state saved by {@link #saveState}; called after {@link #onTrainBegin} when
     * resuming from a checkpoint.
     *
     * @param in key to tensor, as saved
     */
    default void loadState(Map<String, Tensor> in) {}
}
