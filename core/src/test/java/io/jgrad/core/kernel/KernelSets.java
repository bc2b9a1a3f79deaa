package io.jgrad.core.kernel;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;

/** The kernel implementations under test, and the naive references they are checked against. */
final class KernelSets {
    private KernelSets() {}

    private static final List<Kernels> ALL = build();

    /**
     * The plain kernels always; when the Vector API module is readable also the vector kernels as
     * loaded by the provider (polynomial exp/tanh) and a second instance using the JDK's vectorized exp/tanh.
     */
    static List<Kernels> all() {
        return ALL;
    }

    /** The implementations with distinct GEMMs: plain, and vector when the module is readable. */
    static List<Kernels> gemm() {
        return ALL.subList(0, Math.min(2, ALL.size()));
    }

    private static List<Kernels> build() {
        List<Kernels> ks = new ArrayList<>();
        ks.add(KernelProvider.plain());
        KernelProvider.vector().ifPresent(v -> {
            ks.add(v);
            try {
                Constructor<?> c = v.getClass().getDeclaredConstructor(boolean.class);
                c.setAccessible(true);
                Kernels jdk = (Kernels) c.newInstance(true);
                if (!jdk.name().equals(v.name())) {
                    ks.add(jdk);
                }
            } catch (ReflectiveOperationException e) {
                throw new LinkageError("VectorKernels(boolean) is missing", e);
            }
        });
        return List.copyOf(ks);
    }

    /**
     * Naive triple-loop {@code C = alpha op(A) op(B) + beta C} accumulated in double (the oracle), as
     * {@code [result, magnitude]} where the magnitude {@code |alpha| |op(A)| |op(B)| + |beta| |C|} of each
     * element scales its rounding error bound (a small multiple of {@code k * eps} times it).
     */
    static double[][] naiveGemm(
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
        double[] out = new double[m * n];
        double[] mag = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                double abs = 0;
                for (int p = 0; p < k; p++) {
                    double av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    double bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                    s += av * bv;
                    abs += Math.abs(av * bv);
                }
                double old = beta == 0 ? 0 : beta * c[cOff + i * ldc + j];
                out[i * n + j] = alpha * s + old;
                mag[i * n + j] = Math.abs(alpha) * abs + Math.abs(old);
            }
        }
        return new double[][] {out, mag};
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
