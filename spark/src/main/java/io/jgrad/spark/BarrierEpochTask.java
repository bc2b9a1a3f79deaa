package io.jgrad.spark;

import io.jgrad.autograd.Parameter;
import io.jgrad.layers.Module;
import io.jgrad.optim.ClipGrad;
import io.jgrad.optim.Optimizer;
import io.jgrad.train.LossFunction;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import scala.runtime.AbstractFunction1;

/**
 * One epoch of {@link Exchange#BARRIER} training in one barrier task: the task keeps its replica
 * and its own optimizer, and each step exchanges its share's gradient with every other task through
 * {@code BarrierTaskContext.allGather}, sums all of them in worker order and makes the step, so that
 * every replica stays identical to the others and to what {@link Exchange#BROADCAST} computes.
 */
final class BarrierEpochTask
        extends AbstractFunction1<scala.collection.Iterator<Shard>, scala.collection.Iterator<BarrierEpochTask.Output>>
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What a task returns at the end of the epoch. */
    static final class Output implements Serializable {
        private static final long serialVersionUID = 1L;

        int partition;
        /** The batch losses (every task computes the same ones). */
        double[] losses;

        long[] computeNanos;
        long[] exchangeNanos;
        long[] bytesOut;
        /** The model's and the optimizer's state at the end (task 0 only). */
        TensorArrays model;

        TensorArrays optimizer;
        /** This task's outputs and targets over the epoch, for the metrics. */
        List<Object> outputs = new ArrayList<>();

        List<int[]> outputShapes = new ArrayList<>();
        List<Object> targets = new ArrayList<>();
        List<int[]> targetShapes = new ArrayList<>();
    }

    private final String runId;
    private final SerializableSupplier<Module> modelFactory;
    private final SerializableSupplier<LossFunction> lossFactory;
    private final SerializableFunction<Module, Optimizer> optimizerFactory;
    private final Broadcast<TensorArrays[]> state;
    private final int[] order;
    private final int batchSize;
    private final int numBatches;
    private final int workers;
    private final long seed;
    private final long firstStep;
    private final double clipNorm;

    BarrierEpochTask(
            String runId,
            SerializableSupplier<Module> modelFactory,
            SerializableSupplier<LossFunction> lossFactory,
            SerializableFunction<Module, Optimizer> optimizerFactory,
            Broadcast<TensorArrays[]> state,
            int[] order,
            int batchSize,
            int numBatches,
            int workers,
            long seed,
            long firstStep,
            double clipNorm) {
        this.runId = runId;
        this.modelFactory = modelFactory;
        this.lossFactory = lossFactory;
        this.optimizerFactory = optimizerFactory;
        this.state = state;
        this.order = order;
        this.batchSize = batchSize;
        this.numBatches = numBatches;
        this.workers = workers;
        this.seed = seed;
        this.firstStep = firstStep;
        this.clipNorm = clipNorm;
    }

    @Override
    public scala.collection.Iterator<Output> apply(scala.collection.Iterator<Shard> shards) {
        BarrierTaskContext ctx = BarrierTaskContext.get();
        int p = ctx.partitionId();
        Shard shard = shards.next();
        Output out = new Output();
        out.partition = p;
        out.losses = new double[numBatches];
        out.computeNanos = new long[numBatches];
        out.exchangeNanos = new long[numBatches];
        out.bytesOut = new long[numBatches];
        StepTask.Replica replica = StepTask.Replica.borrow(runId, modelFactory, lossFactory);
        try {
            Module model = replica.model;
            TensorArrays[] s = state.value();
            model.loadStateDict(s[0].toTensors());
            Optimizer optimizer = optimizerFactory.apply(model);
            optimizer.loadStateDict(s[1].toTensors());
            for (int b = 0; b < numBatches; b++) {
                int[] batch = Arrays.copyOfRange(order, b * batchSize, Math.min(order.length, (b + 1) * batchSize));
                long t0 = System.nanoTime();
                StepTask.Result r =
                        StepTask.compute(replica, shard, batch, workers, p, StepTask.mix(seed, firstStep + b, 0));
                long t1 = System.nanoTime();
                if (r.count > 0) {
                    out.outputs.add(r.outputs);
                    out.outputShapes.add(r.outputShape);
                    out.targets.add(r.targets);
                    out.targetShapes.add(r.targetShape);
                }
                r.outputs = null;
                r.targets = null;
                String message = encode(r);
                String[] all = ctx.allGather(message);
                List<StepTask.Result> results = new ArrayList<>(all.length);
                for (String m : all) {
                    results.add(decode(m));
                }
                double loss = StepTask.sumInto(model, results, batch.length);
                if (clipNorm > 0) {
                    ClipGrad.clipGradNorm(model.parameters(), clipNorm);
                }
                optimizer.step(() -> loss);
                for (Parameter q : model.parameters()) {
                    q.zeroGrad();
                }
                out.losses[b] = loss;
                out.computeNanos[b] = t1 - t0;
                out.exchangeNanos[b] = System.nanoTime() - t1;
                out.bytesOut[b] = message.length();
            }
            if (p == 0) {
                out.model = TensorArrays.of(model.stateDict());
                out.optimizer = TensorArrays.of(optimizer.stateDict());
            }
        } finally {
            StepTask.Replica.giveBack(runId, replica);
        }
        return scala.jdk.javaapi.CollectionConverters.asScala(List.of(out).iterator());
    }

    private static String encode(StepTask.Result r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static StepTask.Result decode(String m) {
        try (ObjectInputStream in = new ObjectInputStream(
                new ByteArrayInputStream(Base64.getDecoder().decode(m)))) {
            return (StepTask.Result) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("SparkTrainer: a worker's gradient message could not be read", e);
        }
    }
}
