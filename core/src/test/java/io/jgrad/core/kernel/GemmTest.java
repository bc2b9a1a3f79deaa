package io.jgrad.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * sgemm and dgemm of every kernel implementation against the naive triple loop, on shapes that hit
 * every register-tile, packing-block and thread-split boundary, all four transpose combinations,
 * alpha/beta (beta == 0 over NaN garbage), offsets and leading dimensions wider than the matrices.
 */
class GemmTest {
    /** Sizes hitting the tails of 4-, 8- and 16-lane vectors and of 6- and 8-row register tiles. */
    static final int[] SIZES = {1, 2, 3, 7, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129, 255, 257};

    static final boolean[] BOOLS = {false, true};

    /** One problem: shapes, layout and scalars; the buffers are random with padding around each matrix. */
    record Case(boolean transA, boolean transB, int m, int n, int k, double alpha, double beta, int pad, long seed) {
        int lda() {
            return (transA ? m : k) + pad;
        }

        int ldb() {
            return (transB ? k : n) + pad;
        }

        int ldc() {
            return n + pad;
        }

        int rowsA() {
            return transA ? k : m;
        }

        int rowsB() {
            return transB ? n : k;
        }

        @Override
        public String toString() {
            return "gemm(" + (transA ? "T" : "N") + (transB ? "T" : "N") + ", m=" + m + ", n=" + n + ", k=" + k
                    + ", alpha=" + alpha + ", beta=" + beta + ", pad=" + pad + ")";
        }
    }

    private static final int OFF_A = 3;
    private static final int OFF_B = 5;
    private static final int OFF_C = 7;

    /** Runs the case through every kernel in single precision and compares with the naive loop. */
    static void checkFloat(Iterable<Kernels> kernels, Case t) {
        SplittableRandom r = new SplittableRandom(t.seed());
        float[] a = randomFloats(r, OFF_A + t.rowsA() * t.lda() + 2);
        float[] b = randomFloats(r, OFF_B + t.rowsB() * t.ldb() + 2);
        float[] c0 = randomFloats(r, OFF_C + t.m() * t.ldc() + 2);
        if (t.beta() == 0) {
            // beta == 0 must ignore C entirely, even NaN
            for (int i = 0; i < t.m(); i++) {
                Arrays.fill(c0, OFF_C + i * t.ldc(), OFF_C + i * t.ldc() + t.n(), Float.NaN);
            }
        }
        double[][] ref = KernelSets.naiveGemm(
                t.transA(),
                t.transB(),
                t.m(),
                t.n(),
                t.k(),
                (float) t.alpha(),
                KernelSets.toDouble(a),
                OFF_A,
                t.lda(),
                KernelSets.toDouble(b),
                OFF_B,
                t.ldb(),
                (float) t.beta(),
                KernelSets.toDouble(c0),
                OFF_C,
                t.ldc());
        for (Kernels kern : kernels) {
            float[] c = c0.clone();
            kern.sgemm(
                    t.transA(),
                    t.transB(),
                    t.m(),
                    t.n(),
                    t.k(),
                    (float) t.alpha(),
                    a,
                    OFF_A,
                    t.lda(),
                    b,
                    OFF_B,
                    t.ldb(),
                    (float) t.beta(),
                    c,
                    OFF_C,
                    t.ldc());
            compare(kern, t, ref, 0x1p-23, c.length, i -> c[i], i -> c0[i]);
        }
    }

