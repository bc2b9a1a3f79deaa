package io.jgrad.core.kernel;

/**
 * The hot loops of jgrad behind one interface, with a plain-Java implementation that always works and
 * a Vector API (SIMD) implementation chosen at start-up when {@code jdk.incubator.vector} is readable.
 * Get the active one from {@link KernelProvider#kernels()}.
 *
 * <p>Kernels trust their arguments: offsets and lengths are checked by the callers (the public tensor
 * operations). Arrays are row-major; {@code lda}, {@code ldb}, {@code ldc} are leading dimensions (the
 * distance between rows) as in BLAS.
 */
public interface Kernels {

    /** A short description, e.g. {@code "vector (512-bit, 16 floats)"} or {@code "plain java"}. */
    String name();

    /**
     * {@code C = alpha * op(A) * op(B) + beta * C} in single precision, where {@code op(X)} is X or its
     * transpose. {@code op(A)} is m x k, {@code op(B)} is k x n and C is m x n; when {@code transA} is
     * false A is stored m x k with row stride {@code lda}, otherwise k x m. Likewise for B. When
     * {@code beta == 0}, C is overwritten (its old contents, even NaN, are ignored). As in BLAS, C must
     * not overlap A or B (an A stored k x m is read in place while C is written).
     */
    void sgemm(
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
            int ldc);

    /**
     * The GEMM driver behind {@link #sgemm}, for products that multiply the same B many times: {@link
     * FloatGemmDriver#pack} packs it once, and its packed {@code gemm} gives the same bits as {@link
     * #sgemm}.
     */
    FloatGemmDriver floatGemm();

    /** The GEMM driver behind {@link #dgemm}; see {@link #floatGemm}. */
    DoubleGemmDriver doubleGemm();

    /** {@link #sgemm} in double precision. */
    void dgemm(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            double alpha,
            double[] a,
            int aOff,
            int lda,
            double[] b,
            int bOff,
            int ldb,
            double beta,
            double[] c,
            int cOff,
            int ldc);

