package io.jgrad.core.kernel;

import io.jgrad.core.Tensor;

/**
 * The fused Adam/AdamW update of a contiguous FLOAT32 parameter, split over the thread pool in chunks
 * that each run the optional weight decay and {@link Kernels#adamStep} on the active {@link Kernels}
 * (SIMD when enabled), without allocating. The update of each element is PyTorch 1.13's
 * {@code torch.optim.Adam} / {@code AdamW}:
 *
 * <pre>
 * g = g + weight_decay * p           (L2 penalty, when not decoupled; written to the scratch tensor)
 * p = p * (1 - lr * weight_decay)    (decoupled decay, AdamW)
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g^2
 * p = p - stepSize * m / (sqrt(v) / bias2Sqrt + eps)
 * </pre>
 *
 * The weights {@code 1 - beta} of g and g^2 are computed in double and then rounded to float, as
 * PyTorch does.
 */
public final class AdamKernels {
    private AdamKernels() {}

    /** Elements per parallel chunk of the fused update. */
    private static final int GRAIN = 1 << 15;

    /**
     * One Adam or AdamW step in place. All tensors are contiguous FLOAT32 views of the same number of
     * elements (at any storage offset); the caller bumps the parameter's version afterwards.
     *
     * @param theta the parameter (updated)
     * @param grad the gradient (not modified)
     * @param m the first moment (updated)
     * @param v the second moment (updated)
     * @param work a scratch tensor for {@code g + weight_decay * p} when there is an L2 penalty
     *     (weight decay not decoupled), else null
     * @param lr the learning rate
     * @param beta1 the decay of the first moment
     * @param beta2 the decay of the second moment
     * @param eps added to the denominator
     * @param weightDecay the weight decay (0 for none)
     * @param decoupled whether the decay is AdamW's decoupled one
     * @param stepSize {@code lr / (1 - beta1^t)}
     * @param bias2Sqrt {@code sqrt(1 - beta2^t)}
     */
    public static void update(
            Tensor theta,
            Tensor grad,
            Tensor m,
            Tensor v,
            Tensor work,
            double lr,
            double beta1,
            double beta2,
            double eps,
            double weightDecay,
            boolean decoupled,
            double stepSize,
            double bias2Sqrt) {
        update(
                KernelProvider.kernels(),
                theta,
                grad,
                m,
                v,
                work,
                lr,
                beta1,
                beta2,
                eps,
                weightDecay,
                decoupled,
                stepSize,
                bias2Sqrt);
    }

    static void update(
            Kernels k,
            Tensor theta,
            Tensor grad,
            Tensor m,
            Tensor v,
            Tensor work,
            double lr,
            double beta1,
            double beta2,
            double eps,
            double weightDecay,
            boolean decoupled,
            double stepSize,
            double bias2Sqrt) {
        float[] pd = theta.floatData();
        float[] gd = grad.floatData();
        float[] md = m.floatData();
        float[] vd = v.floatData();
        int po = theta.offset();
        int mo = m.offset();
        int vo = v.offset();
        boolean l2 = weightDecay != 0 && !decoupled;
        // With an L2 penalty the step reads g + wd * p from the scratch tensor.
        Tensor in = l2 ? work : grad;
        float[] wd = in.floatData();
        int wo = in.offset();
        int go = grad.offset();
        float decay = (float) (1 - lr * weightDecay);
        float fwd = (float) weightDecay;
        float b1 = (float) beta1;
        float b2 = (float) beta2;
        float c1 = (float) (1 - beta1); // 1 - beta in double, then rounded: PyTorch's weights of g and g^2
        float c2 = (float) (1 - beta2);
        float ss = (float) stepSize;
        float sb2 = (float) bias2Sqrt;
        float e = (float) eps;
        Parallel.forRange(theta.numel(), GRAIN, (from, to) -> {
            int n = to - from;
            if (weightDecay != 0 && decoupled) {
                k.mulScalar(pd, po + from, decay, pd, po + from, n); // AdamW: p = p * (1 - lr * wd)
            }
            if (l2) {
                System.arraycopy(gd, go + from, wd, wo + from, n); // work = g
                k.axpy(n, fwd, pd, po + from, wd, wo + from); // work = g + wd * p
            }
            k.adamStep(pd, po + from, wd, wo + from, md, mo + from, vd, vo + from, n, b1, b2, c1, c2, ss, sb2, e);
        });
    }
}
