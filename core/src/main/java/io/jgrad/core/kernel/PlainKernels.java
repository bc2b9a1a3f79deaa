package io.jgrad.core.kernel;

/**
 * The plain-Java kernels: always available, straightforward loops that C2 can auto-vectorize where
 * it is able, and a packed, register-blocked GEMM. The fallback when the JVM runs without the Vector
 * API module.
 */
class PlainKernels implements Kernels {
    static final PlainKernels INSTANCE = new PlainKernels();

    @Override
    public String name() {
        return "plain java";
    }

    @Override
    public FloatGemmDriver floatGemm() {
        return PlainFloatGemm.INSTANCE;
    }

    @Override
    public DoubleGemmDriver doubleGemm() {
        return PlainDoubleGemm.INSTANCE;
    }

    @Override
    public void sgemm(
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
        PlainFloatGemm.INSTANCE.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void dgemm(
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
            int ldc) {
        PlainDoubleGemm.INSTANCE.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public void add(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = a[ao + i] + b[bo + i];
        }
    }

    @Override
    public void sub(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = a[ao + i] - b[bo + i];
        }
    }

    @Override
    public void mul(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = a[ao + i] * b[bo + i];
        }
    }

    @Override
    public void div(float[] a, int ao, float[] b, int bo, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = a[ao + i] / b[bo + i];
        }
    }

    @Override
    public void addScalar(float[] a, int ao, float s, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = a[ao + i] + s;
        }
    }

    @Override
    public void mulScalar(float[] a, int ao, float s, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = a[ao + i] * s;
        }
    }

    @Override
    public void axpy(int n, float alpha, float[] x, int xo, float[] y, int yo) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    @Override
    public void relu(float[] a, int ao, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            float v = a[ao + i];
            out[oo + i] = v < 0 ? 0f : v;
        }
    }

    @Override
    public void reluBackward(float[] a, int ao, float[] g, int go, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = a[ao + i] > 0 ? g[go + i] : 0f;
        }
    }

    @Override
    public void exp(float[] a, int ao, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = (float) Math.exp(a[ao + i]);
        }
    }

    @Override
    public void erf(float[] a, int ao, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = Erf.erf(a[ao + i]);
        }
    }

    @Override
    public void gelu(float[] a, int ao, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = Erf.gelu(a[ao + i]);
        }
    }

    @Override
    public void geluBackward(float[] x, int xo, float[] g, int go, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = g[go + i] * Erf.geluDerivative(x[xo + i]);
        }
    }

    @Override
    public void tanh(float[] a, int ao, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = (float) Math.tanh(a[ao + i]);
        }
    }

    @Override
    public void sigmoid(float[] a, int ao, float[] out, int oo, int n) {
        for (int i = 0; i < n; i++) {
            out[oo + i] = sigmoid(a[ao + i]);
        }
    }

    static float sigmoid(float x) {
        if (x >= 0) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }

    @Override
    public float sum(float[] a, int ao, int n) {
        // four accumulators: better accuracy and lets C2 pipeline the adds
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[ao + i];
            s1 += a[ao + i + 1];
            s2 += a[ao + i + 2];
            s3 += a[ao + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[ao + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public float max(float[] a, int ao, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            float v = a[ao + i];
            if (v > m || Float.isNaN(v)) {
                m = v;
                if (Float.isNaN(v)) {
                    return v;
                }
            }
        }
        return m;
    }

    @Override
    public void maxPool2x2(float[] x, int xo, int h, int w, int oh, int ow, float[] out, int[] ind, int from, int to) {
        PoolKernels.maxPool2x2(x, xo, h, w, oh, ow, out, ind, from, to);
    }

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[ao + i] * b[bo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void softmaxRows(float[] in, int io, float[] out, int oo, int rows, int cols, boolean log) {
        for (int r = 0; r < rows; r++) {
            int pi = io + r * cols;
            int po = oo + r * cols;
            float mx = max(in, pi, cols);
            if (mx == Float.NEGATIVE_INFINITY) {
                mx = 0; // all -inf: exp gives 0s and the result is NaN like PyTorch
            }
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += Math.exp(in[pi + j] - mx);
            }
            if (log) {
                float lse = (float) Math.log(s) + mx;
                for (int j = 0; j < cols; j++) {
                    out[po + j] = in[pi + j] - lse;
                }
            } else {
                float inv = (float) (1.0 / s);
                for (int j = 0; j < cols; j++) {
                    out[po + j] = (float) Math.exp(in[pi + j] - mx) * inv;
                }
            }
        }
    }

    @Override
    public void adamStep(
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
            float eps) {
        for (int i = 0; i < n; i++) {
            float gi = g[go + i];
            float mi = beta1 * m[mo + i] + c1 * gi;
            float vi = beta2 * v[vo + i] + c2 * gi * gi;
            m[mo + i] = mi;
            v[vo + i] = vi;
            p[po + i] -= stepSize * mi / ((float) Math.sqrt(vi) / sqrtBc2 + eps);
        }
    }

    @Override
    public void int8Gemm(
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
            int ldc) {
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            for (int j = 0; j < n; j++) {
                int wj = wOff + j * ldw;
                float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                int p = 0;
                for (; p + 3 < k; p += 4) {
                    s0 += a[ai + p] * w[wj + p];
                    s1 += a[ai + p + 1] * w[wj + p + 1];
                    s2 += a[ai + p + 2] * w[wj + p + 2];
                    s3 += a[ai + p + 3] * w[wj + p + 3];
                }
                for (; p < k; p++) {
                    s0 += a[ai + p] * w[wj + p];
                }
                c[cOff + i * ldc + j] = (s0 + s1 + (s2 + s3)) * scale[sOff + j];
            }
        }
    }
}
