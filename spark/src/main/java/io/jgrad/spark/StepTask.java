package io.jgrad.spark;

import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.Batch;
import io.jgrad.layers.Module;
import io.jgrad.train.LossFunction;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * What one worker does for one step: load the broadcast weights into its replica, run the forward and
 * backward pass on its share of the global batch, and return the gradient of its share's
 * contribution to the batch loss.
 */
final class StepTask implements Function2<Integer, Iterator<Shard>, Iterator<StepTask.Result>> {
    private static final long serialVersionUID = 1L;

    /** A worker's answer for one step. */
    static final class Result implements Serializable {
        private static final long serialVersionUID = 1L;

        int partition;
        int count;
        /** The sum over the share's samples of the per-sample loss (its mean times its count). */
        double lossSum;
        /** One gradient per parameter of {@code Module.namedParameters()}, or null where none. */
        Object[] grads;
        /** The persistent buffers after the forward pass (batch-norm statistics). */
        TensorArrays buffers;

        Object outputs;
        int[] outputShape;
        Object targets;
        int[] targetShape;
        long computeNanos;
        long exchangeNanos;
        long totalNanos;

        long gradientBytes() {
            long b = 0;
            if (grads != null) {
                for (Object g : grads) {
                    b += TensorArrays.bytesOf(g);
                }
            }
            return b;
        }
    }

    private final String runId;
    private final SerializableSupplier<Module> modelFactory;
    private final SerializableSupplier<LossFunction> lossFactory;
    private final Broadcast<TensorArrays> state;
    private final int[] batch;
    private final int workers;
    private final long rngSeed;

    StepTask(
            String runId,
            SerializableSupplier<Module> modelFactory,
            SerializableSupplier<LossFunction> lossFactory,
            Broadcast<TensorArrays> state,
            int[] batch,
            int workers,
            long rngSeed) {
        this.runId = runId;
        this.modelFactory = modelFactory;
        this.lossFactory = lossFactory;
        this.state = state;
        this.batch = batch;
        this.workers = workers;
        this.rngSeed = rngSeed;
    }

    /** The positions in the global batch that belong to worker {@code p}, in batch order. */
    static int[] share(int[] batch, int workers, int p) {
        int n = 0;
        for (int i : batch) {
            if (i % workers == p) {
                n++;
            }
        }
        int[] out = new int[n];
        n = 0;
        for (int j = 0; j < batch.length; j++) {
            if (batch[j] % workers == p) {
                out[n++] = j;
            }
        }
        return out;
    }

