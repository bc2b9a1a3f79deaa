package io.jgrad.spark;

/**
 * How {@link SparkTrainer} sums the workers' gradients each step; both give the same weights, bit for
 * bit, and both are built from Spark's own primitives.
 */
public enum Exchange {
    /**
     * One Spark job per step: the driver publishes the weights as a broadcast, each task returns its
     * gradient, the driver sums them in worker order and makes the optimizer step. Lost tasks are
     * re-run within the step. The default.
     */
    BROADCAST,
    /**
     * One barrier stage per epoch: every task keeps its replica and its own optimizer for the whole
     * epoch, and each step the tasks exchange their gradients with
     * {@code BarrierTaskContext.allGather} (base-64 strings routed through the driver), sum them in
     * worker order and make the same optimizer step. Needs a task slot per worker at once; a lost
     * task restarts the whole epoch; optimizers that evaluate their closure more than once (L-BFGS,
     * Backstitch) are not supported; checkpoints and resuming need {@link #BROADCAST}.
     */
    BARRIER
}
