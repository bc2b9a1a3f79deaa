package io.jgrad.spark;

import static io.jgrad.spark.SparkFixtures.adam;
import static io.jgrad.spark.SparkFixtures.blobs;
import static io.jgrad.spark.SparkFixtures.crossEntropy;
import static io.jgrad.spark.SparkFixtures.mlp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.data.TensorDataset;
import io.jgrad.train.History;
import io.jgrad.train.Metric;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints every K steps, resuming to the same weights, and clear errors for bad checkpoints. */
class CheckpointTest {
    private static final int EPOCHS = 3;

    @TempDir
    Path tmp;

    private static SparkTrainer trainer() {
        return SparkTrainer.builder(mlp(5, DType.FLOAT64, false), crossEntropy(), adam())
                .metrics(Metric.accuracy())
                .build();
    }

    private static SparkFitOptions options(String dir) {
        // 100 samples in batches of 16: 7 steps per epoch, 21 in all; checkpoints every 4 steps
        return new SparkFitOptions()
                .epochs(EPOCHS)
                .batchSize(16)
                .seed(5)
                .workers(2)
                .checkpoints(dir, 4);
    }

    private static List<Path> checkpoints(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".ckpt"))
                    .sorted()
                    .toList();
        }
    }

    @Test
    void resumingAfterAStopMidEpochGivesTheUninterruptedWeights() throws IOException {
        JavaSparkContext sc = LocalSpark.get("local[2]");
        TensorDataset data = blobs(100, 5, 21, DType.FLOAT64);
        SparkData train = SparkData.fromLocal(sc, data, 2);
        SparkTrainer whole = trainer();
        History hw = whole.fit(sc, train, options(tmp.resolve("a").toUri().toString()));

        // stop with an error after step 10 (mid-epoch 1): the newest checkpoint is the one after step 8
        String dir = tmp.resolve("b").toUri().toString();
        SparkTrainer first = trainer();
        IllegalStateException stop = assertThrows(
                IllegalStateException.class,
                () -> first.fit(sc, train, options(dir).listeners((t, s) -> {
                    if (s.globalStep() == 9) {
                        throw new IllegalStateException("stopped at step 10");
                    }
                })));
        assertEquals("stopped at step 10", stop.getMessage());
        List<Path> files = checkpoints(tmp.resolve("b"));
        assertEquals(
                List.of(SparkCheckpoint.fileName(4), SparkCheckpoint.fileName(8)),
                files.stream().map(p -> p.getFileName().toString()).toList());
        SparkCheckpoint cp = SparkCheckpoint.read(dir, sc.hadoopConfiguration());
        assertEquals("1", cp.metadata().get("epoch"));
        assertEquals("1", cp.metadata().get("batch"));
        assertFalse(SparkFixtures.identical(first.model(), whole.model()));

        SparkTrainer resumed = trainer();
        History hr = resumed.fit(sc, train, options(dir).resumeFrom(dir));
        assertTrue(
                SparkFixtures.identical(resumed.model(), whole.model()),
                "resumed weights differ by " + SparkFixtures.maxRelDiff(resumed.model(), whole.model()));
        assertEquals(hw.get("loss"), hr.get("loss"));
        // only the newest two are kept, and no temporary file is left behind
        assertEquals(
                List.of(SparkCheckpoint.fileName(16), SparkCheckpoint.fileName(20)),
                checkpoints(tmp.resolve("b")).stream()
                        .map(p -> p.getFileName().toString())
                        .toList());
        try (Stream<Path> s = Files.list(tmp.resolve("b"))) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".tmp-")));
        }
    }

    @Test
    void missingAndDamagedCheckpointsAreClearErrors() throws IOException {
        JavaSparkContext sc = LocalSpark.get("local[2]");
        TensorDataset data = blobs(40, 5, 22, DType.FLOAT64);
        SparkData train = SparkData.fromLocal(sc, data, 2);
        String missing = tmp.resolve("none").toUri().toString();
        FileNotFoundException nf = assertThrows(
                FileNotFoundException.class,
                () -> trainer().fit(sc, train, options(missing).resumeFrom(missing)));
        assertTrue(
                nf.getMessage().contains("no checkpoint at") && nf.getMessage().contains("none"), nf.getMessage());
        Files.createDirectories(tmp.resolve("empty"));
        String empty = tmp.resolve("empty").toUri().toString();
        FileNotFoundException ne = assertThrows(
                FileNotFoundException.class,
                () -> trainer().fit(sc, train, options(empty).resumeFrom(empty)));
        assertTrue(ne.getMessage().contains("holds no checkpoint"), ne.getMessage());

        String dir = tmp.resolve("c").toUri().toString();
        trainer()
                .fit(
                        sc,
                        train,
                        new SparkFitOptions()
                                .epochs(2)
                                .batchSize(16)
                                .seed(5)
                                .workers(2)
                                .checkpoints(dir, 2));
        List<Path> files = checkpoints(tmp.resolve("c"));
        Path newest = files.get(files.size() - 1);
        // one flipped bit in the weights
        try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
            f.seek(f.length() - 3);
            int b = f.read();
            f.seek(f.length() - 3);
            f.write(b ^ 0x10);
        }
        // Hadoop's local file system keeps its own checksum beside the file and notices first
        IOException flipped = assertThrows(
                IOException.class, () -> trainer().fit(sc, train, options(dir).resumeFrom(dir)));
        assertTrue(
                flipped.getMessage().contains("is damaged")
                        && flipped.getMessage().contains(newest.getFileName().toString()),
                flipped.getMessage());
        // without it (file systems that keep none), the checkpoint's own CRC-32 does
        Files.delete(newest.resolveSibling("." + newest.getFileName() + ".crc"));
        IOException flipped2 = assertThrows(
                IOException.class, () -> trainer().fit(sc, train, options(dir).resumeFrom(dir)));
        assertTrue(
                flipped2.getMessage().contains("is damaged")
                        && flipped2.getMessage().contains("CRC-32"),
                flipped2.getMessage());
        // a truncated file
        byte[] all = Files.readAllBytes(newest);
        Files.write(newest, java.util.Arrays.copyOf(all, all.length / 2));
        IOException cut = assertThrows(
                IOException.class,
                () -> trainer()
                        .fit(sc, train, options(dir).resumeFrom(newest.toUri().toString())));
        assertTrue(cut.getMessage().contains("damaged or not a checkpoint"), cut.getMessage());
        // not a checkpoint at all
        Path other = tmp.resolve("other.ckpt");
        Files.writeString(other, "hello");
        IOException junk = assertThrows(
                IOException.class,
                () -> trainer()
                        .fit(sc, train, options(dir).resumeFrom(other.toUri().toString())));
        assertTrue(junk.getMessage().contains("other.ckpt"), junk.getMessage());
        // a checkpoint of another batch size would change the batches
        String good = tmp.resolve("d").toUri().toString();
        trainer()
                .fit(
                        sc,
                        train,
                        new SparkFitOptions()
                                .epochs(1)
                                .batchSize(16)
                                .seed(5)
                                .workers(2)
                                .checkpoints(good, 1));
        IllegalArgumentException bs = assertThrows(
                IllegalArgumentException.class,
                () -> trainer()
                        .fit(
                                sc,
                                train,
                                new SparkFitOptions().batchSize(8).seed(5).resumeFrom(good)));
        assertTrue(bs.getMessage().contains("batch size 16"), bs.getMessage());
    }
}
