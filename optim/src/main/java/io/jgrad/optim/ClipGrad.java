package io.jgrad.optim;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.Parallel;
import java.util.ArrayList;
import java.util.List;

/**
 * Gradient clipping, in place, like PyTorch's {@code torch.nn.utils.clip_grad_norm_} and
 * {@code clip_grad_value_}. Call between {@code backward()} and {@code optimizer.step()}.
 */
public final class ClipGrad {
    private ClipGrad() {}

    /** {@link #clipGradNorm(Iterable, double, double, boolean)} with the 2-norm. */
    public static double clipGradNorm(Iterable<? extends Variable> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2, false);
    }

    /** {@link #clipGradNorm(Iterable, double, double, boolean)} without the finiteness check. */
    public static double clipGradNorm(Iterable<? extends Variable> params, double maxNorm, double normType) {
        return clipGradNorm(params, maxNorm, normType, false);
    }

    /**
     * Scales all gradients together so that their global norm (the norm of the vector of all gradient
     * elements) is at most {@code maxNorm}: each gradient is multiplied by
     * {@code min(1, maxNorm / (total + 1e-6))}. Parameters without a gradient are skipped.
     *
     * @param normType p of the p-norm (e.g. 1, 2, or {@code Double.POSITIVE_INFINITY} for the largest
     *     absolute value)
     * @param errorIfNonfinite throw when the total norm is NaN or infinite (instead of scaling by NaN)
     * @return the total norm before clipping
     */
    public static double clipGradNorm(
            Iterable<? extends Variable> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("clipGradNorm: invalid maxNorm " + maxNorm + " (must be >= 0)");
        }
        if (!(normType > 0)) {
            throw new IllegalArgumentException(
                    "clipGradNorm: invalid normType " + normType + " (must be > 0 or infinity)");
        }
        List<Tensor> grads = grads(params);
        if (grads.isEmpty()) {
            return 0;
        }
        double total;
        if (normType == Double.POSITIVE_INFINITY) {
            total = 0;
            for (Tensor g : grads) {
                if (g.numel() > 0) {
                    total = Math.max(total, g.abs().max().item()); // Math.max keeps a NaN
                }
            }
        } else {
            // the p-norm of the per-tensor p-norms, like torch.norm(torch.stack(norms), p)
            double acc = 0;
            for (Tensor g : grads) {
                acc += Math.pow(norm(g, normType), normType);
            }
            total = normType == 2 ? Math.sqrt(acc) : normType == 1 ? acc : Math.pow(acc, 1 / normType);
        }
        if (errorIfNonfinite && !Double.isFinite(total)) {
            throw new IllegalStateException("clipGradNorm: the total norm of order " + normType
                    + " of the gradients is " + total + "; set errorIfNonfinite to false to scale them anyway");
        }
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1 || Double.isNaN(coef)) { // PyTorch multiplies by min(coef, 1); by 1 changes nothing
            for (Tensor g : grads) {
                g.mul_(coef);
            }
        }
        return total;
    }

    /** The p-norm of one tensor, accumulated in double. */
    private static double norm(Tensor g, double p) {
        if (g.numel() == 0) {
            return 0;
        }
        if (p == 2 && g.isContiguous() && (g.dtype() == DType.FLOAT32 || g.dtype() == DType.FLOAT64)) {
            return Math.sqrt(sumOfSquares(g));
        }
        return g.to(DType.FLOAT64).norm(p, null, false).item();
    }

    /** Elements per block of {@link #sumOfSquares}: the blocks, not the threads, fix the order of the sum. */
    static final int BLOCK = 4096;

    /**
     * The sum of squares of a contiguous FLOAT32 or FLOAT64 tensor, in double: blocks of {@link #BLOCK}
     * elements, each summed in four interleaved partial sums, spread over the thread pool, then the block
     * sums added in order (tensors of 4 blocks or more split over the threads). The bits depend on the
     * size alone, not on the thread count.
     */
    static double sumOfSquares(Tensor g) {
        int n = g.numel();
        int o = g.offset();
        float[] f = g.dtype() == DType.FLOAT32 ? g.floatData() : null;
        double[] d = f == null ? g.doubleData() : null;
        int blocks = (n + BLOCK - 1) / BLOCK;
        double[] part = new double[blocks];
        Parallel.forRange(blocks, 4, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int from = o + b * BLOCK;
                int len = Math.min(BLOCK, n - b * BLOCK);
                part[b] = f != null ? blockSquares(f, from, len) : blockSquares(d, from, len);
            }
        });
        double s = 0;
        for (double x : part) {
            s += x;
        }
        return s;
    }

    private static double blockSquares(float[] a, int o, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            double v0 = a[o + i];
            double v1 = a[o + i + 1];
            double v2 = a[o + i + 2];
            double v3 = a[o + i + 3];
            s0 += v0 * v0;
            s1 += v1 * v1;
            s2 += v2 * v2;
            s3 += v3 * v3;
        }
        for (; i < n; i++) {
            double v = a[o + i];
            s0 += v * v;
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double blockSquares(double[] a, int o, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            s0 += a[o + i] * a[o + i];
            s1 += a[o + i + 1] * a[o + i + 1];
            s2 += a[o + i + 2] * a[o + i + 2];
            s3 += a[o + i + 3] * a[o + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[o + i] * a[o + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Clamps every gradient element into {@code [-clipValue, clipValue]}, in place. */
    public static void clipGradValue(Iterable<? extends Variable> params, double clipValue) {
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clipGradValue: invalid clipValue " + clipValue + " (must be >= 0)");
        }
        for (Tensor g : grads(params)) {
            g.clamp_(-clipValue, clipValue);
        }
    }

    private static List<Tensor> grads(Iterable<? extends Variable> params) {
        List<Tensor> out = new ArrayList<>();
        for (Variable p : params) {
            Tensor g = p.peekGrad(); // used in place, within the step
            if (g != null) {
                out.add(g);
            }
        }
        return out;
    }
}
