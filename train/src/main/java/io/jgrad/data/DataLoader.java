package io.jgrad.data;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Iterates over a {@link Dataset} in mini-batches, like {@code torch.utils.data.DataLoader}.
 *
 * <pre>{@code
 * DataLoader loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(42).build();
 * for (int epoch = 0; epoch < 10; epoch++) {
 *     for (Batch b : loader) {          // b.input() is (64, 1, 28, 28), b.target() is (64)
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p><b>Order and randomness.</b> Each call of {@link #iterator()} starts an epoch: with shuffling
 * it draws a permutation of the samples from the loader's {@link #generator()}, otherwise it keeps
 * the dataset's order. It then draws one seed from the same generator for the epoch's transforms.
 * So the generator's state before an epoch fixes that epoch entirely, the same seed gives the same
 * batches, and {@link Generator#getState()} of {@link #generator()} is all a checkpoint needs.
 * Every sample appears exactly once per epoch; with {@code dropLast} the last, smaller batch is
 * skipped.
 *
 * <p><b>Background preparation.</b> With {@code prefetch > 0} (the default is 2) a daemon thread
 * gathers and transforms the next batches while the caller trains on the current one, keeping at
 * most {@code prefetch} finished batches in a bounded queue. An exception thrown there reaches the
 * caller from {@link Iterator#next()} as a {@link DataLoaderException} whose cause is the original.
 * The thread stops at the end of the epoch, when the epoch's iterator is closed, when a new epoch
 * starts, and on {@link #close()}. With {@code prefetch = 0} batches are made on the caller's thread;
 * both modes give identical batches.
 */
public final class DataLoader implements Iterable<Batch>, AutoCloseable {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final int prefetch;
    private final Generator generator;
    private final Transform allInputs;
    private final Map<Integer, Transform> inputTransforms;
    private final Transform targetTransform;
    private final BatchTransform batchTransform;
    private Epoch current;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.prefetch = b.prefetch;
        this.generator = b.generator != null ? b.generator : new Generator(b.seed);
        this.allInputs = b.allInputs;
        this.inputTransforms = Map.copyOf(b.inputTransforms);
        this.targetTransform = b.targetTransform;
        this.batchTransform = b.batchTransform;
    }

    /**
     * Starts building a loader over {@code dataset}.
     *
     * @param dataset the dataset
     * @return the builder (batch size 32, no shuffling, seed 0, keep the last batch, prefetch 2)
     */
    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    /**
     * The dataset.
     *
     * @return the dataset iterated over
     */
    public Dataset dataset() {
        return dataset;
    }

    /**
     * The batch size.
     *
     * @return the number of samples per batch (the last batch may be smaller unless dropLast)
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Whether each epoch shuffles.
     *
     * @return true when shuffling
     */
    public boolean shuffle() {
        return shuffle;
    }

    /**
     * Whether the last incomplete batch is dropped.
     *
     * @return true when dropping it
     */
    public boolean dropLast() {
        return dropLast;
    }

    /**
     * The generator of the shuffling and the transforms; save and restore its state to replay epochs.
     *
     * @return the loader's generator (not a copy)
     */
    public Generator generator() {
        return generator;
    }

    /**
     * The number of batches of one epoch.
     *
     * @return {@code floor(size / batchSize)} with dropLast, else {@code ceil(size / batchSize)}
     */
    public int numBatches() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * The number of samples of one epoch.
     *
     * @return the samples actually yielded per epoch
     */
    public int numSamples() {
        return dropLast ? numBatches() * batchSize : dataset.size();
    }

    /**
     * Starts an epoch. A still running previous epoch of this loader is closed first.
     *
     * @return an iterator over the epoch's batches; close it when leaving the loop early
     */
    @Override
    public synchronized Epoch iterator() {
        if (current != null) {
            current.close();
        }
        int n = dataset.size();
        int[] order = shuffle ? Tensor.randperm(generator, n).toIntArray() : identity(n);
        long transformSeed = generator.nextLong();
        current = new Epoch(order, transformSeed);
        return current;
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int k = 0; k < n; k++) {
            a[k] = k;
        }
        return a;
    }

    /** Stops the background thread of the running epoch, if any. */
    @Override
    public synchronized void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }

    /** Makes batch {@code k} of an epoch: gather, then the transforms. */
    private Batch makeBatch(int[] order, int k, Generator g) {
        int from = k * batchSize;
        int to = Math.min(order.length, from + batchSize);
        Batch b = dataset.getBatch(Arrays.copyOfRange(order, from, to));
        if (allInputs != null || !inputTransforms.isEmpty()) {
            List<Tensor> in = new ArrayList<>(b.inputs().size());
            for (int i = 0; i < b.inputs().size(); i++) {
                Tensor x = b.inputs().get(i);
                if (allInputs != null) {
                    x = allInputs.apply(x, g);
                }
                Transform t = inputTransforms.get(i);
                if (t != null) {
                    x = t.apply(x, g);
                }
                in.add(x);
            }
            b = b.withInputs(in);
        }
        if (targetTransform != null && b.target() != null) {
            b = b.withTarget(targetTransform.apply(b.target(), g));
        }
        if (batchTransform != null) {
            b = batchTransform.apply(b, g);
        }
        return b;
    }

    /**
     * One pass over the data: an iterator of batches that owns the background thread, if any.
     * Closing it (or exhausting it) stops that thread.
     */
    public final class Epoch implements Iterator<Batch>, AutoCloseable {
        private final int[] order;
        private final int total;
        private final Generator transforms;
        private final BlockingQueue<Object> queue;
        private final Thread worker;
        private volatile boolean closed;
        private int delivered;

        private Epoch(int[] order, long transformSeed) {
            this.order = order;
            this.total = numBatches();
            this.transforms = new Generator(transformSeed);
            if (prefetch > 0 && total > 0) {
                queue = new ArrayBlockingQueue<>(prefetch);
                worker = new Thread(this::produce, "jgrad-DataLoader");
                worker.setDaemon(true);
                worker.start();
            } else {
                queue = null;
                worker = null;
            }
        }

        private void produce() {
            try {
                for (int k = 0; k < total && !closed; k++) {
                    Object item;
                    try {
                        item = makeBatch(order, k, transforms);
                    } catch (Throwable e) {
                        item = new Failure(k, e);
                    }
                    queue.put(item);
                    if (item instanceof Failure) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // close() interrupts a producer blocked on a full queue: just stop
            }
        }

        @Override
        public boolean hasNext() {
            return !closed && delivered < total;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException("DataLoader: the epoch has " + total
                        + " batches and all were delivered" + (closed ? " or it was closed" : ""));
            }
            int k = delivered;
            Object item;
            if (queue == null) {
                try {
                    item = makeBatch(order, k, transforms);
                } catch (RuntimeException | Error e) {
                    item = new Failure(k, e);
                }
            } else {
                try {
                    item = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    throw new DataLoaderException("DataLoader: interrupted while waiting for batch " + k, e);
                }
            }
            if (item == CLOSED) {
                throw new NoSuchElementException("DataLoader: the epoch was closed while waiting for batch " + k);
            }
            if (item instanceof Failure f) {
                close();
                int from = f.batch * batchSize;
                throw new DataLoaderException(
                        "DataLoader: preparing batch " + f.batch + " of " + total + " (samples "
                                + from + ".." + (Math.min(order.length, from + batchSize) - 1)
                                + " of the epoch's order) failed: "
                                + f.error,
                        f.error);
            }
            delivered++;
            if (delivered == total) {
                close();
            }
            return (Batch) item;
        }

        /**
         * The number of batches of this epoch not yet delivered.
         *
         * @return the remaining count
         */
        public int remaining() {
            return closed ? 0 : total - delivered;
        }

        /** Stops the background thread and waits for it to end; further {@code next} calls fail. */
        @Override
        public void close() {
            closed = true;
            if (worker != null && worker != Thread.currentThread()) {
                worker.interrupt();
                boolean interrupted = false;
                while (worker.isAlive()) {
                    try {
                        worker.join();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                // wakes a consumer blocked in next() when another thread closed the epoch
                queue.offer(CLOSED);
            }
        }
    }

    private record Failure(int batch, Throwable error) {}

    /** Put in the queue by close(), so that a waiting next() returns. */
    private static final Object CLOSED = new Object();

    /** Options of a {@link DataLoader}. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = 32;
        private boolean shuffle;
        private boolean dropLast;
        private int prefetch = 2;
        private long seed = io.jgrad.core.Jgrad.defaultSeed(3);
        private Generator generator;
        private Transform allInputs;
        private final Map<Integer, Transform> inputTransforms = new HashMap<>();
        private Transform targetTransform;
        private BatchTransform batchTransform;

        private Builder(Dataset dataset) {
            if (dataset == null) {
                throw new IllegalArgumentException("DataLoader: dataset is null");
            }
            this.dataset = dataset;
        }

        /**
         * The number of samples per batch.
         *
         * @param n positive
         * @return this builder
         */
        public Builder batchSize(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("DataLoader: batchSize must be positive, got " + n);
            }
            this.batchSize = n;
            return this;
        }

        /**
         * Whether each epoch visits the samples in a new random order.
         *
         * @param on true to shuffle
         * @return this builder
         */
        public Builder shuffle(boolean on) {
            this.shuffle = on;
            return this;
        }

        /**
         * Whether to skip the last batch when it is smaller than the batch size.
         *
         * @param on true to drop it
         * @return this builder
         */
        public Builder dropLast(boolean on) {
            this.dropLast = on;
            return this;
        }

        /**
         * The number of batches prepared ahead on a background thread; 0 prepares them on the
         * caller's thread.
         *
         * @param batches 0 or more (the queue bound)
         * @return this builder
         */
        public Builder prefetch(int batches) {
            if (batches < 0) {
                throw new IllegalArgumentException("DataLoader: prefetch must be >= 0, got " + batches);
            }
            this.prefetch = batches;
            return this;
        }

        /**
         * The seed of a new generator for shuffling and transforms (default 0, or one derived from
         * {@link io.jgrad.core.Jgrad#manualSeed}).
         *
         * @param s the seed
         * @return this builder
         */
        public Builder seed(long s) {
            this.seed = s;
            this.generator = null;
            return this;
        }

        /**
         * Uses the given generator (not copied) for shuffling and transforms.
         *
         * @param g the generator
         * @return this builder
         */
        public Builder generator(Generator g) {
            this.generator = g;
            return this;
        }

        /**
         * A transform applied to every input tensor of each batch.
         *
         * @param t the transform
         * @return this builder
         */
        public Builder inputTransform(Transform t) {
            this.allInputs = t;
            return this;
        }

        /**
         * A transform applied to input {@code index} of each batch (after the one for all inputs).
         *
         * @param index the input's position
         * @param t the transform
         * @return this builder
         */
        public Builder inputTransform(int index, Transform t) {
            if (index < 0) {
                throw new IllegalArgumentException("DataLoader: input index must be >= 0, got " + index);
            }
            inputTransforms.put(index, t);
            return this;
        }

        /**
         * A transform applied to the target of each batch (e.g. {@link OneHot}).
         *
         * @param t the transform
         * @return this builder
         */
        public Builder targetTransform(Transform t) {
            this.targetTransform = t;
            return this;
        }

        /**
         * A transform of the whole batch, applied last.
         *
         * @param t the transform
         * @return this builder
         */
        public Builder batchTransform(BatchTransform t) {
            this.batchTransform = t;
            return this;
        }

        /**
         * Builds the loader.
         *
         * @return the loader
         */
        public DataLoader build() {
            return new DataLoader(this);
        }
    }
}
