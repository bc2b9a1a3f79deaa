package io.jgrad.train;

import io.jgrad.layers.Pruning;
import java.util.Map;

/**
 * Gradual magnitude pruning during {@link Trainer#fit}: after every batch (optimizer step) it advances
 * a {@link Pruning.Scheduled} pruner, which prunes at the events of its Zhu and Gupta (2017) schedule;
 * at the end of every epoch it adds the model's overall weight sparsity to the logs as
 * {@code sparsity}. The masks themselves keep pruned weights at zero through the optimizer's steps.
 */
public final class PruningCallback implements Callback {
    private final Pruning.Scheduled pruner;

    /**
     * A callback driving a pruner.
     *
     * @param pruner the model's pruner
     */
    public PruningCallback(Pruning.Scheduled pruner) {
        if (pruner == null) {
            throw new IllegalArgumentException("PruningCallback: pruner is null");
        }
        this.pruner = pruner;
    }

    @Override
    public void onBatchEnd(Trainer trainer, int batch, Map<String, Double> logs) {
        pruner.step();
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {
        logs.put("sparsity", Pruning.globalSparsity(trainer.model()));
    }
}
