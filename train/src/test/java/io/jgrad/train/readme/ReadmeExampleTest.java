package io.jgrad.train.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "train a classifier on a CSV" example is {@link CsvClassifier} as printed (this test
 * compares the two texts), so it compiles; here it also runs on a small CSV and learns.
 */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    static String between(String text, String start, String end) {
        int a = text.indexOf(start);
        int b = text.indexOf(end, a + start.length());
        assertTrue(a >= 0 && b > a, "markers " + start + " / " + end + " not found");
        return text.substring(a + start.length(), b).strip();
    }

    @Test
    void readmePrintsTheCompiledExample() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
        String printed = between(readme, "<!-- csv-classifier -->\n```java", "```");
        String source = Files.readString(
                root.resolve("train/src/test/java/io/jgrad/train/readme/CsvClassifier.java"), StandardCharsets.UTF_8);
        String compiled = between(
                source,
                "(the README prints the lines between the markers; ReadmeExampleTest keeps them equal)",
                "// --- end");
        assertEquals(compiled, printed);
        long lines = compiled.lines().filter(l -> !l.isBlank()).count();
        assertTrue(lines <= 25, "the example has " + lines + " lines");
    }

    @Test
    void theExampleTrainsOnACsv() throws Exception {
        // three well separated classes in 4 features, named like iris's
        Generator g = new Generator(5);
        StringBuilder csv = new StringBuilder("f1,f2,f3,f4,species\n");
        String[] names = {"setosa", "versicolor", "virginica"};
        for (int i = 0; i < 150; i++) {
            int c = i % 3;
            Tensor x = Tensor.randn(g, 4).mul(0.5).add(c * 2.0);
            csv.append(String.format(
                    Locale.ROOT,
                    "%.4f,%.4f,%.4f,%.4f,%s%n",
                    x.getDouble(0) * 10,
                    x.getDouble(1),
                    x.getDouble(2) - 5,
                    x.getDouble(3),
                    names[c]));
        }
        Path file = dir.resolve("data.csv");
        Files.writeString(file, csv);
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String cwd = System.getProperty("user.dir");
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(ps);
            CsvClassifier.main(new String[] {file.toString()});
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        String acc = text.substring(text.lastIndexOf("test accuracy: ") + 15).strip();
        assertTrue(Double.parseDouble(acc) >= 0.9, text);
        Path saved = Path.of(cwd, "classifier.safetensors");
        assertTrue(Files.exists(saved));
        Files.delete(saved);
    }
}