    /** Runs the case through every kernel in double precision and compares with the naive loop. */
    static void checkDouble(Iterable<Kernels> kernels, Case t) {
        SplittableRandom r = new SplittableRandom(t.seed());
        double[] a = randomDoubles(r, OFF_A + t.rowsA() * t.lda() + 2);
        double[] b = randomDoubles(r, OFF_B + t.rowsB() * t.ldb() + 2);
        double[] c0 = randomDoubles(r, OFF_C + t.m() * t.ldc() + 2);
        if (t.beta() == 0) {
            for (int i = 0; i < t.m(); i++) {
                Arrays.fill(c0, OFF_C + i * t.ldc(), OFF_C + i * t.ldc() + t.n(), Double.NaN);
            }
        }
        double[][] ref = KernelSets.naiveGemm(
                t.transA(),
                t.transB(),
                t.m(),
                t.n(),
                t.k(),
                t.alpha(),
                a,
                OFF_A,
                t.lda(),
                b,
                OFF_B,
                t.ldb(),
                t.beta(),
                c0,
                OFF_C,
                t.ldc());
        for (Kernels kern : kernels) {
            double[] c = c0.clone();
            kern.dgemm(
                    t.transA(),
                    t.transB(),
                    t.m(),
                    t.n(),
                    t.k(),
                    t.alpha(),
                    a,
                    OFF_A,
                    t.lda(),
                    b,
                    OFF_B,
                    t.ldb(),
                    t.beta(),
                    c,
                    OFF_C,
                    t.ldc());
            // the reference itself rounds in double: the bound below allows for both
            compare(kern, t, ref, 0x1p-52, c.length, i -> c[i], i -> c0[i]);
        }
    }

    /**
     * Every element of the m x n result must be within {@code 2 (k + 2) eps} times its magnitude of the
     * reference (the classic bound for a dot product, doubled), and every element outside it untouched.
     */
    private static void compare(
            Kernels kern,
            Case t,
            double[][] refMag,
            double eps,
            int len,
            java.util.function.IntToDoubleFunction got,
            java.util.function.IntToDoubleFunction before) {
        double[] ref = refMag[0];
        double[] mag = refMag[1];
        int ldc = t.ldc();
        boolean[] inside = new boolean[len];
        for (int i = 0; i < t.m(); i++) {
            for (int j = 0; j < t.n(); j++) {
                int idx = OFF_C + i * ldc + j;
                inside[idx] = true;
                double g = got.applyAsDouble(idx);
                double want = ref[i * t.n() + j];
                double tol = 2 * (t.k() + 2) * eps * mag[i * t.n() + j] + Double.MIN_NORMAL;
                if (!(Math.abs(g - want) <= tol)) {
                    fail(kern.name() + " " + t + ": C[" + i + "][" + j + "] = " + g + ", expected " + want
                            + " (tolerance " + tol + ")");
                }
            }
        }
        for (int idx = 0; idx < len; idx++) {
            if (!inside[idx]) {
                assertEquals(
                        Double.doubleToLongBits(before.applyAsDouble(idx)),
                        Double.doubleToLongBits(got.applyAsDouble(idx)),
                        () -> kern.name() + " " + t + " wrote outside C");
            }
        }
    }

    static float[] randomFloats(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    static double[] randomDoubles(SplittableRandom r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextDouble() * 2 - 1;
        }
        return x;
    }

    private static void both(Case t) {
        checkFloat(KernelSets.gemm(), t);
        checkDouble(KernelSets.gemm(), t);
    }

    @Test
    void squareSizesAllTransposes() {
        long seed = 1;
        for (int s : SIZES) {
            for (boolean ta : BOOLS) {
                for (boolean tb : BOOLS) {
                    both(new Case(ta, tb, s, s, s, 1, 0, 0, seed++));
                }
            }
        }
    }

    @Test
    void nonSquareShapesWithAlphaBetaAndPadding() {
        double[][] ab = {{1, 0}, {0.5, 1}, {-2, 0.25}, {1.5, -1}};
        long seed = 100;
        int q = 0;
        for (int i = 0; i < SIZES.length; i++) {
            int m = SIZES[i];
            int n = SIZES[(i + 5) % SIZES.length];
            int k = SIZES[(i + 11) % SIZES.length];
            for (boolean ta : BOOLS) {
                for (boolean tb : BOOLS) {
                    double[] s = ab[q++ % ab.length];
                    both(new Case(ta, tb, m, n, k, s[0], s[1], 1 + (q % 4), seed++));
                    both(new Case(ta, tb, n, k, m, s[0], s[1], 3, seed++));
                }
            }
        }
    }

