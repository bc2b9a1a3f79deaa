package io.jgrad.train.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.train.History;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's "Functional models" example is {@link TwoTowers} as printed (this test compares the
 * two texts), so it compiles; here it also trains on pairs of points from five clusters.
 */
class FunctionalModelReadmeTest {
    @Test
    void readmePrintsTheCompiledExample() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
        String printed = ReadmeExampleTest.between(readme, "<!-- functional-model -->\n```java", "```");
        String source = Files.readString(
                root.resolve("train/src/test/java/io/jgrad/train/readme/TwoTowers.java"), StandardCharsets.UTF_8);
        String compiled = ReadmeExampleTest.between(
                source,
                "(the README prints the lines between the markers; FunctionalModelReadmeTest keeps them equal)",
                "// --- end");
        assertEquals(compiled, printed);
    }

    @Test
    void theExampleLearnsBothOutputs() throws Exception {
        int n = 600;
        Generator g = new Generator(21);
        Tensor centers = Tensor.randn(g, 5, 20);
        int[] kl = new int[n];
        int[] kr = new int[n];
        float[] same = new float[n];
        for (int i = 0; i < n; i++) {
            kl[i] = i % 5;
            kr[i] = i % 2 == 0 ? kl[i] : (i / 2 + 1 + i % 3) % 5;
            same[i] = kl[i] == kr[i] ? 1 : 0;
        }
        Tensor kinds = Tensor.of(kl, n);
        Tensor left = centers.indexSelect(0, kinds).add(Tensor.randn(g, n, 20));
        Tensor right = centers.indexSelect(0, Tensor.of(kr, n)).add(Tensor.randn(g, n, 20));
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        History h;
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            System.setOut(ps);
            h = TwoTowers.train(left, right, Tensor.of(same, n, 1), kinds.to(DType.INT32));
        } finally {
            System.setOut(old);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("encoder[1] (Linear)") && text.contains("Total params: 870"), text);
        int last = h.size() - 1;
        // chance is 0.2 for the kind and 0.5 for "same"
        assertTrue(h.get("val_kind_accuracy").get(last) > 0.9, "kind " + h.get("val_kind_accuracy"));
        assertTrue(h.get("val_same_accuracy").get(last) > 0.85, "same " + h.get("val_same_accuracy"));
        assertTrue(h.get("same_loss").get(last) < h.get("same_loss").get(0) / 2, "same loss " + h.get("same_loss"));
    }
}
