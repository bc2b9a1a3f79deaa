package io.jgrad.spark;

import static io.jgrad.spark.SparkFixtures.adam;
import static io.jgrad.spark.SparkFixtures.blobs;
import static io.jgrad.spark.SparkFixtures.crossEntropy;
import static io.jgrad.spark.SparkFixtures.mlp;
import static io.jgrad.spark.SparkFixtures.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.Module;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on a standalone cluster of separate JVMs (a Master, two Workers, their executors), so that
 * data and gradients cross process boundaries; and killing an executor with SIGKILL mid-training, with
 * both exchanges.
 */
class StandaloneClusterTest {
    private static final int EPOCHS = 3;
    private static final int BATCH = 24;
    private static final long SEED = 17;

    @TempDir
    Path tmp;

    @Test
    void twoWorkerJvmsEqualSingleMachineAndSurviveAKilledExecutor() throws Exception {
        LocalSpark.stop();
        // 96 samples in batches of 24: 4 steps per epoch, 12 in all
        TensorDataset data = blobs(96, 5, 31, DType.FLOAT64);
        Module reference = single(mlp(5, DType.FLOAT64, false), adam(), data, EPOCHS, BATCH, SEED);
        try (StandaloneCluster cluster = new StandaloneCluster(tmp, 2)) {
            SparkConf conf = new SparkConf()
                    .setMaster(cluster.url)
                    .setAppName("jgrad-spark-standalone-test")
                    .set("spark.ui.enabled", "false")
                    .set("spark.driver.host", "127.0.0.1")
                    .set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.executor.cores", "1")
                    .set("spark.cores.max", "2")
                    .set("spark.executor.memory", "512m")
                    .set("spark.executor.extraClassPath", cluster.classPath)
                    .set("spark.executor.extraJavaOptions", cluster.jvmFlags + " -Djgrad.threads=1")
                    .set("spark.task.maxFailures", "8");
            JavaSparkContext sc = new JavaSparkContext(conf);
            try {
                sc.setLogLevel("WARN");
                SparkData train = SparkData.fromLocal(sc, data, 2);
                SparkTrainer plain = SparkTrainer.builder(mlp(5, DType.FLOAT64, false), crossEntropy(), adam())
                        .build();
                plain.fit(sc, train, options());
                double d = SparkFixtures.maxRelDiff(plain.model(), reference);
                assertTrue(d <= 1e-10, "cluster vs single machine: relative difference " + d);
                List<ProcessHandle> executors = cluster.executors();
                assertEquals(2, executors.size(), "executor JVMs: " + executors + "\n" + cluster.logs());
                assertTrue(executors.stream()
                        .noneMatch(h -> h.pid() == ProcessHandle.current().pid()));

                // the barrier exchange: the gradients go from executor to executor through allGather
                SparkTrainer barrier = SparkTrainer.builder(mlp(5, DType.FLOAT64, false), crossEntropy(), adam())
                        .build();
                barrier.fit(sc, train, options().exchange(Exchange.BARRIER));
                assertTrue(
                        SparkFixtures.identical(barrier.model(), plain.model()),
                        "barrier vs broadcast on the cluster: "
                                + SparkFixtures.maxRelDiff(barrier.model(), plain.model()));

                // the same run, with one executor JVM killed (SIGKILL) after step 6 of 12
                AtomicLong killed = new AtomicLong(-1);
                SparkTrainer hit = SparkTrainer.builder(mlp(5, DType.FLOAT64, false), crossEntropy(), adam())
                        .build();
                hit.fit(sc, train, options().listeners((t, s) -> {
                    if (s.globalStep() == 5) {
                        ProcessHandle victim = cluster.executors().get(0);
                        victim.destroyForcibly();
                        victim.onExit().get();
                        killed.set(victim.pid());
                    }
                }));
                assertTrue(killed.get() > 0, "no executor was killed");
                assertTrue(ProcessHandle.of(killed.get()).isEmpty(), "the killed executor still runs");
                assertTrue(
                        SparkFixtures.identical(hit.model(), plain.model()),
                        "after the kill: relative difference " + SparkFixtures.maxRelDiff(hit.model(), plain.model())
                                + "\n" + cluster.logs());

                // the barrier exchange, with one executor JVM killed (SIGKILL) inside the stage of epoch 2,
                // at its 6th step of 12: Spark restarts the epoch's barrier stage on all tasks, from the
                // state broadcast at the epoch's start, so the run ends with the same weights
                Path marker = tmp.resolve("killed-executor");
                SparkTrainer barrierHit = SparkTrainer.builder(
                                mlp(5, DType.FLOAT64, false), SelfKillingLoss.factory(marker, 6), adam())
                        .build();
                barrierHit.fit(sc, train, options().exchange(Exchange.BARRIER));
                assertTrue(Files.exists(marker), "no executor was killed in the barrier run");
                long barrierVictim = Long.parseLong(Files.readString(marker).trim());
                assertTrue(ProcessHandle.of(barrierVictim).isEmpty(), "the killed executor still runs");
                assertTrue(
                        SparkFixtures.identical(barrierHit.model(), plain.model()),
                        "barrier run after the kill: relative difference "
                                + SparkFixtures.maxRelDiff(barrierHit.model(), plain.model()) + "\n" + cluster.logs());
            } finally {
                sc.stop();
            }
        }
    }

    private static SparkFitOptions options() {
        return new SparkFitOptions().epochs(EPOCHS).batchSize(BATCH).seed(SEED).workers(2);
    }
}
