package io.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.spark.example.SparkFashionMnist;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fast run of the spark-fashion-mnist example on small made-up IDX files, and its option errors. */
class SparkFashionMnistTest {
    @TempDir
    Path tmp;

    /** Writes IDX files of {@code n} 28x28 images whose class is the row holding the brightest stripe. */
    private static void writeSplit(Path dir, String prefix, int n, long seed) throws IOException {
        Random r = new Random(seed);
        ByteBuffer img = ByteBuffer.allocate(16 + n * 784)
                .putInt(0x803)
                .putInt(n)
                .putInt(28)
                .putInt(28);
        ByteBuffer lab = ByteBuffer.allocate(8 + n).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(10);
            for (int p = 0; p < 784; p++) {
                int row = p / 28;
                img.put((byte) (row / 3 == c ? 200 + r.nextInt(50) : r.nextInt(60)));
            }
            lab.put((byte) c);
        }
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), img.array());
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), lab.array());
    }

    private static String run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SparkFashionMnist.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return code + "\n" + out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void mlpOnLocalMasterMatchesSingleMachine() throws Exception {
        LocalSpark.stop();
        writeSplit(tmp, "train", 256, 1);
        writeSplit(tmp, "t10k", 100, 2);
        String s = run(
                "--master",
                "local[2]",
                "--model",
                "mlp",
                "--epochs",
                "2",
                "--data",
                tmp.toString(),
                "--batch-size",
                "32",
                "--out",
                tmp.resolve("out").toString());
        assertTrue(s.startsWith("0\n"), s);
        Matcher m = Pattern.compile(
                        "(?m)^result: master=local\\[2\\] workers=2 model=mlp test_acc=([0-9.]+) single_acc=([0-9.]+)"
                                + " max_weight_diff=([0-9.eE+-]+) seconds=([0-9.]+) exchange=broadcast$")
                .matcher(s);
        assertTrue(m.find(), s);
        double acc = Double.parseDouble(m.group(1));
        assertEquals(Double.parseDouble(m.group(2)), acc, 0.011, s);
        assertTrue(acc > 0.8, "the stripes are easy: " + s);
        assertTrue(Double.parseDouble(m.group(3)) < 1e-4, s);
        assertTrue(Files.exists(tmp.resolve("out").resolve("spark-fashion-mnist-mlp.safetensors")));
        assertTrue(s.trim().endsWith(m.group(0)), "the result line comes last: " + s);
        // the barrier exchange trains to the same weights, so to the same accuracies
        String b = run(
                "--master",
                "local[2]",
                "--epochs",
                "2",
                "--data",
                tmp.toString(),
                "--batch-size",
                "32",
                "--exchange",
                "barrier");
        assertTrue(
                b.contains(" model=mlp test_acc=" + m.group(1) + " single_acc=" + m.group(2) + " max_weight_diff="
                                + m.group(3) + " seconds=")
                        && b.trim().endsWith("exchange=barrier"),
                b);
    }

    @Test
    void helpAndBadOptions() throws Exception {
        String help = run("--help");
        assertTrue(help.startsWith("0\n") && help.contains("--model NAME") && help.contains("--master URL"), help);
        assertTrue(run("--model", "rnn").contains("--model must be mlp or cnn, got rnn"));
        assertTrue(run("--epochs", "0").contains("--epochs must be >= 1, got 0"));
        assertTrue(run("--frobnicate", "1").contains("unknown option --frobnicate"));
        assertTrue(run("--exchange", "ring").contains("--exchange must be broadcast or barrier, got ring"));
        assertTrue(run("--epochs").contains("option --epochs needs a value"));
    }
}
