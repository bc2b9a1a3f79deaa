package io.jgrad.train;

import io.jgrad.data.DataLoader;
import io.jgrad.data.Dataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The settings of one {@link Trainer#fit} call, Keras's {@code fit} arguments:
 *
 * <pre>{@code
 * History h = trainer.fit(train, new FitOptions()
 *         .epochs(20).batchSize(64).seed(1)
 *         .validationSplit(0.1)
 *         .callbacks(new EarlyStopping("val_loss").patience(3).restoreBestWeights(true)));
 * }</pre>
 *
 * <p>Defaults: 1 epoch, batches of 32 shuffled with seed 0 (or one derived from {@link io.jgrad.core.Jgrad#manualSeed}), the last smaller batch kept, 2 batches
 * prepared ahead, no validation, no class weights, a {@link ProgressBar} on standard output.
 */
public final class FitOptions {
    int epochs = 1;
    int batchSize = 32;
    boolean shuffle = true;
    long seed = io.jgrad.core.Jgrad.defaultSeed(2);
    boolean dropLast;
    int prefetch = 2;
    Dataset validationData;
    DataLoader validationLoader;
    double validationSplit;
    int validationBatchSize;
    final List<Callback> callbacks = new ArrayList<>();
    double[] classWeights;
    Path resumeFrom;
    boolean verbose = true;
    double clipGradNorm;

    /** Options with the defaults. */
    public FitOptions() {}

    /**
     * The epoch to stop before (Keras's {@code epochs}): training runs epochs {@code 0 .. n-1}, or
     * from the checkpoint's epoch to {@code n-1} when resuming.
     *
     * @param n at least 1
     * @return these options
     */
    public FitOptions epochs(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FitOptions: epochs must be >= 1, got " + n);
        }
        epochs = n;
        return this;
    }

    /**
     * Samples per training batch (and per validation batch unless set apart).
     *
     * @param n at least 1
     * @return these options
     */
    public FitOptions batchSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FitOptions: batchSize must be >= 1, got " + n);
        }
        batchSize = n;
        return this;
    }

    /**
     * Whether the training data is shuffled each epoch (default true).
     *
     * @param on true to shuffle
     * @return these options
     */
    public FitOptions shuffle(boolean on) {
        shuffle = on;
        return this;
    }

    /**
     * The seed of the training loader's generator (the order of the batches).
     *
     * @param s the seed
     * @return these options
     */
    public FitOptions seed(long s) {
        seed = s;
        return this;
    }

    /**
     * Whether the last, smaller training batch is skipped.
     *
     * @param on true to drop it
     * @return these options
     */
    public FitOptions dropLast(boolean on) {
        dropLast = on;
        return this;
    }

    /**
     * Batches prepared ahead on a background thread (0: on the training thread).
     *
     * @param n 0 or more
     * @return these options
     */
    public FitOptions prefetch(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("FitOptions: prefetch must be >= 0, got " + n);
        }
        prefetch = n;
        return this;
    }

    /**
     * Validation data, evaluated after each epoch.
     *
     * @param data the validation set
     * @return these options
     */
    public FitOptions validationData(Dataset data) {
        validationData = data;
        validationLoader = null;
        return this;
    }

    /**
     * A validation loader (e.g. with its own transforms), evaluated after each epoch.
     *
     * @param loader the validation loader
     * @return these options
     */
    public FitOptions validationData(DataLoader loader) {
        validationLoader = loader;
        validationData = null;
        return this;
    }

    /**
     * Holds out the last {@code fraction} of the training data (before shuffling) for validation,
     * as Keras's {@code validation_split}. Only for training data given as a {@link Dataset}.
     *
     * @param fraction in {@code [0, 1)}
     * @return these options
     */
    public FitOptions validationSplit(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("FitOptions: validationSplit must be in [0, 1), got " + fraction);
        }
        validationSplit = fraction;
        return this;
    }

    /**
     * Samples per validation batch (default: the training batch size).
     *
     * @param n at least 1
     * @return these options
     */
    public FitOptions validationBatchSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FitOptions: validationBatchSize must be >= 1, got " + n);
        }
        validationBatchSize = n;
        return this;
    }

    /**
     * Adds callbacks.
     *
     * @param cbs the callbacks
     * @return these options
     */
    public FitOptions callbacks(Callback... cbs) {
        callbacks.addAll(Arrays.asList(cbs));
        return this;
    }

    /**
     * Weights of the training loss per class (Keras's {@code class_weight}): each sample's loss is
     * multiplied by the weight of its target class (and by its sample weight, if any). Needs a loss
     * that returns per-sample values.
     *
     * @param weights one non-negative weight per class
     * @return these options
     */
    public FitOptions classWeights(double... weights) {
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException(
                        "FitOptions: class weights must be finite and >= 0, got " + Arrays.toString(weights));
            }
        }
        classWeights = weights.clone();
        return this;
    }

    /**
     * Resumes from a checkpoint written by {@link Trainer#saveCheckpoint} (or {@link ModelCheckpoint}):
     * model, optimizer, history, random states and callback states are restored and training goes
     * on from the epoch after the checkpoint's, exactly as the interrupted run would have.
     *
     * @param checkpoint the checkpoint file
     * @return these options
     */
    public FitOptions resumeFrom(Path checkpoint) {
        resumeFrom = checkpoint;
        return this;
    }

    /**
     * Clips the gradients of each step to a total L2 norm of at most {@code maxNorm}
     * ({@link io.jgrad.optim.ClipGrad#clipGradNorm}) before the optimizer uses them.
     *
     * @param maxNorm positive, or 0 for no clipping (the default)
     * @return these options
     */
    public FitOptions clipGradNorm(double maxNorm) {
        if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("FitOptions: clipGradNorm must be finite and >= 0, got " + maxNorm);
        }
        clipGradNorm = maxNorm;
        return this;
    }

    /**
     * Whether to add a {@link ProgressBar} on standard output (default true; one is never added
     * when the callbacks already hold one).
     *
     * @param on true for progress output
     * @return these options
     */
    public FitOptions verbose(boolean on) {
        verbose = on;
        return this;
    }
}