    /** {@code out[i] = a[i] + b[i]} for {@code i < n}. */
    void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n);

    /** {@code out[i] = a[i] - b[i]}. */
    void sub(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n);

    /** {@code out[i] = a[i] * b[i]}. */
    void mul(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n);

    /** {@code out[i] = a[i] / b[i]}. */
    void div(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n);

    /** {@code out[i] = a[i] + s}. */
    void addScalar(float[] a, int ao, float s, float[] out, int oo, int n);

    /** {@code out[i] = a[i] * s}. */
    void mulScalar(float[] a, int ao, float s, float[] out, int oo, int n);

    /** {@code y[i] += alpha * x[i]}. */
    void axpy(int n, float alpha, float[] x, int xo, float[] y, int yo);

    /** {@code out[i] = max(a[i], 0)} (NaN stays NaN). */
    void relu(float[] a, int ao, float[] out, int oo, int n);

    /** {@code out[i] = a[i] > 0 ? g[i] : 0}: the backward of relu given its input (or output). */
    void reluBackward(float[] a, int ao, float[] g, int go, float[] out, int oo, int n);

    /** {@code out[i] = exp(a[i])}. */
    void exp(float[] a, int ao, float[] out, int oo, int n);

    /** {@code out[i] = erf(a[i])}, within a few ulp ({@link Erf#erf(float)}). */
    void erf(float[] a, int ao, float[] out, int oo, int n);

    /** {@code out[i] = a[i] Phi(a[i])}, the exact (erf) GELU, within a few ulp ({@link Erf#gelu(float)}). */
    void gelu(float[] a, int ao, float[] out, int oo, int n);

    /**
     * {@code out[i] = g[i] (Phi(x[i]) + x[i] phi(x[i]))}: the backward of {@link #gelu} given its input x
     * and the gradient g of its output (phi is the standard normal density).
     */
    void geluBackward(float[] x, int xo, float[] g, int go, float[] out, int oo, int n);

    /** {@code out[i] = tanh(a[i])}. */
    void tanh(float[] a, int ao, float[] out, int oo, int n);

    /** {@code out[i] = 1 / (1 + exp(-a[i]))}. */
    void sigmoid(float[] a, int ao, float[] out, int oo, int n);

    /** Sum of {@code a[ao .. ao + n)}. */
    float sum(float[] a, int ao, int n);

    /** Maximum of {@code a[ao .. ao + n)} ({@code -Infinity} when n is 0; NaN if any is NaN). */
    float max(float[] a, int ao, int n);

    /** Dot product. */
    float dot(float[] a, int ao, float[] b, int bo, int n);

    /**
     * 2 x 2 max pooling at stride 2 without padding (each window inside the plane), over planes {@code
     * [from, to)} of contiguous {@code h x w} planes starting at {@code xo}: for plane p, {@code out} and
     * {@code ind} at {@code p * oh * ow} receive each window's maximum and that element's index within
     * its input plane ({@code row * w + column}). PyTorch's rule picks the element: the first strict
     * maximum in the order top left, top right, bottom left, bottom right; a NaN takes over, so the last
     * NaN wins. Values and indices are the same, bit for bit, in every implementation.
     *
     * @param x the input planes
     * @param xo where plane 0 starts
     * @param h plane height
     * @param w plane width
     * @param oh output height, at most {@code h / 2}
     * @param ow output width, at most {@code w / 2}
     * @param out the maxima
     * @param ind the maxima's in-plane indices
     * @param from first plane
     * @param to end of the planes
     */
    void maxPool2x2(float[] x, int xo, int h, int w, int oh, int ow, float[] out, int[] ind, int from, int to);

    /**
     * One row of an LSTM cell's backward. The row's activated gates i, f, g, o are {@code a[ga ..]} in
     * four blocks of n, {@code tc[to ..]} holds tanh of the new cell state and {@code cp[to ..]} the previous
     * cell state; {@code dh[ho ..]} and {@code dc[ho ..]} are the gradients reaching the output and the cell
     * state. Writes the gates' pre-activation gradients to {@code dx[ga ..]} (which may be {@code a}
     * itself), the previous cell state's gradient over {@code dc} and zeros over {@code dh}:
     * {@code dct = dc + dh o (1 - tc^2)}, {@code di = dct g i (1 - i)}, {@code df = dct cp f (1 - f)},
     * {@code dg = dct i (1 - g^2)}, {@code do = dh tc o (1 - o)}, {@code dc = dct f}; every
     * implementation evaluates these products in this order, so all give the same bits.
     */
    default void lstmCellBackward(
            float[] a, int ga, float[] tc, float[] cp, int to, float[] dh, float[] dc, int ho, float[] dx, int n) {
        lstmCellBackward(a, ga, tc, cp, to, dh, dc, ho, dx, n, 0);
    }

    /**
     * Columns {@code [from, n)} of {@link #lstmCellBackward(float[], int, float[], float[], int, float[],
     * float[], int, float[], int)} as a plain loop (a vector implementation's tail).
     */
    static void lstmCellBackward(
            float[] a,
            int ga,
            float[] tc,
            float[] cp,
            int to,
            float[] dh,
            float[] dc,
            int ho,
            float[] dx,
            int n,
            int from) {
        for (int j = from; j < n; j++) {
            float i = a[ga + j];
            float f = a[ga + n + j];
            float gg = a[ga + 2 * n + j];
            float o = a[ga + 3 * n + j];
            float t = tc[to + j];
            float d = dh[ho + j];
            float dct = dc[ho + j] + d * o * (1 - t * t);
            dx[ga + j] = dct * gg * i * (1 - i);
            dx[ga + n + j] = dct * cp[to + j] * f * (1 - f);
            dx[ga + 2 * n + j] = dct * i * (1 - gg * gg);
            dx[ga + 3 * n + j] = d * t * o * (1 - o);
            dc[ho + j] = dct * f;
            dh[ho + j] = 0;
        }
    }

    /** {@link #lstmCellBackward(float[], int, float[], float[], int, float[], float[], int, float[], int)} in double precision. */
    default void lstmCellBackward(
            double[] a,
            int ga,
            double[] tc,
            double[] cp,
            int to,
            double[] dh,
            double[] dc,
            int ho,
            double[] dx,
            int n) {
        for (int j = 0; j < n; j++) {
            double i = a[ga + j];
            double f = a[ga + n + j];
            double gg = a[ga + 2 * n + j];
            double o = a[ga + 3 * n + j];
            double t = tc[to + j];
            double d = dh[ho + j];
            double dct = dc[ho + j] + d * o * (1 - t * t);
            dx[ga + j] = dct * gg * i * (1 - i);
            dx[ga + n + j] = dct * cp[to + j] * f * (1 - f);
            dx[ga + 2 * n + j] = dct * i * (1 - gg * gg);
            dx[ga + 3 * n + j] = d * t * o * (1 - o);
            dc[ho + j] = dct * f;
            dh[ho + j] = 0;
        }
    }

    /**
     * One row of a GRU cell's backward. The row's activated gates r, z, n are {@code a[ga ..]} in three
     * blocks of n, {@code hn[ho ..]} holds the recurrent product of the new gate ({@code h W_hn^T + b_hn})
     * and {@code hp[ho ..]} the previous state; {@code dh[hb ..]} is the gradient reaching the new state.
     * Writes the gates' pre-activation gradients to {@code dx[ga ..]} (which may be {@code a} itself),
     * the recurrent product's gradients to {@code dhg[ga ..]}, and the previous state's direct gradient
     * over {@code dh}: {@code dn = d (1 - z) (1 - n^2)}, {@code dz = d (hp - n) z (1 - z)},
     * {@code dr = dn hn r (1 - r)}; {@code dx = (dr, dz, dn)}, {@code dhg = (dr, dz, dn r)},
     * {@code dh = d z}; every implementation evaluates these products in this order, so all give the
     * same bits.
     */
    default void gruCellBackward(
            float[] a, int ga, float[] hn, float[] hp, int ho, float[] dh, int hb, float[] dx, float[] dhg, int n) {
        gruCellBackward(a, ga, hn, hp, ho, dh, hb, dx, dhg, n, 0);
    }

    /**
     * Columns {@code [from, n)} of {@link #gruCellBackward(float[], int, float[], float[], int, float[], int,
     * float[], float[], int)} as a plain loop (a vector implementation's tail).
     */
    static void gruCellBackward(
            float[] a,
            int ga,
            float[] hn,
            float[] hp,
            int ho,
            float[] dh,
            int hb,
            float[] dx,
            float[] dhg,
            int n,
            int from) {
        for (int j = from; j < n; j++) {
            float r = a[ga + j];
            float z = a[ga + n + j];
            float nn = a[ga + 2 * n + j];
            float d = dh[hb + j];
            // h' = (1 - z) n + z h, n = tanh(x_n + r hn)
            float dn = d * (1 - z) * (1 - nn * nn);
            float dz = d * (hp[ho + j] - nn) * z * (1 - z);
            float dr = dn * hn[ho + j] * r * (1 - r);
            dx[ga + j] = dr;
            dx[ga + n + j] = dz;
            dx[ga + 2 * n + j] = dn;
            dhg[ga + j] = dr;
            dhg[ga + n + j] = dz;
            dhg[ga + 2 * n + j] = dn * r;
            dh[hb + j] = d * z;
        }
    }

    /**
     * {@link #gruCellBackward(float[], int, float[], float[], int, float[], int, float[], float[], int)} in
     * double precision.
     */
    default void gruCellBackward(
            double[] a,
            int ga,
            double[] hn,
            double[] hp,
            int ho,
            double[] dh,
            int hb,
            double[] dx,
            double[] dhg,
            int n) {
        for (int j = 0; j < n; j++) {
            double r = a[ga + j];
            double z = a[ga + n + j];
            double nn = a[ga + 2 * n + j];
            double d = dh[hb + j];
            double dn = d * (1 - z) * (1 - nn * nn);
            double dz = d * (hp[ho + j] - nn) * z * (1 - z);
            double dr = dn * hn[ho + j] * r * (1 - r);
            dx[ga + j] = dr;
            dx[ga + n + j] = dz;
            dx[ga + 2 * n + j] = dn;
            dhg[ga + j] = dr;
            dhg[ga + n + j] = dz;
            dhg[ga + 2 * n + j] = dn * r;
            dh[hb + j] = d * z;
        }
    }

    // FLOAT64 overloads of the vector primitives that the generated FLOAT64 twins of FLOAT32 code call
    // (such as DoubleConvOps from FloatConvOps): plain loops here, which an implementation may override.

    /** {@link #addScalar(float[], int, float, float[], int, int)} in double precision. */
    default void addScalar(double[] a, int ao, double s, double[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = a[ao + i] + s;
        }
    }

    /** {@link #axpy(int, float, float[], int, float[], int)} in double precision. */
    default void axpy(int n, double alpha, double[] x, int xo, double[] y, int yo) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    /** {@link #sum(float[], int, int)} in double precision, summed in order. */
    default double sum(double[] a, int ao, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[ao + i];
        }
        return s;
    }

    /** {@link #add(float[], int, float[], int, float[], int, int)} in double precision. */
    default void add(double[] a, int ao, double[] b, int bo, double[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = a[ao + i] + b[bo + i];
        }
    }

    /** {@link #mul(float[], int, float[], int, float[], int, int)} in double precision. */
    default void mul(double[] a, int ao, double[] b, int bo, double[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = a[ao + i] * b[bo + i];
        }
    }

    /** {@link #relu(float[], int, float[], int, int)} in double precision (NaN stays NaN). */
    default void relu(double[] a, int ao, double[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            double v = a[ao + i];
            out[oo + i] = v < 0 ? 0.0 : v;
        }
    }

    /** {@link #tanh(float[], int, float[], int, int)} in double precision ({@link Math#tanh}). */
    default void tanh(double[] a, int ao, double[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = Math.tanh(a[ao + i]);
        }
    }

    /** {@link #sigmoid(float[], int, float[], int, int)} in double precision, without overflow. */
    default void sigmoid(double[] a, int ao, double[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            double x = a[ao + i];
            out[oo + i] = x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
        }
    }

    /** {@link #max(float[], int, int)} in double precision. */
    default double max(double[] a, int ao, int n) {
        double s = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double v = a[ao + i];
            if (Double.isNaN(v)) {
                return v;
            }
            s = Math.max(s, v);
        }
        return s;
    }

    /** {@link #dot(float[], int, float[], int, int)} in double precision, summed in order. */
    default double dot(double[] a, int ao, double[] b, int bo, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    /**
     * Softmax (or log-softmax when {@code log}) of each of {@code rows} contiguous rows of length
     * {@code cols}, subtracting the row maximum first for stability.
     */
    void softmaxRows(float[] in, int io, float[] out, int oo, int rows, int cols, boolean log);

    /**
     * One Adam/AdamW step on a contiguous parameter slice, in place: {@code m = b1*m + c1*g},
     * {@code v = b2*v + c2*g*g}, {@code p -= stepSize * m / (sqrt(v) / sqrt(bc2) + eps)}, where
     * {@code stepSize = lr / bc1} and {@code bc1, bc2} are the bias corrections. The weights
     * {@code c1 = 1 - beta1} and {@code c2 = 1 - beta2} are passed in rather than formed from the float
     * betas: the caller rounds the double {@code 1 - beta} to float, as PyTorch does ({@code 1f - 0.999f}
     * differs from {@code (float) (1 - 0.999)} by 1.3e-5 relative).
     */
    void adamStep(
            float[] p,
            int po,
            float[] g,
            int go,
            float[] m,
            int mo,
            float[] v,
            int vo,
            int n,
            float beta1,
            float beta2,
            float c1,
            float c2,
            float stepSize,
            float sqrtBc2,
            float eps);

    /**
     * The product of float rows with int8 weight rows, scaled per output:
     * {@code C[i][j] = scale[sOff + j] * sum_p A[i][p] * W[j][p]} for {@code i < m}, {@code j < n},
     * {@code p < k}, where A is m x k with row stride {@code lda}, W is n x k int8 values with row stride
     * {@code ldw}, and C is m x n with row stride {@code ldc} (overwritten). The weights are widened to
     * float in registers, so memory traffic for W is one byte per weight: the kernel for small m
     * (batch-1 inference), where the product is bound by reading the weights.
     */
    void int8Gemm(
            int m,
            int n,
            int k,
            float[] a,
            int aOff,
            int lda,
            byte[] w,
            int wOff,
            int ldw,
            float[] scale,
            int sOff,
            float[] c,
            int cOff,
            int ldc);
}
