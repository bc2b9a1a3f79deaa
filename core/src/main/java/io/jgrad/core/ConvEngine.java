package io.jgrad.core;

import io.jgrad.core.kernel.Parallel;
import java.util.List;

/**
 * Convolution lowered to GEMM, on validated contiguous data. Three products share one layout: per
 * image and group, the im2col matrix {@code col} is (cinG * kh * kw) x (oh * ow), the group's weight
 * is (coutG) x (cinG * kh * kw) and its output (coutG) x (oh * ow), so
 * <pre>
 *   forward          out_g  = W_g   @ col
 *   backward input   col    = W_g^T @ gout_g      then col2im adds col into the input gradient
 *   backward weight  gW_g  += gout_g @ col^T      summed over images
 * </pre>
 * {@code col} is built for a band of output rows at a time, sized to stay in the L2 cache, into a
 * scratch buffer that each thread keeps across calls; the GEMM writes straight into the output band (leading dimension oh * ow),
 * or, when the patch matrix is much larger than the band ({@link #filtersAsB}), multiplies
 * {@code out_g^T = col^T @ W_g^T} with the filters packed once per call and transposes the band into place.
 * A 1x1 kernel with stride 1 and no padding skips im2col (the input plane is the column matrix), and
 * depthwise convolutions (one input channel per group) use direct loops. Images are spread over the
 * thread pool; the GEMM calls inside then stay on their thread, while a single image leaves the GEMM
 * free to use every core.
 */
final class ConvEngine {
    /** Target size of one im2col band in bytes: about half of a 1 MiB L2 cache. */
    static final int TILE_BYTES = 512 * 1024;
    /** Multiply-adds below which work stays on the calling thread. */
    private static final long MIN_PARALLEL_MACS = 1L << 19;

    private ConvEngine() {}

    /** Output rows per im2col band. */
    static int bandRows(ConvGeometry g, int bytes) {
        long perRow = (long) g.k * g.ow * bytes;
        return (int) Math.max(1, Math.min(g.oh, TILE_BYTES / Math.max(1, perRow)));
    }

    /**
     * Whether the forward multiplies {@code out^T = col^T W^T} instead of {@code out = W col}: the filters
     * are then packed once per call as the GEMM's B (shared by every image and band), the im2col matrix
     * is read in place as op(A) = col^T (no copy into panels), and the t x coutG result is transposed
     * into the output band. Every value is the same chain of multiply-adds over the same depth blocks
     * either way, so the outputs are the same bits. Worth it when the patch matrix (k x t) is much larger
     * than the output band (coutG x t), whose transposing copy costs about six times as much per value as
     * the panel copy it saves, and with more than one image to share the packed filters. The cnn
     * workload's second convolution (k = 800, coutG = 64) took 100-104 against 122-133 us per image (one
     * thread); its first (k = 25, coutG = 32) would be slower (17-23 against 8 us), and keeps the usual way.
     */
    static boolean filtersAsB(ConvGeometry g) {
        return g.n > 1 && g.k >= 4 * g.coutG;
    }

