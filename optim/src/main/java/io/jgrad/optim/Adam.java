package io.jgrad.optim;

import io.jgrad.autograd.Parameter;
import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.AdamKernels;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam (Kingma and Ba, 2015), with the AMSGrad variant (Reddi et al., 2018) and, as an option,
 * decoupled weight decay (AdamW, Loshchilov and Hutter, 2019; see {@link AdamW}). The update is
 * PyTorch 1.13's {@code torch.optim.Adam} / {@code AdamW}, step for step:
 *
 * <pre>
 * t = t + 1
 * g = g + weight_decay * p           (L2 penalty, when not decoupled)
 * p = p * (1 - lr * weight_decay)    (decoupled decay, AdamW)
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g^2
 * vmax = max(vmax, v)                (AMSGrad; then vmax replaces v below)
 * p = p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 *
 * Hyper-parameters (group keys): {@code lr} (1e-3), {@code beta1} (0.9), {@code beta2} (0.999),
 * {@code eps} (1e-8), {@code weight_decay} (0), {@code amsgrad} (false),
 * {@code decoupled_weight_decay} (false), {@code maximize} (false). State: {@code step},
 * {@code exp_avg}, {@code exp_avg_sq}, and {@code max_exp_avg_sq} with AMSGrad.
 *
 * <p>FLOAT32 parameters with contiguous gradients are updated by the fused kernel
 * {@link AdamKernels#update} split over the thread pool, without allocating (except AMSGrad, which
 * takes the tensor path); other parameters (e.g. FLOAT64) use tensor operations. Like PyTorch, both
 * paths weight g by {@code 1 - beta} computed in double and then rounded to float (forming it from the
 * float betas, {@code 1f - 0.999f}, would differ by 1.3e-5 relative).
 */
public class Adam extends Optimizer {

    /** Adam's and AdamW's hyper-parameters. */
    public static final class Options extends OptimizerOptions<Options> {
        /** Decay rates of the first and second moment estimates. */
        public Options betas(double beta1, double beta2) {
            set("beta1", beta1);
            return set("beta2", beta2);
        }

        /** Term added to the denominator for numerical stability. */
        public Options eps(double eps) {
            return set("eps", eps);
        }

        /** Uses the maximum of past second moments (AMSGrad). */
        public Options amsgrad(boolean amsgrad) {
            return set("amsgrad", amsgrad);
        }

        /** Decays the weights directly instead of adding an L2 term to the gradient (AdamW). */
        public Options decoupledWeightDecay(boolean decoupled) {
            return set("decoupled_weight_decay", decoupled);
        }
    }

    /** New empty options. */
    public static Options options() {
        return new Options();
    }

    /** Set false (tests only) to force the tensor path on FLOAT32 parameters. */
    boolean fused = true;

    /** Adam with PyTorch's defaults (lr 1e-3). */
    public Adam(Collection<? extends Parameter> params) {
        this(params, new Options());
    }

    /** Adam with learning rate {@code lr} and the other defaults. */
    public Adam(Collection<? extends Parameter> params, double lr) {
        this(params, new Options().lr(lr));
    }

    /** Adam with the given hyper-parameters. */
    public Adam(Collection<? extends Parameter> params, Options options) {
        this("Adam", params, options, false, 0.0);
    }

    /** For {@link AdamW}: the name and the defaults of decoupled decay and of the decay rate. */
    Adam(String name, Collection<? extends Parameter> params, Options options, boolean decoupled, double weightDecay) {
        super(name, params, defaultValues(decoupled, weightDecay), options);
    }

    private static Map<String, Double> defaultValues(boolean decoupled, double weightDecay) {
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("lr", 1e-3);
        d.put("beta1", 0.9);
        d.put("beta2", 0.999);
        d.put("eps", 1e-8);
        d.put("weight_decay", weightDecay);
        d.put("amsgrad", 0.0);
        d.put("decoupled_weight_decay", decoupled ? 1.0 : 0.0);
        d.put("maximize", 0.0);
        return d;
    }

