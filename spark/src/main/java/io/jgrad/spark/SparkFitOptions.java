package io.jgrad.spark;

import io.jgrad.data.Dataset;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of {@link SparkTrainer#fit}: those of {@link io.jgrad.train.FitOptions} that make sense
 * on a cluster (with the same defaults, so that equal options give equal batches), plus the number of
 * workers and checkpointing.
 */
public final class SparkFitOptions {
    int epochs = 1;
    int batchSize = 32;
    int workers = 2;
    boolean shuffle = true;
    long seed = io.jgrad.core.Jgrad.defaultSeed(2);
    boolean dropLast;
    Dataset validationData;
    SparkData sparkValidation;
    int validationBatchSize;
    double clipGradNorm;
    String checkpointDir;
    int checkpointEvery;
    int keepCheckpoints = 2;
    String resumeFrom;
    final List<StepListener> listeners = new ArrayList<>();
    boolean verbose;
    Exchange exchange = Exchange.BROADCAST;

    /** Default options: 1 epoch, global batch 32, 2 workers, shuffled, no validation, no checkpoints. */
    public SparkFitOptions() {}

    /**
     * The number of epochs.
     *
     * @param n at least 1
     * @return these options
     */
    public SparkFitOptions epochs(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("SparkFitOptions: epochs must be >= 1, got " + n);
        }
        epochs = n;
        return this;
    }

    /**
     * The global batch size: the samples of one step over all workers together, as the batch size
     * of single-machine training.
     *
     * @param n at least 1
     * @return these options
     */
    public SparkFitOptions batchSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("SparkFitOptions: batchSize must be >= 1, got " + n);
        }
        batchSize = n;
        return this;
    }

    /**
     * The number of workers: the data is split into this many shards, and each step runs one Spark
     * task per shard. More workers than executor cores is allowed (tasks then queue).
     *
     * @param n at least 1
     * @return these options
     */
    public SparkFitOptions workers(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("SparkFitOptions: workers must be >= 1, got " + n);
        }
        workers = n;
        return this;
    }

    /**
     * Whether each epoch visits the samples in a new random order (drawn from {@link #seed}).
     *
     * @param on true to shuffle (the default)
     * @return these options
     */
    public SparkFitOptions shuffle(boolean on) {
        shuffle = on;
        return this;
    }

    /**
     * The seed of the shuffling, the same as {@link io.jgrad.train.FitOptions#seed}.
     *
     * @param s the seed
     * @return these options
     */
    public SparkFitOptions seed(long s) {
        seed = s;
        return this;
    }

    /**
     * Whether the last, smaller batch of an epoch is skipped.
     *
     * @param on true to drop it
     * @return these options
     */
    public SparkFitOptions dropLast(boolean on) {
        dropLast = on;
        return this;
    }

    /**
     * Data evaluated on the driver after each epoch ({@code val_loss} and {@code val_} metrics).
     *
     * @param data a local dataset with targets
     * @return these options
     */
    public SparkFitOptions validationData(Dataset data) {
        validationData = data;
        sparkValidation = null;
        return this;
    }

    /**
     * Data held by Spark evaluated by the executors after each epoch ({@code val_loss} and {@code val_}
     * metrics, as {@link SparkTrainer#evaluate(org.apache.spark.api.java.JavaSparkContext, SparkData, int)}),
     * cached for the whole fit, one task per partition.
     *
     * @param data validation data with targets
     * @return these options
     */
    public SparkFitOptions validationData(SparkData data) {
        sparkValidation = data;
        validationData = null;
        return this;
    }

    /**
     * The batch size of validation (default: the training batch size).
     *
     * @param n at least 1
     * @return these options
     */
    public SparkFitOptions validationBatchSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("SparkFitOptions: validationBatchSize must be >= 1, got " + n);
        }
        validationBatchSize = n;
        return this;
    }

    /**
     * Clips the summed gradient to this global L2 norm before each update (0: off), as
     * {@link io.jgrad.train.FitOptions#clipGradNorm}.
     *
     * @param maxNorm finite and {@code >= 0}
     * @return these options
     */
    public SparkFitOptions clipGradNorm(double maxNorm) {
        if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("SparkFitOptions: clipGradNorm must be finite and >= 0, got " + maxNorm);
        }
        clipGradNorm = maxNorm;
        return this;
    }

    /**
     * Writes a checkpoint every {@code everySteps} steps into a directory that Hadoop's
     * {@code FileSystem} can write ({@code file:///...}, {@code hdfs://...}, {@code s3a://...}; a path
     * without a scheme uses the cluster's default file system).
     *
     * @param dir the directory (created when missing)
     * @param everySteps at least 1
     * @return these options
     */
    public SparkFitOptions checkpoints(String dir, int everySteps) {
        if (dir == null || dir.isEmpty()) {
            throw new IllegalArgumentException("SparkFitOptions: the checkpoint directory must not be empty");
        }
        if (everySteps < 1) {
            throw new IllegalArgumentException(
                    "SparkFitOptions: checkpoints every " + everySteps + " steps; need >= 1");
        }
        checkpointDir = dir;
        checkpointEvery = everySteps;
        return this;
    }

    /**
     * How many of the newest checkpoints are kept (older ones are deleted).
     *
     * @param n at least 1 (default 2)
     * @return these options
     */
    public SparkFitOptions keepCheckpoints(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("SparkFitOptions: keepCheckpoints must be >= 1, got " + n);
        }
        keepCheckpoints = n;
        return this;
    }

    /**
     * Continues from a checkpoint: a checkpoint file, or a checkpoint directory whose newest
     * checkpoint is taken. A missing or corrupt checkpoint is an error (training does not silently
     * start over).
     *
     * @param path the file or directory
     * @return these options
     */
    public SparkFitOptions resumeFrom(String path) {
        resumeFrom = path;
        return this;
    }

    /**
     * Adds listeners called after every step.
     *
     * @param ls the listeners
     * @return these options
     */
    public SparkFitOptions listeners(StepListener... ls) {
        listeners.addAll(List.of(ls));
        return this;
    }

    /**
     * How the workers' gradients are summed each step (the weights are the same either way).
     *
     * @param e {@link Exchange#BROADCAST} (the default) or {@link Exchange#BARRIER}
     * @return these options
     */
    public SparkFitOptions exchange(Exchange e) {
        if (e == null) {
            throw new IllegalArgumentException("SparkFitOptions: exchange must not be null");
        }
        exchange = e;
        return this;
    }

    /**
     * Whether a line is printed after each epoch.
     *
     * @param on true to print
     * @return these options
     */
    public SparkFitOptions verbose(boolean on) {
        verbose = on;
        return this;
    }
}
