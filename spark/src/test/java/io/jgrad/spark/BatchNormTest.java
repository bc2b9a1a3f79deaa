package io.jgrad.spark;

import static io.jgrad.spark.SparkFixtures.blobs;
import static io.jgrad.spark.SparkFixtures.crossEntropy;
import static io.jgrad.spark.SparkFixtures.maxRelDiff;
import static io.jgrad.spark.SparkFixtures.mlp;
import static io.jgrad.spark.SparkFixtures.sgdMomentum;
import static io.jgrad.spark.SparkFixtures.single;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.Module;
import io.jgrad.optim.Optimizer;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/**
 * Batch normalization: each worker normalizes its share with the share's statistics (no sync), and
 * the running statistics become the share-weighted mean of the workers'. With one worker that is
 * single-machine training.
 */
class BatchNormTest {
    @Test
    void oneWorkerEqualsSingleMachine() throws IOException {
        JavaSparkContext sc = LocalSpark.get("local[2]");
        TensorDataset data = blobs(96, 5, 11, DType.FLOAT64);
        Module reference = single(mlp(5, DType.FLOAT64, true), sgdMomentum(), data, 2, 16, 3);
        SparkTrainer t = SparkTrainer.builder(mlp(5, DType.FLOAT64, true), crossEntropy(), sgdMomentum())
                .build();
        t.fit(
                sc,
                SparkData.fromLocal(sc, data, 2),
                new SparkFitOptions().epochs(2).batchSize(16).seed(3).workers(1));
        double d = maxRelDiff(t.model(), reference);
        assertTrue(d <= 1e-10, "relative difference " + d);
    }

    @Test
    void twoWorkersUsePerShareStatisticsAndAverageTheRunningOnes() throws IOException {
        JavaSparkContext sc = LocalSpark.get("local[2]");
        // one step on one batch of 24 samples in order: worker 0 gets the even indices, worker 1 the odd
        TensorDataset data = blobs(24, 5, 12, DType.FLOAT64);
        SparkTrainer t = SparkTrainer.builder(mlp(5, DType.FLOAT64, true), crossEntropy(), sgdMomentum())
                .build();
        t.fit(
                sc,
                SparkData.fromLocal(sc, data, 2),
                new SparkFitOptions().epochs(1).batchSize(24).shuffle(false).workers(2));

        // the documented semantics, computed here on one machine
        Module model = mlp(5, DType.FLOAT64, true).get();
        Optimizer opt = sgdMomentum().apply(model);
        Map<String, Tensor> start = copy(model.stateDict());
        List<Parameter> params = model.parameters();
        Tensor[] grad = new Tensor[params.size()];
        Map<String, Tensor> running = new LinkedHashMap<>();
        for (int p = 0; p < 2; p++) {
            model.loadStateDict(start);
            model.train();
            model.zeroGrad();
            int[] idx = {p, p + 2, p + 4, p + 6, p + 8, p + 10, p + 12, p + 14, p + 16, p + 18, p + 20, p + 22};
            TensorDataset share = new TensorDataset(
                    data.input().indexSelect(0, Tensor.of(idx, 12)),
                    data.target().indexSelect(0, Tensor.of(idx, 12)));
            Variable out = model.call(Variable.constant(share.input()));
            new CrossEntropyLoss()
                    .forward(out, Variable.constant(share.target()))
                    .mul(0.5)
                    .backward();
            for (int k = 0; k < grad.length; k++) {
                grad[k] = grad[k] == null
                        ? params.get(k).grad()
                        : grad[k].add(params.get(k).grad());
            }
            for (Map.Entry<String, Tensor> e : model.namedBuffers().entrySet()) {
                Tensor v = !e.getValue().dtype().isFloatingPoint()
                        ? e.getValue().clone()
                        : e.getValue().mul(0.5);
                running.merge(e.getKey(), v, (a, b) -> !a.dtype().isFloatingPoint() ? a : a.add(b));
            }
        }
        model.loadStateDict(start);
        for (int k = 0; k < grad.length; k++) {
            params.get(k).setGrad(grad[k]);
        }
        opt.step();
        for (Map.Entry<String, Tensor> e : running.entrySet()) {
            model.namedBuffers().get(e.getKey()).copy_(e.getValue());
        }
        double d = maxRelDiff(t.model(), model);
        assertTrue(d <= 1e-12, "per-share statistics: relative difference " + d);

        // and that is not single-machine batch normalization over the whole batch
        Module whole = single(mlp(5, DType.FLOAT64, true), sgdMomentum(), data, 1, 24, 0);
        assertTrue(maxRelDiff(whole, model) > 1e-6, "per-share and whole-batch statistics should differ");
    }

    private static Map<String, Tensor> copy(Map<String, Tensor> s) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : s.entrySet()) {
            out.put(e.getKey(), e.getValue().clone());
        }
        return out;
    }
}
