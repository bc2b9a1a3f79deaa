package io.jgrad.spark;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.data.Batch;
import io.jgrad.layers.Module;
import io.jgrad.train.LossFunction;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * What one worker does to evaluate: the model in evaluation mode, without gradients, over its whole
 * shard in batches; it returns the loss sum and the outputs and targets for the metrics.
 */
final class EvalTask implements Function2<Integer, Iterator<Shard>, Iterator<EvalTask.Result>> {
    private static final long serialVersionUID = 1L;

    /** A worker's evaluation. */
    static final class Result implements Serializable {
        private static final long serialVersionUID = 1L;

        int partition;
        int count;
        /** The sum over batches of the batch's mean loss times its size. */
        double lossSum;

        Object outputs;
        int[] outputShape;
        Object targets;
        int[] targetShape;
    }

    private final String runId;
    private final SerializableSupplier<Module> modelFactory;
    private final SerializableSupplier<LossFunction> lossFactory;
    private final Broadcast<TensorArrays> state;
    private final int batchSize;

    EvalTask(
            String runId,
            SerializableSupplier<Module> modelFactory,
            SerializableSupplier<LossFunction> lossFactory,
            Broadcast<TensorArrays> state,
            int batchSize) {
        this.runId = runId;
        this.modelFactory = modelFactory;
        this.lossFactory = lossFactory;
        this.state = state;
        this.batchSize = batchSize;
    }

    @Override
    @SuppressWarnings("try") // the no-grad scope is used for its side effect
    public Iterator<Result> call(Integer p, Iterator<Shard> shards) {
        Shard shard = shards.next();
        Result r = new Result();
        r.partition = p;
        r.count = shard.size();
        if (r.count == 0) {
            return List.of(r).iterator();
        }
        StepTask.Replica replica = StepTask.Replica.borrow(runId, modelFactory, lossFactory);
        try (var off = Autograd.noGrad()) {
            Module model = replica.model;
            model.loadStateDict(state.value().toTensors());
            model.eval();
            List<io.jgrad.core.Tensor> outs = new java.util.ArrayList<>();
            List<io.jgrad.core.Tensor> tgts = new java.util.ArrayList<>();
            for (int from = 0; from < r.count; from += batchSize) {
                int n = Math.min(batchSize, r.count - from);
                int[] pos = new int[n];
                for (int i = 0; i < n; i++) {
                    pos[i] = from + i;
                }
                Batch b = shard.batch(pos);
                Variable out = model.call(Variable.constant(b.input()));
                Variable l = replica.loss.compute(out, Variable.constant(b.target()));
                r.lossSum += (l.dim() == 0 ? l : l.mean()).item() * n;
                outs.add(out.data());
                tgts.add(b.target());
            }
            io.jgrad.core.Tensor o = io.jgrad.core.Tensor.cat(outs, 0).contiguous();
            io.jgrad.core.Tensor t = io.jgrad.core.Tensor.cat(tgts, 0).contiguous();
            r.outputs = TensorArrays.arrayOf(o);
            r.outputShape = o.shape();
            r.targets = TensorArrays.arrayOf(t);
            r.targetShape = t.shape();
        } finally {
            StepTask.Replica.giveBack(runId, replica);
        }
        return List.of(r).iterator();
    }
}