    @Override
    protected void validate(ParamGroup g) {
        checkAtLeast(g, "lr", 0);
        checkAtLeast(g, "eps", 0);
        checkRange(g, "beta1", 0, true, 1, false);
        checkRange(g, "beta2", 0, true, 1, false);
        checkAtLeast(g, "weight_decay", 0);
        checkFlag(g, "amsgrad");
        checkFlag(g, "decoupled_weight_decay");
        checkFlag(g, "maximize");
    }

    @Override
    protected void initState(Parameter p, ParamState s, ParamGroup g) {
        s.putScalar("step", 0);
        s.putBuffer("exp_avg", Tensor.zerosLike(p.data()));
        s.putBuffer("exp_avg_sq", Tensor.zerosLike(p.data()));
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamState s, ParamGroup g) {
        double lr = g.get("lr");
        double beta1 = g.get("beta1");
        double beta2 = g.get("beta2");
        double eps = g.get("eps");
        double weightDecay = g.get("weight_decay");
        boolean decoupled = g.flag("decoupled_weight_decay");
        boolean amsgrad = g.flag("amsgrad");
        Tensor theta = p.data();
        Tensor m = s.buffer("exp_avg");
        Tensor v = s.buffer("exp_avg_sq");
        double step = s.scalar("step") + 1; // t = t + 1
        s.putScalar("step", step);
        double bias1 = 1 - Math.pow(beta1, step); // 1 - beta1^t
        double bias2Sqrt = Math.sqrt(1 - Math.pow(beta2, step)); // sqrt(1 - beta2^t)
        double stepSize = lr / bias1;

        if (fused
                && !amsgrad
                && theta.dtype() == DType.FLOAT32
                && theta.isContiguous()
                && grad.isContiguous()
                && m.isContiguous()
                && v.isContiguous()) {
            fusedUpdate(theta, grad, m, v, s, lr, beta1, beta2, eps, weightDecay, decoupled, stepSize, bias2Sqrt);
            return;
        }
        Tensor gr = grad;
        if (weightDecay != 0) {
            if (decoupled) {
                theta.mul_(1 - lr * weightDecay); // AdamW: p = p * (1 - lr * wd)
            } else {
                gr = gr.add(theta, weightDecay); // Adam: g = g + wd * p
            }
        }
        m.mul_(beta1).add_(gr, 1 - beta1); // m = beta1 * m + (1 - beta1) * g
        v.mul_(beta2).add_(gr.mul(gr), 1 - beta2); // v = beta2 * v + (1 - beta2) * g^2
        Tensor second = v;
        if (amsgrad) {
            Tensor vmax = s.bufferOrZeros("max_exp_avg_sq", theta);
            vmax.copy_(vmax.maximum(v)); // vmax = max(vmax, v)
            second = vmax;
        }
        Tensor denom = second.sqrt().div(bias2Sqrt).add(eps); // sqrt(v) / sqrt(1 - beta2^t) + eps
        theta.add_(m.div(denom), -stepSize); // p = p - lr / (1 - beta1^t) * m / denom
    }

    /** The same update on contiguous FLOAT32 data with the fused kernel, chunked over the pool. */
    private static void fusedUpdate(
            Tensor theta,
            Tensor grad,
            Tensor m,
            Tensor v,
            ParamState s,
            double lr,
            double beta1,
            double beta2,
            double eps,
            double weightDecay,
            boolean decoupled,
            double stepSize,
            double bias2Sqrt) {
        // With an L2 penalty the kernel reads g + wd * p from a scratch buffer kept in the state.
        Tensor work = weightDecay != 0 && !decoupled ? s.scratch("grad", theta) : null;
        AdamKernels.update(theta, grad, m, v, work, lr, beta1, beta2, eps, weightDecay, decoupled, stepSize, bias2Sqrt);
        // The kernel wrote the storage directly: rewrite one element so that the version counter moves
        // (autograd uses it to detect in-place changes of saved tensors).
        if (theta.numel() > 0) {
            int[] first = new int[theta.dim()];
            theta.set(theta.getDouble(first), first);
        }
    }
}
