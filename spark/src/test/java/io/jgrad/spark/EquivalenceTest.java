package io.jgrad.spark;

import static io.jgrad.spark.SparkFixtures.adam;
import static io.jgrad.spark.SparkFixtures.blobs;
import static io.jgrad.spark.SparkFixtures.crossEntropy;
import static io.jgrad.spark.SparkFixtures.maxRelDiff;
import static io.jgrad.spark.SparkFixtures.mlp;
import static io.jgrad.spark.SparkFixtures.sgdMomentum;
import static io.jgrad.spark.SparkFixtures.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.Module;
import io.jgrad.train.History;
import io.jgrad.train.Metric;
import java.io.IOException;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** Data-parallel training on a local master equals single-machine training with the Trainer. */
class EquivalenceTest {
    // 203 samples in batches of 32: the last batch has 11, and shares are uneven
    private static final int N = 203;
    private static final int BATCH = 32;
    private static final int EPOCHS = 3;
    private static final long SEED = 41;

    private static Module spark(JavaSparkContext sc, DType dtype, TensorDataset data, int workers) throws IOException {
        SparkTrainer t = SparkTrainer.builder(mlp(5, dtype, false), crossEntropy(), adam())
                .build();
        t.fit(
                sc,
                SparkData.fromLocal(sc, data, 3),
                new SparkFitOptions().epochs(EPOCHS).batchSize(BATCH).seed(SEED).workers(workers));
        return t.model();
    }

    @Test
    void float64EqualsSingleMachineFor1And2And4WorkersAndRepeatsBitForBit() throws IOException {
        JavaSparkContext sc = LocalSpark.get("local[2]");
        TensorDataset data = blobs(N, 5, 3, DType.FLOAT64);
        Module reference = single(mlp(5, DType.FLOAT64, false), adam(), data, EPOCHS, BATCH, SEED);
        Module untrained = mlp(5, DType.FLOAT64, false).get();
        // training moved the weights far more than the tolerance
        assertTrue(
                maxRelDiff(untrained, reference) > 0.05,
                "training changed too little: " + maxRelDiff(untrained, reference));
        for (int w : new int[] {1, 2, 4}) {
            Module m = spark(sc, DType.FLOAT64, data, w);
            double d = maxRelDiff(m, reference);
            assertTrue(d <= 1e-10, w + " workers: relative difference " + d);
            if (w == 4) {
                Module again = spark(sc, DType.FLOAT64, data, w);
                assertTrue(SparkFixtures.identical(m, again), "4 workers twice: not bit for bit equal");
            }
        }
    }

    @Test
    void float32WithinSummationOrderToleranceAndBitForBitPerWorkerCount() throws IOException {
        JavaSparkContext sc = LocalSpark.get("local[2]");
        TensorDataset data = blobs(N, 5, 4, DType.FLOAT32);
        Module reference = single(mlp(5, DType.FLOAT32, false), adam(), data, EPOCHS, BATCH, SEED);
        Module one = spark(sc, DType.FLOAT32, data, 1);
        // one worker sums nothing: the same operations as the Trainer (the scaling by share/batch is by 1)
        assertTrue(SparkFixtures.identical(one, reference), "1 worker, float32: " + maxRelDiff(one, reference));
        Module two = spark(sc, DType.FLOAT32, data, 2);
        Module twoAgain = spark(sc, DType.FLOAT32, data, 2);
        assertTrue(SparkFixtures.identical(two, twoAgain), "2 workers twice: not bit for bit equal");
        // 21 Adam steps in float32: summation order changes the last bits of each gradient (about 1e-7
        // relative here); the stated tolerance is 1e-5 of the largest weight
        double d = maxRelDiff(two, reference);
        assertTrue(d <= 1e-5, "2 workers, float32: relative difference " + d);
    }

    @Test
    void momentumOnFourCoresEqualsSingleMachine() throws IOException {
        JavaSparkContext sc = LocalSpark.get("local[4]");
        TensorDataset data = blobs(N, 5, 5, DType.FLOAT64);
        Module reference = single(mlp(5, DType.FLOAT64, false), sgdMomentum(), data, EPOCHS, BATCH, SEED);
        SparkTrainer t = SparkTrainer.builder(mlp(5, DType.FLOAT64, false), crossEntropy(), sgdMomentum())
                .build();
        t.fit(
                sc,
                SparkData.fromLocal(sc, data, 4),
                new SparkFitOptions().epochs(EPOCHS).batchSize(BATCH).seed(SEED).workers(4));
        double d = maxRelDiff(t.model(), reference);
        assertTrue(d <= 1e-10, "relative difference " + d);
    }

