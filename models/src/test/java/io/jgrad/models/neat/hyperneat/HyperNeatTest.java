package io.jgrad.models.neat.hyperneat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.models.neat.Activation;
import io.jgrad.models.neat.Genome;
import io.jgrad.models.neat.Neat;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HyperNeatTest {
    static final double T = 0.2;
    static final double MAX = 3.0;

    /** The paper's mapping for threshold 0.2 and weights up to 3, by hand. */
    static double w(double o) {
        double m = Math.min(Math.abs(o), 1);
        return m <= T ? 0 : Math.signum(o) * 3 * (m - 0.2) / 0.8;
    }

    @Test
    void thresholdAndScalingByHand() {
        assertEquals(0.0, HyperNeat.expressedWeight(0.1, T, MAX));
        assertEquals(0.0, HyperNeat.expressedWeight(-0.2, T, MAX), "at the threshold: not expressed");
        assertEquals(1.5, HyperNeat.expressedWeight(0.6, T, MAX), 1e-15);
        assertEquals(-1.5, HyperNeat.expressedWeight(-0.6, T, MAX), 1e-15);
        assertEquals(3.0, HyperNeat.expressedWeight(1.0, T, MAX), 1e-15);
        assertEquals(-3.0, HyperNeat.expressedWeight(-7.0, T, MAX), 1e-15, "magnitudes above 1 are capped");
        assertEquals(0.5, HyperNeat.expressedWeight(0.5, 0.0, 1.0), 1e-15, "no threshold, unit scale: the identity");
        assertThrows(IllegalArgumentException.class, () -> HyperNeat.expressedWeight(Double.NaN, T, MAX));
        assertThrows(IllegalArgumentException.class, () -> HyperNeat.expressedWeight(0.5, 1.0, MAX));
        assertThrows(IllegalArgumentException.class, () -> HyperNeat.expressedWeight(0.5, T, 0));
    }

    @Test
    void gridCoordinatesAreCellCentresAndResamplingKeepsThem() {
        Substrate.Grid g = new Substrate.Grid(11, 11);
        assertEquals(-1 + 1.0 / 11, g.x(0), 1e-15);
        assertEquals(0.0, g.x(5), 1e-15);
        assertEquals(1 - 1.0 / 11, g.y(10), 1e-15);
        Substrate s = Substrate.sandwich(11, 11);
        Substrate big = s.resampled(3);
        assertEquals(new Substrate.Grid(33, 33), big.layer(1));
        for (int c = 0; c < 11; c++) {
            assertEquals(g.x(c), big.layer(0).x(3 * c + 1), 1e-15, "the centre of each coarse cell is the coarse node");
        }
        assertEquals(121L * 121, s.connectionCount());
        assertEquals(0.0, new Substrate.Grid(1, 1).x(0), 0);
        assertThrows(IllegalArgumentException.class, () -> Substrate.of(new Substrate.Grid(2, 2)));
        assertThrows(IllegalArgumentException.class, () -> new Substrate.Grid(0, 3));
        assertThrows(IllegalArgumentException.class, () -> g.x(11));
        assertThrows(IllegalArgumentException.class, () -> s.resampled(0));
    }

    /** A CPPN of inputs x1 (0), y1 (1), x2 (2), y2 (3), bias 4, one linear output 5: o = x1 - 0.5 x2. */
    static Genome linearCppn() {
        return new Genome(4, 1)
                .setActivation(5, Activation.LINEAR)
                .addConnection(0, 0, 5, 1.0, true)
                .addConnection(1, 2, 5, -0.5, true);
    }

    @Test
    void substrateWeightsFromAHandBuiltCppn() {
        // two 1x2 layers: nodes at x = -0.5 and 0.5, y = 0
        HyperNeat h = new HyperNeat(
                Substrate.of(new Substrate.Grid(1, 2), new Substrate.Grid(1, 2)), new HyperNeat.Options());
        assertEquals(4, h.cppnInputs());
        assertEquals(1, h.cppnOutputs());
        SubstrateNetwork net = h.build(linearCppn());
        // o(i, j) = x_i - 0.5 x_j: -0.25, -0.75, 0.75, 0.25
        assertEquals(w(-0.25), net.weight(0, 0, 0), 1e-15);
        assertEquals(-0.1875, net.weight(0, 0, 0), 1e-15);
        assertEquals(-2.0625, net.weight(0, 0, 1), 1e-15);
        assertEquals(2.0625, net.weight(0, 1, 0), 1e-15);
        assertEquals(0.1875, net.weight(0, 1, 1), 1e-15);
        assertEquals(4, net.expressedConnections());
        // linear outputs: a_j = sum_i in_i w_ij
        double[] out = net.activate(new double[] {1, 2});
        assertEquals(-0.1875 + 2 * 2.0625, out[0], 1e-14);
        assertEquals(-2.0625 + 2 * 0.1875, out[1], 1e-14);
        // a stricter threshold leaves the two small ones unexpressed
        SubstrateNetwork sparse = new HyperNeat(
                        h.substrate(),
                        new HyperNeat.Options().weightThreshold(0.3).maxWeight(1))
                .build(linearCppn());
        assertEquals(0.0, sparse.weight(0, 0, 0));
        assertEquals(-(0.75 - 0.3) / 0.7, sparse.weight(0, 0, 1), 1e-15);
        assertEquals(2, sparse.expressedConnections());
        // the same CPPN on a finer substrate: 1x6 layers, nodes at x = -5/6, -1/2, ..., 5/6
        SubstrateNetwork fine = h.on(h.substrate().resampled(3)).build(linearCppn());
        assertEquals(w(-0.5 - 0.5 * (5.0 / 6)), fine.weight(0, 1, 5), 1e-12);
        assertEquals(net.weight(0, 0, 1), fine.weight(0, 1, 4), 1e-15, "the coarse nodes' weight is kept");
    }

    @Test
    void gaussianCppnAndDistanceInputAndHiddenLayer() {
        // o = exp(-(x1 - x2)^2) through a Gaussian hidden node 6 and a linear output 5
        Genome g = new Genome(4, 1)
                .setActivation(5, Activation.LINEAR)
                .addHiddenNode(6, Activation.GAUSSIAN)
                .addConnection(0, 0, 6, 1.0, true)
                .addConnection(1, 2, 6, -1.0, true)
                .addConnection(2, 6, 5, 1.0, true);
        HyperNeat h = new HyperNeat(
                Substrate.of(new Substrate.Grid(1, 2), new Substrate.Grid(1, 2)), new HyperNeat.Options());
        SubstrateNetwork net = h.build(g);
        assertEquals(3.0, net.weight(0, 0, 0), 1e-15);
        assertEquals(w(Math.exp(-1)), net.weight(0, 0, 1), 1e-15);
        assertEquals(net.weight(0, 0, 1), net.weight(0, 1, 0), 0, "symmetric");
        // the distance input
        HyperNeat hd = new HyperNeat(h.substrate(), new HyperNeat.Options().distanceInput(true));
        assertEquals(5, hd.cppnInputs());
        assertEquals(5.0, hd.cppnInput(0, 0, 3, 4)[4], 1e-15);
        // o = tanh-free linear 0.5 * d: d = 1 between the two nodes, 0 on the diagonal
        Genome gd = new Genome(5, 1).setActivation(6, Activation.LINEAR).addConnection(0, 4, 6, 0.5, true);
        SubstrateNetwork nd = hd.build(gd);
        assertEquals(0.0, nd.weight(0, 0, 0));
        assertEquals(w(0.5), nd.weight(0, 1, 0), 1e-15);
        // three layers: 1x2 -> 1x1 -> 1x2; output k of the CPPN gives layer k's weights; sigmoid hidden layer
        Genome two = new Genome(4, 2)
                .setActivation(5, Activation.LINEAR)
                .setActivation(6, Activation.LINEAR)
                .addConnection(0, 0, 5, 1.0, true)
                .addConnection(1, 4, 6, 0.6, true);
        HyperNeat h3 = new HyperNeat(
                Substrate.of(new Substrate.Grid(1, 2), new Substrate.Grid(1, 1), new Substrate.Grid(1, 2)),
                new HyperNeat.Options());
        assertEquals(2, h3.cppnOutputs());
        SubstrateNetwork n3 = h3.build(two);
        assertEquals(w(-0.5), n3.weight(0, 0, 0), 1e-15);
        assertEquals(w(0.5), n3.weight(0, 1, 0), 1e-15);
        assertEquals(1.5, n3.weight(1, 0, 1), 1e-15);
        double hidden = Activation.SIGMOID.apply(0.7 * w(-0.5) + 0.2 * w(0.5));
        double[] out = n3.activate(new double[] {0.7, 0.2});
        assertEquals(1.5 * hidden, out[0], 1e-14);
        assertEquals(1.5 * hidden, out[1], 1e-14);
    }

    @Test
    void clearErrorsOnBadArguments() {
        HyperNeat h = new HyperNeat(Substrate.sandwich(3, 3), new HyperNeat.Options());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.build(new Genome(2, 1)));
        assertTrue(e.getMessage().contains("4 inputs") && e.getMessage().contains("got 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new HyperNeat.Options().weightThreshold(1.0));
        assertThrows(IllegalArgumentException.class, () -> new HyperNeat.Options().maxWeight(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new HyperNeat(null, new HyperNeat.Options()));
        SubstrateNetwork net = h.build(linearCppn());
        assertThrows(IllegalArgumentException.class, () -> net.activate(new double[4]));
        assertThrows(IllegalArgumentException.class, () -> net.weight(1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> net.weight(0, 9, 0));
        e = assertThrows(IllegalArgumentException.class, () -> new BoxesTask(h));
        assertTrue(e.getMessage().contains("11s x 11s") && e.getMessage().contains("3x3"), e.getMessage());
        HyperNeat even = new HyperNeat(Substrate.sandwich(22, 22), new HyperNeat.Options());
        assertThrows(IllegalArgumentException.class, () -> new BoxesTask(even));
        assertThrows(IllegalArgumentException.class, () -> new BoxesTask.Trial(5, 5, 5, 6), "overlapping boxes");
        assertThrows(IllegalArgumentException.class, () -> new BoxesTask.Trial(0, 0, 10, 5), "large box out of view");
        assertThrows(IllegalArgumentException.class, () -> BoxesTask.field(new BoxesTask.Trial(0, 0, 5, 5), 2));
        assertThrows(IllegalArgumentException.class, () -> BoxesTask.fitness(-1, 75));
    }

    @Test
    void trainingAndTestPlacements() {
        List<BoxesTask.Trial> train = BoxesTask.trainingTrials();
        assertEquals(75, train.size());
        assertEquals(new BoxesTask.Trial(1, 1, 1, 6), train.get(0), "right");
        assertEquals(new BoxesTask.Trial(1, 1, 6, 1), train.get(1), "down");
        assertEquals(new BoxesTask.Trial(1, 1, 6, 6), train.get(2), "diagonal");
        // column 9 + 5 = 14 wraps to 3; row 5 + 5 = 10 is moved in to 9
        assertTrue(train.contains(new BoxesTask.Trial(5, 9, 5, 3)));
        assertTrue(train.contains(new BoxesTask.Trial(5, 5, 9, 5)));
        assertEquals(75, new HashSet<>(train).size());
        List<BoxesTask.Trial> test = BoxesTask.testTrials();
        Set<BoxesTask.Trial> seen = new HashSet<>(test);
        assertEquals(test.size(), seen.size());
        for (BoxesTask.Trial t : train) {
            assertFalse(seen.contains(t), "held out: " + t);
        }
        // 81 centres; per centre the pixels at Chebyshev distance >= 3, minus the training placements
        int all = 0;
        for (int lr = 1; lr <= 9; lr++) {
            for (int lc = 1; lc <= 9; lc++) {
                int rowsNear = Math.min(10, lr + 2) - Math.max(0, lr - 2) + 1;
                int colsNear = Math.min(10, lc + 2) - Math.max(0, lc - 2) + 1;
                all += 121 - rowsNear * colsNear;
            }
        }
        assertEquals(all - 75, test.size());
        assertEquals(7877, test.size());
    }

    @Test
    void fieldsDistancesAndFitnessByHand() {
        BoxesTask.Trial t = new BoxesTask.Trial(0, 0, 5, 6);
        double[] f1 = BoxesTask.field(t, 1);
        assertEquals(10.0, java.util.Arrays.stream(f1).sum());
        assertEquals(1.0, f1[0]);
        assertEquals(1.0, f1[4 * 11 + 5]);
        assertEquals(1.0, f1[6 * 11 + 7]);
        assertEquals(0.0, f1[6 * 11 + 8]);
        double[] f3 = BoxesTask.field(t, 3);
        assertEquals(90.0, java.util.Arrays.stream(f3).sum());
        assertEquals(1.0, f3[2 * 33 + 2]);
        assertEquals(0.0, f3[3 * 33 + 3]);
        assertEquals(1.0, f3[12 * 33 + 15]);
        // target (5, 6): at scale 1 node 61; at scale 3 node (16, 19)
        assertEquals(0.0, BoxesTask.distance(t, 5 * 11 + 6, 1));
        assertEquals(1.0, BoxesTask.distance(t, 5 * 11 + 7, 1));
        assertEquals(5.0, BoxesTask.distance(t, 8 * 11 + 10, 1), 1e-15);
        assertEquals(0.0, BoxesTask.distance(t, 16 * 33 + 19, 3));
        assertEquals(1.0 / 3, BoxesTask.distance(t, 16 * 33 + 20, 3), 1e-15);
        assertEquals(Math.sqrt(2) / 3, BoxesTask.distance(t, 15 * 33 + 18, 3), 1e-15);
        assertEquals(100.0, BoxesTask.fitness(0, 75));
        assertEquals(50.0, BoxesTask.fitness(75, 75), 1e-12);
        assertEquals(2, BoxesTask.argmax(new double[] {1, 3, 5, 5, -1}), "the first of equal maxima");
    }

    /** A network on the 11x11 sandwich with hand-set weights: 1 when source and target are within Chebyshev distance r. */
    static SubstrateNetwork boxFilter(int r) {
        Substrate s = Substrate.sandwich(11, 11);
        double[] w = new double[121 * 121];
        for (int i = 0; i < 121; i++) {
            for (int j = 0; j < 121; j++) {
                if (Math.max(Math.abs(i / 11 - j / 11), Math.abs(i % 11 - j % 11)) <= r) {
                    w[i * 121 + j] = 1;
                }
            }
        }
        return new SubstrateNetwork(s, new double[][] {w}, Activation.SIGMOID, Activation.LINEAR);
    }

    @Test
    void scoresOfKnownOutputs() {
        // a 3x3 box filter sums 9 at the large box's centre and less everywhere else: every answer right
        BoxesTask.Score perfect = BoxesTask.score(boxFilter(1), BoxesTask.trainingTrials());
        assertEquals(1.0, perfect.successRate());
        assertEquals(0.0, perfect.meanDistance());
        // no weights: every output 0, the answer is node 0 at (0, 0)
        Substrate s = Substrate.sandwich(11, 11);
        SubstrateNetwork zero =
                new SubstrateNetwork(s, new double[][] {new double[121 * 121]}, Activation.SIGMOID, Activation.LINEAR);
        BoxesTask.Trial t = new BoxesTask.Trial(1, 1, 1, 6);
        BoxesTask.Score one = BoxesTask.score(zero, List.of(t, new BoxesTask.Trial(9, 9, 4, 3)));
        assertEquals(2, one.trials());
        assertEquals(37 + 25, one.sumSquaredDistance(), 1e-12);
        assertEquals((Math.sqrt(37) + 5) / 2, one.meanDistance(), 1e-12);
        assertEquals(0.0, one.successRate());
        assertEquals(100.0 / (1 + 31), BoxesTask.fitness(one.sumSquaredDistance(), one.trials()), 1e-12);
    }

    @Test
    void aHandBuiltCppnSolvesTheTaskAtEveryResolution() {
        // o = exp(-(5 d)^2): weight 3 from a pixel to itself, w(exp(-25 (2/11)^2)) = 0.89 to its four neighbours and
        // nothing further (0.19 on the diagonal is under the threshold), so the large box's centre sums 3 + 4 * 0.89
        HyperNeat h = new HyperNeat(Substrate.sandwich(11, 11), new HyperNeat.Options().distanceInput(true));
        Genome cppn = gaussianOfDistance(1.0);
        SubstrateNetwork net11 = h.build(cppn);
        assertEquals(3.0, net11.weight(0, 60, 60), 1e-12);
        assertEquals(w(Math.exp(-25 * 4.0 / 121)), net11.weight(0, 60, 61), 1e-12);
        assertEquals(0.0, net11.weight(0, 60, 72));
        BoxesTask task = new BoxesTask(h);
        Neat.Evaluation e = task.evaluate(cppn);
        assertTrue(e.solved());
        assertEquals(100.0, e.fitness());
        BoxesTask.Score test = BoxesTask.score(net11, BoxesTask.testTrials());
        assertEquals(1.0, test.successRate());
        BoxesTask.Score big = BoxesTask.score(
                h.on(h.substrate().resampled(3)).build(cppn),
                BoxesTask.testTrials().subList(0, 100));
        assertEquals(1.0, big.withinHalfPixelRate(), "the answer stays in the large box's centre block at 33x33");
        assertTrue(big.meanDistance() < 0.5, "distance " + big.meanDistance());
        // the wrong sign finds the emptiest spot instead
        assertFalse(task.evaluate(gaussianOfDistance(-1.0)).solved());
    }

    /** Inputs x1, y1, x2, y2, d (0-4), bias 5, linear output 6, Gaussian hidden node 7: o = sign exp(-(5 d)^2). */
    static Genome gaussianOfDistance(double sign) {
        return new Genome(5, 1)
                .setActivation(6, Activation.LINEAR)
                .addHiddenNode(7, Activation.GAUSSIAN)
                .addConnection(0, 4, 7, 5.0, true)
                .addConnection(1, 7, 6, sign, true);
    }

    @Test
    void evolutionMakesProgressAndIsReproducible() {
        HyperNeat h = new HyperNeat(Substrate.sandwich(11, 11), new HyperNeat.Options().distanceInput(true));
        BoxesTask task = new BoxesTask(h);
        Neat.Result a =
                h.neat(HyperNeat.neatOptions().populationSize(30).seed(3)).run(task, 5);
        Neat.Result b =
                h.neat(HyperNeat.neatOptions().populationSize(30).seed(3)).run(task, 5);
        assertEquals(a.history(), b.history());
        assertTrue(a.best().sameGenes(b.best()));
        assertTrue(a.history().get(a.history().size() - 1).bestFitness()
                > a.history().get(0).meanFitness());
        for (io.jgrad.models.neat.NodeGene n : a.best().nodes()) {
            if (n.type() == io.jgrad.models.neat.NodeGene.Type.OUTPUT) {
                assertEquals(Activation.TANH, n.activation());
            }
        }
    }

    @Test
    void pictures(@TempDir Path dir) throws Exception {
        Path w = dir.resolve("w/weights.png");
        SubstrateImage.writeWeights(boxFilter(1), 0, w, 2);
        BufferedImage img = ImageIO.read(w.toFile());
        assertEquals(2 + 11 * (22 + 2), img.getWidth());
        // tile of source node 0 (top left): its weight to target 0 is 1 (deep blue), to target 5 is 0 (white)
        assertEquals(0xff0000ff, img.getRGB(2, 2));
        assertEquals(0xffffffff, img.getRGB(2 + 5 * 2, 2));
        Path hm = dir.resolve("hm.png");
        double[] v = {0, 1, 2, 3};
        SubstrateImage.writeHeatmaps(
                hm,
                List.of(
                        List.of(new SubstrateImage.Heatmap(2, 2, v, 3, "a")),
                        List.of(new SubstrateImage.Heatmap(1, 1, new double[] {5}, -1, null))),
                40);
        BufferedImage h = ImageIO.read(hm.toFile());
        assertEquals(2 + 40 + 2, h.getWidth());
        assertEquals(2 + 2 * (40 + 2 + 14), h.getHeight());
        assertEquals(0xff000000, h.getRGB(2 + 5, 2 + 14 + 5), "the minimum is black");
        assertThrows(IllegalArgumentException.class, () -> new SubstrateImage.Heatmap(2, 2, v, 4, null));
        assertThrows(IllegalArgumentException.class, () -> SubstrateImage.writeWeights(boxFilter(1), 1, w, 2));
    }
}