    /** Number of items of {@code perItem} multiply-adds each that make one parallel chunk worth its cost. */
    private static int grain(long perItem) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, MIN_PARALLEL_MACS / Math.max(1, perItem)));
    }

    /**
     * {@code out = conv(x, w) + bias}. {@code x} is (N, Cin, H, W) at xOff, {@code w} (Cout, cinG, kh, kw)
     * at wOff, bias (Cout) at bOff or null, {@code out} a zeroed (N, Cout, oh, ow) array at 0.
     */
    static <A> void forward(ConvOps<A> ops, ConvGeometry g, A x, int xOff, A w, int wOff, A bias, int bOff, A out) {
        if (g.n == 0 || g.p == 0) {
            return;
        }
        if (g.isDepthwise()) {
            // one task per (image, input channel): its mult output planes read only that input plane
            int mult = g.coutG;
            int khw = g.kh * g.kw;
            Parallel.forRange(g.n * g.cin, grain((long) mult * khw * g.p), (from, to) -> {
                for (int t = from; t < to; t++) {
                    int img = t / g.cin;
                    int c = t % g.cin;
                    int xi = xOff + (img * g.cin + c) * g.hw;
                    for (int m = 0; m < mult; m++) {
                        int co = c * mult + m;
                        int oi = (img * g.cout + co) * g.p;
                        ops.depthwiseForward(g, x, xi, w, wOff + co * khw, out, oi);
                        if (bias != null) {
                            ops.addBias(out, oi, 1, g.p, bias, bOff + co);
                        }
                    }
                }
            });
            return;
        }
        final boolean pointwise = g.isPointwise();
        final int rows = bandRows(g, ops.bytes());
        final boolean asB = !pointwise && filtersAsB(g);
        final Object[] packed = new Object[asB ? g.groups : 0];
        for (int gr = 0; gr < packed.length; gr++) {
            packed[gr] = ops.packFilters(w, wOff + gr * g.coutG * g.k, g.coutG, g.k);
        }
        Parallel.forRange(g.n, grain(g.macs() / g.n), (from, to) -> {
            int colLen = g.k * rows * g.ow;
            // with the filters as B, the product's transpose (t x coutG) follows the band's im2col matrix
            A col = pointwise ? null : ops.scratch(colLen + (asB ? rows * g.ow * g.coutG : 0));
            for (int img = from; img < to; img++) {
                int xi = xOff + img * g.cin * g.hw;
                int oi = img * g.cout * g.p;
                for (int gr = 0; gr < g.groups; gr++) {
                    int wg = wOff + gr * g.coutG * g.k;
                    int xg = xi + gr * g.cinG * g.hw;
                    int og = oi + gr * g.coutG * g.p;
                    if (pointwise) {
                        ops.gemm(false, false, g.coutG, g.p, g.k, w, wg, g.k, x, xg, g.p, false, out, og, g.p);
                        continue;
                    }
                    for (int r0 = 0; r0 < g.oh; r0 += rows) {
                        int r1 = Math.min(g.oh, r0 + rows);
                        int t = (r1 - r0) * g.ow;
                        ops.im2col(g, x, xg, r0, r1, col);
                        if (asB) {
                            ops.gemmFilters(t, col, 0, t, packed[gr], col, colLen);
                            ops.transposeTo(col, colLen, t, g.coutG, out, og + r0 * g.ow, g.p);
                        } else {
                            ops.gemm(
                                    false,
                                    false,
                                    g.coutG,
                                    t,
                                    g.k,
                                    w,
                                    wg,
                                    g.k,
                                    col,
                                    0,
                                    t,
                                    false,
                                    out,
                                    og + r0 * g.ow,
                                    g.p);
                        }
                    }
                }
                if (bias != null) {
                    ops.addBias(out, oi, g.cout, g.p, bias, bOff);
                }
            }
        });
        for (Object p : packed) {
            ops.releasePacked(p); // packed for this call alone
        }
    }

    /**
     * Gradient of the convolution with respect to its input: {@code gin += conv^T(gout, w)}. {@code gout}
     * is (N, Cout, oh, ow) at gOff, {@code w} (Cout, cinG, kh, kw) at wOff, {@code gin} an (N, Cin, H, W)
     * array at 0, zeroed or, with {@code clear}, of any contents (a recycled array): then each image's
     * (or depthwise plane's) gradient is cleared right before it is gathered, while it comes into cache.
     * Also the forward of the transposed convolution.
     */
    static <A> void backwardInput(
            ConvOps<A> ops, ConvGeometry g, A gout, int gOff, A w, int wOff, A gin, boolean clear) {
        if (g.n == 0) {
            return;
        }
        if (g.p == 0) {
            if (clear) {
                ops.zero(gin, 0, g.n * g.cin * g.hw);
            }
            return;
        }
        if (g.isDepthwise()) {
            // one task per (image, input channel): that input plane gathers from its mult output planes
            int mult = g.coutG;
            int khw = g.kh * g.kw;
            Parallel.forRange(g.n * g.cin, grain((long) mult * khw * g.p), (from, to) -> {
                for (int t = from; t < to; t++) {
                    int img = t / g.cin;
                    int c = t % g.cin;
                    int gi = (img * g.cin + c) * g.hw;
                    if (clear) {
                        ops.zero(gin, gi, g.hw);
                    }
                    for (int m = 0; m < mult; m++) {
                        int co = c * mult + m;
                        ops.depthwiseBackwardInput(
                                g, gout, gOff + (img * g.cout + co) * g.p, w, wOff + co * khw, gin, gi);
                    }
                }
            });
            return;
        }
        final boolean pointwise = g.isPointwise();
        final int rows = bandRows(g, ops.bytes());
        Parallel.forRange(g.n, grain(g.macs() / g.n), (from, to) -> {
            A col = pointwise ? null : ops.scratch(g.k * rows * g.ow);
            for (int img = from; img < to; img++) {
                int gi = img * g.cin * g.hw;
                int go = gOff + img * g.cout * g.p;
                if (clear && !pointwise) { // a pointwise product writes every element of the image
                    ops.zero(gin, gi, g.cin * g.hw);
                }
                for (int gr = 0; gr < g.groups; gr++) {
                    int wg = wOff + gr * g.coutG * g.k;
                    int gig = gi + gr * g.cinG * g.hw;
                    int gog = go + gr * g.coutG * g.p;
                    if (pointwise) {
                        ops.gemm(true, false, g.k, g.p, g.coutG, w, wg, g.k, gout, gog, g.p, false, gin, gig, g.p);
                        continue;
                    }
                    for (int r0 = 0; r0 < g.oh; r0 += rows) {
                        int r1 = Math.min(g.oh, r0 + rows);
                        int t = (r1 - r0) * g.ow;
                        ops.gemm(
                                true, false, g.k, t, g.coutG, w, wg, g.k, gout, gog + r0 * g.ow, g.p, false, col, 0, t);
                        ops.col2im(g, col, r0, r1, gin, gig);
                    }
                }
            }
        });
    }

    /**
     * Gradient of the convolution with respect to its weight: {@code gw = sum over images of
     * gout_g @ col^T}. {@code gout} is (N, Cout, oh, ow) at gOff, {@code x} (N, Cin, H, W) at xOff,
     * {@code gw} a zeroed (Cout, cinG, kh, kw) array at 0.
     */
    static <A> void backwardWeight(ConvOps<A> ops, ConvGeometry g, A gout, int gOff, A x, int xOff, A gw) {
        if (g.n == 0 || g.p == 0) {
            return;
        }
        if (g.isDepthwise()) {
            // one task per output channel: it owns its filter, so no reduction across threads
            int mult = g.coutG;
            int khw = g.kh * g.kw;
            Parallel.forRange(g.cout, grain((long) g.n * khw * g.p), (from, to) -> {
                for (int co = from; co < to; co++) {
                    int c = co / mult;
                    for (int img = 0; img < g.n; img++) {
                        ops.depthwiseBackwardWeight(
                                g,
                                gout,
                                gOff + (img * g.cout + co) * g.p,
                                x,
                                xOff + (img * g.cin + c) * g.hw,
                                gw,
                                co * khw);
                    }
                }
            });
            return;
        }
        final boolean pointwise = g.isPointwise();
        final int rows = bandRows(g, ops.bytes());
        final int wLen = g.cout * g.k;
        // The GEMM packs its B operand, which is stored transposed here (n x depth): a scalar scatter,
        // 9% of the cnn workload's time on an AVX2 machine when B was the k x t im2col matrix. When the
        // filters are larger than the channels (k > coutG), the transposed product gw^T = col gout^T puts
        // the scatter on gout (coutG x t) instead and reads col as a row-major A (a vector copy); the
        // chunk accumulates gw^T and adds it transposed once at its end. Each value is the same chain of
        // multiply-adds over the same depth blocks either way, so the result is the same to the bit.
        final boolean transposed = g.k > g.coutG;
        final int colLen = pointwise ? 0 : g.k * rows * g.ow;
        // each chunk's sum of its images, added to gw in the order of the chunks (see mapChunks)
        List<A> partials = Parallel.mapChunks(g.n, grain(g.macs() / g.n), (from, to) -> {
            // the only chunk accumulates in place; otherwise each chunk sums its images, then adds once
            boolean alone = from == 0 && to == g.n;
            A acc = alone ? gw : ops.alloc(wLen);
            A work = ops.scratch(colLen + (transposed ? wLen : 0));
            if (transposed) {
                ops.zero(work, colLen, wLen);
            }
            for (int img = from; img < to; img++) {
                int xi = xOff + img * g.cin * g.hw;
                int go = gOff + img * g.cout * g.p;
                for (int gr = 0; gr < g.groups; gr++) {
                    int xg = xi + gr * g.cinG * g.hw;
                    int gog = go + gr * g.coutG * g.p;
                    // this group's gw_g, or gw_g^T in work after the im2col matrix
                    A dst = transposed ? work : acc;
                    int dOff = (transposed ? colLen : 0) + gr * g.coutG * g.k;
                    if (pointwise) {
                        weightProduct(ops, g, transposed, g.p, x, xg, g.p, gout, gog, dst, dOff);
                        continue;
                    }
                    for (int r0 = 0; r0 < g.oh; r0 += rows) {
                        int r1 = Math.min(g.oh, r0 + rows);
                        int t = (r1 - r0) * g.ow;
                        ops.im2col(g, x, xg, r0, r1, work);
                        weightProduct(ops, g, transposed, t, work, 0, t, gout, gog + r0 * g.ow, dst, dOff);
                    }
                }
            }
            if (transposed) {
                for (int gr = 0; gr < g.groups; gr++) {
                    int ag = gr * g.coutG * g.k;
                    ops.addTransposed(work, colLen + ag, g.k, g.coutG, acc, ag);
                }
            }
            return alone ? null : acc;
        });
        for (A acc : partials) {
            ops.addTo(acc, 0, gw, 0, wLen);
        }
    }

    /**
     * One band's {@code gw_g += gout_band col^T} of {@link #backwardWeight}: col (k x t, row stride
     * ldCol) and gout's band (coutG x t, row stride p), added into gw_g at {@code dst[dOff]}; with
     * {@code transposed}, {@code col gout_band^T} added into gw_g^T there instead.
     */
    private static <A> void weightProduct(
            ConvOps<A> ops,
            ConvGeometry g,
            boolean transposed,
            int t,
            A col,
            int colOff,
            int ldCol,
            A gout,
            int gb,
            A dst,
            int dOff) {
        if (transposed) {
            ops.gemm(false, true, g.k, g.coutG, t, col, colOff, ldCol, gout, gb, g.p, true, dst, dOff, g.coutG);
        } else {
            ops.gemm(false, true, g.coutG, g.k, t, gout, gb, g.p, col, colOff, ldCol, true, dst, dOff, g.k);
        }
    }
}
