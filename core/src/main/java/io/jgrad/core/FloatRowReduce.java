package io.jgrad.core;

import io.jgrad.core.kernel.KernelProvider;
import io.jgrad.core.kernel.Kernels;

/**
 * One row of a full reduction ({@link Reduce}) over a contiguous {@code float[]} slice, accumulated in
 * double.
 *
 * <p>Twin: {@code DoubleRowReduce} is generated from this file at build time (execution {@code twins} in
 * core's pom), so this file is the only one to edit.
 */
@SuppressWarnings("cast") // the casts to float are redundant casts to double in the FLOAT64 twin
final class FloatRowReduce {
    private static final Kernels K = KernelProvider.kernels();

    private FloatRowReduce() {}

    static double reduce(Reduce.Op op, float[] a, int p, int n, int correction) {
        switch (op) {
            case SUM:
            case MEAN: {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += a[p + i];
                }
                return op == Reduce.Op.SUM ? s : s / n;
            }
            case SUMSQ: {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += (double) a[p + i] * a[p + i];
                }
                return s;
            }
            case PROD: {
                double s = 1;
                for (int i = 0; i < n; i++) {
                    s *= a[p + i];
                }
                return s;
            }
            case MAX:
                return K.max(a, p, n);
            case MIN: {
                float s = Float.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    float v = a[p + i];
                    if (Float.isNaN(v)) {
                        return v;
                    }
                    s = Math.min(s, v);
                }
                return s;
            }
            case VAR: {
                double mean = 0;
                for (int i = 0; i < n; i++) {
                    mean += a[p + i];
                }
                mean /= n;
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    double d = a[p + i] - mean;
                    ss += d * d;
                }
                return ss / Math.max(0, n - correction);
            }
            default: { // LOGSUMEXP
                float mx = K.max(a, p, n);
                if (Float.isInfinite(mx) || Float.isNaN(mx)) {
                    return n == 0 ? Double.NEGATIVE_INFINITY : mx;
                }
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += Math.exp(a[p + i] - mx);
                }
                return Math.log(s) + mx;
            }
        }
    }
}
