package io.jgrad.spark;

import io.jgrad.autograd.Parameter;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.layers.Loss;
import io.jgrad.layers.Module;
import io.jgrad.optim.ClipGrad;
import io.jgrad.optim.Optimizer;
import io.jgrad.train.History;
import io.jgrad.train.LossFunction;
import io.jgrad.train.Metric;
import io.jgrad.train.Trainer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Synchronous data-parallel training on Apache Spark, with results equal to single-machine training
 * with {@link Trainer}.
 *
 * <pre>{@code
 * SparkTrainer trainer = SparkTrainer.builder(
 *                 () -> new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10)),
 *                 () -> LossFunction.of(new CrossEntropyLoss()),
 *                 model -> new SGD(model.parameters(), 0.1))
 *         .metrics(Metric.accuracy())
 *         .build();
 * History h = trainer.fit(jsc, SparkData.classification(df, "features", "label", 784),
 *         new SparkFitOptions().epochs(5).batchSize(64).workers(4));
 * Module trained = trainer.model();          // on the driver
 * }</pre>
 *
 * <p><b>One step.</b> The driver holds the model and the optimizer. Each step it draws the global
 * batch (the same indices {@link io.jgrad.data.DataLoader} would draw with the same seed), publishes
 * the current weights and buffers as a Spark broadcast, and runs one Spark job with one task per
 * worker. Worker {@code p} holds, cached by Spark, the samples whose index {@code i} has
 * {@code i % workers == p}; it loads the weights into its replica of the model (built once per
 * executor thread by the model factory), runs the forward and backward pass on its share of the
 * batch, and returns the gradient of {@code mean(share loss) * share / batch}. The driver sums the
 * returned gradients in worker order, which gives the gradient of the batch's mean loss, as on one
 * machine, and the optimizer makes its step. Optimizers that evaluate their closure several times
 * (L-BFGS, Backstitch) run one job per evaluation.
 *
 * <p><b>Two exchanges.</b> Spark offers two primitives for an all-reduce, and both are here
 * ({@link SparkFitOptions#exchange}), giving the same weights bit for bit. {@link Exchange#BROADCAST}
 * (the default, described above) is an ordinary job per step whose results are reduced on the driver
 * and whose next weights go out as a broadcast, as Spark MLlib's own gradient descent does with
 * {@code treeAggregate}. {@link Exchange#BARRIER} runs each epoch as one barrier stage whose tasks keep
 * their replica and their own optimizer and exchange gradients with
 * {@code BarrierTaskContext.allGather} every step. The default is the broadcast exchange because
 * {@code allGather} carries strings only (base-64) and routes every worker's message through the driver
 * to every worker ({@code workers²} copies, where a broadcast sends one copy to each executor, peer to
 * peer), a barrier stage needs all its tasks running at once and restarts all of them (the whole epoch)
 * when one executor dies, and it cannot checkpoint mid-epoch, while an ordinary job re-runs just the lost
 * task on any executor. Its cost is one job's scheduling per step, which the barrier stage avoids;
 * {@code io.jgrad.spark.example.SparkStepBenchmark} measures both. Results are collected rather than
 * tree-aggregated so that the sum is taken in worker order: the same number of workers then gives the
 * same weights bit for bit, whichever task finishes first.
 *
 * <p><b>Equivalence.</b> With the same model initialisation, loss, optimizer, data order, seed and
 * batch size, training equals {@link Trainer#fit} on the same data up to the order of floating point
 * sums: with one worker there is no sum to reorder and the weights are the same bit for bit; with
 * more, the tests allow 1e-10 of the largest weight in FLOAT64 and 1e-5 in FLOAT32 after three
 * epochs (measured: 2e-16 and 1.2e-7 after 21 Adam steps). The same number of workers gives the
 * same weights bit for bit when the workers' kernels are deterministic: one task per JVM, or
 * {@code -Djgrad.threads=1} where several tasks share a JVM (local masters, executors with several
 * cores), since jgrad's thread pool runs a parallel call serially while another is in flight.
 * The loss must be the mean over the batch (the default reduction of jgrad's losses) or return one
 * value per sample or element ({@code Reduction.NONE}), which is averaged as the Trainer does; a
 * loss summed over the batch would be scaled wrongly. Not equal to single-machine training, and so
 * documented: dropout draws other masks (each worker has its own generator, seeded from the
 * trainer's seed, the step and the worker); batch normalization normalizes each worker's share with
 * the share's own statistics (as PyTorch's DistributedDataParallel without SyncBatchNorm), and the
 * running statistics become the share-weighted mean of the workers' (the running mean is then the
 * mean over the batch, the running variance is not the batch's). With one worker both equal
 * single-machine training. Sample and class weights are not supported.
 *
 * <p><b>Faults.</b> A lost executor or failed task is re-run by Spark within the step, and since a
 * step depends only on the broadcast weights and the batch, the result is the same. For failures of
 * the driver, {@link SparkFitOptions#checkpoints} writes checkpoints every K steps and
 * {@link SparkFitOptions#resumeFrom} continues from one to the same final weights as an
 * uninterrupted run (the epoch's running training metrics then start at the resumed batch).
 */
public final class SparkTrainer {
    private final SerializableSupplier<Module> modelFactory;
    private final SerializableSupplier<LossFunction> lossFactory;
    private final SerializableFunction<Module, Optimizer> optimizerFactory;
    private final Module model;
    private final Optimizer optimizer;
    private final List<Metric> metrics;
    private final long seed;
    private History history = new History();
    private volatile boolean stopRequested;

    private SparkTrainer(Builder b) {
        this.modelFactory = b.modelFactory;
        this.lossFactory = b.lossFactory;
        this.model = b.modelFactory.get();
        if (model == null) {
            throw new IllegalArgumentException("SparkTrainer: the model factory returned null");
        }
        this.optimizerFactory = b.optimizerFactory;
        this.optimizer = b.optimizerFactory.apply(model);
        if (optimizer == null) {
            throw new IllegalArgumentException("SparkTrainer: the optimizer factory returned null");
        }
        this.metrics = List.copyOf(b.metrics);
        this.seed = b.seed;
    }

    /**
     * Starts building a trainer.
     *
     * @param model makes the model; called once on the driver and once per executor thread, so it
     *     must be serializable and should not depend on where it runs (the driver's weights are
     *     loaded into each replica before every step)
     * @param loss makes the loss, e.g. {@code () -> LossFunction.of(new CrossEntropyLoss())}
     * @param optimizer makes the optimizer over the driver's model, e.g.
     *     {@code m -> new Adam(m.parameters())}; it runs on the driver (and, with {@link Exchange#BARRIER},
     *     on every worker)
     * @return the builder
     */
    public static Builder builder(
            SerializableSupplier<Module> model,
            SerializableSupplier<LossFunction> loss,
            SerializableFunction<Module, Optimizer> optimizer) {
        return new Builder(model, loss, optimizer);
    }

    /**
     * A loss factory from a factory of loss modules.
     *
     * @param loss makes the loss module, e.g. {@code CrossEntropyLoss::new}
     * @return a factory of loss functions
     */
    public static SerializableSupplier<LossFunction> lossOf(SerializableSupplier<? extends Loss> loss) {
        return () -> LossFunction.of(loss.get());
    }

    /** Settings of a {@link SparkTrainer}. */
    public static final class Builder {
        private final SerializableSupplier<Module> modelFactory;
        private final SerializableSupplier<LossFunction> lossFactory;
        private final SerializableFunction<Module, Optimizer> optimizerFactory;
        private final List<Metric> metrics = new ArrayList<>();
        private long seed = io.jgrad.core.Jgrad.defaultSeed(1);

        private Builder(
                SerializableSupplier<Module> model,
                SerializableSupplier<LossFunction> loss,
                SerializableFunction<Module, Optimizer> optimizer) {
            if (model == null || loss == null || optimizer == null) {
                throw new IllegalArgumentException(
                        "SparkTrainer: model, loss and optimizer factories must not be null (got model=" + model
                                + ", loss=" + loss + ", optimizer=" + optimizer + ")");
            }
            this.modelFactory = model;
            this.lossFactory = loss;
            this.optimizerFactory = optimizer;
        }

        /**
         * Metrics reported per epoch, computed on the driver from the outputs the workers return.
         *
         * @param ms the metrics
         * @return this builder
         */
        public Builder metrics(Metric... ms) {
            metrics.addAll(Arrays.asList(ms));
            return this;
        }

        /**
         * The seed from which the workers' generators (dropout) are derived.
         *
         * @param s the seed
         * @return this builder
         */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /**
         * Builds the trainer (and the driver's model and optimizer).
         *
         * @return the trainer
         */
        public SparkTrainer build() {
            return new SparkTrainer(this);
        }
    }

    /**
     * The model on the driver: after {@link #fit} it holds the trained weights.
     *
     * @return the model
     */
    public Module model() {
        return model;
    }

    /**
     * The optimizer on the driver.
     *
     * @return the optimizer
     */
    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * The history of the last fit.
     *
     * @return epoch logs: {@code loss}, metrics, {@code val_} entries, {@code lr}
     */
    public History history() {
        return history;
    }

    /** Asks training to stop after the current step. */
    public void stopTraining() {
        stopRequested = true;
    }

    // ------------------------------------------------------------------------------------------ fit

    /**
     * Trains on data held by Spark.
     *
     * @param sc the Spark context
     * @param train the training data
     * @param options epochs, global batch size, workers, checkpoints, ...
     * @return the history (also {@link #history()})
     * @throws IOException when a checkpoint cannot be written or read, or is damaged
     */
    public History fit(JavaSparkContext sc, SparkData train, SparkFitOptions options) throws IOException {
        if (sc == null || train == null || options == null) {
            throw new IllegalArgumentException("SparkTrainer.fit: context, data and options must not be null");
        }
        DType dtype = dtypeOf(model);
        JavaRDD<Shard> shards = shardsOf(train, options.workers, dtype);
        JavaRDD<Shard> validation = options.sparkValidation == null
                ? null
                : shardsOf(
                        options.sparkValidation,
                        options.sparkValidation.samples().getNumPartitions(),
                        dtype);
        try {
            long n = count(shards);
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "SparkTrainer.fit: " + n + " samples; at most " + Integer.MAX_VALUE + " are supported");
            }
            return run(sc, shards, validation, (int) n, options);
        } finally {
            shards.unpersist(false);
            if (validation != null) {
                validation.unpersist(false);
            }
        }
    }

    /** The data in {@code workers} shards, packed in the model's type and cached by Spark. */
    private static JavaRDD<Shard> shardsOf(SparkData data, int workers, DType dtype) {
        JavaRDD<Shard> shards = data.samples()
                .zipWithIndex()
                .mapToPair(t -> new Tuple2<>(t._2, t._1))
                .partitionBy(new ModPartitioner(workers))
                .mapPartitionsWithIndex(
                        (p, it) -> List.of(Shard.pack(p, it, data, dtype)).iterator(), true)
                .persist(StorageLevel.MEMORY_ONLY());
        shards.setName("jgrad shards (" + workers + ")");
        return shards;
    }

    /** The number of samples (and the shards computed and cached on the way). */
    private static long count(JavaRDD<Shard> shards) {
        long n = 0;
        for (int s : shards.map(Shard::size).collect()) {
            n += s;
        }
        return n;
    }

    /**
     * The loss and metrics of the driver's model on data held by Spark, computed by the executors in
     * evaluation mode without gradients (one task per partition of the data), as
     * {@link Trainer#evaluate(io.jgrad.data.Dataset, int)} computes them on one machine: the loss is the
     * mean of the batch losses weighted by batch size, the metrics see every output.
     *
     * @param sc the Spark context
     * @param data the data, with targets
     * @param batchSize samples per batch on each executor
     * @return {@code loss} and each metric
     */
    public Map<String, Double> evaluate(JavaSparkContext sc, SparkData data, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("SparkTrainer.evaluate: batch size must be >= 1, got " + batchSize);
        }
        JavaRDD<Shard> shards = shardsOf(data, data.samples().getNumPartitions(), dtypeOf(model));
        try {
            return evaluateShards(sc, shards, UUID.randomUUID().toString(), batchSize);
        } finally {
            shards.unpersist(false);
        }
    }

    private Map<String, Double> evaluateShards(
            JavaSparkContext sc, JavaRDD<Shard> shards, String runId, int batchSize) {
        Broadcast<TensorArrays> bc = sc.broadcast(TensorArrays.of(model.stateDict()));
        List<EvalTask.Result> results;
        try {
            results = shards.mapPartitionsWithIndex(new EvalTask(runId, modelFactory, lossFactory, bc, batchSize), true)
                    .collect();
        } finally {
            bc.destroy();
        }
        for (Metric m : metrics) {
            m.reset();
        }
        double lossSum = 0;
        long seen = 0;
        for (EvalTask.Result r : results) {
            if (r.count == 0) {
                continue;
            }
            lossSum += r.lossSum;
            seen += r.count;
            Tensor out = TensorArrays.tensorOf(r.outputs, r.outputShape);
            Tensor tgt = TensorArrays.tensorOf(r.targets, r.targetShape);
            for (Metric m : metrics) {
                m.update(out, tgt);
            }
        }
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", seen == 0 ? Double.NaN : lossSum / seen);
        for (Metric m : metrics) {
            logs.put(m.name(), m.result());
        }
        return logs;
    }

    private static DType dtypeOf(Module m) {
        for (Parameter p : m.parameters()) {
            return p.data().dtype();
        }
        throw new IllegalArgumentException("SparkTrainer: the model has no parameters");
    }

    private History run(JavaSparkContext sc, JavaRDD<Shard> shards, JavaRDD<Shard> validation, int n, SparkFitOptions o)
            throws IOException {
        int batchSize = o.batchSize;
        int numBatches = o.dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
        if (numBatches == 0) {
            throw new IllegalArgumentException("SparkTrainer.fit: the training data gives no batch (" + n
                    + " samples, batch size " + batchSize + (o.dropLast ? ", dropLast" : "") + ")");
        }
        if (o.exchange == Exchange.BARRIER && (o.checkpointDir != null || o.resumeFrom != null)) {
            throw new IllegalArgumentException(
                    "SparkTrainer.fit: checkpoints and resuming need Exchange.BROADCAST, not BARRIER");
        }
        String runId = UUID.randomUUID().toString();
        Generator shuffle = new Generator(o.seed);
        history = new History();
        stopRequested = false;
        int startEpoch = 0;
        int startBatch = 0;
        long globalStep = 0;
        double resumedLossSum = 0;
        long resumedSeen = 0;
        if (o.resumeFrom != null) {
            SparkCheckpoint cp = SparkCheckpoint.read(o.resumeFrom, sc.hadoopConfiguration());
            checkCompatible(cp, o);
            model.loadStateDict(cp.modelState());
            optimizer.loadStateDict(cp.section("optimizer."));
            shuffle.setState(parseState(cp.require("rng.shuffle")));
            startEpoch = Integer.parseInt(cp.require("epoch"));
            startBatch = Integer.parseInt(cp.require("batch"));
            globalStep = Long.parseLong(cp.require("global_step"));
            resumedLossSum = Double.parseDouble(cp.require("loss_sum"));
            resumedSeen = Long.parseLong(cp.require("seen"));
            history = History.parseCsv(cp.require("history"), cp.location() + " (history)");
            history.truncate(startEpoch);
        }
        Trainer evaluator = Trainer.builder(model, lossFactory.get(), optimizer)
                .metrics(metrics.toArray(new Metric[0]))
                .build();
        for (int e = startEpoch; e < o.epochs && !stopRequested; e++) {
            long[] epochStart = shuffle.getState();
            // the same draws as DataLoader.iterator(): a permutation, then one seed for the transforms
            int[] order = o.shuffle ? Tensor.randperm(shuffle, n).toIntArray() : identity(n);
            shuffle.nextLong();
            double lr = optimizer.lr(0);
            for (Metric m : metrics) {
                m.reset();
            }
            double lossSum = e == startEpoch ? resumedLossSum : 0;
            long seen = e == startEpoch ? resumedSeen : 0;
            int first = e == startEpoch ? startBatch : 0;
            boolean checkpointAtEpochEnd = false;
            if (o.exchange == Exchange.BARRIER) {
                double[] ls = barrierEpoch(sc, shards, runId, order, numBatches, o, e, globalStep);
                lossSum += ls[0];
                seen += (long) ls[1];
                globalStep += numBatches;
            }
            if (o.exchange == Exchange.BROADCAST) {
                for (int b = first; b < numBatches && !stopRequested; b++) {
                    int[] batch = Arrays.copyOfRange(order, b * batchSize, Math.min(n, (b + 1) * batchSize));
                    Step step = new Step(sc, shards, runId, batch, o.workers, globalStep, o.clipGradNorm);
                    long t0 = System.nanoTime();
                    double batchLoss = optimizer.step(step::evaluate);
                    long wall = System.nanoTime() - t0;
                    if (!metrics.isEmpty() && step.outputs != null) {
                        for (Metric m : metrics) {
                            m.update(step.outputs, step.targets);
                        }
                    }
                    lossSum += batchLoss * batch.length;
                    seen += batch.length;
                    globalStep++;
                    boolean due = o.checkpointDir != null && globalStep % o.checkpointEvery == 0;
                    if (due && b + 1 < numBatches) {
                        saveCheckpoint(sc, o, globalStep, e, b + 1, epochStart, lossSum, seen);
                    }
                    checkpointAtEpochEnd = due && b + 1 == numBatches;
                    StepStats stats = new StepStats(
                            e,
                            b,
                            globalStep - 1,
                            batchLoss,
                            batch.length,
                            wall,
                            step.computeNanos,
                            step.exchangeNanos,
                            Math.max(0, step.jobNanos - step.taskNanos),
                            step.bytesToWorkers,
                            step.bytesFromWorkers);
                    notifyListeners(o, stats);
                }
            }
            Map<String, Double> logs = epochLogs(evaluator, lossSum, seen, lr, o);
            if (validation != null) {
                int vb = o.validationBatchSize > 0 ? o.validationBatchSize : o.batchSize;
                Map<String, Double> v = evaluateShards(sc, validation, runId, vb);
                logs.remove("lr");
                for (Map.Entry<String, Double> x : v.entrySet()) {
                    logs.put("val_" + x.getKey(), x.getValue());
                }
                logs.put("lr", lr);
            }
            history.append(e, logs);
            if (checkpointAtEpochEnd) {
                saveCheckpoint(sc, o, globalStep, e + 1, 0, shuffle.getState(), 0, 0);
                checkpointAtEpochEnd = false;
            }
            if (o.verbose) {
                System.out.println("epoch " + (e + 1) + "/" + o.epochs + " " + format(logs));
            }
        }
        model.eval();
        return history;
    }

    /**
     * One epoch in one barrier stage ({@link Exchange#BARRIER}): returns the sum of batch loss times
     * batch size and the number of samples; the driver's model and optimizer take the state the
     * workers reached, metrics see every output, and the listeners get each step's numbers.
     */
    private double[] barrierEpoch(
            JavaSparkContext sc,
            JavaRDD<Shard> shards,
            String runId,
            int[] order,
            int numBatches,
            SparkFitOptions o,
            int epoch,
            long globalStep)
            throws IOException {
        TensorArrays[] state = {TensorArrays.of(model.stateDict()), TensorArrays.of(optimizer.stateDict())};
        Broadcast<TensorArrays[]> bc = sc.broadcast(state);
        BarrierEpochTask task = new BarrierEpochTask(
                runId,
                modelFactory,
                lossFactory,
                optimizerFactory,
                bc,
                order,
                o.batchSize,
                numBatches,
                o.workers,
                seed,
                globalStep,
                o.clipGradNorm);
        ClassTag<BarrierEpochTask.Output> tag = ClassTag$.MODULE$.apply(BarrierEpochTask.Output.class);
        List<BarrierEpochTask.Output> outs;
        long t0 = System.nanoTime();
        try {
            // The shuffle makes the barrier stage a shuffle map stage: when one of its tasks or executors
            // is lost, Spark re-runs the whole stage (every task, from the state broadcast above), while a
            // failed barrier result stage (a barrier RDD collected directly) is not retried at all.
            outs = new ArrayList<>(JavaRDD.fromRDD(shards.rdd().barrier().mapPartitions(task, true, tag), tag)
                    .repartition(1)
                    .collect());
            outs.sort(Comparator.comparingInt(out -> out.partition));
        } finally {
            bc.destroy();
        }
        long perStep = (System.nanoTime() - t0) / numBatches;
        BarrierEpochTask.Output first = outs.get(0);
        model.loadStateDict(first.model.toTensors());
        optimizer.loadStateDict(first.optimizer.toTensors());
        for (BarrierEpochTask.Output out : outs) {
            for (int i = 0; i < out.outputs.size(); i++) {
                Tensor y = TensorArrays.tensorOf(out.outputs.get(i), out.outputShapes.get(i));
                Tensor t = TensorArrays.tensorOf(out.targets.get(i), out.targetShapes.get(i));
                for (Metric m : metrics) {
                    m.update(y, t);
                }
            }
        }
        double lossSum = 0;
        long seen = 0;
        for (int b = 0; b < numBatches; b++) {
            int size = Math.min(order.length, (b + 1) * o.batchSize) - b * o.batchSize;
            lossSum += first.losses[b] * size;
            seen += size;
            long compute = 0;
            long exchange = 0;
            long bytes = 0;
            for (BarrierEpochTask.Output out : outs) {
                compute = Math.max(compute, out.computeNanos[b]);
                exchange = Math.max(exchange, out.exchangeNanos[b]);
                bytes += out.bytesOut[b];
            }
            StepStats stats = new StepStats(
                    epoch,
                    b,
                    globalStep + b,
                    first.losses[b],
                    size,
                    perStep,
                    compute,
                    exchange,
                    Math.max(0, perStep - compute - exchange),
                    bytes * o.workers,
                    bytes);
            notifyListeners(o, stats);
        }
        return new double[] {lossSum, seen};
    }

    private void notifyListeners(SparkFitOptions o, StepStats stats) throws IOException {
        for (StepListener l : o.listeners) {
            try {
                l.onStep(this, stats);
            } catch (RuntimeException | IOException ex) {
                throw ex;
            } catch (Exception ex) {
                throw new IllegalStateException("SparkTrainer: a step listener failed", ex);
            }
        }
    }

    /** The logs of an epoch: loss, metrics, validation, learning rate. */
    private Map<String, Double> epochLogs(Trainer evaluator, double lossSum, long seen, double lr, SparkFitOptions o) {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", seen == 0 ? Double.NaN : lossSum / seen);
        for (Metric m : metrics) {
            logs.put(m.name(), m.result());
        }
        if (o.validationData != null) {
            int vb = o.validationBatchSize > 0 ? o.validationBatchSize : o.batchSize;
            for (Map.Entry<String, Double> v :
                    evaluator.evaluate(o.validationData, vb).entrySet()) {
                logs.put("val_" + v.getKey(), v.getValue());
            }
        }
        logs.put("lr", lr);
        return logs;
    }

    private static String format(Map<String, Double> logs) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            sb.append(sb.length() == 0 ? "" : " ")
                    .append(e.getKey())
                    .append('=')
                    .append(String.format("%.4f", e.getValue()));
        }
        return sb.toString();
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    /**
     * One step's distributed evaluation of the loss and gradient: what the optimizer's closure
     * calls. The results of the last call (outputs, timings) stay for the metrics and the listeners.
     */
    private final class Step {
        private final JavaSparkContext sc;
        private final JavaRDD<Shard> shards;
        private final String runId;
        private final int[] batch;
        private final int workers;
        private final long globalStep;
        private final double clipNorm;
        private int calls;
        Tensor outputs;
        Tensor targets;
        long computeNanos;
        long exchangeNanos;
        long jobNanos;
        long taskNanos;
        long bytesToWorkers;
        long bytesFromWorkers;

        Step(
                JavaSparkContext sc,
                JavaRDD<Shard> shards,
                String runId,
                int[] batch,
                int workers,
                long globalStep,
                double clipNorm) {
            this.sc = sc;
            this.shards = shards;
            this.runId = runId;
            this.batch = batch;
            this.workers = workers;
            this.globalStep = globalStep;
            this.clipNorm = clipNorm;
        }

        double evaluate() {
            long t0 = System.nanoTime();
            TensorArrays state = TensorArrays.of(model.stateDict());
            Broadcast<TensorArrays> bc = sc.broadcast(state);
            long t1 = System.nanoTime();
            List<StepTask.Result> results;
            try {
                StepTask task = new StepTask(
                        runId, modelFactory, lossFactory, bc, batch, workers, StepTask.mix(seed, globalStep, calls++));
                results = shards.mapPartitionsWithIndex(task, true).collect();
            } finally {
                bc.destroy();
            }
            long t2 = System.nanoTime();
            double loss = reduce(results);
            if (clipNorm > 0) {
                ClipGrad.clipGradNorm(model.parameters(), clipNorm);
            }
            long t3 = System.nanoTime();
            long maxCompute = 0;
            long maxExchange = 0;
            long maxTask = 0;
            long fromWorkers = 0;
            for (StepTask.Result r : results) {
                maxCompute = Math.max(maxCompute, r.computeNanos);
                maxExchange = Math.max(maxExchange, r.exchangeNanos);
                maxTask = Math.max(maxTask, r.totalNanos);
                fromWorkers += r.gradientBytes();
            }
            computeNanos = maxCompute;
            exchangeNanos = (t1 - t0) + maxExchange + (t3 - t2);
            jobNanos = t2 - t1;
            taskNanos = maxTask;
            bytesToWorkers = state.bytes();
            bytesFromWorkers = fromWorkers;
            return loss;
        }

        /** Sums the gradients in worker order into the driver's parameters; merges buffers; gathers outputs. */
        private double reduce(List<StepTask.Result> results) {
            double loss = StepTask.sumInto(model, results, batch.length);
            Tensor[] outs = new Tensor[workers];
            Tensor[] tgts = new Tensor[workers];
            for (StepTask.Result r : results) {
                if (r.count > 0) {
                    outs[r.partition] = TensorArrays.tensorOf(r.outputs, r.outputShape);
                    tgts[r.partition] = TensorArrays.tensorOf(r.targets, r.targetShape);
                }
            }
            gatherOutputs(outs, tgts);
            return loss;
        }

        /** Puts the workers' outputs and targets back into the batch's order. */
        private void gatherOutputs(Tensor[] outs, Tensor[] tgts) {
            if (metrics.isEmpty()) {
                return;
            }
            int[] rowOf = new int[batch.length];
            int[] workerOf = new int[batch.length];
            for (int p = 0; p < workers; p++) {
                int[] mine = StepTask.share(batch, workers, p);
                for (int i = 0; i < mine.length; i++) {
                    workerOf[mine[i]] = p;
                    rowOf[mine[i]] = i;
                }
            }
            List<Tensor> o = new ArrayList<>(batch.length);
            List<Tensor> t = new ArrayList<>(batch.length);
            for (int j = 0; j < batch.length; j++) {
                o.add(outs[workerOf[j]].select(0, rowOf[j]).unsqueeze(0));
                t.add(tgts[workerOf[j]].select(0, rowOf[j]).unsqueeze(0));
            }
            outputs = Tensor.cat(o, 0);
            targets = Tensor.cat(t, 0);
        }
    }

    // ------------------------------------------------------------------------------------------ checkpoints

    private void saveCheckpoint(
            JavaSparkContext sc,
            SparkFitOptions o,
            long globalStep,
            int epoch,
            int batch,
            long[] shuffleState,
            double lossSum,
            long seen)
            throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            tensors.put("model." + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Tensor> e : optimizer.stateDict().entrySet()) {
            tensors.put("optimizer." + e.getKey(), e.getValue());
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("epoch", String.valueOf(epoch));
        meta.put("batch", String.valueOf(batch));
        meta.put("global_step", String.valueOf(globalStep));
        meta.put("rng.shuffle", formatState(shuffleState));
        meta.put("loss_sum", Double.toString(lossSum));
        meta.put("seen", Long.toString(seen));
        meta.put("samples_seed", Long.toString(o.seed));
        meta.put("batch_size", String.valueOf(o.batchSize));
        meta.put("workers", String.valueOf(o.workers));
        meta.put("model_class", model.typeName());
        meta.put("optimizer_class", optimizer.name());
        meta.put("history", history.toCsv());
        SparkCheckpoint.write(o.checkpointDir, globalStep, tensors, meta, o.keepCheckpoints, sc.hadoopConfiguration());
    }

    private static void checkCompatible(SparkCheckpoint cp, SparkFitOptions o) throws IOException {
        String bs = cp.require("batch_size");
        if (Integer.parseInt(bs) != o.batchSize) {
            throw new IllegalArgumentException(
                    "SparkTrainer: checkpoint " + cp.location() + " was written with batch size " + bs
                            + ", but this run has " + o.batchSize + "; resuming would change the batches");
        }
        String seedUsed = cp.require("samples_seed");
        if (Long.parseLong(seedUsed) != o.seed) {
            throw new IllegalArgumentException("SparkTrainer: checkpoint " + cp.location()
                    + " was written with shuffling seed " + seedUsed + ", but this run has " + o.seed);
        }
        long step = Long.parseLong(cp.require("global_step"));
        if (step < 0 || Integer.parseInt(cp.require("epoch")) < 0 || Integer.parseInt(cp.require("batch")) < 0) {
            throw new IOException("SparkTrainer: checkpoint " + cp.location() + " has a negative position");
        }
    }

    private static String formatState(long[] s) {
        StringBuilder sb = new StringBuilder();
        for (long v : s) {
            sb.append(sb.length() == 0 ? "" : ",").append(v);
        }
        return sb.toString();
    }

    private static long[] parseState(String s) throws IOException {
        try {
            return Arrays.stream(s.split(",")).mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            throw new IOException("SparkTrainer: malformed generator state in checkpoint: " + s, e);
        }
    }

    /**
     * Evaluates the loss and the metrics on the driver (see {@link Trainer#evaluate(io.jgrad.data.Dataset, int)}).
     *
     * @param data local data with targets
     * @param batchSize samples per batch
     * @return {@code loss} and each metric
     */
    public Map<String, Double> evaluate(io.jgrad.data.Dataset data, int batchSize) {
        return Trainer.builder(model, lossFactory.get(), optimizer)
                .metrics(metrics.toArray(new Metric[0]))
                .build()
                .evaluate(data, batchSize);
    }
}
