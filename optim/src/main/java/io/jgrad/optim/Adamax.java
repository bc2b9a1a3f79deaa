package io.jgrad.optim;

import io.jgrad.autograd.Parameter;
import io.jgrad.core.Tensor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adamax, the infinity-norm variant of Adam (Kingma and Ba, 2015, section 7.1). The update is
 * PyTorch 1.13's {@code torch.optim.Adamax}:
 *
 * <pre>
 * t = t + 1
 * g = g + weight_decay * p
 * m = beta1 * m + (1 - beta1) * g
 * u = max(beta2 * u, |g| + eps)
 * p = p - lr / (1 - beta1^t) * m / u
 * </pre>
 *
 * Hyper-parameters (group keys): {@code lr} (2e-3), {@code beta1} (0.9), {@code beta2} (0.999),
 * {@code eps} (1e-8), {@code weight_decay} (0), {@code maximize} (false). State: {@code step},
 * {@code exp_avg}, {@code exp_inf}.
 */
public class Adamax extends Optimizer {

    /** Adamax's hyper-parameters. */
    public static final class Options extends OptimizerOptions<Options> {
        /** Decay rates of the first moment and of the infinity norm. */
        public Options betas(double beta1, double beta2) {
            set("beta1", beta1);
            return set("beta2", beta2);
        }

        /** Term added to |g| for numerical stability. */
        public Options eps(double eps) {
            return set("eps", eps);
        }
    }

    /** New empty options. */
    public static Options options() {
        return new Options();
    }

    /** Adamax with PyTorch's defaults (lr 2e-3). */
    public Adamax(Collection<? extends Parameter> params) {
        this(params, new Options());
    }

    /** Adamax with the given hyper-parameters. */
    public Adamax(Collection<? extends Parameter> params, Options options) {
        super("Adamax", params, defaultValues(), options);
    }

    private static Map<String, Double> defaultValues() {
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("lr", 2e-3);
        d.put("beta1", 0.9);
        d.put("beta2", 0.999);
        d.put("eps", 1e-8);
        d.put("weight_decay", 0.0);
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
        checkFlag(g, "maximize");
    }

    @Override
    protected void initState(Parameter p, ParamState s, ParamGroup g) {
        s.putScalar("step", 0);
        s.putBuffer("exp_avg", Tensor.zerosLike(p.data()));
        s.putBuffer("exp_inf", Tensor.zerosLike(p.data()));
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamState s, ParamGroup g) {
        Tensor theta = p.data();
        Tensor m = s.buffer("exp_avg");
        Tensor u = s.buffer("exp_inf");
        double beta1 = g.get("beta1");
        double step = s.scalar("step") + 1; // t = t + 1
        s.putScalar("step", step);
        double weightDecay = g.get("weight_decay");
        Tensor gr = weightDecay != 0 ? grad.add(theta, weightDecay) : grad; // g = g + wd * p
        m.mul_(beta1).add_(gr, 1 - beta1); // m = b1 m + (1 - b1) g
        u.mul_(g.get("beta2")); // u = b2 u
        u.copy_(u.maximum(gr.abs().add(g.get("eps")))); // u = max(u, |g| + eps)
        double clr = g.get("lr") / (1 - Math.pow(beta1, step)); // bias-corrected lr
        theta.add_(m.div(u), -clr); // p = p - clr * m / u
    }
}
