package io.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.spark.example.SparkStepBenchmark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The step benchmark runs (a tiny configuration; its timings are not looked at). */
class SparkStepBenchmarkTest {
    @Test
    void tinyRunPrintsOneLinePerConfiguration() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        SparkStepBenchmark.run(
                LocalSpark.get("local[2]"),
                new String[] {"--models", "mlp", "--batches", "8", "--workers", "1,2", "--steps", "3", "--warmup", "1"},
                new PrintStream(buf, true, StandardCharsets.UTF_8));
        String s = buf.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("exchange model batch workers step_ms"), s);
        // the MLP has 101,770 float parameters: 407,080 bytes of weights out, and as many gradient bytes per worker
        // back
        assertTrue(s.contains("\nbroadcast mlp 8 1 ") && s.contains(" 407080 407080\n"), s);
        assertTrue(s.contains("\nbroadcast mlp 8 2 ") && s.contains(" 407080 814160\n"), s);
        // the barrier exchange's messages are base-64 (4/3 of the bytes and a little framing): every task receives all
        Matcher m =
                Pattern.compile("\nbarrier mlp 8 2 (?:\\S+ ){5}(\\d+) (\\d+)\n").matcher(s);
        assertTrue(m.find(), s);
        long from = Long.parseLong(m.group(2));
        assertTrue(from > 2 * 407080 * 4 / 3.0 && from < 2 * 407080 * 4 / 3.0 * 1.05, s);
        assertEquals(2 * from, Long.parseLong(m.group(1)));
    }
}
