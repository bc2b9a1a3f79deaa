package io.jgrad.train;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.data.Batch;
import io.jgrad.data.DataLoader;
import io.jgrad.data.Dataset;
import io.jgrad.data.Datasets;
import io.jgrad.data.Subset;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.Loss;
import io.jgrad.layers.Model;
import io.jgrad.layers.Module;
import io.jgrad.optim.ClipGrad;
import io.jgrad.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Keras-style training loop: {@link #fit}, {@link #evaluate} and {@link #predict} for a model, a
 * loss and an optimizer.
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(model, new CrossEntropyLoss(), new Adam(model.parameters()))
 *         .metrics(Metric.accuracy())
 *         .build();
 * History h = trainer.fit(train, new FitOptions().epochs(10).batchSize(64).validationSplit(0.1)
 *         .callbacks(new EarlyStopping("val_loss").patience(2)));
 * Map<String, Double> test = trainer.evaluate(testSet, 256);   // {loss=..., accuracy=...}
 * Tensor logits = trainer.predict(testSet, 256);                // (N, 10)
 * }</pre>
 *
 * <p><b>One training step</b> runs {@link Optimizer#step(Optimizer.Closure)} with a closure that
 * clears the gradients, runs the model on the batch's inputs (several inputs go to
 * {@code forward(Variable...)}), computes the loss, and back-propagates; the model is in training
 * mode during the epoch and in evaluation mode (without gradients) during validation, evaluation
 * and prediction.
 *
 * <p><b>Loss and weights.</b> A loss returning one value is used as it is. A loss returning
 * per-sample or per-element values (reduction {@code NONE}) is averaged per sample; then, when the
 * batch has sample weights or {@link FitOptions#classWeights} are given, each sample's loss is
 * multiplied by its weight, and the batch loss is {@code sum(w * loss) / N} (Keras's convention).
 * Weights need such a per-sample loss. Class weights apply to training only, sample weights to
 * validation too.
 *
 * <p><b>Reported values.</b> The epoch's {@code loss} is the mean of the batch losses weighted by
 * batch size, computed while the weights change (as Keras); metrics accumulate over the epoch's
 * batches. Validation values are computed after the epoch with the final weights.
 *
 * <p><b>Models with several outputs.</b> A functional {@link Model} with several outputs is trained
 * with one loss per output, named by the model's {@link Model#outputNames()}, each with a weight,
 * and metrics per output (Keras's {@code loss={...}, loss_weights={...}, metrics={...}}):
 *
 * <pre>{@code
 * Trainer trainer = Trainer.builder(model, new Adam(model.parameters()))
 *         .loss("kind", new CrossEntropyLoss())          // weight 1
 *         .loss("score", new MSELoss(), 0.5)             // weight 0.5
 *         .metrics("kind", Metric.accuracy())
 *         .build();
 * trainer.fit(TensorDataset.of(List.of(left, right), List.of(kinds, scores), null), options);
 * }</pre>
 *
 * <p>The data has one target per model output, in output order ({@link Batch#targets()}, e.g. from
 * {@link TensorDataset#of}). The minimized loss is {@code sum(weight_k * loss_k)}; an output of weight
 * 0 is reported but not trained (its loss adds no gradient), and an output without a loss is ignored
 * (its target too). Each output's loss is computed as a single loss is, sample weights included (class
 * weights need a single output). The logs have the total {@code loss}, each {@code <output>_loss}
 * (unweighted) and each metric as {@code <output>_<metric>}, e.g. {@code kind_accuracy}, with
 * {@code val_} before them for the validation data.
 *
 * <p><b>Reproducibility.</b> The trainer's generator (seeded by {@link Builder#seed}) is handed to
 * the model ({@link Module#setGenerator}) for dropout; the training loader has its own, seeded by
 * {@link FitOptions#seed}. Checkpoints keep both states, so {@link FitOptions#resumeFrom} continues
 * exactly as an uninterrupted run: same batches, same dropout masks, same losses and weights.
 */
public final class Trainer {
    private final Module model;
    private final LossFunction loss;
    private final Optimizer optimizer;
    private final List<Metric> metrics;
    // one loss per model output, or null for the single loss
    private final List<Head> heads;
    private final Generator generator;

    // state of the running fit, read by callbacks
    private volatile boolean stopRequested;
    private History history = new History();
    private int epochs;
    private int epoch = -1;
    private int numBatches;
    private DataLoader trainLoader;
    private DataLoader validationLoader;
    private List<Callback> callbacks = List.of();
    private boolean fitting;

    private Trainer(Builder b) {
        this.model = b.model;
        this.loss = b.loss;
        this.optimizer = b.optimizer;
        this.heads = b.loss == null ? heads(b) : null;
        if (heads == null) {
            this.metrics = List.copyOf(b.metrics);
        } else {
            List<Metric> all = new ArrayList<>();
            for (Head h : heads) {
                all.addAll(h.metrics());
            }
            this.metrics = List.copyOf(all);
        }
        this.generator = new Generator(b.seed);
        for (Metric m : metrics) {
            if (m.name().equals("loss") || m.name().equals("lr") || m.name().startsWith("val_")) {
                throw new IllegalArgumentException("Trainer: metric name '" + m.name() + "' is reserved");
            }
        }
        if (heads == null && model instanceof Model && ((Model) model).numOutputs() > 1) {
            throw new IllegalArgumentException("Trainer: the model has " + ((Model) model).numOutputs() + " outputs "
                    + ((Model) model).outputNames()
                    + "; give one loss per output with Trainer.builder(model, optimizer)"
                    + ".loss(output, loss)");
        }
    }

    /** A model output with its loss, loss weight and metrics. */
    private record Head(String name, int index, LossFunction loss, double weight, List<Metric> metrics) {}

    private static List<Head> heads(Builder b) {
        if (!(b.model instanceof Model)) {
            throw new IllegalArgumentException("Trainer: losses per output need a functional Model, got a "
                    + b.model.typeName() + "; give one loss to Trainer.builder(model, loss, optimizer)");
        }
        Model m = (Model) b.model;
        if (b.outputLosses.isEmpty()) {
            throw new IllegalArgumentException(
                    "Trainer: no loss given; name one per output with loss(output, loss), outputs: " + m.outputNames());
        }
        if (!b.metrics.isEmpty()) {
            throw new IllegalArgumentException("Trainer: with losses per output, give metrics per output with"
                    + " metrics(output, metric...), outputs: " + m.outputNames());
        }
        for (String name : b.outputMetrics.keySet()) {
            if (!b.outputLosses.containsKey(name)) {
                throw new IllegalArgumentException(
                        "Trainer: metrics are given for output '" + name + "', which has no loss"
                                + (m.outputNames().contains(name) ? "" : " (outputs: " + m.outputNames() + ")"));
            }
        }
        List<Head> out = new ArrayList<>();
        Set<Metric> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        boolean anyWeight = false;
        for (Map.Entry<String, Map.Entry<LossFunction, Double>> e : b.outputLosses.entrySet()) {
            String name = e.getKey();
            int index = m.outputNames().indexOf(name);
            if (index < 0) {
                throw new IllegalArgumentException(
                        "Trainer: the model has no output named '" + name + "'; outputs: " + m.outputNames());
            }
            List<Metric> ms = new ArrayList<>();
            for (Metric metric : b.outputMetrics.getOrDefault(name, List.of())) {
                if (!seen.add(metric)) {
                    throw new IllegalArgumentException("Trainer: the metric object '" + metric.name()
                            + "' is given twice; make one" + " per output");
                }
                ms.add(new OutputMetric(name, metric));
            }
            double w = e.getValue().getValue();
            anyWeight |= w > 0;
            out.add(new Head(name, index, e.getValue().getKey(), w, List.copyOf(ms)));
        }
        if (!anyWeight) {
            throw new IllegalArgumentException("Trainer: every loss weight is 0; nothing would be trained");
        }
        Set<String> keys = new java.util.HashSet<>();
        for (Head h : out) {
            keys.add(h.name() + "_loss");
        }
        for (Head h : out) {
            for (Metric metric : h.metrics()) {
                if (!keys.add(metric.name())) {
                    throw new IllegalArgumentException(
                            "Trainer: the log key '" + metric.name() + "' would be used twice");
                }
            }
        }
        return List.copyOf(out);
    }

    /** A metric of one output, reported as {@code <output>_<metric>}. */
    private static final class OutputMetric implements Metric {
        private final String name;
        private final Metric metric;

        OutputMetric(String output, Metric metric) {
            this.name = output + "_" + metric.name();
            this.metric = metric;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void reset() {
            metric.reset();
        }

        @Override
        public void update(Tensor output, Tensor target) {
            metric.update(output, target);
        }

        @Override
        public double result() {
            return metric.result();
        }

        @Override
        public boolean higherIsBetter() {
            return metric.higherIsBetter();
        }
    }

    /**
     * Starts building a trainer.
     *
     * @param model the model
     * @param loss the loss
     * @param optimizer the optimizer over the model's parameters
     * @return the builder
     */
    public static Builder builder(Module model, LossFunction loss, Optimizer optimizer) {
        return new Builder(model, loss, optimizer);
    }

    /**
     * Starts building a trainer with a loss module.
     *
     * @param model the model
     * @param loss e.g. {@code new CrossEntropyLoss()}
     * @param optimizer the optimizer over the model's parameters
     * @return the builder
     */
    public static Builder builder(Module model, Loss loss, Optimizer optimizer) {
        return new Builder(model, LossFunction.of(loss), optimizer);
    }

    /**
     * Trains in one call, Keras's {@code model.fit}.
     *
     * @param model the model
     * @param loss the loss
     * @param optimizer the optimizer
     * @param train the training data
     * @param options epochs, batch size, validation, callbacks, ...
     * @param metrics metrics reported per epoch
     * @return the history
     * @throws IOException when a callback or checkpoint fails to write or read a file
     */
    public static History fit(
            Module model, Loss loss, Optimizer optimizer, Dataset train, FitOptions options, Metric... metrics)
            throws IOException {
        return builder(model, loss, optimizer).metrics(metrics).build().fit(train, options);
    }

    /**
     * Starts building a trainer for a functional {@link Model} with a loss per output, given with
     * {@link Builder#loss(String, Loss)} and its variants.
     *
     * @param model the model
     * @param optimizer the optimizer over the model's parameters
     * @return the builder
     */
    public static Builder builder(Module model, Optimizer optimizer) {
        return new Builder(model, optimizer);
    }

    /** Settings of a {@link Trainer}. */
    public static final class Builder {
        private final Module model;
        private final LossFunction loss;
        private final Optimizer optimizer;
        private final List<Metric> metrics = new ArrayList<>();
        private final Map<String, Map.Entry<LossFunction, Double>> outputLosses = new LinkedHashMap<>();
        private final Map<String, List<Metric>> outputMetrics = new LinkedHashMap<>();
        private long seed = io.jgrad.core.Jgrad.defaultSeed(1);

        private Builder(Module model, Optimizer optimizer) {
            if (model == null || optimizer == null) {
                throw new IllegalArgumentException("Trainer: model and optimizer must not be null (got model=" + model
                        + ", optimizer=" + optimizer + ")");
            }
            this.model = model;
            this.loss = null;
            this.optimizer = optimizer;
        }

        private Builder(Module model, LossFunction loss, Optimizer optimizer) {
            if (model == null || loss == null || optimizer == null) {
                throw new IllegalArgumentException("Trainer: model, loss and optimizer must not be null (got model="
                        + model + ", loss=" + loss + ", optimizer=" + optimizer + ")");
            }
            this.model = model;
            this.loss = loss;
            this.optimizer = optimizer;
        }

        /**
         * Metrics reported per epoch (and by {@link #evaluate}).
         *
         * @param ms the metrics
         * @return this builder
         */
        public Builder metrics(Metric... ms) {
            metrics.addAll(Arrays.asList(ms));
            return this;
        }

        /**
         * The loss of one output of a multi-output model, with weight 1 (only for a builder from
         * {@link Trainer#builder(Module, Optimizer)}).
         *
         * @param output the output's name, one of {@link Model#outputNames()}
         * @param l the loss, e.g. {@code new CrossEntropyLoss()}
         * @return this builder
         */
        public Builder loss(String output, Loss l) {
            return loss(output, l, 1.0);
        }

        /**
         * The loss of one output and its weight in the total loss.
         *
         * @param output the output's name
         * @param l the loss
         * @param weight its weight (0 reports the loss without training on it)
         * @return this builder
         */
        public Builder loss(String output, Loss l, double weight) {
            if (l == null) {
                throw new IllegalArgumentException("Trainer.loss: the loss of output '" + output + "' is null");
            }
            return loss(output, LossFunction.of(l), weight);
        }

        /**
         * The loss function of one output and its weight in the total loss.
         *
         * @param output the output's name
         * @param l the loss function
         * @param weight its weight, finite and at least 0
         * @return this builder
         */
        public Builder loss(String output, LossFunction l, double weight) {
            if (loss != null) {
                throw new IllegalArgumentException(
                        "Trainer.loss: this builder already has one loss for the whole model; start"
                                + " from Trainer.builder(model, optimizer) to give a loss per output");
            }
            if (output == null || l == null) {
                throw new IllegalArgumentException(
                        "Trainer.loss: output name and loss must not be null (got " + output + ", " + l + ")");
            }
            if (!(weight >= 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("Trainer.loss: the weight of output '" + output
                        + "' must be finite and >= 0," + " got " + weight);
            }
            if (outputLosses.containsKey(output)) {
                throw new IllegalArgumentException("Trainer.loss: output '" + output + "' already has a loss");
            }
            outputLosses.put(output, Map.entry(l, weight));
            return this;
        }

        /**
         * Metrics of one output of a multi-output model, reported as {@code <output>_<metric>}.
         *
         * @param output the output's name (it must have a loss)
         * @param ms the metrics (one object per output: metrics keep state)
         * @return this builder
         */
        public Builder metrics(String output, Metric... ms) {
            if (output == null) {
                throw new IllegalArgumentException("Trainer.metrics: output name is null");
            }
            outputMetrics.computeIfAbsent(output, k -> new ArrayList<>()).addAll(Arrays.asList(ms));
            return this;
        }

        /**
         * The seed of the trainer's generator, used by the model's random layers (dropout).
         *
         * @param s the seed (default 0, or one derived from {@link io.jgrad.core.Jgrad#manualSeed})
         * @return this builder
         */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /**
         * Builds the trainer.
         *
         * @return the trainer
         */
        public Trainer build() {
            return new Trainer(this);
        }
    }

    // ------------------------------------------------------------------------------------------ accessors

    /**
     * The model.
     *
     * @return the model being trained
     */
    public Module model() {
        return model;
    }

    /**
     * The optimizer.
     *
     * @return the optimizer
     */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * The metrics.
     *
     * @return the metrics, in order
     */
    public List<Metric> metrics() {
        return metrics;
    }

    /**
     * The trainer's generator (dropout masks); its state is saved in checkpoints.
     *
     * @return the generator (not a copy)
     */
    public Generator generator() {
        return generator;
    }

    /**
     * The history of the current (or last) fit.
     *
     * @return the history
     */
    public History history() {
        return history;
    }

    /** Asks training to stop after the current epoch (or, from a batch callback, after the current batch). */
    public void stopTraining() {
        stopRequested = true;
    }

    /**
     * Whether a stop was requested.
     *
     * @return true after {@link #stopTraining()} in the current fit
     */
    public boolean stopRequested() {
        return stopRequested;
    }

    /**
     * The number of epochs of the current fit.
     *
     * @return the {@code epochs} option
     */
    public int epochs() {
        return epochs;
    }

    /**
     * The current epoch.
     *
     * @return its index, -1 before the first
     */
    public int epoch() {
        return epoch;
    }

    /**
     * The number of training batches per epoch of the current fit.
     *
     * @return the batch count
     */
    public int numBatches() {
        return numBatches;
    }

    /**
     * The training loader of the current fit.
     *
     * @return the loader, or null outside fit
     */
    public DataLoader trainLoader() {
        return trainLoader;
    }

    /**
     * The validation loader of the current fit.
     *
     * @return the loader, or null without validation
     */
    public DataLoader validationLoader() {
        return validationLoader;
    }

    /**
     * Whether larger values of a log entry are better: metrics say so themselves, losses and
     * learning rates are better low. Callbacks in "auto" mode use it.
     *
     * @param key e.g. {@code "val_accuracy"}
     * @return true when higher is better
     */
    public boolean higherIsBetter(String key) {
        String k = key.startsWith("val_") ? key.substring(4) : key;
        for (Metric m : metrics) {
            if (m.name().equals(k)) {
                return m.higherIsBetter();
            }
        }
        if (heads != null) {
            for (Head h : heads) {
                if (k.equals(h.name() + "_loss")) {
                    return false;
                }
            }
        }
        if (k.equals("loss") || k.equals("lr")) {
            return false;
        }
        // an unknown key: Keras's rule of thumb
        return k.contains("acc")
                || k.contains("auc")
                || k.startsWith("f1")
                || k.startsWith("precision")
                || k.startsWith("recall")
                || k.equals("r2");
    }

    // ------------------------------------------------------------------------------------------ fit

    /**
     * Trains on a dataset.
     *
     * @param train the training data (with targets)
     * @param options epochs, batch size, validation, callbacks, ...
     * @return the history (also {@link #history()})
     * @throws IOException when a callback or checkpoint fails to write or read a file
     */
    public History fit(Dataset train, FitOptions options) throws IOException {
        Dataset trainPart = train;
        Dataset valPart = options.validationData;
        if (options.validationSplit > 0) {
            if (valPart != null || options.validationLoader != null) {
                throw new IllegalArgumentException("fit: give either validation data or a validation split, not both");
            }
            List<Subset> parts = Datasets.tailSplit(train, options.validationSplit);
            trainPart = parts.get(0);
            valPart = parts.get(1);
            if (valPart.size() == 0 || trainPart.size() == 0) {
                throw new IllegalArgumentException(
                        "fit: validationSplit " + options.validationSplit + " of " + train.size() + " samples leaves "
                                + trainPart.size() + " for training and " + valPart.size() + " for validation");
            }
        }
        DataLoader loader = DataLoader.builder(trainPart)
                .batchSize(options.batchSize)
                .shuffle(options.shuffle)
                .seed(options.seed)
                .dropLast(options.dropLast)
                .prefetch(options.prefetch)
                .build();
        DataLoader val = options.validationLoader;
        if (valPart != null) {
            val = DataLoader.builder(valPart)
                    .batchSize(validationBatch(options))
                    .prefetch(options.prefetch)
                    .build();
        }
        try {
            return run(loader, val, options);
        } finally {
            loader.close();
            if (val != null && val != options.validationLoader) {
                val.close();
            }
        }
    }

    /**
     * Trains on batches from a loader (with its own batch size, shuffling and transforms: the batch
     * options of {@code options} are ignored).
     *
     * @param train the training loader
     * @param options epochs, validation (no split), callbacks, ...
     * @return the history
     * @throws IOException when a callback or checkpoint fails to write or read a file
     */
    public History fit(DataLoader train, FitOptions options) throws IOException {
        if (options.validationSplit > 0) {
            throw new IllegalArgumentException(
                    "fit: validationSplit needs the training data as a Dataset; with a DataLoader"
                            + " give validation data instead");
        }
        DataLoader val = options.validationLoader;
        if (options.validationData != null) {
            val = DataLoader.builder(options.validationData)
                    .batchSize(validationBatch(options))
                    .prefetch(options.prefetch)
                    .build();
        }
        try {
            return run(train, val, options);
        } finally {
            train.close();
            if (val != null && val != options.validationLoader) {
                val.close();
            }
        }
    }

    private static int validationBatch(FitOptions o) {
        return o.validationBatchSize > 0 ? o.validationBatchSize : o.batchSize;
    }

    private History run(DataLoader train, DataLoader val, FitOptions options) throws IOException {
        if (fitting) {
            throw new IllegalStateException("fit: this trainer is already fitting (fit was called from a callback?)");
        }
        fitting = true;
        List<Callback> cbs = new ArrayList<>(options.callbacks);
        if (options.verbose && cbs.stream().noneMatch(c -> c instanceof ProgressBar)) {
            cbs.add(new ProgressBar());
        }
        cbs.sort(Comparator.comparingInt(Callback::order));
        this.callbacks = List.copyOf(cbs);
        this.trainLoader = train;
        this.validationLoader = val;
        this.history = new History();
        this.epochs = options.epochs;
        this.numBatches = train.numBatches();
        this.stopRequested = false;
        this.epoch = -1;
        if (numBatches == 0) {
            fitting = false;
            throw new IllegalArgumentException(
                    "fit: the training data gives no batch (" + train.dataset().size() + " samples, batch size "
                            + train.batchSize() + (train.dropLast() ? ", dropLast" : "") + ")");
        }
        if (heads != null && options.classWeights != null) {
            fitting = false;
            throw new IllegalArgumentException(
                    "fit: class weights need a model with one output; this one has losses for " + headNames()
                            + " (use sample weights)");
        }
        model.setGenerator(generator);
        Map<String, Double> last = new LinkedHashMap<>();
        try {
            for (Callback c : callbacks) {
                c.onTrainBegin(this);
            }
            int start = 0;
            if (options.resumeFrom != null) {
                start = restore(Checkpoint.read(options.resumeFrom));
            }
            for (int e = start; e < epochs && !stopRequested; e++) {
                epoch = e;
                last = runEpoch(e, options.classWeights, options.clipGradNorm);
            }
            for (Callback c : callbacks) {
                c.onTrainEnd(this, last);
            }
        } finally {
            model.eval();
            fitting = false;
        }
        return history;
    }

    private Map<String, Double> runEpoch(int e, double[] classWeights, double clipNorm) throws IOException {
        for (Callback c : callbacks) {
            c.onEpochBegin(this, e);
        }
        double lr = optimizer.lr(0);
        model.train();
        for (Metric m : metrics) {
            m.reset();
        }
        double lossSum = 0;
        double[] headSums = heads == null ? null : new double[heads.size()];
        long seen = 0;
        int b = 0;
        try (DataLoader.Epoch it = trainLoader.iterator()) {
            while (it.hasNext()) {
                Batch batch = it.next();
                for (Callback c : callbacks) {
                    c.onBatchBegin(this, b);
                }
                requireTarget("fit", batch);
                Variable[] inputs = constants(batch);
                Variable[][] out = new Variable[1][];
                double[] headLosses = heads == null ? null : new double[heads.size()];
                double batchLoss = optimizer.step(() -> {
                    optimizer.zeroGrad();
                    Variable[] o = outputsOf(inputs);
                    Variable l = totalLoss(o, batch, classWeights, headLosses);
                    l.backward();
                    if (clipNorm > 0) {
                        ClipGrad.clipGradNorm(model.parameters(), clipNorm);
                    }
                    out[0] = o;
                    return l.item();
                });
                updateMetrics(out[0], batch);
                lossSum += batchLoss * batch.size();
                seen += batch.size();
                Map<String, Double> logs = new LinkedHashMap<>();
                logs.put("batch_loss", batchLoss);
                logs.put("loss", lossSum / seen);
                accumulate(headSums, headLosses, batch.size());
                putHeadLosses(logs, headSums, seen);
                logs.put("size", (double) batch.size());
                for (Metric m : metrics) {
                    if (!(m instanceof StandardMetrics.RocAuc)) {
                        logs.put(m.name(), m.result());
                    }
                }
                for (Callback c : callbacks) {
                    c.onBatchEnd(this, b, logs);
                }
                b++;
                if (stopRequested) {
                    break;
                }
            }
        }
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", lossSum / seen);
        putHeadLosses(logs, headSums, seen);
        for (Metric m : metrics) {
            logs.put(m.name(), m.result());
        }
        if (validationLoader != null) {
            Map<String, Double> v = evaluate(validationLoader);
            for (Map.Entry<String, Double> x : v.entrySet()) {
                logs.put("val_" + x.getKey(), x.getValue());
            }
        }
        logs.put("lr", lr);
        // the history records the logs after the callbacks ordered before it may have changed them,
        // and before those that write it out (CSVLogger) or save it (ModelCheckpoint)
        boolean recorded = false;
        for (Callback c : callbacks) {
            if (!recorded && c.order() >= Callback.HISTORY_ORDER) {
                history.append(e, logs);
                recorded = true;
            }
            c.onEpochEnd(this, e, logs);
        }
        if (!recorded) {
            history.append(e, logs);
        }
        return logs;
    }

    private void requireTarget(String op, Batch batch) {
        if (batch.target() == null) {
            throw new IllegalArgumentException(op + ": the data has no targets");
        }
        if (heads != null && batch.targets().size() != ((Model) model).numOutputs()) {
            throw new IllegalArgumentException(op + ": the model has " + ((Model) model).numOutputs() + " outputs "
                    + ((Model) model).outputNames() + " but the batch has "
                    + batch.targets().size() + " target"
                    + (batch.targets().size() == 1 ? "" : "s")
                    + "; give one target per output, in output order (for example"
                    + " TensorDataset.of(inputs, targets, weight))");
        }
    }

    private List<String> headNames() {
        List<String> names = new ArrayList<>();
        for (Head h : heads) {
            names.add(h.name());
        }
        return names;
    }

    /** The model's outputs: one with a single loss, all of them with losses per output. */
    private Variable[] outputsOf(Variable[] inputs) {
        if (heads == null) {
            return new Variable[] {forward(inputs)};
        }
        return ((Model) model).forward(Arrays.asList(inputs)).toArray(new Variable[0]);
    }

    /** The loss to minimize; with losses per output, each output's (unweighted) value goes to headLosses. */
    private Variable totalLoss(Variable[] outputs, Batch batch, double[] classWeights, double[] headLosses) {
        if (heads == null) {
            return lossOf(loss, outputs[0], batch.target(), batch.weight(), classWeights);
        }
        Variable total = null;
        for (int h = 0; h < heads.size(); h++) {
            Head head = heads.get(h);
            Variable l =
                    lossOf(head.loss(), outputs[head.index()], batch.targets().get(head.index()), batch.weight(), null);
            headLosses[h] = l.item();
            if (head.weight() != 0) {
                // an output of weight 0 adds nothing to the graph: its own parameters get no gradient
                Variable wl = head.weight() == 1 ? l : l.mul(head.weight());
                total = total == null ? wl : total.add(wl);
            }
        }
        return total;
    }

    private void updateMetrics(Variable[] outputs, Batch batch) {
        if (heads == null) {
            Tensor output = outputs[0].data();
            for (Metric m : metrics) {
                m.update(output, batch.target());
            }
            return;
        }
        for (Head h : heads) {
            Tensor output = outputs[h.index()].data();
            for (Metric m : h.metrics()) {
                m.update(output, batch.targets().get(h.index()));
            }
        }
    }

    /** Adds a batch's per-output losses, weighted by its size, to the sums (nothing with a single loss). */
    private static void accumulate(double[] sums, double[] batchLosses, int n) {
        if (sums != null) {
            for (int h = 0; h < sums.length; h++) {
                sums[h] += batchLosses[h] * n;
            }
        }
    }

    /** Puts the mean loss of each output in the logs as {@code <output>_loss} (nothing with a single loss). */
    private void putHeadLosses(Map<String, Double> logs, double[] sums, long seen) {
        if (heads != null) {
            for (int h = 0; h < heads.size(); h++) {
                logs.put(heads.get(h).name() + "_loss", seen == 0 ? Double.NaN : sums[h] / seen);
            }
        }
    }

    private static Variable[] constants(Batch batch) {
        Variable[] v = new Variable[batch.inputs().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Variable.constant(batch.inputs().get(i));
        }
        return v;
    }

    private Variable forward(Variable[] inputs) {
        return inputs.length == 1 ? model.call(inputs[0]) : model.call(inputs);
    }

    /** The batch loss: reduced by the loss itself, or per sample, weighted and averaged. */
    private static Variable lossOf(
            LossFunction fn, Variable output, Tensor target, Tensor weight, double[] classWeights) {
        Variable l = fn.compute(output, Variable.constant(target));
        Tensor w = weight;
        if (classWeights != null) {
            Tensor cw = classWeightsOf(target, classWeights);
            w = w == null ? cw : w.to(DType.FLOAT64).mul(cw);
        }
        if (w == null) {
            return l.dim() == 0 ? l : l.mean();
        }
        int n = target.size(0);
        if (l.dim() == 0) {
            throw new IllegalArgumentException(
                    "fit: sample or class weights need a loss that returns one value per sample"
                            + " (a loss with reduction NONE, e.g. new CrossEntropyLoss(null, -100, 0, Reduction.NONE)), but it returned"
                            + " a single value");
        }
        if (l.size(0) != n) {
            throw new IllegalArgumentException(
                    "fit: the loss returned shape " + Shape.format(l.shape()) + " for a batch of " + n + " samples");
        }
        if (l.dim() > 1) {
            int[] dims = new int[l.dim() - 1];
            for (int k = 0; k < dims.length; k++) {
                dims[k] = k + 1;
            }
            l = l.mean(dims, false);
        }
        return l.mul(Variable.constant(w.to(l.dtype()))).sum().div(n);
    }

    private static Tensor classWeightsOf(Tensor target, double[] classWeights) {
        int[] cls = Metrics.trueClasses(target);
        double[] w = new double[cls.length];
        for (int i = 0; i < cls.length; i++) {
            if (cls[i] < 0 || cls[i] >= classWeights.length) {
                throw new IllegalArgumentException(
                        "fit: class " + cls[i] + " has no class weight (" + classWeights.length + " weights given)");
            }
            w[i] = classWeights[cls[i]];
        }
        return Tensor.of(w, w.length);
    }

    // ------------------------------------------------------------------------------------------ evaluate / predict

    /** The default batch size of {@link #evaluate(Dataset)} and {@link #predict(Dataset)}, as Keras's. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    /**
     * The loss and metrics on a dataset in batches of {@link #DEFAULT_BATCH_SIZE}, in evaluation mode
     * without gradients.
     *
     * @param data the data (with targets)
     * @return {@code loss} and each metric
     */
    public Map<String, Double> evaluate(Dataset data) {
        return evaluate(data, DEFAULT_BATCH_SIZE);
    }

    /**
     * The loss and metrics on a dataset, in evaluation mode without gradients.
     *
     * @param data the data (with targets)
     * @param batchSize samples per batch
     * @return {@code loss} and each metric
     */
    public Map<String, Double> evaluate(Dataset data, int batchSize) {
        try (DataLoader loader =
                DataLoader.builder(data).batchSize(batchSize).prefetch(1).build()) {
            return evaluate(loader);
        }
    }

    /**
     * The loss and metrics over one pass of a loader, in evaluation mode without gradients. The
     * loss is the mean of the batch losses weighted by batch size; sample weights in the batches
     * apply, class weights do not.
     *
     * @param loader the data
     * @return {@code loss} and each metric
     */
    @SuppressWarnings("try") // the no-grad scope is used for its side effect
    public Map<String, Double> evaluate(DataLoader loader) {
        List<Map.Entry<Module, Boolean>> modes = saveModes();
        model.eval();
        List<Metric> ms = metrics;
        for (Metric m : ms) {
            m.reset();
        }
        double lossSum = 0;
        double[] headSums = heads == null ? null : new double[heads.size()];
        double[] headLosses = heads == null ? null : new double[heads.size()];
        long seen = 0;
        try (var off = Autograd.noGrad();
                DataLoader.Epoch it = loader.iterator()) {
            while (it.hasNext()) {
                Batch batch = it.next();
                requireTarget("evaluate", batch);
                Variable[] o = outputsOf(constants(batch));
                lossSum += totalLoss(o, batch, null, headLosses).item() * batch.size();
                seen += batch.size();
                accumulate(headSums, headLosses, batch.size());
                updateMetrics(o, batch);
            }
        } finally {
            restoreModes(modes);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", seen == 0 ? Double.NaN : lossSum / seen);
        putHeadLosses(out, headSums, seen);
        for (Metric m : ms) {
            out.put(m.name(), m.result());
        }
        return out;
    }

    /**
     * The model's outputs on a dataset, in order, in evaluation mode without gradients.
     *
     * @param data the inputs (targets, if any, are ignored)
     * @param batchSize samples per batch
     * @return the outputs concatenated along the first dimension {@code (N, ...)}
     */
    public Tensor predict(Dataset data, int batchSize) {
        try (DataLoader loader =
                DataLoader.builder(data).batchSize(batchSize).prefetch(1).build()) {
            return predict(loader);
        }
    }

    /**
     * The model's outputs on a dataset in batches of {@link #DEFAULT_BATCH_SIZE}.
     *
     * @param data the inputs (targets, if any, are ignored)
     * @return the outputs concatenated along the first dimension {@code (N, ...)}
     */
    public Tensor predict(Dataset data) {
        return predict(data, DEFAULT_BATCH_SIZE);
    }

    /**
     * The model's outputs on a batch of inputs {@code (N, ...)} in batches of {@link #DEFAULT_BATCH_SIZE}.
     * For one sample without a batch dimension use {@link #predictSample(Tensor)}.
     *
     * @param input the inputs {@code (N, ...)}
     * @return the outputs {@code (N, ...)}
     */
    public Tensor predict(Tensor input) {
        return predict(input, DEFAULT_BATCH_SIZE);
    }

    /**
     * The model's output for one sample without a batch dimension (for example an image
     * {@code (C, H, W)}), in evaluation mode without gradients: the model runs on a batch of one and the
     * batch dimension is removed from its output.
     *
     * @param sample one input, without the batch dimension
     * @return the output for it, without the batch dimension
     */
    public Tensor predictSample(Tensor sample) {
        Tensor out = predict(sample.unsqueeze(0), 1);
        return out.squeeze(0);
    }

    /**
     * The model's outputs on one input tensor, batch by batch. The first dimension is the batch: for a
     * single unbatched sample use {@link #predictSample(Tensor)}.
     *
     * @param input the inputs {@code (N, ...)}
     * @param batchSize samples per batch
     * @return the outputs {@code (N, ...)}
     */
    public Tensor predict(Tensor input, int batchSize) {
        return predict(new TensorDataset(input, null), batchSize);
    }

    /**
     * The model's outputs over one pass of a loader.
     *
     * @param loader the data (should not shuffle, to keep the order)
     * @return the outputs concatenated along the first dimension
     */
    @SuppressWarnings("try") // the no-grad scope is used for its side effect
    public Tensor predict(DataLoader loader) {
        if (model instanceof Model && ((Model) model).numOutputs() > 1) {
            throw new IllegalArgumentException("predict: the model has " + ((Model) model).numOutputs() + " outputs "
                    + ((Model) model).outputNames() + "; use predictAll");
        }
        List<Map.Entry<Module, Boolean>> modes = saveModes();
        model.eval();
        List<Tensor> outs = new ArrayList<>();
        try (var off = Autograd.noGrad();
                DataLoader.Epoch it = loader.iterator()) {
            while (it.hasNext()) {
                outs.add(forward(constants(it.next())).data());
            }
        } finally {
            restoreModes(modes);
        }
        if (outs.isEmpty()) {
            throw new IllegalArgumentException("predict: the data gives no batch");
        }
        return Tensor.cat(outs, 0);
    }

    /**
     * Every output of a functional {@link Model} on a dataset, in evaluation mode without gradients
     * (for another module, its one output).
     *
     * @param data the inputs (targets, if any, are ignored)
     * @param batchSize samples per batch
     * @return one tensor per output, in output order, each concatenated along the first dimension
     */
    public List<Tensor> predictAll(Dataset data, int batchSize) {
        try (DataLoader loader =
                DataLoader.builder(data).batchSize(batchSize).prefetch(1).build()) {
            return predictAll(loader);
        }
    }

    /**
     * Every output of a functional {@link Model} over one pass of a loader (for another module, its
     * one output).
     *
     * @param loader the data (should not shuffle, to keep the order)
     * @return one tensor per output, in output order, each concatenated along the first dimension
     */
    @SuppressWarnings("try") // the no-grad scope is used for its side effect
    public List<Tensor> predictAll(DataLoader loader) {
        List<Map.Entry<Module, Boolean>> modes = saveModes();
        model.eval();
        List<List<Tensor>> outs = new ArrayList<>();
        try (var off = Autograd.noGrad();
                DataLoader.Epoch it = loader.iterator()) {
            while (it.hasNext()) {
                Variable[] in = constants(it.next());
                List<Variable> o =
                        model instanceof Model ? ((Model) model).forward(Arrays.asList(in)) : List.of(forward(in));
                for (int k = 0; k < o.size(); k++) {
                    if (outs.size() <= k) {
                        outs.add(new ArrayList<>());
                    }
                    outs.get(k).add(o.get(k).data());
                }
            }
        } finally {
            restoreModes(modes);
        }
        if (outs.isEmpty()) {
            throw new IllegalArgumentException("predictAll: the data gives no batch");
        }
        List<Tensor> result = new ArrayList<>();
        for (List<Tensor> o : outs) {
            result.add(Tensor.cat(o, 0));
        }
        return result;
    }

    /** The training flags of the tree, parents before children. */
    private List<Map.Entry<Module, Boolean>> saveModes() {
        List<Map.Entry<Module, Boolean>> m = new ArrayList<>();
        for (Module x : model.modules()) {
            m.add(Map.entry(x, x.isTraining()));
        }
        return m;
    }

    private static void restoreModes(List<Map.Entry<Module, Boolean>> modes) {
        // train(on) sets a whole subtree; parents come first, so each child is fixed after its parent
        for (Map.Entry<Module, Boolean> e : modes) {
            if (e.getKey().isTraining() != e.getValue()) {
                e.getKey().train(e.getValue());
            }
        }
    }

    // ------------------------------------------------------------------------------------------ checkpoints

    /**
     * Writes a checkpoint of the current state (see {@link Checkpoint}), atomically. Called at the
     * end of an epoch it records that epoch as completed; {@link ModelCheckpoint} calls it.
     *
     * @param path the file
     * @throws IOException when writing fails; an existing file is then left untouched
     */
    public void saveCheckpoint(Path path) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            tensors.put("model." + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Tensor> e : optimizer.stateDict().entrySet()) {
            tensors.put("optimizer." + e.getKey(), e.getValue());
        }
        List<String> keys = callbackKeys();
        for (int i = 0; i < callbacks.size(); i++) {
            Map<String, Tensor> s = new LinkedHashMap<>();
            callbacks.get(i).saveState(s);
            for (Map.Entry<String, Tensor> e : s.entrySet()) {
                tensors.put("callbacks." + keys.get(i) + "." + e.getKey(), e.getValue());
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("epoch", String.valueOf(epoch + 1));
        meta.put("rng.trainer", Checkpoint.formatState(generator.getState()));
        if (trainLoader != null) {
            meta.put(
                    "rng.train_loader",
                    Checkpoint.formatState(trainLoader.generator().getState()));
        }
        if (validationLoader != null) {
            meta.put(
                    "rng.validation_loader",
                    Checkpoint.formatState(validationLoader.generator().getState()));
        }
        meta.put("stop_requested", String.valueOf(stopRequested));
        meta.put("model_class", model.typeName());
        meta.put("optimizer_class", optimizer.name());
        meta.put("history", history.toCsv());
        Checkpoint.write(path, tensors, meta);
    }

    /**
     * Loads the model weights (and buffers) of a checkpoint, e.g. for inference; the optimizer and
     * training state are ignored.
     *
     * @param checkpoint the checkpoint file
     * @throws IOException when the file cannot be read or is not a checkpoint
     */
    public void loadWeights(Path checkpoint) throws IOException {
        model.loadStateDict(Checkpoint.read(checkpoint).modelState());
    }

    /**
     * The checkpoint key of each callback: its class name and its rank among the callbacks of that
     * class ({@code EarlyStopping.0}), so that states find their callback even when others are
     * added or removed between runs.
     */
    private List<String> callbackKeys() {
        List<String> keys = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (Callback c : callbacks) {
            String name = c.getClass().getSimpleName().isEmpty()
                    ? "Callback"
                    : c.getClass().getSimpleName();
            int k = seen.merge(name, 1, Integer::sum) - 1;
            keys.add(name + "." + k);
        }
        return keys;
    }

    /** Restores everything from a checkpoint; returns the epoch to continue with. */
    private int restore(Checkpoint cp) throws IOException {
        model.loadStateDict(cp.modelState());
        optimizer.loadStateDict(cp.optimizerState());
        long[] g = cp.generatorState("trainer");
        if (g != null) {
            generator.setState(g);
        }
        long[] tl = cp.generatorState("train_loader");
        if (tl != null) {
            trainLoader.generator().setState(tl);
        }
        long[] vl = cp.generatorState("validation_loader");
        if (vl != null && validationLoader != null) {
            validationLoader.generator().setState(vl);
        }
        List<String> keys = callbackKeys();
        for (int i = 0; i < callbacks.size(); i++) {
            Map<String, Tensor> s = cp.section("callbacks." + keys.get(i) + ".");
            if (!s.isEmpty()) {
                callbacks.get(i).loadState(s);
            }
        }
        history = cp.history();
        int start = cp.epoch();
        history.truncate(start);
        if (cp.stopRequested()) {
            stopRequested = true;
        }
        epoch = start - 1;
        return start;
    }
}
