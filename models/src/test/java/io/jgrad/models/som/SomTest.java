package io.jgrad.models.som;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SomTest {
    static final double TOL = 1e-12;

    /** A float64 map on {@code grid} with the given weights. */
    static SOM map(Grid grid, double[][] w) {
        SOM s = new SOM(grid, w[0].length);
        s.to(DType.FLOAT64);
        s.setWeight(Tensor.of(w));
        return s;
    }

    static Tensor rows(double[][] x) {
        return Tensor.of(x);
    }

    @Test
    void onlineUpdateStepEqualsHandComputation() {
        // a 1x3 chain, weights (0,0), (1,0), (2,0); the sample (1.2, 0.4) is nearest node 1
        double[][] w = {{0, 0}, {1, 0}, {2, 0}};
        double[] x = {1.2, 0.4};
        SOM s = map(Grid.rectangular(1, 3), w);
        int b = s.update(Tensor.of(x), 0.5, 1.0, Neighborhood.GAUSSIAN);
        assertEquals(1, b);
        double[] h = {Math.exp(-0.5), 1, Math.exp(-0.5)}; // exp(-d^2 / (2 sigma^2)) at lattice distances 1, 0, 1
        double[] want = new double[6];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
                want[i * 2 + j] = w[i][j] + 0.5 * h[i] * (x[j] - w[i][j]);
            }
        }
        assertArrayEquals(want, s.weight().toDoubleArray(), TOL);

        // the bubble of radius 0.5 moves the winner only
        SOM t = map(Grid.rectangular(1, 3), w);
        t.update(Tensor.of(x), 0.5, 0.5, Neighborhood.BUBBLE);
        assertArrayEquals(new double[] {0, 0, 1.1, 0.2, 2, 0}, t.weight().toDoubleArray(), TOL);
        // radius 1 takes in the two neighbours at distance exactly 1
        SOM u = map(Grid.rectangular(1, 3), w);
        u.update(Tensor.of(x), 0.5, 1, Neighborhood.BUBBLE);
        assertArrayEquals(
                new double[] {0.6, 0.2, 1.1, 0.2, 1.6, 0.2}, u.weight().toDoubleArray(), TOL);
    }

    @Test
    void batchUpdateEqualsHandComputation() {
        // 1x2 chain in one dimension: w = 0, 10; samples 1, 3 (node 0) and 9 (node 1)
        SOM s = map(Grid.rectangular(1, 2), new double[][] {{0}, {10}});
        Tensor x = rows(new double[][] {{1}, {3}, {9}});
        s.batchUpdate(x, 1.0, Neighborhood.GAUSSIAN);
        double e = Math.exp(-0.5);
        assertArrayEquals(
                new double[] {(4 + e * 9) / (2 + e), (e * 4 + 9) / (2 * e + 1)},
                s.weight().toDoubleArray(),
                TOL);
        // a bubble smaller than the node spacing: each node becomes the mean of its own samples (k-means step)
        SOM t = map(Grid.rectangular(1, 2), new double[][] {{0}, {10}});
        t.batchUpdate(x, 0.5, Neighborhood.BUBBLE);
        assertArrayEquals(new double[] {2, 9}, t.weight().toDoubleArray(), TOL);
        // a node that wins nothing and has no neighbour weight keeps its vector
        SOM v = map(Grid.rectangular(1, 3), new double[][] {{0}, {10}, {100}});
        v.batchUpdate(rows(new double[][] {{1}, {3}}), 0.5, Neighborhood.BUBBLE);
        assertArrayEquals(new double[] {2, 10, 100}, v.weight().toDoubleArray(), TOL);
    }

    @Test
    void bestMatchingUnits() {
        // 2x2 map in the plane
        SOM s = map(Grid.rectangular(2, 2), new double[][] {{0, 0}, {1, 0}, {0, 1}, {1, 1}});
        Tensor x = rows(new double[][] {{0.1, 0.2}, {0.9, 0.2}, {0.2, 0.7}, {2, 2}, {0.5, 0}});
        // the last sample is equally far from nodes 0 and 1, and (2, 2) from nodes 1 and 2: the first wins
        assertArrayEquals(new int[] {0, 1, 2, 3, 0}, s.bmu(x).toIntArray());
        assertEquals(3, s.bmuOf(Tensor.of(new double[] {0.7, 0.6})));
        assertArrayEquals(new int[] {0, 2, 1, 3, 2, 0, 3, 1, 0, 1}, s.twoBest(x).toIntArray());
        Tensor d = s.squaredDistances(x);
        assertEquals(0.1 * 0.1 + 0.2 * 0.2, d.getDouble(0, 0), TOL);
        assertEquals(2, d.getDouble(3, 3), TOL);
        // forward gives the same distances through autograd
        assertTrue(s.call(x).data().allClose(d, 1e-12, 1e-12));
    }

    @Test
    void hexagonalGridDistances() {
        Grid h = Grid.hexagonal(3, 3);
        double r3 = Math.sqrt(3);
        // row 1 is shifted right by a half, rows sqrt(3)/2 apart
        assertEquals(0.5, h.x(3), TOL);
        assertEquals(r3 / 2, h.y(3), TOL);
        assertEquals(1, h.distance(0, 3), TOL);
        assertEquals(1, h.distance(1, 3), TOL);
        assertEquals(1, h.distance(0, 1), TOL);
        assertEquals(r3, h.distance(0, 4), TOL);
        assertEquals(2, h.distance(0, 2), TOL);
        assertEquals(r3, h.distance(0, 6), TOL); // (0, 0) to (2, 0): two rows down
        assertArrayEquals(new int[] {1, 2, 3, 5, 7, 8}, h.neighbours(4));
        assertArrayEquals(new int[] {1, 3}, h.neighbours(0));
        assertTrue(h.adjacent(1, 3));
        assertFalse(h.adjacent(0, 4));
        assertEquals(2, h.hops(0, 4));
        assertEquals(3, h.hops(0, 8));
        assertEquals(2, h.hops(0, 6));
        assertEquals(1, h.hops(4, 8));
        assertEquals(0, h.hops(5, 5));
        Tensor d2 = h.squaredDistances(DType.FLOAT64);
        assertEquals(3, d2.getDouble(0, 4), TOL);

        Grid r = Grid.rectangular(3, 3);
        assertArrayEquals(new int[] {1, 3, 5, 7}, r.neighbours(4));
        assertEquals(Math.sqrt(2), r.distance(0, 4), TOL);
        assertFalse(r.adjacent(0, 4));
        assertEquals(4, r.hops(0, 8));
    }

    @Test
    void quantizationAndTopographicErrorOnAConstructedCase() {
        // a 1x3 chain whose weights are out of order: 0, 2, 1
        SOM s = map(Grid.rectangular(1, 3), new double[][] {{0}, {2}, {1}});
        // 0.4: best node 0 (weight 0), second node 2 (weight 1): not adjacent -> an error
        // 1.9: best node 1 (weight 2), second node 2 (weight 1): adjacent
        Tensor x = rows(new double[][] {{0.4}, {1.9}});
        assertEquals(0.5, s.topographicError(x), TOL);
        assertEquals((0.4 + 0.1) / 2, s.quantizationError(x), 1e-12);
        // in order, no error
        SOM t = map(Grid.rectangular(1, 3), new double[][] {{0}, {1}, {2}});
        assertEquals(0, t.topographicError(x), TOL);
    }

    @Test
    void uMatrixComponentPlanesAndLabels() {
        SOM s = map(Grid.rectangular(1, 3), new double[][] {{0, 5}, {1, 5}, {3, 5}});
        assertArrayEquals(new double[] {1, 1.5, 2}, s.uMatrix().toDoubleArray(), TOL);
        assertArrayEquals(new int[] {1, 3}, s.uMatrix().shape());
        assertArrayEquals(new double[] {0, 1, 3}, s.componentPlane(0).toDoubleArray(), TOL);
        Tensor x = rows(new double[][] {{0, 5}, {0.1, 5}, {0.2, 5}, {1, 5}, {2.9, 5}});
        Tensor y = Tensor.of(new int[] {0, 0, 1, 1, 2}, 5);
        assertArrayEquals(new int[] {3, 1, 1}, s.hits(x));
        assertArrayEquals(new int[] {0, 1, 2}, s.nodeLabels(x, y, 3));
        assertEquals(4.0 / 5, s.purity(x, y, 3), TOL);
        // INT64 labels (NumPy's default integers) give the same answers
        assertArrayEquals(new int[] {0, 1, 2}, s.nodeLabels(x, y.to(DType.INT64), 3));
        assertEquals(4.0 / 5, s.purity(x, y.to(DType.INT64), 3), TOL);
        // a node with no sample is skipped when classifying: 1.1 goes to node 0's label, not node 1's
        SOM t = map(Grid.rectangular(1, 3), new double[][] {{0, 5}, {1, 5}, {3, 5}});
        int[] labels = t.nodeLabels(rows(new double[][] {{0, 5}, {3, 5}}), Tensor.of(new int[] {2, 1}, 2), 3);
        assertArrayEquals(new int[] {2, -1, 1}, labels);
        assertArrayEquals(
                new int[] {2, 1},
                t.classify(rows(new double[][] {{1.1, 5}, {2.5, 5}}), labels).toIntArray());
    }

    @Test
    void pcaInitializationSpansTheFirstTwoComponents() {
        // covariance diag(2/3, 1/6): first component (1, 0), second (0, 1)
        Tensor x = rows(new double[][] {{-1, 0}, {1, 0}, {0, 0.5}, {0, -0.5}});
        SOM s = new SOM(Grid.rectangular(2, 3), 2);
        s.to(DType.FLOAT64);
        s.initPca(x);
        double a = Math.sqrt(2.0 / 3);
        double b = Math.sqrt(1.0 / 6);
        double[] want = {-a, -b, 0, -b, a, -b, -a, b, 0, b, a, b};
        assertArrayEquals(want, s.weight().toDoubleArray(), 1e-9);
        // a tall grid puts the first component along the rows
        SOM t = new SOM(Grid.rectangular(3, 1), 2);
        t.to(DType.FLOAT64);
        t.initPca(x);
        assertArrayEquals(new double[] {-a, 0, 0, 0, a, 0}, t.weight().toDoubleArray(), 1e-9);
    }

    @Test
    void randomInitializationPicksDistinctSamples() {
        Tensor x = rows(new double[][] {{1}, {2}, {3}, {4}});
        SOM s = new SOM(Grid.rectangular(1, 4), 1);
        s.to(DType.FLOAT64);
        s.initRandom(x, new Generator(3));
        double[] w = s.weight().toDoubleArray();
        java.util.Arrays.sort(w);
        assertArrayEquals(new double[] {1, 2, 3, 4}, w, TOL);
    }

    @Test
    void decaySchedules() {
        assertEquals(0.255, Decay.LINEAR.value(0.5, 0.01, 0.5), TOL);
        assertEquals(Math.sqrt(0.5 * 0.01), Decay.EXPONENTIAL.value(0.5, 0.01, 0.5), TOL);
        for (Decay d : Decay.values()) {
            assertEquals(0.5, d.value(0.5, 0.01, 0), TOL);
            assertEquals(0.01, d.value(0.5, 0.01, 1), 1e-12);
        }
        assertEquals(0.5 / (1 + 49 * 0.25), Decay.INVERSE.value(0.5, 0.01, 0.25), TOL);
    }

    /** Online and batch training order a chain along one-dimensional data. */
    @Test
    void trainingOrdersAChain() {
        Tensor x = Tensor.rand(new Generator(7), DType.FLOAT64, 200, 1);
        for (SOM.Mode mode : SOM.Mode.values()) {
            SOM s = new SOM(Grid.rectangular(1, 8), 1);
            s.to(DType.FLOAT64);
            s.initRandom(x, new Generator(1));
            double before = s.quantizationError(x);
            List<SOM.Epoch> log = s.train(
                    x,
                    new SOM.Options()
                            .mode(mode)
                            .epochs(mode == SOM.Mode.ONLINE ? 10 : 30)
                            .radius(4, 0.5)
                            .seed(2));
            assertEquals(mode == SOM.Mode.ONLINE ? 10 : 30, log.size());
            double after = log.get(log.size() - 1).quantizationError();
            assertEquals(s.quantizationError(x), after, 1e-12);
            assertTrue(after < before && after < 0.05, mode + ": quantization error " + before + " -> " + after);
            double[] w = s.weight().toDoubleArray();
            boolean up = true;
            boolean down = true;
            for (int i = 1; i < w.length; i++) {
                up &= w[i] > w[i - 1];
                down &= w[i] < w[i - 1];
            }
            assertTrue(up || down, mode + ": not ordered: " + java.util.Arrays.toString(w));
            assertEquals(0, s.topographicError(x), 0.02, mode.toString());
        }
    }

    @Test
    void suggestedGridFollowsTheDataShape() {
        // 100 samples stretched 4:1 along x: about 50 nodes, about twice as many columns as rows
        Tensor x = Tensor.randn(new Generator(3), DType.FLOAT64, 100, 2).mul(Tensor.of(new double[] {4, 1}));
        Grid g = SOM.suggestGrid(x, Grid.Topology.RECTANGULAR);
        assertTrue(g.size() >= 45 && g.size() <= 56, g.toString());
        assertTrue(g.cols() > g.rows(), g.toString());
    }

    @Test
    void saveLoadRoundTrip(@TempDir Path dir) throws Exception {
        SOM s = new SOM(Grid.hexagonal(3, 4), 5);
        s.initRandom(Tensor.randn(new Generator(1), 20, 5), new Generator(2));
        Path f = dir.resolve("som.safetensors");
        s.save(f);
        SOM back = new SOM(Grid.hexagonal(3, 4), 5);
        back.load(f);
        assertTrue(back.weight().equal(s.weight()));
        assertEquals(List.of("weight"), List.copyOf(back.stateDict().keySet()));
    }

    @Test
    void imagesAreWritten(@TempDir Path dir) throws Exception {
        SOM s = new SOM(Grid.hexagonal(4, 5), 3);
        s.initRandom(Tensor.randn(new Generator(1), 30, 3), new Generator(2));
        String[] labels = new String[20];
        labels[0] = "A";
        Path u = dir.resolve("u.png");
        SomImages.writeUMatrix(s, u, labels, 20);
        BufferedImage img = ImageIO.read(u.toFile());
        assertTrue(img.getWidth() > 5 * 20 && img.getHeight() > 3 * 20, img.getWidth() + "x" + img.getHeight());
        Path c = dir.resolve("c.png");
        SomImages.writeComponentPlanes(s, c, new String[] {"a", "b", "c"}, 10, 2);
        BufferedImage planes = ImageIO.read(c.toFile());
        assertTrue(
                planes.getWidth() > 2 * 50 && planes.getHeight() > 2 * 30,
                planes.getWidth() + "x" + planes.getHeight());
    }

    @Test
    void clearErrors() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new Grid(0, 3, Grid.Topology.HEXAGONAL));
        assertTrue(e.getMessage().contains("rows=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SOM(Grid.rectangular(2, 2), 0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SOM.Options().radius(0, 0));
        assertTrue(e.getMessage().contains("start=0.0, end=0.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SOM.Options().radius(1, 2));
        assertThrows(IllegalArgumentException.class, () -> new SOM.Options().learningRate(1.5, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new SOM.Options().epochs(0));
        assertThrows(IllegalArgumentException.class, () -> Neighborhood.GAUSSIAN.apply(1, -1));
        SOM s = map(Grid.rectangular(1, 3), new double[][] {{0, 0}, {1, 0}, {2, 0}});
        e = assertThrows(
                IllegalArgumentException.class,
                () -> s.update(Tensor.of(new double[] {1, 2}), 0.5, 0, Neighborhood.BUBBLE));
        assertTrue(e.getMessage().contains("radius must be positive"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.bmu(Tensor.zeros(DType.FLOAT64, 4, 3)));
        assertTrue(e.getMessage().contains("(N, 2)") && e.getMessage().contains("(4, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.bmu(Tensor.zeros(4, 2)));
        assertTrue(
                e.getMessage().contains("expected float64 samples like the weights, got float32 (4, 2)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.setWeight(Tensor.zeros(2, 2)));
        assertTrue(e.getMessage().contains("(3, 2)"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> s.purity(Tensor.zeros(DType.FLOAT64, 2, 2), Tensor.of(new int[] {0, 5}, 2), 3));
        assertTrue(e.getMessage().contains("label 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.componentPlane(2));
        assertThrows(
                IllegalStateException.class,
                () -> map(Grid.rectangular(1, 1), new double[][] {{0}})
                        .topographicError(Tensor.zeros(DType.FLOAT64, 1, 1)));
    }
}
