package io.jgrad.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.data.TensorDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default example end to end, as CI runs it, and the launcher's choice of it. */
class DigitsExampleTest {
    private static final Pattern RESULT =
            Pattern.compile("result: test_acc=(\\d\\.\\d{4}) test_loss=\\d+\\.\\d{4} epochs=1 seconds=\\d+\\.\\d");

    @TempDir
    Path tmp;

    @Test
    void noExampleNameRunsDigitsToTheResultLine() throws Exception {
        Cli r = Cli.run("--epochs", "1", "--out", tmp.toString());
        assertEquals(0, r.exitCode, r.err);
        assertTrue(r.out.startsWith("digits: 1437 training and 360 test images"), r.out);
        Matcher m = RESULT.matcher(r.lastLine());
        assertTrue(m.matches(), "last line: " + r.lastLine());
        // one epoch of the CNN is far above chance (0.1) already
        assertTrue(Double.parseDouble(m.group(1)) >= 0.5, r.lastLine());
        assertTrue(Files.readString(tmp.resolve("digits-history.csv")).startsWith("epoch,"));
        assertEquals(
                800, ImageIO.read(tmp.resolve("digits-history.png").toFile()).getWidth());
    }

    @Test
    void theDefaultIsInsertedOnlyWhenNoExampleIsNamed() {
        assertArrayEquals(new String[] {"digits"}, Main.withDefault(new String[0]));
        assertArrayEquals(new String[] {"digits", "--epochs", "2"}, Main.withDefault(new String[] {"--epochs", "2"}));
        assertArrayEquals(
                new String[] {"fashion-mnist", "--epochs", "2"},
                Main.withDefault(new String[] {"fashion-mnist", "--epochs", "2"}));
        assertArrayEquals(new String[] {"--help"}, Main.withDefault(new String[] {"--help"}));
    }

    @Test
    void theEmbeddedDigitsAreComplete() {
        TensorDataset d = ExampleData.digits();
        assertArrayEquals(new int[] {1797, 1, 8, 8}, d.input().shape());
        assertEquals(0.0, d.input().min().item());
        assertEquals(1.0, d.input().max().item());
        int[] counts = new int[10];
        for (int y : d.target().toIntArray()) {
            counts[y]++;
        }
        // the UCI set has 174 to 183 images of each digit
        for (int c : counts) {
            assertTrue(c >= 174 && c <= 183, java.util.Arrays.toString(counts));
        }
        TensorDataset[] split = ExampleData.digitsSplit();
        assertEquals(1437, split[0].size());
        assertEquals(360, split[1].size());
        // the split is fixed: the same images every time
        assertTrue(split[1].input().equal(ExampleData.digitsSplit()[1].input()));
    }

    @Test
    void invalidEpochsIsAUsageError() {
        Cli r = Cli.run("digits", "--epochs", "0");
        assertEquals(2, r.exitCode);
        assertTrue(r.err.contains("--epochs must be at least 1, got 0"), r.err);
    }
}