    @Test
    void everySmallEdgeTile() {
        // every m up to two 8-row tiles, every n up to two 16-wide tiles and around 3 and 4 of them
        long seed = 1000;
        int[] widths = {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 23, 24, 25, 31, 32, 33, 47, 48, 49, 63, 64,
            65
        };
        for (int m = 1; m <= 17; m++) {
            for (int n : widths) {
                for (int k : new int[] {1, 17}) {
                    boolean ta = ((m + n) & 1) == 1;
                    boolean tb = ((m + k) & 2) == 2;
                    both(new Case(ta, tb, m, n, k, 0.75, (n & 1) == 0 ? 0 : 0.5, m % 3, seed++));
                }
            }
        }
    }

    @Test
    void packingBlockBoundaries() {
        // depth blocks of 256, row blocks of 120 and 128, column blocks of 2048 and 4096
        long seed = 5000;
        int[][] shapes = {
            {5, 9, 255},
            {5, 9, 256},
            {5, 9, 257},
            {3, 17, 513},
            {119, 20, 30},
            {120, 20, 30},
            {121, 20, 30},
            {127, 9, 20},
            {129, 9, 20},
            {241, 33, 20},
            {5, 2049, 3},
            {7, 4097, 5},
            {9, 4100, 3}
        };
        for (int[] s : shapes) {
            for (boolean ta : BOOLS) {
                for (boolean tb : BOOLS) {
                    both(new Case(ta, tb, s[0], s[1], s[2], 1.25, 0.5, 2, seed++));
                }
            }
        }
    }

