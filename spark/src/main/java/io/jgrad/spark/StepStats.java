package io.jgrad.spark;

/**
 * Where the time of one training step went, and how many bytes it moved, as seen from the driver.
 *
 * @param epoch the epoch
 * @param batch the batch within the epoch
 * @param globalStep steps completed before this one, over the whole run
 * @param loss the batch loss
 * @param size the number of samples in the global batch
 * @param wallNanos the whole step on the driver, optimizer update included
 * @param computeNanos the slowest worker's forward and backward pass
 * @param exchangeNanos gradient exchange: publishing the weights (broadcast), the slowest worker's
 *     fetching and loading them, and summing the gradients on the driver
 * @param schedulingNanos the rest of the Spark job: task scheduling, launch and result delivery
 * @param bytesToWorkers the bytes of weights and buffers published once per step
 * @param bytesFromWorkers the gradient bytes returned by all workers together
 */
public record StepStats(
        int epoch,
        int batch,
        long globalStep,
        double loss,
        int size,
        long wallNanos,
        long computeNanos,
        long exchangeNanos,
        long schedulingNanos,
        long bytesToWorkers,
        long bytesFromWorkers) {}
