package io.jgrad.models.rbf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.optim.Adam;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RbfTest {
    static final Tensor THREE = Tensor.of(new double[][] {{0, 0}, {0, 1}, {10, 0}});

    @Test
    void kMeansPlusPlusOnThreePoints() {
        // the draws, replayed: the first centre uniformly, then one uniform u for the D^2-weighted choice
        Generator replay = new Generator(5);
        int first = replay.nextInt(3);
        double u = replay.nextDouble();
        int[] idx = KMeans.plusPlusIndices(THREE, 2, new Generator(5));
        assertEquals(first, idx[0]);
        double[][] p = {{0, 0}, {0, 1}, {10, 0}};
        double[] d2 = new double[3];
        double total = 0;
        for (int i = 0; i < 3; i++) {
            d2[i] = Math.pow(p[i][0] - p[first][0], 2) + Math.pow(p[i][1] - p[first][1], 2);
            total += d2[i];
        }
        int want = -1;
        double run = 0;
        for (int i = 0; i < 3; i++) {
            run += d2[i];
            if (run > u * total) {
                want = i;
                break;
            }
        }
        assertEquals(want, idx[1]);
        assertTrue(idx[1] != idx[0], "a chosen point has weight zero");
        Tensor c = KMeans.plusPlus(THREE, 2, new Generator(5));
        assertArrayEquals(new double[] {p[idx[0]][0], p[idx[0]][1], p[idx[1]][0], p[idx[1]][1]}, c.toDoubleArray());

        // three centres on three points: every point once, the same order for the same seed
        int[] all = KMeans.plusPlusIndices(THREE, 3, new Generator(11));
        int[] sorted = all.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2}, sorted);
        assertArrayEquals(all, KMeans.plusPlusIndices(THREE, 3, new Generator(11)));
        KMeans.Result r = KMeans.fit(THREE, 3, new KMeans.Options().seed(11));
        assertEquals(0, r.inertia(), 1e-12);

        // over many seeds, the far point (10, 0) is the second centre far more often than (0, 1) after (0, 0)
        int far = 0;
        int near = 0;
        for (int s = 0; s < 400; s++) {
            int[] k = KMeans.plusPlusIndices(THREE, 2, new Generator(s));
            if (k[0] == 0) {
                if (k[1] == 2) {
                    far++;
                } else {
                    near++;
                }
            }
        }
        assertTrue(far > 20 * Math.max(near, 1) || (near == 0 && far > 50), "far " + far + ", near " + near);
    }

    @Test
    void kMeansFindsTwoBlobs() {
        Tensor a = Tensor.randn(new Generator(1), DType.FLOAT64, 50, 2).mul(0.1);
        Tensor b = Tensor.randn(new Generator(2), DType.FLOAT64, 50, 2).mul(0.1).add(Tensor.of(new double[] {5, 5}));
        Tensor x = Tensor.cat(0, a, b);
        KMeans.Result r = KMeans.fit(x, 2, new KMeans.Options().seed(3));
        double[] c = r.centres().toDoubleArray();
        double[] ma = a.mean(0, false).toDoubleArray();
        double[] mb = b.mean(0, false).toDoubleArray();
        boolean aFirst = c[0] < 2.5;
        double[] ca = aFirst ? Arrays.copyOfRange(c, 0, 2) : Arrays.copyOfRange(c, 2, 4);
        double[] cb = aFirst ? Arrays.copyOfRange(c, 2, 4) : Arrays.copyOfRange(c, 0, 2);
        assertArrayEquals(ma, ca, 1e-12);
        assertArrayEquals(mb, cb, 1e-12);
        int[] asg = r.assignments().toIntArray();
        for (int i = 0; i < 100; i++) {
            assertEquals(asg[0] == asg[i], i < 50);
        }
    }

    @Test
    void nearestCentreWidthHeuristic() {
        RBFLayer l = new RBFLayer(2, 3);
        l.to(DType.FLOAT64);
        l.setCentres(Tensor.of(new double[][] {{0, 0}, {3, 4}, {0, 1}}));
        // nearest other centre: 1, sqrt(3^2 + 3^2), 1
        Tensor w = l.nearestCentreWidths(2);
        assertArrayEquals(new double[] {2, 2 * Math.sqrt(18), 2}, w.toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {2, 2 * Math.sqrt(18), 2}, l.widths().toDoubleArray(), 1e-12);
        // activations: exp(-|x - c|^2 / (2 sigma^2))
        Tensor phi = l.features(Tensor.of(new double[][] {{0, 0}}));
        assertArrayEquals(new double[] {1, Math.exp(-25 / (2 * 72.0)), Math.exp(-1 / 8.0)}, phi.toDoubleArray(), 1e-12);
        assertTrue(l.call(Tensor.of(new double[][] {{0, 0}})).data().allClose(phi, 1e-12, 1e-12));
        // coincident centres borrow the mean of the others' widths
        l.setCentres(Tensor.of(new double[][] {{0, 0}, {0, 0}, {0, 2}}));
        assertArrayEquals(new double[] {2, 2, 2}, l.nearestCentreWidths(1).toDoubleArray(), 1e-12);
    }

    @Test
    void leastSquaresOnExactlySolvableCases() {
        Tensor a = Tensor.of(new double[][] {{1, 2}, {3, 4}, {5, 7}, {-1, 0.5}});
        Tensor x = Tensor.of(new double[][] {{2, -1}, {0.5, 3}});
        Tensor b = a.matmul(x);
        assertTrue(LeastSquares.ridge(a, b, 0).allClose(x, 1e-10, 1e-10));
        // a vector target
        Tensor v = LeastSquares.ridge(a, b.select(1, 0), 0);
        assertArrayEquals(new double[] {2, 0.5}, v.toDoubleArray(), 1e-10);
        // with an intercept
        Tensor bias = Tensor.of(new double[] {7, -2});
        LeastSquares.Fit f = LeastSquares.ridgeWithIntercept(a, b.add(bias), 0);
        assertTrue(f.weights().allClose(x, 1e-10, 1e-10));
        assertTrue(f.intercept().allClose(bias, 1e-10, 1e-10));
        // the ridge shrinks: (A^T A + r I)^-1 A^T b for a one-column A = (1, 1): 2 / (2 + r)
        Tensor one = Tensor.of(new double[][] {{1}, {1}});
        assertEquals(
                2 / 3.0,
                LeastSquares.ridge(one, Tensor.of(new double[] {1, 1}), 1).item(),
                1e-12);
        // singular without a ridge
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> LeastSquares.ridge(
                        Tensor.of(new double[][] {{1, 1}, {2, 2}}), Tensor.of(new double[] {1, 2}), 0));
        assertTrue(e.getMessage().contains("raise the ridge"), e.getMessage());
    }

    @Test
    void outputWeightsOfAnExactlySolvableNetwork() {
        Tensor x = Tensor.randn(new Generator(4), DType.FLOAT64, 12, 2);
        RBFNetwork net = new RBFNetwork(2, 3, 2);
        net.to(DType.FLOAT64);
        net.rbf().setCentres(x.narrow(0, 0, 3));
        net.rbf().setWidths(Tensor.of(new double[] {0.7, 1.1, 1.5}));
        Tensor w = Tensor.of(new double[][] {{1, -2}, {0.5, 4}, {-3, 1}});
        Tensor b = Tensor.of(new double[] {0.25, -1});
        Tensor y = net.rbf().features(x).matmul(w).add(b);
        double mse = net.fitOutput(x, y, 0);
        assertEquals(0, mse, 1e-18);
        assertTrue(net.output().weight().data().allClose(w.t(), 1e-8, 1e-8));
        assertTrue(net.output().bias().data().allClose(b, 1e-8, 1e-8));
        assertTrue(net.predict(x).allClose(y, 1e-8, 1e-8));
        assertTrue(net.call(x).data().allClose(y, 1e-8, 1e-8));
    }

    @Test
    void twoStageClassifier() {
        // three separated blobs
        Tensor x = Tensor.cat(
                0,
                Tensor.randn(new Generator(1), 30, 2).mul(0.3),
                Tensor.randn(new Generator(2), 30, 2).mul(0.3).add(Tensor.of(new float[] {4, 0})),
                Tensor.randn(new Generator(3), 30, 2).mul(0.3).add(Tensor.of(new float[] {0, 4})));
        int[] labels = new int[90];
        for (int i = 0; i < 90; i++) {
            labels[i] = i / 30;
        }
        Tensor y = Tensor.wrap(labels, 90);
        RBFNetwork net = RBFNetwork.fit(
                x, y, 3, new RBFNetwork.Options().units(6).ridge(1e-3).seed(2));
        assertEquals(DType.FLOAT32, net.output().weight().dtype());
        assertArrayEquals(labels, net.classify(x).toIntArray());
        // INT64 labels (NumPy's default integers) fit the same network
        RBFNetwork net64 = RBFNetwork.fit(
                x,
                y.to(DType.INT64),
                3,
                new RBFNetwork.Options().units(6).ridge(1e-3).seed(2));
        assertTrue(net64.predict(x).equal(net.predict(x)));
    }

    @Test
    void endToEndTrainingReducesTheLoss() {
        Generator g = new Generator(8);
        Tensor x = Tensor.rand(g, DType.FLOAT64, 64, 1).mul(6).sub(3);
        Tensor y = x.sin();
        RBFNetwork net = new RBFNetwork(1, 6, 1);
        net.to(DType.FLOAT64);
        net.resetParameters(new Generator(9));
        net.rbf().initCentres(x, new KMeans.Options().maxIterations(0).seed(1));
        net.rbf().setWidths(0.3);
        Tensor centres0 = net.rbf().centres().clone();
        Tensor widths0 = net.rbf().widths();
        Adam opt = new Adam(net.parameters(), 0.05);
        Variable target = Variable.constant(y);
        double first = Double.NaN;
        double last = Double.NaN;
        for (int step = 0; step < 150; step++) {
            opt.zeroGrad();
            Variable loss = net.call(x).sub(target).square().mean();
            loss.backward();
            opt.step();
            if (step == 0) {
                first = loss.item();
            }
            last = loss.item();
        }
        assertTrue(last < first / 10, "loss " + first + " -> " + last);
        assertFalse(net.rbf().centres().allClose(centres0, 1e-6, 1e-6), "centres are learned");
        assertFalse(net.rbf().widths().allClose(widths0, 1e-6, 1e-6), "widths are learned");

        // frozen centres and widths stay put
        RBFNetwork fixed = new RBFNetwork(1, 4, 1);
        fixed.to(DType.FLOAT64);
        fixed.rbf().learnCentres(false).learnWidths(false);
        Tensor c0 = fixed.rbf().centres().clone();
        Tensor lw0 = fixed.rbf().widths();
        Adam o2 = new Adam(fixed.parameters(), 0.05);
        for (int step = 0; step < 3; step++) {
            o2.zeroGrad();
            fixed.call(x).sub(target).square().mean().backward();
            o2.step();
        }
        assertTrue(fixed.rbf().centres().equal(c0));
        assertTrue(fixed.rbf().widths().equal(lw0));
    }

    @Test
    void saveLoadRoundTrip(@TempDir Path dir) throws Exception {
        RBFNetwork net = new RBFNetwork(3, 5, 2);
        net.rbf().setWidths(Tensor.of(new float[] {1, 2, 3, 4, 5}));
        Path f = dir.resolve("rbf.safetensors");
        net.save(f);
        RBFNetwork back = new RBFNetwork(3, 5, 2);
        back.load(f);
        assertEquals(
                List.of("rbf.centres", "rbf.log_widths", "output.weight", "output.bias"),
                List.copyOf(back.stateDict().keySet()));
        Tensor x = Tensor.randn(new Generator(1), 4, 3);
        assertTrue(back.predict(x).equal(net.predict(x)));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5}, back.rbf().widths().toFloatArray(), 1e-5f);
    }

    @Test
    void clearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RBFLayer(2, 0));
        assertTrue(e.getMessage().contains("units=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RBFNetwork(2, 0, 1));
        assertTrue(e.getMessage().contains("units=0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new RBFNetwork.Options().units(0));
        assertThrows(IllegalArgumentException.class, () -> new RBFNetwork.Options().ridge(-1));
        RBFLayer l = new RBFLayer(2, 3);
        e = assertThrows(IllegalArgumentException.class, () -> l.features(Tensor.zeros(4, 5)));
        assertTrue(e.getMessage().contains("(N, 2)") && e.getMessage().contains("(4, 5)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> l.setCentres(Tensor.zeros(3, 3)));
        assertTrue(e.getMessage().contains("(3, 2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> l.setWidths(0));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> l.nearestCentreWidths(-1));
        e = assertThrows(IllegalArgumentException.class, () -> KMeans.plusPlus(THREE, 4, new Generator(1)));
        assertTrue(e.getMessage().contains("got 4") && e.getMessage().contains("(3, 2)"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> LeastSquares.ridge(Tensor.zeros(3, 2), Tensor.zeros(4, 1), 0));
        assertTrue(e.getMessage().contains("(3, 2)") && e.getMessage().contains("(4, 1)"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> RBFNetwork.fit(
                        Tensor.zeros(3, 2), Tensor.zeros(DType.INT32, 3), 2, new RBFNetwork.Options().units(5)));
        assertTrue(e.getMessage().contains("5 units"), e.getMessage());
        RBFNetwork net = new RBFNetwork(2, 2, 3);
        e = assertThrows(
                IllegalArgumentException.class, () -> net.fitOutput(Tensor.zeros(3, 2), Tensor.zeros(3, 2), 0));
        assertTrue(e.getMessage().contains("3 outputs"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> net.fitOutput(Tensor.zeros(2, 2), Tensor.of(new int[] {0, 3}, 2), 1));
        assertTrue(e.getMessage().contains("label 3"), e.getMessage());
    }
}
