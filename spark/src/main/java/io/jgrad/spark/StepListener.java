package io.jgrad.spark;

/**
 * Called on the driver after every training step of {@link SparkTrainer#fit}, e.g. to log progress
 * or to record timings. An exception thrown here stops training (checkpoints written so far stay).
 */
@FunctionalInterface
public interface StepListener {
    /**
     * A step has finished.
     *
     * @param trainer the trainer
     * @param stats the step's numbers
     * @throws Exception to stop training
     */
    void onStep(SparkTrainer trainer, StepStats stats) throws Exception;
}
