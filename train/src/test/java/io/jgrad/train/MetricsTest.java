package io.jgrad.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.train.Metrics.Average;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void accuracyAndTopK() {
        Tensor scores = Tensor.of(new float[][] {
            {0.1f, 0.7f, 0.2f}, // predicts 1
            {0.5f, 0.2f, 0.3f}, // predicts 0
            {0.3f, 0.3f, 0.4f}, // predicts 2
            {0.4f, 0.4f, 0.2f}, // tie between 0 and 1: the first, 0
        });
        Tensor y = Tensor.of(new int[] {1, 2, 1, 1}, 4);
        // correct: rows 0 only -> 1/4
        assertEquals(0.25, Metrics.accuracy(scores, y), EPS);
        assertEquals(
                0.25, Metrics.accuracy(scores, new io.jgrad.data.OneHot(3).apply(y, null)), EPS, "one-hot targets");
        // top-2: row 0 yes; row 1: class 2 (0.3) beaten by 0.5 only -> yes; row 2: class 1 (0.3) beaten by 0.4 only ->
        // yes;
        // row 3: class 1 (0.4) beaten by nobody -> yes
        assertEquals(1.0, Metrics.topKAccuracy(scores, y, 2), EPS);
        // top-1 with ties counted as hits: row 3's class 1 ties the max -> hit, so 2/4
        assertEquals(0.5, Metrics.topKAccuracy(scores, y, 1), EPS);
        // binary scores with threshold 0.5
        Tensor p = Tensor.of(new float[] {0.2f, 0.5f, 0.9f, 0.49f}, 4);
        Tensor b = Tensor.of(new int[] {0, 1, 0, 0}, 4);
        assertEquals(0.75, Metrics.accuracy(p, b), EPS);
        assertArrayEquals(new int[] {0, 0, 1, 0}, Metrics.predictedClasses(p, 0.6));
        assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(scores, Tensor.of(new int[] {1}, 1)));
        assertThrows(
                IllegalArgumentException.class,
                () -> Metrics.topKAccuracy(scores, Tensor.of(new int[] {1, 2, 3, 1}, 4), 1));
    }

    @Test
    void confusionPrecisionRecallF1() {
        int[] pred = {0, 1, 2, 2, 1, 0, 1};
        int[] act = {0, 1, 1, 2, 2, 0, 0};
        long[][] cm = Metrics.confusionMatrix(pred, act, 3);
        // rows = true class, columns = predicted
        assertArrayEquals(new long[] {2, 1, 0}, cm[0]);
        assertArrayEquals(new long[] {0, 1, 1}, cm[1]);
        assertArrayEquals(new long[] {0, 1, 1}, cm[2]);
        // precision: class 0: 2/2, class 1: 1/3, class 2: 1/2
        assertArrayEquals(new double[] {1, 1.0 / 3, 0.5}, Metrics.precisionPerClass(cm), EPS);
        // recall: class 0: 2/3, class 1: 1/2, class 2: 1/2
        assertArrayEquals(new double[] {2.0 / 3, 0.5, 0.5}, Metrics.recallPerClass(cm), EPS);
        double f0 = 2 * 1 * (2.0 / 3) / (1 + 2.0 / 3); // 0.8
        double f1 = 2 * (1.0 / 3) * 0.5 / (1.0 / 3 + 0.5); // 0.4
        double f2 = 0.5;
        assertArrayEquals(new double[] {f0, f1, f2}, Metrics.f1PerClass(cm), EPS);
        assertEquals((1 + 1.0 / 3 + 0.5) / 3, Metrics.precision(cm, Average.MACRO), EPS);
        assertEquals((2.0 / 3 + 0.5 + 0.5) / 3, Metrics.recall(cm, Average.MACRO), EPS);
        assertEquals((f0 + f1 + f2) / 3, Metrics.f1(cm, Average.MACRO), EPS);
        // micro: 4 correct of 7
        assertEquals(4.0 / 7, Metrics.precision(cm, Average.MICRO), EPS);
        assertEquals(4.0 / 7, Metrics.recall(cm, Average.MICRO), EPS);
        assertEquals(4.0 / 7, Metrics.f1(cm, Average.MICRO), EPS);
        // weighted by support 3, 2, 2
        assertEquals((3 * f0 + 2 * f1 + 2 * f2) / 7, Metrics.f1(cm, Average.WEIGHTED), EPS);
        // a class never predicted has precision 0, not NaN
        long[][] never = Metrics.confusionMatrix(new int[] {0, 0}, new int[] {0, 1}, 2);
        assertArrayEquals(new double[] {0.5, 0}, Metrics.precisionPerClass(never), EPS);
        assertArrayEquals(new double[] {2.0 / 3, 0}, Metrics.f1PerClass(never), EPS);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Metrics.confusionMatrix(new int[] {3}, new int[] {0}, 3));
        assertEquals("confusionMatrix: class 3 is out of range for 3 classes", e.getMessage());
    }

    /** The AUC by its definition: over all (positive, negative) pairs, 1 when ordered, 1/2 when tied. */
    private static double pairwiseAuc(double[] s, boolean[] pos) {
        double sum = 0;
        int pairs = 0;
        for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < s.length; j++) {
                if (pos[i] && !pos[j]) {
                    sum += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                    pairs++;
                }
            }
        }
        return sum / pairs;
    }

    @Test
    void rocAucBinaryWithTies() {
        // scikit-learn's documented example: 0.75
        assertEquals(0.75, Metrics.rocAuc(new double[] {0.1, 0.4, 0.35, 0.8}, new int[] {0, 0, 1, 1}), EPS);
        // pairs (pos, neg): (0.5, 0.5) tie = 1/2, (0.5, 0.2) = 1, (0.8, 0.5) = 1, (0.8, 0.2) = 1 -> 3.5 / 4
        assertEquals(0.875, Metrics.rocAuc(new double[] {0.5, 0.5, 0.2, 0.8}, new int[] {1, 0, 0, 1}), EPS);
        // all scores tied: 0.5
        assertEquals(0.5, Metrics.rocAuc(new double[] {1, 1, 1, 1, 1}, new int[] {1, 0, 0, 1, 0}), EPS);
        assertTrue(Double.isNaN(Metrics.rocAuc(new double[] {0.1, 0.2}, new int[] {1, 1})));
        assertArrayEquals(new double[] {2.5, 2.5, 1, 4}, Metrics.averageRanks(new double[] {0.5, 0.5, 0.2, 0.8}), EPS);
        // random scores rounded to force many ties, against the pairwise definition
        Generator g = new Generator(3);
        double[] s = new double[200];
        boolean[] pos = new boolean[200];
        for (int i = 0; i < s.length; i++) {
            pos[i] = g.nextDouble() < 0.4;
            s[i] = Math.round((g.nextDouble() + (pos[i] ? 0.3 : 0)) * 10) / 10.0;
        }
        assertEquals(pairwiseAuc(s, pos), Metrics.rocAuc(s, pos), EPS);
        assertThrows(IllegalArgumentException.class, () -> Metrics.rocAuc(new double[] {0.1}, new int[] {2}));
    }

    @Test
    void rocAucOneVsRest() {
        double[][] p = {
            {0.7, 0.2, 0.1},
            {0.2, 0.5, 0.3},
            {0.1, 0.3, 0.6},
            {0.3, 0.3, 0.4},
            {0.5, 0.4, 0.1},
            {0.2, 0.2, 0.6},
        };
        int[] y = {0, 1, 2, 1, 0, 2};
        double expected = 0;
        for (int k = 0; k < 3; k++) {
            double[] col = new double[6];
            boolean[] pos = new boolean[6];
            for (int i = 0; i < 6; i++) {
                col[i] = p[i][k];
                pos[i] = y[i] == k;
            }
            expected += pairwiseAuc(col, pos) / 3;
        }
        Tensor scores = Tensor.of(p);
        assertEquals(expected, Metrics.rocAucOneVsRest(scores, y), EPS);
        // class 0 by hand: positives 0.7, 0.5; negatives 0.2, 0.1, 0.3, 0.2 -> all 8 pairs ordered -> 1
        assertEquals(1.0, Metrics.rocAucPerClass(scores, y)[0], EPS);
        // class 1: positives 0.5, 0.3; negatives 0.2, 0.3, 0.4, 0.2 -> 0.5 beats all 4; 0.3 beats 0.2 twice, ties 0.3
        // -> 2.5
        assertEquals(6.5 / 8, Metrics.rocAucPerClass(scores, y)[1], EPS);
        // a class without samples is left out of the mean
        double[] two = Metrics.rocAucPerClass(scores, new int[] {0, 1, 1, 1, 0, 0});
        assertTrue(Double.isNaN(two[2]));
        assertEquals((two[0] + two[1]) / 2, Metrics.rocAucOneVsRest(scores, new int[] {0, 1, 1, 1, 0, 0}), EPS);
    }

    @Test
    void regression() {
        // scikit-learn's documented examples
        Tensor y = Tensor.of(new double[] {3, -0.5, 2, 7}, 4);
        Tensor p = Tensor.of(new double[] {2.5, 0.0, 2, 8}, 4);
        assertEquals(0.375, Metrics.mse(p, y), EPS);
        assertEquals(0.5, Metrics.mae(p, y), EPS);
        // 1 - 1.5 / 29.1875
        assertEquals(1 - 1.5 / 29.1875, Metrics.r2(p, y), EPS);
        Tensor y2 = Tensor.of(new double[][] {{0.5, 1}, {-1, 1}, {7, -6}});
        Tensor p2 = Tensor.of(new double[][] {{0, 2}, {-1, 2}, {8, -5}});
        // column 0: SS_res = 0.25 + 0 + 1 = 1.25, mean 6.5/3, SS_tot = 32.1666..; column 1: SS_res 3, SS_tot 32.666..
        double c0 = 1 - 1.25 / (Math.pow(0.5 - 6.5 / 3, 2) + Math.pow(-1 - 6.5 / 3, 2) + Math.pow(7 - 6.5 / 3, 2));
        double c1 = 1 - 3 / (Math.pow(1 + 4.0 / 3, 2) * 2 + Math.pow(-6 + 4.0 / 3, 2));
        assertEquals((c0 + c1) / 2, Metrics.r2(p2, y2), EPS);
        assertEquals(0.9368005266622779, Metrics.r2(p2, y2), 1e-12, "scikit-learn's documented value");
        // constant target: 1 when exact, 0 otherwise
        assertEquals(1.0, Metrics.r2(Tensor.full(2, 3), Tensor.full(2, 3)), EPS);
        assertEquals(0.0, Metrics.r2(Tensor.full(1, 3), Tensor.full(2, 3)), EPS);
        assertThrows(IllegalArgumentException.class, () -> Metrics.mse(Tensor.zeros(3), Tensor.zeros(4)));
    }

    @Test
    void streamingMetricsEqualTheWholeDataFunctions() {
        Generator g = new Generator(9);
        Tensor scores = Tensor.randn(g, 50, 4);
        Tensor y = Tensor.randint(g, 0, 4, 50);
        Metric[] ms = {
            Metric.accuracy(),
            Metric.topKAccuracy(2),
            Metric.precision(Average.MACRO),
            Metric.recall(Average.MICRO),
            Metric.f1(Average.WEIGHTED),
            Metric.rocAuc()
        };
        for (Metric m : ms) {
            m.reset();
            for (int start = 0; start < 50; start += 16) {
                int len = Math.min(16, 50 - start);
                m.update(scores.narrow(0, start, len), y.narrow(0, start, len));
            }
        }
        int[] pred = Metrics.predictedClasses(scores, 0.5);
        long[][] cm = Metrics.confusionMatrix(pred, y.toIntArray(), 4);
        assertEquals(Metrics.accuracy(scores, y), ms[0].result(), EPS);
        assertEquals(Metrics.topKAccuracy(scores, y, 2), ms[1].result(), EPS);
        assertEquals(Metrics.precision(cm, Average.MACRO), ms[2].result(), EPS);
        assertEquals(Metrics.recall(cm, Average.MICRO), ms[3].result(), EPS);
        assertEquals(Metrics.f1(cm, Average.WEIGHTED), ms[4].result(), EPS);
        assertEquals(Metrics.rocAucOneVsRest(scores.to(DType.FLOAT64).softmax(1), y.toIntArray()), ms[5].result(), EPS);
        assertEquals("top2_accuracy", ms[1].name());
        assertEquals("f1_weighted", ms[4].name());

        Tensor target = Tensor.randn(g, DType.FLOAT64, 30, 2);
        Tensor pr = target.add(Tensor.randn(g, DType.FLOAT64, 30, 2).mul(0.3));
        Metric mse = Metric.mse();
        Metric mae = Metric.mae();
        Metric r2 = Metric.r2();
        for (Metric m : new Metric[] {mse, mae, r2}) {
            m.reset();
            m.update(pr.narrow(0, 0, 10), target.narrow(0, 0, 10));
            m.update(pr.narrow(0, 10, 20), target.narrow(0, 10, 20));
        }
        assertEquals(Metrics.mse(pr, target), mse.result(), EPS);
        assertEquals(Metrics.mae(pr, target), mae.result(), EPS);
        assertEquals(Metrics.r2(pr, target), r2.result(), 1e-10);
        assertTrue(!mse.higherIsBetter() && r2.higherIsBetter() && ms[0].higherIsBetter());
        Metric fresh = Metric.accuracy();
        assertTrue(Double.isNaN(fresh.result()));
    }
}