    @Test
    void multiThreadedSplitsWithOddThreadCounts() {
        int before = Parallel.threads();
        long seed = 7000;
        try {
            for (int threads : new int[] {2, 3, 5}) {
                Parallel.setThreads(threads);
                // tall (split over rows) and wide (split over columns), above the parallel threshold
                both(new Case(false, false, 301, 67, 150, 1, 0, 1, seed++));
                both(new Case(true, true, 67, 301, 150, -1, 1, 2, seed++));
                both(new Case(false, true, 129, 257, 127, 0.5, 0, 0, seed++));
                both(new Case(true, false, 257, 129, 65, 2, -0.5, 3, seed++));
                // several depth blocks and row blocks per task
                both(new Case(false, true, 700, 90, 520, 1, 0.5, 1, seed++));
                both(new Case(true, false, 500, 300, 300, -0.5, 0, 2, seed++));
                // long enough to be cut into more tasks than threads, claimed dynamically
                both(new Case(false, false, 41, 1300, 50, 1, 0, 1, seed++));
                both(new Case(true, true, 1300, 23, 70, 1, 1, 0, seed++));
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void matrixVectorProductsOfOneToThreeRows() {
        // fewer rows than GEMV_ROWS run unpacked, one row at a time; at GEMV_PARALLEL multiply-adds and
        // more the columns are split over the threads (odd counts, chunks not whole vectors)
        int before = Parallel.threads();
        long seed = 8000;
        try {
            for (int threads : new int[] {1, 2, 3}) {
                Parallel.setThreads(threads);
                for (int m = 1; m < FloatGemmDriver.GEMV_ROWS; m++) {
                    for (boolean ta : BOOLS) {
                        for (boolean tb : BOOLS) {
                            both(new Case(ta, tb, m, 1001, 70, 1, 0, 1, seed++));
                            both(new Case(ta, tb, m, 333, 257, -0.5, 0.5, 2, seed++));
                            both(new Case(ta, tb, m, 35, 19, 2, 1, 0, seed++));
                        }
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void aRowDoesNotDependOnHowManyRowsTheProductHas() {
        // 1-3 rows take the matrix-vector path, 7 the blocked one: the same values bit for bit (a
        // model's prediction for a sample does not depend on the batch it is in)
        int before = Parallel.threads();
        SplittableRandom r = new SplittableRandom(9000);
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                for (int[] shape : new int[][] {{40, 13}, {300, 600}, {70, 1}}) {
                    int n = shape[0];
                    int k = shape[1];
                    for (boolean ta : BOOLS) {
                        for (boolean tb : BOOLS) {
                            for (float beta : new float[] {0, 1, 0.5f}) {
                                float[] a = randomFloats(r, 7 * k);
                                float[] b = randomFloats(r, n * k);
                                float[] c0 = randomFloats(r, 7 * n);
                                for (Kernels kern : KernelSets.gemm()) {
                                    float[] all = c0.clone();
                                    kern.sgemm(
                                            ta,
                                            tb,
                                            7,
                                            n,
                                            k,
                                            0.75f,
                                            a,
                                            0,
                                            ta ? 7 : k,
                                            b,
                                            0,
                                            tb ? k : n,
                                            beta,
                                            all,
                                            0,
                                            n);
                                    for (int m = 1; m < FloatGemmDriver.GEMV_ROWS; m++) {
                                        // the first m rows of op(A): for a transposed A, its first m columns
                                        float[] am = new float[m * k];
                                        for (int i = 0; i < m; i++) {
                                            for (int p = 0; p < k; p++) {
                                                am[ta ? p * m + i : i * k + p] = ta ? a[p * 7 + i] : a[i * k + p];
                                            }
                                        }
                                        float[] few = Arrays.copyOf(c0, m * n);
                                        kern.sgemm(
                                                ta,
                                                tb,
                                                m,
                                                n,
                                                k,
                                                0.75f,
                                                am,
                                                0,
                                                ta ? m : k,
                                                b,
                                                0,
                                                tb ? k : n,
                                                beta,
                                                few,
                                                0,
                                                n);
                                        for (int q = 0; q < m * n; q++) {
                                            assertEquals(
                                                    Float.floatToIntBits(all[q]),
                                                    Float.floatToIntBits(few[q]),
                                                    kern.name() + " " + (ta ? "T" : "N") + (tb ? "T" : "N") + " n=" + n
                                                            + " k=" + k + " beta=" + beta + ": " + m
                                                            + " rows against 7, value "
                                                            + q + ": " + few[q] + " != " + all[q]);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void aTransposedAIsReadInPlaceWithTheSameBitsAsItsCopy() {
        // with alpha == 1 the register tile reads an A stored k x m in place (no packing) for its whole
        // row tiles and packs only a partial last one: the same values, bit for bit, as the product of
        // a contiguous m x k copy of op(A), which is packed; padded rows, edge tiles, several depth
        // blocks and row blocks, both thread counts
        int before = Parallel.threads();
        SplittableRandom r = new SplittableRandom(9100);
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                for (int[] shape : new int[][] {{131, 70, 600}, {24, 96, 40}, {7, 5, 3}, {250, 300, 257}}) {
                    int m = shape[0];
                    int n = shape[1];
                    int k = shape[2];
                    int lda = m + 3;
                    float[] at = randomFloats(r, k * lda); // A stored k x m, row stride m + 3
                    double[] atd = randomDoubles(r, k * lda);
                    float[] a = new float[m * k]; // op(A) = A^T as a contiguous m x k copy
                    double[] ad = new double[m * k];
                    for (int i = 0; i < m; i++) {
                        for (int p = 0; p < k; p++) {
                            a[i * k + p] = at[p * lda + i];
                            ad[i * k + p] = atd[p * lda + i];
                        }
                    }
                    for (boolean tb : BOOLS) {
                        float[] b = randomFloats(r, n * k);
                        double[] bd = randomDoubles(r, n * k);
                        for (float beta : new float[] {0, 1, 0.5f}) {
                            float[] c0 = randomFloats(r, m * n);
                            double[] cd0 = randomDoubles(r, m * n);
                            for (Kernels kern : KernelSets.gemm()) {
                                String at0 = kern.name() + " T" + (tb ? "T" : "N") + " " + m + "x" + n + "x" + k
                                        + " beta=" + beta + " threads=" + threads;
                                float[] inPlace = c0.clone();
                                float[] copied = c0.clone();
                                kern.sgemm(true, tb, m, n, k, 1f, at, 0, lda, b, 0, tb ? k : n, beta, inPlace, 0, n);
                                kern.sgemm(false, tb, m, n, k, 1f, a, 0, k, b, 0, tb ? k : n, beta, copied, 0, n);
                                assertSameBits(copied, inPlace, at0);
                                double[] dIn = cd0.clone();
                                double[] dCopy = cd0.clone();
                                kern.dgemm(true, tb, m, n, k, 1, atd, 0, lda, bd, 0, tb ? k : n, beta, dIn, 0, n);
                                kern.dgemm(false, tb, m, n, k, 1, ad, 0, k, bd, 0, tb ? k : n, beta, dCopy, 0, n);
                                assertSameBits(dCopy, dIn, at0);
                            }
                        }
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void aProductWithBStoredTransposedGivesTheBitsOfTheStoredCopy() {
        // a B stored n x k is packed by a transposing copy: the same values, bit for bit, as the product
        // with a k x n copy of B^T; several depth blocks, edge tiles, a padded C, beta 0 over NaN, 1 and
        // 0.5, 1 and 2 threads
        int before = Parallel.threads();
        SplittableRandom r = new SplittableRandom(9300);
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                for (int[] shape :
                        new int[][] {{64, 256, 784}, {4, 300, 257}, {21, 97, 600}, {5, 7, 3}, {90, 40, 300}}) {
                    int m = shape[0];
                    int n = shape[1];
                    int k = shape[2];
                    int ldc = n + 5;
                    float[] a = randomFloats(r, m * k);
                    double[] ad = randomDoubles(r, m * k);
                    float[] b = randomFloats(r, n * k); // B stored n x k
                    double[] bd = randomDoubles(r, n * k);
                    float[] bt = new float[k * n]; // op(B) = B^T as a contiguous k x n copy
                    double[] btd = new double[k * n];
                    for (int j = 0; j < n; j++) {
                        for (int p = 0; p < k; p++) {
                            bt[p * n + j] = b[j * k + p];
                            btd[p * n + j] = bd[j * k + p];
                        }
                    }
                    for (float beta : new float[] {0, 1, 0.5f}) {
                        float[] c0 = randomFloats(r, m * ldc);
                        double[] cd0 = randomDoubles(r, m * ldc);
                        if (beta == 0) {
                            Arrays.fill(c0, Float.NaN);
                            Arrays.fill(cd0, Double.NaN);
                        }
                        for (Kernels kern : KernelSets.gemm()) {
                            String at =
                                    kern.name() + " " + m + "x" + n + "x" + k + " beta=" + beta + " threads=" + threads;
                            float[] got = c0.clone();
                            float[] want = c0.clone();
                            kern.sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, beta, got, 0, ldc);
                            kern.sgemm(false, false, m, n, k, 1f, a, 0, k, bt, 0, n, beta, want, 0, ldc);
                            assertSameBits(want, got, at);
                            double[] dGot = cd0.clone();
                            double[] dWant = cd0.clone();
                            kern.dgemm(false, true, m, n, k, 1, ad, 0, k, bd, 0, k, beta, dGot, 0, ldc);
                            kern.dgemm(false, false, m, n, k, 1, ad, 0, k, btd, 0, n, beta, dWant, 0, ldc);
                            assertSameBits(dWant, dGot, at);
                        }
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void aPackedBGivesTheBitsOfTheUnpackedProduct() {
        // B packed once (a recurrent weight over the time steps), then products of 1 to 3 rows (which
        // read B in place), edge tiles, several depth blocks, more than one column block (nc = 4096), a
        // transposed A, beta 0 over NaN, 1 and 1.5, and 1 and 2 threads (a column split that starts
        // inside a packed block): the same bits as the ordinary product with that B
        int before = Parallel.threads();
        SplittableRandom r = new SplittableRandom(9200);
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                for (int[] shape : new int[][] {{13, 4150, 40}, {2, 70, 600}, {16, 1024, 300}, {5, 49, 7}}) {
                    int n = shape[1];
                    int k = shape[2];
                    for (boolean tb : BOOLS) {
                        int ldb = (tb ? k : n) + 3;
                        float[] b = randomFloats(r, (tb ? n : k) * ldb + 2);
                        double[] bd = randomDoubles(r, (tb ? n : k) * ldb + 2);
                        for (Kernels kern : KernelSets.gemm()) {
                            FloatGemmDriver.PackedB pf = kern.floatGemm().pack(tb, k, n, b, 2, ldb);
                            DoubleGemmDriver.PackedB pd = kern.doubleGemm().pack(tb, k, n, bd, 2, ldb);
                            assertEquals(k, pf.depth());
                            assertEquals(n, pd.columns());
                            for (int m : new int[] {shape[0], 1, 3}) {
                                for (boolean ta : BOOLS) {
                                    int lda = (ta ? m : k) + 1;
                                    float[] a = randomFloats(r, (ta ? k : m) * lda);
                                    double[] ad = randomDoubles(r, (ta ? k : m) * lda);
                                    for (float beta : new float[] {0, 1, 1.5f}) {
                                        String at = kern.name() + " " + (ta ? "T" : "N") + (tb ? "T" : "N") + " " + m
                                                + "x" + n + "x" + k + " beta=" + beta + " threads=" + threads;
                                        float[] c0 = randomFloats(r, m * n);
                                        c0[0] = beta == 0 ? Float.NaN : c0[0];
                                        float[] want = c0.clone();
                                        float[] got = c0.clone();
                                        kern.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 2, ldb, beta, want, 0, n);
                                        kern.floatGemm().gemm(ta, m, 1f, a, 0, lda, pf, beta, got, 0, n);
                                        assertSameBits(want, got, at);
                                        double[] cd0 = randomDoubles(r, m * n);
                                        double[] dWant = cd0.clone();
                                        double[] dGot = cd0.clone();
                                        kern.dgemm(ta, tb, m, n, k, 0.5, ad, 0, lda, bd, 2, ldb, beta, dWant, 0, n);
                                        kern.doubleGemm().gemm(ta, m, 0.5, ad, 0, lda, pd, beta, dGot, 0, n);
                                        assertSameBits(dWant, dGot, at);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void aNarrowLastPanelGivesTheBitsOfAFullOne() {
        // the columns of a last, partial micro-panel (run by a narrower register tile where the kernels
        // have one) equal, bit for bit, the same columns computed inside a full panel of a wider product
        SplittableRandom r = new SplittableRandom(9300);
        for (int n : new int[] {1, 8, 16, 17, 31, 32, 33, 47, 64, 65, 200, 256}) {
            for (boolean ta : BOOLS) {
                for (boolean tb : BOOLS) {
                    for (int m : new int[] {11, 20}) { // 2 and 5 row tiles of 4 (narrow panels pair them) and a rest
                        int k = 300;
                        int wide = n + 97; // pushes column n - 1 well inside a full panel
                        float[] a = randomFloats(r, m * k);
                        float[] b = randomFloats(r, wide * k); // stored k x wide, or wide x k
                        double[] ad = randomDoubles(r, m * k);
                        double[] bd = randomDoubles(r, wide * k);
                        int lda = ta ? m : k;
                        int ldb = tb ? k : wide;
                        for (float beta : new float[] {0, 1}) {
                            float[] c0 = randomFloats(r, m * wide);
                            double[] cd0 = randomDoubles(r, m * wide);
                            for (Kernels kern : KernelSets.gemm()) {
                                String at = kern.name() + " " + (ta ? "T" : "N") + (tb ? "T" : "N") + " n=" + n
                                        + " beta=" + beta;
                                float[] full = c0.clone();
                                float[] narrow = c0.clone();
                                kern.sgemm(ta, tb, m, wide, k, 1f, a, 0, lda, b, 0, ldb, beta, full, 0, wide);
                                kern.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, beta, narrow, 0, wide);
                                double[] dFull = cd0.clone();
                                double[] dNarrow = cd0.clone();
                                kern.dgemm(ta, tb, m, wide, k, 1, ad, 0, lda, bd, 0, ldb, beta, dFull, 0, wide);
                                kern.dgemm(ta, tb, m, n, k, 1, ad, 0, lda, bd, 0, ldb, beta, dNarrow, 0, wide);
                                for (int i = 0; i < m; i++) {
                                    for (int j = 0; j < wide; j++) {
                                        int q = i * wide + j;
                                        float fw = j < n ? full[q] : c0[q]; // columns past n are left alone
                                        double dw = j < n ? dFull[q] : cd0[q];
                                        assertEquals(
                                                Float.floatToIntBits(fw),
                                                Float.floatToIntBits(narrow[q]),
                                                at + " row " + i + " column " + j);
                                        assertEquals(
                                                Double.doubleToLongBits(dw),
                                                Double.doubleToLongBits(dNarrow[q]),
                                                at + " double row " + i + " column " + j);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void aPackedBTakesAPooledArrayAndCanBeRecycled() {
        // the packing writes every value a product reads: packed into a NaN-filled array from the pool, B
        // gives the bits of the unpacked product (edge panels, several depth blocks, both layouts); a
        // recycled packing goes back to the pool and refuses to be used
        SplittableRandom r = new SplittableRandom(9300);
        try {
            for (int[] shape : new int[][] {{13, 70, 300}, {5, 49, 7}, {9, 33, 260}}) {
                int m = shape[0];
                int n = shape[1];
                int k = shape[2];
                for (boolean tb : BOOLS) {
                    int ldb = tb ? k : n;
                    float[] b = randomFloats(r, (tb ? n : k) * ldb);
                    float[] a = randomFloats(r, m * k);
                    for (Kernels kern : KernelSets.gemm()) {
                        String at = kern.name() + " " + m + "x" + n + "x" + k + " tb=" + tb;
                        int size = kern.floatGemm().pack(tb, k, n, b, 0, ldb).data.length;
                        float[] dirty = new float[size];
                        java.util.Arrays.fill(dirty, Float.NaN);
                        ScratchPool.give(dirty);
                        FloatGemmDriver.PackedB pf = kern.floatGemm().pack(tb, k, n, b, 0, ldb);
                        assertTrue(pf.data == dirty, at + ": the pooled array was taken");
                        float[] want = new float[m * n];
                        float[] got = new float[m * n];
                        kern.sgemm(false, tb, m, n, k, 1f, a, 0, k, b, 0, ldb, 0f, want, 0, n);
                        kern.floatGemm().gemm(false, m, 1f, a, 0, k, pf, 0f, got, 0, n);
                        assertSameBits(want, got, at);
                        pf.recycle();
                        pf.recycle(); // a second time does nothing
                        assertTrue(ScratchPool.floats(size) == dirty, at + ": recycled to the pool");
                        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
                                IllegalStateException.class,
                                () -> kern.floatGemm().gemm(false, m, 1f, a, 0, k, pf, 0f, got, 0, n));
                        assertTrue(e.getMessage().contains("recycled"), e.getMessage());
                        ScratchPool.clear();
                    }
                }
            }
        } finally {
            ScratchPool.clear();
        }
    }

    @Test
    void aPackedBIsCheckedAgainstItsDriverAndShape() {
        for (Kernels kern : KernelSets.gemm()) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> kern.floatGemm().pack(false, 0, 3, new float[3], 0, 3));
            assertTrue(e.getMessage().contains("0 x 3"), e.getMessage());
        }
        if (KernelSets.gemm().size() > 1) {
            FloatGemmDriver.PackedB plain = KernelSets.gemm().get(0).floatGemm().pack(false, 2, 2, new float[4], 0, 2);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class,
                    () -> KernelSets.gemm()
                            .get(1)
                            .floatGemm()
                            .gemm(false, 4, 1f, new float[8], 0, 2, plain, 0f, new float[8], 0, 2));
            assertTrue(e.getMessage().contains("another GEMM driver"), e.getMessage());
        }
    }

    @Test
    void degenerateShapesOnlyScaleC() {
        for (Kernels kern : KernelSets.gemm()) {
            // k == 0: C = beta * C; beta == 0 clears even NaN
            float[] c = {1, 2, Float.NaN, 4, 9};
            kern.sgemm(false, false, 2, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 0f, c, 0, 2);
            assertArrayEqualsExact(new float[] {0, 0, 0, 0, 9}, c, kern);
            float[] c2 = {1, 2, 3, 4};
            kern.sgemm(true, true, 2, 2, 0, 1f, new float[0], 0, 2, new float[0], 0, 1, 0.5f, c2, 0, 2);
            assertArrayEqualsExact(new float[] {0.5f, 1, 1.5f, 2}, c2, kern);
            // alpha == 0 does not read A or B (they may hold NaN)
            float[] nan = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
            float[] c3 = {1, 2, 3, 4};
            kern.sgemm(false, false, 2, 2, 2, 0f, nan, 0, 2, nan, 0, 2, 2f, c3, 0, 2);
            assertArrayEqualsExact(new float[] {2, 4, 6, 8}, c3, kern);
            // m == 0 or n == 0: nothing happens
            float[] c4 = {Float.NaN};
            kern.sgemm(false, false, 0, 1, 3, 1f, new float[3], 0, 3, new float[3], 0, 1, 0f, c4, 0, 1);
            kern.sgemm(false, false, 1, 0, 3, 1f, new float[3], 0, 3, new float[3], 0, 1, 0f, c4, 0, 1);
            assertTrue(Float.isNaN(c4[0]), kern.name());
            double[] d = {1, 2, 3, 4};
            kern.dgemm(false, false, 2, 2, 0, 1, new double[0], 0, 1, new double[0], 0, 2, -1, d, 0, 2);
            assertEquals(-3.0, d[2], kern.name());
        }
    }

    @Test
    void repeatedCallsReuseScratchCorrectly() {
        // a large product then a small one on the same thread: stale packed data must not leak in
        checkFloat(KernelSets.gemm(), new Case(false, false, 100, 70, 300, 1, 0, 0, 42));
        checkFloat(KernelSets.gemm(), new Case(true, false, 3, 5, 2, 1, 0, 0, 43));
        checkDouble(KernelSets.gemm(), new Case(false, true, 100, 70, 300, 1, 0, 0, 44));
        checkDouble(KernelSets.gemm(), new Case(false, false, 2, 3, 4, 1, 1, 1, 45));
    }

    /** Every value of {@code got} has the bits of {@code want}'s ({@code at}: the case, for the message). */
    private static void assertSameBits(float[] want, float[] got, String at) {
        for (int q = 0; q < want.length; q++) {
            assertEquals(Float.floatToIntBits(want[q]), Float.floatToIntBits(got[q]), at + " value " + q);
        }
    }

    /** {@link #assertSameBits(float[], float[], String)} for doubles. */
    private static void assertSameBits(double[] want, double[] got, String at) {
        for (int q = 0; q < want.length; q++) {
            assertEquals(Double.doubleToLongBits(want[q]), Double.doubleToLongBits(got[q]), at + " double value " + q);
        }
    }

    private static void assertArrayEqualsExact(float[] want, float[] got, Kernels kern) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(
                    Float.floatToIntBits(want[i]),
                    Float.floatToIntBits(got[i]),
                    kern.name() + ": element " + i + " is " + got[i] + ", expected " + want[i]);
        }
    }
}
