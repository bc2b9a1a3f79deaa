package io.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.Tensor;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pair and triplet samplers: balance, class constraints, batch-hard mining by hand, and errors. */
class SamplersTest {
    /** 30 samples: input (i), classes 0, 1, 2 with 15, 10 and 5 samples (an unbalanced set). */
    static TensorDataset unbalanced() {
        float[] x = new float[30];
        int[] y = new int[30];
        for (int i = 0; i < 30; i++) {
            x[i] = i;
            y[i] = i < 15 ? 0 : i < 25 ? 1 : 2;
        }
        return new TensorDataset(Tensor.of(x, 30, 1), Tensor.of(y, 30));
    }

    /** The same samples behind the generic Dataset interface (labels read sample by sample). */
    static Dataset generic(TensorDataset d) {
        return new Dataset() {
            @Override
            public int size() {
                return d.size();
            }

            @Override
            public Sample get(int index) {
                return d.get(index);
            }
        };
    }

    @Test
    void pairsAreBalancedAndCorrect() {
        for (Dataset d : new Dataset[] {unbalanced(), generic(unbalanced())}) {
            PairSampler s = new PairSampler(d, 7);
            int[] labels = s.classes().labels();
            int[][] p = s.sampleIndices(1000);
            int similar = 0;
            for (int i = 0; i < 1000; i++) {
                boolean same = labels[p[0][i]] == labels[p[1][i]];
                assertEquals(same ? 1 : 0, p[2][i], "pair " + i);
                if (same) {
                    similar++;
                    assertNotEquals(p[0][i], p[1][i], "a similar pair of one sample with itself");
                }
            }
            assertEquals(500, similar);
            // an odd batch: one more dissimilar pair
            int[][] odd = s.sampleIndices(7);
            assertEquals(3, java.util.Arrays.stream(odd[2]).sum());
            // a loaded batch matches its indices
            PairSampler.Pairs b = s.next(6);
            assertArrayEquals(new int[] {6, 1}, b.first().input().shape());
            for (int i = 0; i < 6; i++) {
                assertEquals(b.firstIndex()[i], (int) b.first().input().getDouble(i, 0));
                assertEquals(b.secondIndex()[i], (int) b.second().input().getDouble(i, 0));
                assertEquals(i < 3 ? 1.0 : 0.0, b.similar().getDouble(i));
            }
        }
    }

    @Test
    void similarPairsCoverEveryClassEvenly() {
        // classes are chosen uniformly for similar pairs, so the small class 2 is not starved
        PairSampler s = new PairSampler(unbalanced(), 3);
        int[] labels = s.classes().labels();
        int[] perClass = new int[3];
        int[][] p = s.sampleIndices(3000);
        for (int i = 0; i < 1500; i++) {
            perClass[labels[p[0][i]]]++;
        }
        for (int c = 0; c < 3; c++) {
            assertTrue(Math.abs(perClass[c] - 500) < 80, "class " + c + ": " + perClass[c] + " of 1500 similar pairs");
        }
    }

    @Test
    void randomTripletsHaveTheRightClasses() {
        TripletSampler s = new TripletSampler(unbalanced(), 5);
        int[] labels = s.classes().labels();
        int[][] t = s.sampleIndices(500);
        for (int i = 0; i < 500; i++) {
            assertEquals(labels[t[0][i]], labels[t[1][i]]);
            assertNotEquals(t[0][i], t[1][i]);
            assertNotEquals(labels[t[0][i]], labels[t[2][i]]);
        }
        TripletSampler.Triplets b = s.next(4);
        assertEquals(4, b.anchor().size());
        assertEquals(t[0].length, 500);
    }

    @Test
    void classBatchesHaveKDifferentSamplesOfPClasses() {
        TripletSampler s = new TripletSampler(unbalanced(), 9);
        int[] labels = s.classes().labels();
        for (int rep = 0; rep < 20; rep++) {
            int[] idx = s.classBatchIndices(2, 5);
            assertEquals(10, idx.length);
            Set<Integer> distinct = new HashSet<>();
            for (int i : idx) {
                distinct.add(i);
            }
            assertEquals(10, distinct.size());
            for (int p = 0; p < 2; p++) {
                for (int k = 0; k < 5; k++) {
                    assertEquals(labels[idx[p * 5]], labels[idx[p * 5 + k]]);
                }
            }
            assertNotEquals(labels[idx[0]], labels[idx[5]]);
        }
        // class 2 has 5 samples: K = 6 leaves only two classes
        String m = assertThrows(IllegalArgumentException.class, () -> s.classBatchIndices(3, 6))
                .getMessage();
        assertTrue(m.contains("only 2 classes have 6 samples"), m);
    }

    @Test
    void batchHardPicksTheFarthestPositiveAndNearestNegative() {
        // 1-D embeddings: class 0 at 0, 1, 5; class 1 at 2, 10
        Tensor e = Tensor.of(new float[] {0, 1, 5, 2, 10}, 5, 1);
        int[] labels = {0, 0, 0, 1, 1};
        int[][] t = TripletSampler.batchHard(e, labels);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4}, t[0]);
        assertArrayEquals(new int[] {2, 2, 0, 4, 3}, t[1]);
        assertArrayEquals(new int[] {3, 3, 3, 1, 2}, t[2]);
        // an anchor alone in its class is left out
        int[][] u = TripletSampler.batchHard(Tensor.of(new float[] {0, 1, 3}, 3, 1), new int[] {0, 0, 1});
        assertArrayEquals(new int[] {0, 1}, u[0]);
    }

    @Test
    void badArgumentsAreNamed() {
        TensorDataset oneClass = new TensorDataset(Tensor.zeros(4, 1), Tensor.of(new int[] {1, 1, 1, 1}, 4));
        String m = assertThrows(IllegalArgumentException.class, () -> new PairSampler(oneClass, 1))
                .getMessage();
        assertTrue(m.contains("PairSampler: needs at least two classes"), m);
        TensorDataset singletons = new TensorDataset(Tensor.zeros(2, 1), Tensor.of(new int[] {0, 1}, 2));
        m = assertThrows(IllegalArgumentException.class, () -> new TripletSampler(singletons, 1))
                .getMessage();
        assertTrue(m.contains("TripletSampler: needs at least two classes and a class with two samples"), m);
        TensorDataset negative = new TensorDataset(Tensor.zeros(2, 1), Tensor.of(new float[] {0, -1}, 2));
        m = assertThrows(IllegalArgumentException.class, () -> new PairSampler(negative, 1))
                .getMessage();
        assertTrue(m.contains("sample 1 has label -1.0, expected a class index >= 0"), m);
        TensorDataset unlabelled = new TensorDataset(Tensor.zeros(2, 1), null);
        m = assertThrows(IllegalArgumentException.class, () -> new PairSampler(unlabelled, 1))
                .getMessage();
        assertTrue(m.contains("sample 0 has no scalar class label"), m);
        m = assertThrows(IllegalArgumentException.class, () -> new PairSampler(unbalanced(), 1).next(0))
                .getMessage();
        assertTrue(m.contains("number of pairs must be at least 1, got 0"), m);
        m = assertThrows(
                        IllegalArgumentException.class,
                        () -> TripletSampler.batchHard(Tensor.zeros(3, 2), new int[] {0, 1}))
                .getMessage();
        assertTrue(m.contains("expected embeddings (N, D) with N = 2 labels, got (3, 2)"), m);
    }
}
