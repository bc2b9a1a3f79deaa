package io.jgrad.core.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.jgrad.core.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The cross-entropy loops ({@link CrossEntropyKernels}) of every kernel implementation against naive
 * loops in double written here: class counts around the vector widths, with and without class weights
 * and label smoothing, an ignored row, and the NLL of log-probabilities.
 */
class CrossEntropyKernelsTest {
    private static final int IGNORE = -100;

    private static void close(String what, double want, double got, double tol) {
        if (!(Math.abs(want - got) <= tol * (1 + Math.abs(want)))) {
            fail(what + ": got " + got + ", expected " + want);
        }
    }

    /** Naive loss of each row and gradient of {@code sum_i s_i loss_i}: {@code [loss, dx]}. */
    private static double[][] naive(
            double[] x, int n, int c, int[] target, double[] weight, double eps, boolean nll, double[] s) {
        double[] loss = new double[n];
        double[] dx = new double[n * c];
        for (int i = 0; i < n; i++) {
            int t = target[i];
            if (t == IGNORE) {
                continue;
            }
            double wt = weight == null ? 1 : weight[t];
            if (nll) {
                loss[i] = -wt * x[i * c + t];
                dx[i * c + t] = -s[i] * wt;
                continue;
            }
            double sum = 0;
            for (int k = 0; k < c; k++) {
                sum += Math.exp(x[i * c + k]);
            }
            double lse = Math.log(sum);
            loss[i] = (1 - eps) * wt * (lse - x[i * c + t]);
            for (int k = 0; k < c; k++) {
                double wk = weight == null ? 1 : weight[k];
                loss[i] += eps / c * wk * (lse - x[i * c + k]);
            }
            for (int k = 0; k < c; k++) {
                double p = Math.exp(x[i * c + k] - lse);
                // d/dx_k of w_j (lse - x_j) is w_j (p_k - [k == j])
                double d = (1 - eps) * wt * (p - (k == t ? 1 : 0));
                for (int j = 0; j < c; j++) {
                    double wj = weight == null ? 1 : weight[j];
                    d += eps / c * wj * (p - (k == j ? 1 : 0));
                }
                dx[i * c + k] = s[i] * d;
            }
        }
        return new double[][] {loss, dx};
    }

    @Test
    void againstNaiveLoops() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 4;
        for (int c : new int[] {1, 2, 7, 16, 17, 33, 100}) {
            double[] x = new double[n * c];
            float[] xf = new float[n * c];
            for (int i = 0; i < x.length; i++) {
                xf[i] = (float) ((r.nextDouble() * 2 - 1) * 4);
                x[i] = xf[i];
            }
            int[] target = {c - 1, IGNORE, 0, c / 2};
            double[] s = {0.7, 1.3, -0.4, 2};
            double[] w = new double[c];
            for (int k = 0; k < c; k++) {
                w[k] = (float) (0.5 + r.nextDouble());
            }
            for (double[] weight : new double[][] {null, w}) {
                double den = 0;
                for (int t : target) {
                    den += t == IGNORE ? 0 : weight == null ? 1 : weight[t];
                }
                for (double eps : new double[] {0, 0.2}) {
                    String at = "c=" + c + " weighted=" + (weight != null) + " eps=" + eps;
                    double[][] want = naive(x, n, c, target, weight, eps, false, s);
                    for (Kernels k : KernelSets.all()) {
                        float[] logp = new float[n * c];
                        double[] loss = new double[n];
                        double d =
                                CrossEntropyKernels.forwardFloat(k, xf, n, c, target, IGNORE, weight, eps, logp, loss);
                        assertEquals(den, d, 1e-12, k.name() + " denominator " + at);
                        for (int i = 0; i < n; i++) {
                            close(k.name() + " float loss " + at + " row " + i, want[0][i], loss[i], 1e-5);
                        }
                        float[] dx = new float[n * c];
                        CrossEntropyKernels.backwardFloat(k, logp, n, c, target, IGNORE, weight, eps, s, dx);
                        for (int e = 0; e < n * c; e++) {
                            close(k.name() + " float dx " + at + " [" + e + "]", want[1][e], dx[e], 1e-5);
                        }
                    }
                    for (Tensor t : new Tensor[] {Tensor.wrap(xf, n, c), Tensor.wrap(x.clone(), n, c)}) {
                        double[] lse = new double[n];
                        double[] loss = new double[n];
                        double d = CrossEntropyKernels.forwardDouble(t, target, IGNORE, weight, eps, false, lse, loss);
                        assertEquals(den, d, 1e-12, "denominator " + at);
                        for (int i = 0; i < n; i++) {
                            close(t.dtype() + " double loss " + at + " row " + i, want[0][i], loss[i], 1e-12);
                        }
                        double[] dx = new double[n * c];
                        CrossEntropyKernels.backwardDouble(t, lse, target, IGNORE, weight, eps, false, s, dx);
                        for (int e = 0; e < n * c; e++) {
                            close(t.dtype() + " double dx " + at + " [" + e + "]", want[1][e], dx[e], 1e-12);
                        }
                    }
                }
                double[][] want = naive(x, n, c, target, weight, 0, true, s);
                for (Tensor t : new Tensor[] {Tensor.wrap(xf, n, c), Tensor.wrap(x.clone(), n, c)}) {
                    double[] loss = new double[n];
                    CrossEntropyKernels.forwardDouble(t, target, IGNORE, weight, 0, true, new double[n], loss);
                    double[] dx = new double[n * c];
                    CrossEntropyKernels.backwardDouble(t, null, target, IGNORE, weight, 0, true, s, dx);
                    for (int i = 0; i < n; i++) {
                        close("nll loss c=" + c + " row " + i, want[0][i], loss[i], 1e-15);
                    }
                    for (int e = 0; e < n * c; e++) {
                        close("nll dx c=" + c + " [" + e + "]", want[1][e], dx[e], 1e-15);
                    }
                }
            }
        }
    }

    @Test
    void largeLogitsStayFinite() {
        float[] x = {1000, -1000, 0, 3e4f, 3e4f, -3e4f};
        int[] target = {1, 2};
        double[] s = {1, 1};
        for (Kernels k : KernelSets.all()) {
            float[] logp = new float[6];
            double[] loss = new double[2];
            CrossEntropyKernels.forwardFloat(k, x, 2, 3, target, IGNORE, null, 0.1, logp, loss);
            float[] dx = new float[6];
            CrossEntropyKernels.backwardFloat(k, logp, 2, 3, target, IGNORE, null, 0.1, s, dx);
            for (double v : loss) {
                assertEquals(true, Double.isFinite(v), k.name() + ": finite loss");
            }
            for (float v : dx) {
                assertEquals(true, Float.isFinite(v), k.name() + ": finite gradient");
            }
        }
    }
}
