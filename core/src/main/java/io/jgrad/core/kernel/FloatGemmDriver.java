package io.jgrad.core.kernel;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one single-precision GEMM driver, in the usual Goto/BLIS structure; a subclass supplies the
 * register tile (micro-kernel) and the packing routines for one instruction set, with the blocking
 * that suits them:
 *
 * <pre>
 * for jc over n in steps of NC          (the packed B block, KC x NC, lives in L3)
 *   for pc over k in equal depth blocks of at most KC
 *     pack op(B)[pc.., jc..] into NR-wide micro-panels               (packB)
 *     for ic over m in steps of MC      (the packed A block, MC x KC, lives in L2)
 *       pack alpha * op(A)[ic.., pc..] into MR-tall micro-panels     (packA)
 *       for jr over the B micro-panels  (one KC x NR micro-panel stays in L1)
 *         for ir over the A micro-panels
 *           MR x NR register tile += A micro-panel * B micro-panel   (kernel)
 * </pre>
 *
 * <p>The transposes are absorbed by the packing routines (no copy of a whole matrix), except that the
 * register tile reads an A stored k x m in place (for each depth its values of consecutive rows lie
 * side by side). alpha is folded into the packed A (so alpha != 1 packs every A), and beta is handled
 * by the first depth block: it overwrites C when beta == 0 (so NaN there is ignored), accumulates when
 * beta == 1, and other betas scale C once up front. Edge tiles are computed on zero-padded panels and
 * merged through a small scratch tile; a last panel with few valid columns may run a narrower register
 * tile ({@link #edgeKernel}) with the same values. The depth is cut into equal blocks (784 = 4 x 196,
 * not 3 x 256 + 16: a thin last block would pay the C-tile loads and stores of a whole block for little
 * arithmetic).
 *
 * <p>Large products are split over the shared pool along the longer side of C, in whole register tiles
 * that the threads claim dynamically; each task packs its own panels into per-thread buffers (at most
 * KC x NC + MC x KC elements each).
 *
 * <p>The implementations are {@code PlainFloatGemm} (scalar, any JVM) and the Vector API's
 * {@code simd.FloatGemm}.
 *
 * <p>Twin: {@code DoubleGemmDriver} is generated from this file at build time (execution {@code twins} in
 * core's pom), so this file is the only one to edit.
 */
public abstract class FloatGemmDriver {
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Rows of the register tile. */
    final int mr;
    /** Columns of the register tile. */
    final int nr;
    /** Largest depth of a packed block. */
    final int kc;
    /** Rows of a packed A block; a multiple of {@link #mr}. */
    final int mc;
    /** Columns of a packed B block; a multiple of {@link #nr}. */
    final int nc;
    /** Below this many multiply-adds the product runs on the calling thread. */
    final long parallelThreshold;
    /** Tasks per thread when a product is split. */
    final int tasksPerThread;

    /**
     * The register tile and the blocking of an implementation.
     *
     * @param mr rows of the register tile
     * @param nr columns of the register tile
     * @param kc largest depth of a packed block (a KC x NR B micro-panel should fill about half of L1)
     * @param mc rows of a packed A block (MC x KC values, in L2); rounded down to a multiple of mr
     * @param nc columns of a packed B block (KC x NC values, in L3); rounded down to a multiple of nr
     * @param parallelThreshold below this many multiply-adds a product runs on the calling thread
     * @param tasksPerThread tasks per thread when a product is split (claimed dynamically)
     */
    protected FloatGemmDriver(int mr, int nr, int kc, int mc, int nc, long parallelThreshold, int tasksPerThread) {
        this.mr = mr;
        this.nr = nr;
        this.kc = kc;
        this.mc = Math.max(mr, mc / mr * mr);
        this.nc = Math.max(nr, nc / nr * nr);
        this.parallelThreshold = parallelThreshold;
        this.tasksPerThread = tasksPerThread;
    }

    /**
     * Packs {@code alpha * op(A)[i0 .. i0+mc, p0 .. p0+kc)} into the micro-panels that {@link #kernel}
     * reads, whole panels of {@code mr} rows (rows past {@code mc} zero).
     *
     * @param transA whether A is stored k x m (op(A) = A^T)
     * @param a A's storage
     * @param aOff offset of A's first element
     * @param lda A's row stride
     * @param i0 first row of op(A)
     * @param mc rows to pack
     * @param p0 first depth index
     * @param kc depth to pack
     * @param alpha the factor folded into the packed values
     * @param pa the destination, at least {@code roundUp(mc, mr) * kc} long
     */
    protected abstract void packA(
            boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float alpha, float[] pa);

    /**
     * Packs {@code op(B)[p0 .. p0+kc, j0 .. j0+nc)} into {@code nr}-column micro-panels: panel q holds,
     * for each depth p, the nr values of columns {@code j0 + q*nr ..} contiguous (zero past nc). This
     * scalar version calls {@link #packBPanel} for each panel; an implementation may override it with a
     * faster copy of the common cases.
     *
     * @param transB whether B is stored n x k (op(B) = B^T)
     * @param b B's storage
     * @param bOff offset of B's first element
     * @param ldb B's row stride
     * @param p0 first depth index
     * @param kc depth to pack
     * @param j0 first column of op(B)
     * @param nc columns to pack
     * @param pb the destination, with {@code roundUp(nc, nr) * kc} values from {@code dst}
     * @param dst where in pb the first panel starts
     */
    protected void packB(
            boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, float[] pb, int dst) {
        for (int jr = 0; jr < nc; jr += nr) {
            packBPanel(transB, b, bOff, ldb, p0, kc, j0 + jr, Math.min(nr, nc - jr), pb, dst + jr * kc);
        }
    }

    /**
     * Packs one {@code nr}-column micro-panel of op(B), scalar: for each depth p, the values of columns
     * {@code j0 .. j0+cols} then zeros up to nr, at {@code pb[dst + p * nr ..]}.
     *
     * @param transB whether B is stored n x k
     * @param b B's storage
     * @param bOff offset of B's first element
     * @param ldb B's row stride
     * @param p0 first depth index
     * @param kc depth to pack
     * @param j0 first column of op(B) in this panel
     * @param cols valid columns (at most nr)
     * @param pb the destination
     * @param dst the panel's start in pb
     */
    protected final void packBPanel(
            boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int cols, float[] pb, int dst) {
        int nr = this.nr;
        if (!transB) {
            // B is k x n row-major: the values of each p are contiguous
            int src = bOff + p0 * ldb + j0;
            for (int p = 0; p < kc; p++, src += ldb) {
                int d = dst + p * nr;
                for (int j = 0; j < cols; j++) {
                    pb[d + j] = b[src + j];
                }
                for (int j = cols; j < nr; j++) {
                    pb[d + j] = 0f;
                }
            }
        } else {
            // B is n x k row-major: column j of op(B) is contiguous along p. Eight depths at a time: for
            // each column, eight consecutive values read into registers, then written to the eight rows
            // of the panel (which stays in L1). Going over the whole depth for one column at a time, the
            // stores went one per cache line and C2's loop was store-bound: 1.0 ns per value against
            // 0.55 ns on a Zen 3 core (a 512 x 784 weight, as a dense layer's forward packs it).
            int p = 0;
            for (; p + 8 <= kc; p += 8) {
                for (int j = 0; j < cols; j++) {
                    int s = bOff + (j0 + j) * ldb + p0 + p;
                    int d = dst + p * nr + j;
                    float x0 = b[s];
                    float x1 = b[s + 1];
                    float x2 = b[s + 2];
                    float x3 = b[s + 3];
                    float x4 = b[s + 4];
                    float x5 = b[s + 5];
                    float x6 = b[s + 6];
                    float x7 = b[s + 7];
                    pb[d] = x0;
                    pb[d + nr] = x1;
                    pb[d + 2 * nr] = x2;
                    pb[d + 3 * nr] = x3;
                    pb[d + 4 * nr] = x4;
                    pb[d + 5 * nr] = x5;
                    pb[d + 6 * nr] = x6;
                    pb[d + 7 * nr] = x7;
                }
            }
            for (; p < kc; p++) {
                for (int j = 0; j < cols; j++) {
                    pb[dst + p * nr + j] = b[bOff + (j0 + j) * ldb + p0 + p];
                }
            }
            for (int j = cols; j < nr; j++) {
                for (int q = 0; q < kc; q++) {
                    pb[dst + q * nr + j] = 0f;
                }
            }
        }
    }

    /**
     * The register tile: {@code C[0..mr, 0..nr) (+)= A-panel * B-panel} over depth kc, accumulating into C
     * when {@code acc} and overwriting it otherwise.
     *
     * @param kc the depth
     * @param pa packed A, or A itself when it is read in place
     * @param ai the index of row 0's value at depth 0 in pa
     * @param aStep the distance in pa between a row's values at consecutive depths
     * @param aRow the distance in pa between consecutive rows' values at one depth
     * @param pb packed B
     * @param bi start of the B micro-panel in pb
     * @param c the destination
     * @param ci index of the tile's first element in c
     * @param ldc c's row stride
     * @param acc whether to add to c
     */
    protected abstract void kernel(
            int kc,
            float[] pa,
            int ai,
            int aStep,
            int aRow,
            float[] pb,
            int bi,
            float[] c,
            int ci,
            int ldc,
            boolean acc);

    /**
     * The register tile for an edge tile (fewer than mr valid rows, or a last micro-panel of which only
     * the first {@code cols} columns are valid), into the scratch edge tile ({@code ldc == nr}, not
     * accumulating). An implementation may compute only enough of the columns to cover cols, but each of
     * those values must be computed exactly as {@link #kernel} computes it. This version runs the full
     * tile.
     *
     * @param cols the valid columns (1 to nr)
     * @param kc the depth
     * @param pa packed A, or A itself when it is read in place
     * @param ai the index of row 0's value at depth 0 in pa
     * @param aStep the distance in pa between a row's values at consecutive depths
     * @param aRow the distance in pa between consecutive rows' values at one depth
     * @param pb packed B
     * @param bi start of the B micro-panel in pb
     * @param c the destination
     * @param ci index of the tile's first element in c
     * @param ldc c's row stride
     * @param acc whether to add to c
     */
    protected void edgeKernel(
            int cols,
            int kc,
            float[] pa,
            int ai,
            int aStep,
            int aRow,
            float[] pb,
            int bi,
            float[] c,
            int ci,
            int ldc,
            boolean acc) {
        kernel(kc, pa, ai, aStep, aRow, pb, bi, c, ci, ldc, acc);
    }

    /**
     * Two row tiles ({@code 2 * mr} rows, the second one's row 0 at {@code ai2} in pa) of a last
     * micro-panel of which only the first {@code cols} columns are valid, into the scratch edge tile
     * ({@code ldc == nr}, not accumulating), each value computed exactly as {@link #kernel} computes it.
     * An implementation whose narrowest edge kernel has too few independent sums to keep the FMA units
     * busy can run both tiles in one loop; this version runs {@link #edgeKernel} twice.
     *
     * @param cols the valid columns (1 to nr - 1)
     * @param kc the depth
     * @param pa packed A, or A itself when it is read in place
     * @param ai the index of row 0's value at depth 0 in pa
     * @param ai2 the same for the second tile
     * @param aStep the distance in pa between a row's values at consecutive depths
     * @param aRow the distance in pa between consecutive rows' values at one depth (within a tile)
     * @param pb packed B
     * @param bi start of the B micro-panel in pb
     * @param c the destination
     * @param ci index of the first tile's first element in c
     * @param ldc c's row stride
     */
    protected void edgeKernelPair(
            int cols,
            int kc,
            float[] pa,
            int ai,
            int ai2,
            int aStep,
            int aRow,
            float[] pb,
            int bi,
            float[] c,
            int ci,
            int ldc) {
        edgeKernel(cols, kc, pa, ai, aStep, aRow, pb, bi, c, ci, ldc, false);
        edgeKernel(cols, kc, pa, ai2, aStep, aRow, pb, bi, c, ci + mr * ldc, ldc, false);
    }

    /**
     * The distance in the packed A between the values of one row at consecutive depths, for panels
     * packed by {@link #packA} at depth kc ({@code aStep} of {@link #kernel}).
     *
     * @param kc the packed depth
     * @return the step
     */
    protected abstract int packedAStep(int kc);

    /**
     * The distance in the packed A between the values of consecutive rows at one depth ({@code aRow} of
     * {@link #kernel}).
     *
     * @param kc the packed depth
     * @return the distance
     */
    protected abstract int packedARow(int kc);

    /**
     * Products with fewer rows than this run as matrix-vector products, one row of C at a time, reading
     * B in place without packing it ({@link #gemvRow}).
     */
    public static final int GEMV_ROWS = 4;

    /**
     * Values [j0, j1) of the row {@code x B^T} for B stored n x k (row j at {@code bOff + j * ldb}), merged
     * into C at {@code ci + j} by {@link #combine} with beta. Each value must be computed exactly as the
     * register tile computes it: one chain of multiply-adds from zero, in the order of p, so that a row
     * of C does not depend on how many rows the product has. This scalar version matches {@code
     * PlainFloatGemm}'s tile ({@code c += a * b}); an implementation whose tile fuses them overrides it.
     *
     * @param x the row of op(A), alpha folded in
     * @param xo its first element
     * @param b B's storage
     * @param bOff the first element of B's row 0 in this depth block
     * @param ldb B's row stride
     * @param k the depth of this block
     * @param beta C's factor for this block (0 overwrites, ignoring NaN)
     * @param c C's storage
     * @param ci the first element of C's row
     * @param j0 the first column
     * @param j1 the end of the columns
     */
    protected void dots(
            float[] x, int xo, float[] b, int bOff, int ldb, int k, float beta, float[] c, int ci, int j0, int j1) {
        for (int j = j0; j < j1; j++) {
            float sum = 0f;
            int r = bOff + j * ldb;
            for (int p = 0; p < k; p++) {
                sum += x[xo + p] * b[r + p];
            }
            c[ci + j] = combine(sum, beta, c[ci + j]);
        }
    }

    /**
     * {@code y[0 .. w) = x[xo .. xo+depth) B} for B stored depth x w (row p at {@code bOff + p * ldb}):
     * each value one chain of multiply-adds from zero in the order of p, as the register tile computes it
     * (see {@link #dots}). This scalar version matches {@code PlainFloatGemm}'s tile; an implementation
     * whose tile fuses them overrides it.
     *
     * @param x the row of op(A), alpha folded in
     * @param xo its first element in this depth block
     * @param depth the depth of this block
     * @param b B's storage
     * @param bOff the first of the columns in B's row 0 of this depth block
     * @param ldb B's row stride
     * @param y the destination, overwritten
     * @param w the number of columns
     */
    protected void scaledRows(float[] x, int xo, int depth, float[] b, int bOff, int ldb, float[] y, int w) {
        Arrays.fill(y, 0, w, 0f);
        for (int p = 0; p < depth; p++) {
            float s = x[xo + p];
            int r = bOff + p * ldb;
            for (int j = 0; j < w; j++) {
                y[j] += s * b[r + j];
            }
        }
    }

    /**
     * Per-thread buffers (packed A, packed B, an edge tile, a row of A, a row of C, an op(B) packed for
     * all the tasks of a parallel product), grown on demand and reused.
     */
    private static final class Scratch {
        static final int PACKED_A = 0;
        static final int PACKED_B = 1;
        static final int EDGE_TILE = 2;
        static final int A_ROW = 3;
        static final int C_ROW = 4;
        static final int SHARED_B = 5;

        final float[][] buffers = new float[SHARED_B + 1][0];

        /** Buffer {@code which} with room for at least {@code size} values. */
        float[] get(int which, int size) {
            if (buffers[which].length < size) {
                buffers[which] = new float[size];
            }
            return buffers[which];
        }
    }

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} on row-major storage.
     *
     * @param transA whether A is stored k x m
     * @param transB whether B is stored n x k
     * @param m rows of C
     * @param n columns of C
     * @param k the depth
     * @param alpha the product's factor
     * @param a A's storage
     * @param aOff offset of A's first element
     * @param lda A's row stride
     * @param b B's storage
     * @param bOff offset of B's first element
     * @param ldb B's row stride
     * @param beta C's factor (0 overwrites C, ignoring NaN there)
     * @param c C's storage
     * @param cOff offset of C's first element
     * @param ldc C's row stride
     */
    public final void gemm(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            float alpha,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float beta,
            float[] c,
            int cOff,
            int ldc) {
        run(null, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} with op(B) packed by {@link #pack}: the same values, bit
     * for bit, as {@link #gemm} with that B, without packing B again.
     *
     * @param transA whether A is stored k x m
     * @param m rows of C
     * @param alpha the product's factor
     * @param a A's storage
     * @param aOff offset of A's first element
     * @param lda A's row stride
     * @param packed op(B), packed by this driver
     * @param beta C's factor (0 overwrites C, ignoring NaN there)
     * @param c C's storage
     * @param cOff offset of C's first element
     * @param ldc C's row stride
     */
    public final void gemm(
            boolean transA,
            int m,
            float alpha,
            float[] a,
            int aOff,
            int lda,
            PackedB packed,
            float beta,
            float[] c,
            int cOff,
            int ldc) {
        if (packed.driver != this) {
            throw new IllegalArgumentException("gemm: B was packed by another GEMM driver");
        }
        if (packed.data == null) {
            throw new IllegalStateException(
                    "gemm: the packed " + packed.k + " x " + packed.n + " B was recycled and cannot be used");
        }
        run(
                packed,
                transA,
                packed.transB,
                m,
                packed.n,
                packed.k,
                alpha,
                a,
                aOff,
                lda,
                packed.b,
                packed.bOff,
                packed.ldb,
                beta,
                c,
                cOff,
                ldc);
    }

    /**
     * Packs op(B) (k x n) once for several products that multiply it ({@link #gemm(boolean, int, float,
     * float[], int, int, PackedB, float, float[], int, int)}), such as a recurrent weight at every time
     * step. It keeps a reference to B (a product of fewer than {@link #GEMV_ROWS} rows reads B in
     * place), which must not change while the packed form is used.
     *
     * @param transB whether B is stored n x k (op(B) = B^T)
     * @param k the depth
     * @param n columns of op(B)
     * @param b B's storage
     * @param bOff offset of B's first element
     * @param ldb B's row stride
     * @return the packed op(B)
     */
    public final PackedB pack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        if (k <= 0 || n <= 0) {
            throw new IllegalArgumentException("gemm: cannot pack a " + k + " x " + n + " B");
        }
        PackedB packed = layout(transB, k, n, b, bOff, ldb, null);
        packed.pooled = true;
        for (int unit = 0; unit < packed.units(); unit++) {
            packUnit(packed, unit);
        }
        return packed;
    }

    /**
     * The layout of a packed op(B): blocks of nc columns (from column 0), each cut into the depth blocks,
     * each a run of kc x nr micro-panels; in the scratch buffer for a shared packing when {@code s} is
     * given, else in a new array.
     */
    private PackedB layout(boolean transB, int k, int n, float[] b, int bOff, int ldb, Scratch s) {
        int kBlocks = depthBlocks(k);
        int nBlocks = (n + nc - 1) / nc;
        int[] offsets = new int[nBlocks * kBlocks + 1];
        for (int jb = 0; jb < nBlocks; jb++) {
            int width = roundUp(Math.min(nc, n - jb * nc), nr);
            for (int q = 0; q < kBlocks; q++) {
                int kcq = depthStart(k, q + 1, kBlocks) - depthStart(k, q, kBlocks);
                offsets[jb * kBlocks + q + 1] = offsets[jb * kBlocks + q] + width * kcq;
            }
        }
        int size = offsets[nBlocks * kBlocks];
        // the packing writes every value that a product reads, so the array's old values do not matter
        float[] data = s != null ? s.get(Scratch.SHARED_B, size) : ScratchPool.floats(size);
        return new PackedB(this, transB, k, n, b, bOff, ldb, data, offsets, kBlocks);
    }

    /**
     * Packs one unit of a packed op(B): micro-panel {@code unit % panels} of the whole op(B) in depth block
     * {@code unit / panels}.
     */
    private void packUnit(PackedB pb, int unit) {
        int panels = (pb.n + nr - 1) / nr;
        int q = unit / panels;
        int j0 = unit % panels * nr;
        int pc = depthStart(pb.k, q, pb.kBlocks);
        int kcq = depthStart(pb.k, q + 1, pb.kBlocks) - pc;
        int at = pb.offsets[j0 / nc * pb.kBlocks + q] + j0 % nc * kcq;
        packB(pb.transB, pb.b, pb.bOff, pb.ldb, pc, kcq, j0, Math.min(nr, pb.n - j0), pb.data, at);
    }

    /** An op(B) packed by {@link #pack}: micro-panels per block of columns and depth. */
    public static final class PackedB {
        final FloatGemmDriver driver;
        final boolean transB;
        final int k;
        final int n;
        final float[] b;
        final int bOff;
        final int ldb;
        /**
         * The panels; block (column block j, depth block q) starts at {@code offsets[j * kBlocks + q]}. Null
         * once {@link #recycle}d.
         */
        float[] data;
        /** Whether data came from the {@link ScratchPool} for this packing alone ({@link #pack}). */
        boolean pooled;

        final int[] offsets;
        final int kBlocks;

        PackedB(
                FloatGemmDriver driver,
                boolean transB,
                int k,
                int n,
                float[] b,
                int bOff,
                int ldb,
                float[] data,
                int[] offsets,
                int kBlocks) {
            this.driver = driver;
            this.transB = transB;
            this.k = k;
            this.n = n;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.data = data;
            this.offsets = offsets;
            this.kBlocks = kBlocks;
        }

        /**
         * Gives the packed panels to the {@link ScratchPool} (a packing of {@link #pack} whose owner is done
         * with it, such as a recurrent layer's weight at the end of its scan): this packing can no longer be
         * used. Does nothing for the driver's own shared packings or when already recycled.
         */
        public void recycle() {
            if (pooled) {
                pooled = false;
                float[] d = data;
                data = null;
                ScratchPool.give(d);
            }
        }

        /** The packed panels' length in values (padded to whole micro-panels): what {@link #recycle} gives. */
        public int length() {
            return data == null ? 0 : data.length;
        }

        /** The depth (rows of op(B)). */
        public int depth() {
            return k;
        }

        /** The columns of op(B). */
        public int columns() {
            return n;
        }

        /** The packing's units (a micro-panel in a depth block), numbered as {@code packUnit} reads them. */
        int units() {
            return kBlocks * ((n + driver.nr - 1) / driver.nr);
        }
    }

    private void run(
            PackedB packed,
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            float alpha,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float beta,
            float[] c,
            int cOff,
            int ldc) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0 || alpha == 0) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        if (m < GEMV_ROWS) {
            Scratch s = SCRATCH.get();
            for (int i = 0; i < m; i++) {
                gemvRow(transA, transB, i, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff + i * ldc, s);
            }
            return;
        }
        long work = (long) m * n * k;
        int tilesM = (m + mr - 1) / mr;
        int tilesN = (n + nr - 1) / nr;
        int threads = Parallel.threads();
        if (work < parallelThreshold || threads == 1 || Parallel.inPool() || (tilesM == 1 && tilesN == 1)) {
            block(packed, transA, transB, 0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        // Split C along its longer side into whole register tiles, in tasks that the threads claim
        // dynamically: on a busy machine a descheduled thread then delays only its current task, not a
        // fixed share of the product. Each task packs its own panels (the threads share nothing but the
        // read-only inputs), so each task re-packs the whole other operand: relative to the arithmetic
        // that costs about 5 * tasks / (longer side), kept near 1% by Parallel.gemmTasks.
        boolean byCols = (long) tilesN * nr >= (long) tilesM * mr;
        int tiles = byCols ? tilesN : tilesM;
        int longer = byCols ? n : m;
        int tasks = Parallel.gemmTasks(tiles, longer, threads, tasksPerThread);
        PackedB shared = packed;
        if (shared == null && !byCols) {
            // every task of a row split multiplies all of op(B): pack it once, both threads sharing the
            // work, instead of once per task (with 8 tasks that was 8 scalar transposing copies of a
            // linear layer's weight, 12% of a transformer layer's training step)
            PackedB pb = layout(transB, k, n, b, bOff, ldb, SCRATCH.get());
            Parallel.forRange(pb.units(), 1, (u0, u1) -> {
                for (int u = u0; u < u1; u++) {
                    packUnit(pb, u);
                }
            });
            shared = pb;
        }
        PackedB use = shared;
        AtomicInteger next = new AtomicInteger();
        Parallel.forRange(threads, 1, (first, last) -> {
            for (int q = next.getAndIncrement(); q < tasks; q = next.getAndIncrement()) {
                int from = (int) ((long) tiles * q / tasks);
                int to = (int) ((long) tiles * (q + 1) / tasks);
                int m0 = byCols ? 0 : from * mr;
                int m1 = byCols ? m : Math.min(m, to * mr);
                int n0 = byCols ? from * nr : 0;
                int n1 = byCols ? Math.min(n, to * nr) : n;
                block(use, transA, transB, m0, m1, n0, n1, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            }
        });
    }

    /**
     * Row i of C as a matrix-vector product, without packing: {@code C[i, :] = alpha * op(A)[i, :] op(B)
     * + beta * C[i, :]}. Packing B and running whole register tiles for one valid row (batch-1 inference,
     * a recurrent step of batch 1) cost about ten times this. A product of at least {@link
     * #GEMV_PARALLEL} multiply-adds splits the columns over the threads: it streams all of B, which
     * often lives in L3 or memory, and two cores bring it in about twice as fast as one.
     */
    private void gemvRow(
            boolean transA,
            boolean transB,
            int i,
            int n,
            int k,
            float alpha,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float beta,
            float[] c,
            int ci,
            Scratch s) {
        // the row of op(A), copied with alpha folded in (as the packed A of the blocked product) unless
        // it is a contiguous row of A already
        boolean copy = transA || alpha != 1;
        float[] x = copy ? s.get(Scratch.A_ROW, k) : a;
        int xo = copy ? 0 : aOff + i * lda;
        if (copy) {
            for (int p = 0; p < k; p++) {
                x[p] = alpha * (transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p]);
            }
        }
        if ((long) n * k >= GEMV_PARALLEL) {
            // on one thread, or inside the pool, forRange runs the one chunk here
            Parallel.forRange(
                    n,
                    GEMV_GRAIN,
                    (j0, j1) -> gemvColumns(transB, x, xo, k, b, bOff, ldb, beta, c, ci, j0, j1, SCRATCH.get()));
        } else {
            gemvColumns(transB, x, xo, k, b, bOff, ldb, beta, c, ci, 0, n, s);
        }
    }

    /** Matrix-vector products of at least this many multiply-adds split their columns over the threads. */
    static final long GEMV_PARALLEL = 1 << 16;

    /** The fewest columns of a matrix-vector product per thread. */
    private static final int GEMV_GRAIN = 64;

    /**
     * Columns [j0, j1) of the row {@code x op(B)}, merged into C at ci. The depth is cut into the blocks of
     * the blocked product, and each block's values are merged into C as it merges a tile, so that each
     * value is the same, bit for bit, as in a product with more rows. When B is stored n x k the values
     * are chains of multiply-adds along B's rows ({@link #dots}); when it is stored k x n the row is a sum
     * of B's rows scaled by the values of x, accumulated in the thread's buffer.
     */
    private void gemvColumns(
            boolean transB,
            float[] x,
            int xo,
            int k,
            float[] b,
            int bOff,
            int ldb,
            float beta,
            float[] c,
            int ci,
            int j0,
            int j1,
            Scratch s) {
        int kBlocks = depthBlocks(k);
        for (int q = 0; q < kBlocks; q++) {
            int pc = depthStart(k, q, kBlocks);
            int depth = depthStart(k, q + 1, kBlocks) - pc;
            // the first depth block applies beta; later ones add, as the tiles do
            float blockBeta = q == 0 ? beta : 1;
            if (transB) {
                dots(x, xo + pc, b, bOff + pc, ldb, depth, blockBeta, c, ci, j0, j1);
            } else {
                int w = j1 - j0;
                float[] y = s.get(Scratch.C_ROW, w);
                scaledRows(x, xo + pc, depth, b, bOff + pc * ldb + j0, ldb, y, w);
                for (int j = 0; j < w; j++) {
                    c[ci + j0 + j] = combine(y[j], blockBeta, c[ci + j0 + j]);
                }
            }
        }
    }

    /**
     * A product's value merged with C's as the blocked product merges it: overwrites when beta == 0
     * (ignoring NaN in C), else {@code v + beta * c} (beta * c rounded first, as C is scaled up front).
     *
     * @param v the product's value
     * @param beta C's factor
     * @param c C's value
     * @return the merged value
     */
    protected static float combine(float v, float beta, float c) {
        return beta == 0 ? v : beta == 1 ? c + v : v + beta * c;
    }

    /** C = beta * C (beta == 0 overwrites, ignoring NaN). */
    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            if (beta == 0) {
                Arrays.fill(c, ci, ci + n, 0f);
            } else if (beta != 1) {
                for (int j = 0; j < n; j++) {
                    c[ci + j] *= beta;
                }
            }
        }
    }

    /**
     * The serial blocked product for rows [m0, m1) and columns [n0, n1) of C; op(B) comes from {@code
     * packed} when it is not null (then n0 is a multiple of nr).
     */
    private void block(
            PackedB packed,
            boolean transA,
            boolean transB,
            int m0,
            int m1,
            int n0,
            int n1,
            int k,
            float alpha,
            float[] a,
            int aOff,
            int lda,
            float[] b,
            int bOff,
            int ldb,
            float beta,
            float[] c,
            int cOff,
            int ldc) {
        if (beta != 0 && beta != 1) {
            scale(m1 - m0, n1 - n0, beta, c, cOff + m0 * ldc + n0, ldc);
        }
        int mr = this.mr;
        int nr = this.nr;
        int mcBlock = this.mc;
        int ncBlock = this.nc;
        Scratch s = SCRATCH.get();
        int mcMax = Math.min(mcBlock, roundUp(m1 - m0, mr));
        int kBlocks = depthBlocks(k);
        int kcMax = (k + kBlocks - 1) / kBlocks;
        int ncMax = Math.min(ncBlock, roundUp(n1 - n0, nr));
        float[] pa = s.get(Scratch.PACKED_A, mcMax * kcMax);
        float[] pb = s.get(Scratch.PACKED_B, ncMax * kcMax);
        float[] tile = s.get(Scratch.EDGE_TILE, 2 * mr * nr); // room for edgeKernelPair
        // An A stored k x m (op(A) = A^T, a weight gradient's X^T dY) holds, for each depth, the values of
        // consecutive rows of op(A) side by side: the register tile reads them in place, at the same
        // addresses the packing would have copied from, so the products are the same bits and the
        // transposing copy (scalar, strided) is saved. alpha != 1 is folded into a packed A.
        boolean aInPlace = transA && alpha == 1;
        // An A stored m x k whose rows are one depth block and follow each other (lda == k <= kc) is an
        // MR-rows-of-kc packed A already, bit for bit the packing's copy: it is read in place too (the
        // patch matrix of a convolution's weight gradient, 5.6% of the cnn workload in that copy).
        boolean aRowsInPlace = !transA && alpha == 1 && lda == k && kBlocks == 1;
        for (int jc = n0; jc < n1; ) {
            // a packed B is cut into blocks of ncBlock columns from column 0; a range of C that starts
            // inside one takes its panels from where it starts
            int nc = Math.min(ncBlock - (packed == null ? 0 : jc % ncBlock), n1 - jc);
            for (int q = 0; q < kBlocks; q++) {
                int pc = depthStart(k, q, kBlocks);
                int kc = depthStart(k, q + 1, kBlocks) - pc;
                int packedStep = packedAStep(kc);
                int packedRow = packedARow(kc);
                float[] bp = pb;
                int bBase = 0;
                if (packed == null) {
                    packB(transB, b, bOff, ldb, pc, kc, jc, nc, pb, 0);
                } else {
                    bp = packed.data;
                    bBase = packed.offsets[jc / ncBlock * kBlocks + q] + jc % ncBlock * kc;
                }
                // the first depth block overwrites C when beta == 0 (ignoring NaN there); later ones add
                boolean acc = pc > 0 || beta != 0;
                for (int ic = m0; ic < m1; ic += mcBlock) {
                    int mc = Math.min(mcBlock, m1 - ic);
                    // whole row tiles of an A read in place (see aInPlace and aRowsInPlace); only a last,
                    // partial row tile is packed, into the start of pa
                    int whole = aInPlace || aRowsInPlace ? mc / mr * mr : 0;
                    if (whole < mc) {
                        packA(transA, a, aOff, lda, ic + whole, mc - whole, pc, kc, alpha, pa);
                    }
                    for (int jr = 0; jr < nc; jr += nr) {
                        int cols = Math.min(nr, nc - jr);
                        int bIdx = bBase + jr * kc;
                        for (int ir = 0; ir < mc; ir += mr) {
                            int rows = Math.min(mr, mc - ir);
                            int cIdx = cOff + (ic + ir) * ldc + jc + jr;
                            boolean inPlace = ir < whole;
                            float[] av = inPlace ? a : pa;
                            int ai = !inPlace
                                    ? (ir - whole) * kc
                                    : aInPlace ? aOff + pc * lda + ic + ir : aOff + (ic + ir) * lda;
                            int aStep = !inPlace ? packedStep : aInPlace ? lda : 1;
                            int aRow = !inPlace ? packedRow : aInPlace ? 1 : lda;
                            if (rows == mr && cols == nr) {
                                kernel(kc, av, ai, aStep, aRow, bp, bIdx, c, cIdx, ldc, acc);
                            } else if (cols < nr && ir + 2 * mr <= mc) {
                                // two whole row tiles of a narrow last panel in one call (see edgeKernelPair);
                                // both are read in place or both packed, since only a last partial row tile
                                // is packed when A is read in place
                                int ai2 = inPlace ? ai + mr * aRow : ai + mr * kc;
                                edgeKernelPair(cols, kc, av, ai, ai2, aStep, aRow, bp, bIdx, tile, 0, nr);
                                mergeTile(tile, nr, 2 * mr, cols, c, cIdx, ldc, acc);
                                ir += mr;
                            } else {
                                edgeKernel(cols, kc, av, ai, aStep, aRow, bp, bIdx, tile, 0, nr, false);
                                mergeTile(tile, nr, rows, cols, c, cIdx, ldc, acc);
                            }
                        }
                    }
                }
            }
            jc += nc;
        }
    }

    /** How many equal depth blocks of at most {@link #kc} a depth of k is cut into. */
    private int depthBlocks(int k) {
        return (k + kc - 1) / kc;
    }

    /**
     * Where depth block q of {@code blocks} starts (q == blocks gives k). The blocked product and the
     * matrix-vector path share this cut, which keeps their values equal bit for bit.
     */
    private static int depthStart(int k, int q, int blocks) {
        return (int) ((long) k * q / blocks);
    }

    private static int roundUp(int x, int to) {
        return (x + to - 1) / to * to;
    }

    /** Copies (or adds, when acc) the valid rows x cols corner of an edge tile into C. */
    private static void mergeTile(float[] tile, int nr, int rows, int cols, float[] c, int cIdx, int ldc, boolean acc) {
        for (int r = 0; r < rows; r++) {
            int ci = cIdx + r * ldc;
            int ti = r * nr;
            if (!acc) {
                System.arraycopy(tile, ti, c, ci, cols);
            } else {
                for (int j = 0; j < cols; j++) {
                    c[ci + j] += tile[ti + j];
                }
            }
        }
    }
}
