package io.jgrad.spark;

import static io.jgrad.spark.SparkFixtures.adam;
import static io.jgrad.spark.SparkFixtures.blobs;
import static io.jgrad.spark.SparkFixtures.crossEntropy;
import static io.jgrad.spark.SparkFixtures.mlp;
import static io.jgrad.spark.SparkFixtures.sgdMomentum;
import static io.jgrad.spark.SparkFixtures.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.Module;
import io.jgrad.train.History;
import io.jgrad.train.Metric;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** The barrier-stage exchange (allGather between tasks, an optimizer per worker) gives the broadcast exchange's weights. */
class BarrierExchangeTest {
    private static SparkTrainer run(
            JavaSparkContext sc, TensorDataset data, DType dtype, boolean batchNorm, Exchange ex, List<StepStats> stats)
            throws IOException {
        SparkTrainer t = SparkTrainer.builder(
                        mlp(5, dtype, batchNorm), crossEntropy(), batchNorm ? sgdMomentum() : adam())
                .metrics(Metric.accuracy())
                .build();
        t.fit(
                sc,
                SparkData.fromLocal(sc, data, 2),
                new SparkFitOptions()
                        .epochs(3)
                        .batchSize(16)
                        .seed(4)
                        .workers(2)
                        .exchange(ex)
                        .listeners((tr, s) -> stats.add(s)));
        return t;
    }

    @Test
    void sameWeightsAndHistoryAsBroadcastAndSingleMachine() throws IOException {
        JavaSparkContext sc = LocalSpark.get("local[2]");
        TensorDataset data = blobs(90, 5, 61, DType.FLOAT64);
        List<StepStats> sb = new ArrayList<>();
        List<StepStats> sr = new ArrayList<>();
        SparkTrainer broadcast = run(sc, data, DType.FLOAT64, false, Exchange.BROADCAST, sb);
        SparkTrainer barrier = run(sc, data, DType.FLOAT64, false, Exchange.BARRIER, sr);
        assertTrue(
                SparkFixtures.identical(barrier.model(), broadcast.model()),
                "barrier vs broadcast: " + SparkFixtures.maxRelDiff(barrier.model(), broadcast.model()));
        // and so single-machine training, and the optimizer state came back to the driver too
        Module reference = single(mlp(5, DType.FLOAT64, false), adam(), data, 3, 16, 4);
        assertTrue(SparkFixtures.maxRelDiff(barrier.model(), reference) <= 1e-10);
        assertTrue(barrier.optimizer()
                .stateDict()
                .keySet()
                .equals(broadcast.optimizer().stateDict().keySet()));
        History hb = broadcast.history();
        History hr = barrier.history();
        assertEquals(hb.get("loss"), hr.get("loss"));
        assertEquals(hb.get("accuracy"), hr.get("accuracy"));
        // 90 samples in batches of 16: 6 steps per epoch, each reported once, with its batch loss
        assertEquals(18, sr.size());
        for (int i = 0; i < 18; i++) {
            assertEquals(sb.get(i).loss(), sr.get(i).loss(), 0.0, "step " + i);
            assertEquals(i, sr.get(i).globalStep());
            assertTrue(sr.get(i).bytesFromWorkers() > 0);
        }
    }

    @Test
    void float32AndBatchNormAgreeBitForBit() throws IOException {
        JavaSparkContext sc = LocalSpark.get("local[2]");
        // 64 samples: every batch of 16 splits into shares of several samples (batch norm needs at least 2)
        TensorDataset data = blobs(64, 5, 62, DType.FLOAT32);
        SparkTrainer broadcast = run(sc, data, DType.FLOAT32, true, Exchange.BROADCAST, new ArrayList<>());
        SparkTrainer barrier = run(sc, data, DType.FLOAT32, true, Exchange.BARRIER, new ArrayList<>());
        assertTrue(
                SparkFixtures.identical(barrier.model(), broadcast.model()),
                "barrier vs broadcast: " + SparkFixtures.maxRelDiff(barrier.model(), broadcast.model()));
    }

    @Test
    void checkpointsNeedTheBroadcastExchange() {
        JavaSparkContext sc = LocalSpark.get("local[2]");
        TensorDataset data = blobs(20, 5, 63, DType.FLOAT64);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SparkTrainer.builder(mlp(5, DType.FLOAT64, false), crossEntropy(), adam())
                        .build()
                        .fit(
                                sc,
                                SparkData.fromLocal(sc, data, 1),
                                new SparkFitOptions().exchange(Exchange.BARRIER).checkpoints("file:///tmp/unused", 5)));
        assertTrue(e.getMessage().contains("need Exchange.BROADCAST"), e.getMessage());
    }
}
