package io.jgrad.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small shared helpers: the PNG grid writer, sampling with a temperature, the result line. */
class HelpersTest {
    @TempDir
    Path tmp;

    @Test
    void imageGridPlacesEveryPixelAndBorder() throws Exception {
        // row 0: two 2x3 images (n, 1, H, W); row 1: one image (n, H, W) with values outside [0, 1]
        Tensor a = Tensor.wrap(new float[] {0f, 0.5f, 1f, 0.25f, 0.75f, 0.1f, 1f, 1f, 1f, 0f, 0f, 0f}, 2, 1, 2, 3);
        Tensor b = Tensor.wrap(new float[] {-1f, 2f, 0.5f, 0f, 1f, Float.NaN}, 1, 2, 3);
        int scale = 2;
        Path png = tmp.resolve("sub/grid.png");
        ImageGrid.write(png, List.of(a, b), scale);
        BufferedImage img = ImageIO.read(png.toFile());
        int g = ImageGrid.GAP;
        assertEquals(g + 2 * (3 * scale + g), img.getWidth());
        assertEquals(g + 2 * (2 * scale + g), img.getHeight());
        float[][] expected = {a.toFloatArray(), b.toFloatArray()};
        for (int r = 0; r < 2; r++) {
            int count = r == 0 ? 2 : 1;
            for (int k = 0; k < count; k++) {
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 3; j++) {
                        float v = expected[r][(k * 2 + i) * 3 + j];
                        int want = Float.isNaN(v) ? 0 : Math.round(Math.max(0, Math.min(1, v)) * 255);
                        for (int dy = 0; dy < scale; dy++) {
                            for (int dx = 0; dx < scale; dx++) {
                                int x = g + k * (3 * scale + g) + j * scale + dx;
                                int y = g + r * (2 * scale + g) + i * scale + dy;
                                assertEquals(
                                        want,
                                        img.getRaster().getSample(x, y, 0),
                                        "row " + r + " image " + k + " pixel " + i + "," + j);
                            }
                        }
                    }
                }
            }
        }
        // borders and the empty cell of the shorter row are mid-grey
        assertEquals(128, img.getRaster().getSample(0, 0, 0));
        assertEquals(128, img.getRaster().getSample(g + 3 * scale, g, 0));
        assertEquals(128, img.getRaster().getSample(img.getWidth() - 1 - g, img.getHeight() - 1 - g, 0));
    }

    @Test
    void colourGridPlacesEveryChannel() throws Exception {
        // one 1x2 image: a red and a cyan pixel
        Tensor rgb = Tensor.wrap(new float[] {1f, 0f, 0f, 1f, 0f, 1f}, 1, 3, 1, 2);
        Path png = tmp.resolve("rgb.png");
        ImageGrid.writeRgb(png, List.of(rgb), 1);
        BufferedImage img = ImageIO.read(png.toFile());
        int g = ImageGrid.GAP;
        assertEquals(g + 2 + g, img.getWidth());
        assertEquals(0xFF0000, img.getRGB(g, g) & 0xFFFFFF);
        assertEquals(0x00FFFF, img.getRGB(g + 1, g) & 0xFFFFFF);
        assertEquals(0x808080, img.getRGB(0, 0) & 0xFFFFFF);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ImageGrid.drawRgb(List.of(Tensor.zeros(1, 1, 2, 2)), 1));
        assertTrue(e.getMessage().contains("(n, 3, H, W)"), e.getMessage());
    }

    @Test
    void segmentationScoresCountIntersectionsAndUnions() {
        // truth:     0 0 1 1 2 2      predicted: 0 1 1 1 2 0
        int[] truth = {0, 0, 1, 1, 2, 2};
        int[] predicted = {0, 1, 1, 1, 2, 0};
        double[] iou = new double[4];
        assertEquals(4.0 / 6, SegmentationExample.scores(predicted, truth, iou), 1e-12);
        assertEquals(1.0 / 3, iou[0], 1e-12); // {0} of {0, 1, 5}
        assertEquals(2.0 / 3, iou[1], 1e-12); // {2, 3} of {1, 2, 3}
        assertEquals(1.0 / 2, iou[2], 1e-12); // {4} of {4, 5}
        assertEquals(1.0, iou[3], 1e-12); // absent from both
    }

    @Test
    void syntheticShapesAreReproducibleAndLabelled() {
        var a = SyntheticShapes.generate(40, 24, 0.05, new Generator(3));
        var b = SyntheticShapes.generate(40, 24, 0.05, new Generator(3));
        assertTrue(a.input().equal(b.input()));
        assertTrue(a.target().equal(b.target()));
        int[] counts = new int[SyntheticShapes.CLASSES];
        for (int c : a.target().toIntArray()) {
            counts[c]++;
        }
        for (int c = 0; c < counts.length; c++) {
            assertTrue(counts[c] > 0, "class " + c + " never drawn");
        }
        assertTrue(
                counts[0] > counts[1] && counts[0] > counts[2] && counts[0] > counts[3],
                java.util.Arrays.toString(counts));
        // a noiseless image is flat inside a shape: every labelled pixel of one image has few distinct values
        var clean = SyntheticShapes.generate(1, 24, 0, new Generator(4));
        float[] x = clean.input().toFloatArray();
        int[] y = clean.target().toIntArray();
        java.util.Set<Float> shapeValues = new java.util.HashSet<>();
        for (int i = 0; i < y.length; i++) {
            if (y[i] != 0) {
                shapeValues.add(x[i]);
            }
        }
        assertTrue(!shapeValues.isEmpty() && shapeValues.size() <= 3, shapeValues.toString());
        assertThrows(IllegalArgumentException.class, () -> SyntheticShapes.generate(1, 8, 0, new Generator(1)));
    }

    @Test
    void imageGridRejectsMixedSizesAndNonImages() {
        Tensor small = Tensor.zeros(1, 1, 2, 2);
        Tensor big = Tensor.zeros(1, 1, 3, 3);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ImageGrid.draw(List.of(small, big), 1));
        assertTrue(e.getMessage().contains("2x2 and 3x3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImageGrid.draw(List.of(Tensor.zeros(2, 3, 4, 4)), 1));
        assertTrue(e.getMessage().contains("(2, 3, 4, 4)"), e.getMessage());
    }

    @Test
    void samplingAtTemperatureZeroIsTheArgmax() {
        double[] logits = {0.1, 2.0, -1.0, 2.0, 1.9};
        assertEquals(1, Sampling.sample(logits, 0, new Generator(1)));
    }

    @Test
    void samplingFollowsTheSoftmaxOfTheScaledLogits() {
        double[] logits = {1.0, 0.0, -1.0, 2.0};
        for (double temperature : new double[] {1.0, 0.5, 2.0}) {
            double[] p = new double[logits.length];
            double sum = 0;
            for (int k = 0; k < p.length; k++) {
                p[k] = Math.exp(logits[k] / temperature);
                sum += p[k];
            }
            int n = 40000;
            int[] counts = new int[logits.length];
            Generator g = new Generator(7);
            for (int i = 0; i < n; i++) {
                counts[Sampling.sample(logits, temperature, g)]++;
            }
            for (int k = 0; k < p.length; k++) {
                double expected = p[k] / sum;
                double observed = counts[k] / (double) n;
                // 5 binomial standard deviations
                double tol = 5 * Math.sqrt(expected * (1 - expected) / n);
                assertEquals(expected, observed, tol, String.format(Locale.ROOT, "T=%s class %d", temperature, k));
            }
        }
    }

    @Test
    void samplingNeverPicksAnImpossibleToken() {
        double[] logits = {Double.NEGATIVE_INFINITY, 0.0, Double.NEGATIVE_INFINITY};
        Generator g = new Generator(3);
        for (int i = 0; i < 100; i++) {
            assertEquals(1, Sampling.sample(logits, 1.0, g));
        }
        assertThrows(IllegalArgumentException.class, () -> Sampling.sample(new double[] {1}, -1, g));
    }

    @Test
    void resultLineIsOneLineOfKeyValuePairsWithADotDecimal() {
        Locale old = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            String s = new ResultLine()
                    .put("test_acc", 0.91234, 4)
                    .put("epochs", 3)
                    .put("model", "cnn-bn")
                    .put("seconds", 41.25, 1)
                    .toString();
            assertEquals("result: test_acc=0.9123 epochs=3 model=cnn-bn seconds=41.3", s);
        } finally {
            Locale.setDefault(old);
        }
        assertThrows(IllegalArgumentException.class, () -> new ResultLine().put("model", "two words"));
    }

    @Test
    void stepProgressPrintsALineEveryNStepsOrRedrawsOnATerminal() {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream ps = new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8);
        StepProgress log = new StepProgress(ps, 10, 4, false);
        for (int s = 1; s <= 10; s++) {
            log.step(s, 1.0 / s);
        }
        String[] lines = buf.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length, buf.toString(UTF_8));
        assertTrue(lines[0].startsWith("  step 4/10 loss 0.250  ") && lines[0].endsWith(" left"), lines[0]);
        assertTrue(lines[1].startsWith("  step 8/10 loss 0.125  "), lines[1]);
        buf.reset();
        StepProgress bar = new StepProgress(ps, 3, 100, true);
        bar.step(1, 2.0);
        bar.step(2, 1.5);
        bar.clear();
        String out = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(3, out.split("\r", -1).length - 1, out); // two redraws and the clearing
        assertTrue(out.contains("step 2/3 loss 1.500") && !out.contains("\n"), out);
        assertEquals("1h01m", StepProgress.duration(3660));
        assertEquals("2m05s", StepProgress.duration(125));
        assertEquals("7s", StepProgress.duration(7.2));
    }

    @Test
    void irisIsShippedAndSplitByClass() {
        io.jgrad.data.TensorDataset all = ExampleData.iris();
        assertEquals(150, all.size());
        assertEquals(5.1f, all.input().getFloat(0, 0));
        assertEquals(1.8f, all.input().getFloat(149, 3));
        io.jgrad.data.TensorDataset[] split = ExampleData.irisSplit();
        assertEquals(120, split[0].size());
        assertEquals(30, split[1].size());
        int[] perClass = new int[3];
        for (int y : split[1].target().toIntArray()) {
            perClass[y]++;
        }
        assertEquals(List.of(10, 10, 10), List.of(perClass[0], perClass[1], perClass[2]));
        // the same split every time
        assertTrue(ExampleData.irisSplit()[1].input().equal(split[1].input()));
        Tensor[] z = ExampleData.standardize(split[0].input(), split[1].input());
        assertEquals(0, z[0].mean(0, false).abs().max().item(), 1e-5);
        assertEquals(1, z[0].std(new int[] {0}, 0, false).min().item(), 1e-4);
    }

    @Test
    void scatterPlotColoursEachClassAndRejectsMismatchedLabels() throws Exception {
        java.nio.file.Path png =
                java.nio.file.Files.createTempDirectory("scatter").resolve("p.png");
        ScatterPlot.write(
                png, new double[][] {{0, 0}, {1, 1}, {2, 0.5}}, new int[] {0, 1, 1}, new String[] {"a", "b"}, "t");
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(900, img.getWidth());
        assertEquals(700, img.getHeight());
        assertThrows(
                IllegalArgumentException.class,
                () -> ScatterPlot.write(png, new double[][] {{0, 0}}, new int[] {0, 1}, new String[] {"a"}, "t"));
    }

    @Test
    void meanAndSpreadOfSeeds() {
        double[] ms = Classifiers.meanStd(new double[] {1, 2, 3, 6});
        assertEquals(3.0, ms[0], 1e-12);
        assertEquals(Math.sqrt(14 / 3.0), ms[1], 1e-12);
        assertEquals(0.0, Classifiers.meanStd(new double[] {5})[1], 0);
        int[] calls = new int[2];
        double[] t = Classifiers.interleavedMillis(3, () -> calls[0]++, () -> calls[1]++);
        assertEquals(2, t.length);
        assertEquals(4, calls[0]); // one warm-up run, then 3 timed
        assertEquals(4, calls[1]);
    }
}