    @Test
    void historyAndMetricsMatchTheTrainer() throws IOException {
        JavaSparkContext sc = LocalSpark.get("local[2]");
        TensorDataset data = blobs(N, 5, 6, DType.FLOAT64);
        TensorDataset val = blobs(60, 5, 7, DType.FLOAT64);
        Module m = mlp(5, DType.FLOAT64, false).get();
        io.jgrad.train.Trainer single = io.jgrad.train.Trainer.builder(
                        m, new io.jgrad.layers.CrossEntropyLoss(), adam().apply(m))
                .metrics(Metric.accuracy())
                .build();
        History hs = single.fit(
                data,
                new io.jgrad.train.FitOptions()
                        .epochs(EPOCHS)
                        .batchSize(BATCH)
                        .seed(SEED)
                        .prefetch(0)
                        .validationData(val)
                        .verbose(false));
        SparkTrainer t = SparkTrainer.builder(mlp(5, DType.FLOAT64, false), crossEntropy(), adam())
                .metrics(Metric.accuracy())
                .build();
        History h = t.fit(
                sc,
                SparkData.fromLocal(sc, data, 2),
                new SparkFitOptions()
                        .epochs(EPOCHS)
                        .batchSize(BATCH)
                        .seed(SEED)
                        .workers(2)
                        .validationData(val));
        assertEquals(hs.keys(), h.keys());
        for (String k : hs.keys()) {
            for (int e = 0; e < EPOCHS; e++) {
                assertEquals(hs.get(k).get(e), h.get(k).get(e), 1e-9, k + " at epoch " + e);
            }
        }
        assertTrue(h.get("val_accuracy").get(EPOCHS - 1) > 0.6, "val accuracy " + h.get("val_accuracy"));

        // validation data held by Spark, evaluated by the executors (3 partitions, batches of 7)
        SparkTrainer t2 = SparkTrainer.builder(mlp(5, DType.FLOAT64, false), crossEntropy(), adam())
                .metrics(Metric.accuracy())
                .build();
        SparkData sparkVal = SparkData.fromLocal(sc, val, 3);
        History h2 = t2.fit(
                sc,
                SparkData.fromLocal(sc, data, 2),
                new SparkFitOptions()
                        .epochs(EPOCHS)
                        .batchSize(BATCH)
                        .seed(SEED)
                        .workers(2)
                        .validationData(sparkVal)
                        .validationBatchSize(7));
        assertEquals(hs.keys(), h2.keys());
        for (String k : hs.keys()) {
            for (int e = 0; e < EPOCHS; e++) {
                assertEquals(hs.get(k).get(e), h2.get(k).get(e), 1e-9, k + " at epoch " + e + " (Spark validation)");
            }
        }
        java.util.Map<String, Double> local = single.evaluate(val, 16);
        java.util.Map<String, Double> distributed = t2.evaluate(sc, sparkVal, 16);
        assertEquals(local.keySet(), distributed.keySet());
        assertEquals(local.get("loss"), distributed.get("loss"), 1e-9);
        assertEquals(local.get("accuracy"), distributed.get("accuracy"), 1e-12);
    }

    /** A small CNN on 8x8 images: convolution, ReLU, max pooling and a linear layer. */
    private static SerializableSupplier<Module> cnn(DType dtype) {
        return () -> {
            Module m = new io.jgrad.layers.Sequential(
                    new io.jgrad.layers.Conv2d(1, 4, 3, 1, 1),
                    new io.jgrad.layers.ReLU(),
                    new io.jgrad.layers.MaxPool2d(2),
                    new io.jgrad.layers.Flatten(),
                    new io.jgrad.layers.Linear(4 * 4 * 4, 3));
            m.resetParameters(new io.jgrad.core.Generator(8));
            return m.to(dtype);
        };
    }

    @Test
    void convolutionalNetworkFloat64EqualsSingleMachine() throws IOException {
        JavaSparkContext sc = LocalSpark.get("local[2]");
        TensorDataset flat = blobs(80, 64, 9, DType.FLOAT64);
        TensorDataset data = new TensorDataset(flat.input().reshape(80, 1, 8, 8), flat.target());
        Module reference = single(cnn(DType.FLOAT64), adam(), data, 2, 16, SEED);
        SparkTrainer t =
                SparkTrainer.builder(cnn(DType.FLOAT64), crossEntropy(), adam()).build();
        t.fit(
                sc,
                SparkData.fromLocal(sc, data, 2),
                new SparkFitOptions().epochs(2).batchSize(16).seed(SEED).workers(2));
        double d = maxRelDiff(t.model(), reference);
        assertTrue(d <= 1e-10, "CNN, 2 workers: relative difference " + d);
    }
}