    /** The seed of worker {@code p}'s generator (dropout) for a step: a SplitMix64 mix. */
    static long mix(long seed, long a, long b) {
        long z = seed + 0x9E3779B97F4A7C15L * (a + 1) + 0xBF58476D1CE4E5B9L * (b + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public Iterator<Result> call(Integer p, Iterator<Shard> shards) {
        long t0 = System.nanoTime();
        Shard shard = shards.next();
        TensorArrays weights = state.value();
        Replica replica = Replica.borrow(runId, modelFactory, lossFactory);
        Result r;
        try {
            replica.model.loadStateDict(weights.toTensors());
            long t1 = System.nanoTime();
            r = compute(replica, shard, batch, workers, p, rngSeed);
            r.exchangeNanos = t1 - t0;
        } finally {
            Replica.giveBack(runId, replica);
        }
        r.totalNanos = System.nanoTime() - t0;
        return List.of(r).iterator();
    }

    /**
     * Worker {@code p}'s forward and backward pass on its share of a global batch, with the replica's
     * current weights; the replica's gradients are cleared again afterwards.
     */
    static Result compute(Replica replica, Shard shard, int[] batch, int workers, int p, long rngSeed) {
        long t1 = System.nanoTime();
        Result r = new Result();
        r.partition = p;
        int[] mine = share(batch, workers, p);
        r.count = mine.length;
        Module model = replica.model;
        if (mine.length > 0) {
            int[] pos = new int[mine.length];
            for (int i = 0; i < pos.length; i++) {
                pos[i] = shard.position(batch[mine[i]]);
            }
            Batch b = shard.batch(pos);
            model.train();
            model.setGenerator(new Generator(mix(rngSeed, p, 0)));
            model.zeroGrad();
            Variable out = model.call(Variable.constant(b.input()));
            Variable l = replica.loss.compute(out, Variable.constant(b.target()));
            Variable mean = l.dim() == 0 ? l : l.mean();
            // this share's part of the mean over the global batch: mean * count / batch
            mean.mul(mine.length / (double) batch.length).backward();
            r.lossSum = mean.item() * mine.length;
            Map<String, Parameter> params = model.namedParameters();
            r.grads = new Object[params.size()];
            int k = 0;
            for (Parameter q : params.values()) {
                r.grads[k++] = TensorArrays.arrayOf(q.grad());
            }
            Map<String, Tensor> buffers = new LinkedHashMap<>(model.stateDict());
            buffers.keySet().removeAll(params.keySet());
            r.buffers = TensorArrays.of(buffers);
            r.outputs = TensorArrays.arrayOf(out.data().contiguous());
            r.outputShape = out.data().shape();
            r.targets = TensorArrays.arrayOf(b.target());
            r.targetShape = b.target().shape();
            model.zeroGrad();
        }
        r.computeNanos = System.nanoTime() - t1;
        return r;
    }

    /**
     * Sums the workers' gradients in worker order into the model's parameters (the gradient of the
     * batch's mean loss) and sets its buffers to the share-weighted mean of the workers' (integer
     * buffers, counters, to the first worker's).
     *
     * @return the batch's mean loss
     */
    static double sumInto(Module model, List<Result> results, int batchLength) {
        List<Parameter> params = new ArrayList<>(model.namedParameters().values());
        Tensor[] sum = new Tensor[params.size()];
        double lossSum = 0;
        Map<String, Tensor> buffers = new LinkedHashMap<>(model.stateDict());
        buffers.keySet().removeAll(model.namedParameters().keySet());
        Map<String, Tensor> merged = new LinkedHashMap<>();
        for (Result r : results) {
            if (r.count == 0) {
                continue;
            }
            lossSum += r.lossSum;
            for (int k = 0; k < sum.length; k++) {
                Object g = r.grads[k];
                if (g != null) {
                    Tensor t = TensorArrays.tensorOf(g, params.get(k).data().shape());
                    sum[k] = sum[k] == null ? t : sum[k].add(t);
                }
            }
            double w = r.count / (double) batchLength;
            for (Map.Entry<String, Tensor> e : r.buffers.toTensors().entrySet()) {
                Tensor v = e.getValue();
                Tensor prev = merged.get(e.getKey());
                if (!TensorArrays.isFloating(v.dtype())) {
                    merged.putIfAbsent(e.getKey(), v);
                } else {
                    Tensor part = w == 1.0 ? v : v.mul(w);
                    merged.put(e.getKey(), prev == null ? part : prev.add(part));
                }
            }
        }
        for (int k = 0; k < sum.length; k++) {
            params.get(k).setGrad(sum[k]);
        }
        for (Map.Entry<String, Tensor> e : merged.entrySet()) {
            Tensor own = buffers.get(e.getKey());
            if (own != null) {
                own.copy_(e.getValue().to(own.dtype()));
            }
        }
        return lossSum / batchLength;
    }

    /** A model and its loss on an executor, reused from step to step of one run. */
    static final class Replica {
        private static final Map<String, ConcurrentLinkedDeque<Replica>> POOLS = new ConcurrentHashMap<>();

        final Module model;
        final LossFunction loss;

        private Replica(Module model, LossFunction loss) {
            this.model = model;
            this.loss = loss;
        }

        static Replica borrow(
                String runId,
                SerializableSupplier<Module> modelFactory,
                SerializableSupplier<LossFunction> lossFactory) {
            // only the newest run keeps replicas: those of finished runs are dropped
            if (!POOLS.containsKey(runId)) {
                POOLS.keySet().removeIf(k -> !k.equals(runId));
            }
            Replica r = POOLS.computeIfAbsent(runId, k -> new ConcurrentLinkedDeque<>())
                    .pollFirst();
            if (r != null) {
                return r;
            }
            Module m = modelFactory.get();
            if (m == null) {
                throw new IllegalStateException("SparkTrainer: the model factory returned null");
            }
            LossFunction l = lossFactory.get();
            if (l == null) {
                throw new IllegalStateException("SparkTrainer: the loss factory returned null");
            }
            return new Replica(m, l);
        }

        static void giveBack(String runId, Replica r) {
            ConcurrentLinkedDeque<Replica> pool = POOLS.get(runId);
            if (pool != null) {
                pool.addFirst(r);
            }
        }

        static List<String> runs() {
            return new ArrayList<>(POOLS.keySet());
        }
    }
}
