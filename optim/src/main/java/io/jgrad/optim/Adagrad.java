package io.jgrad.optim;

import io.jgrad.autograd.Parameter;
import io.jgrad.core.Tensor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adagrad (Duchi, Hazan and Singer, 2011): each coordinate's step is divided by the root of its summed
 * squared gradients. The update is PyTorch 1.13's {@code torch.optim.Adagrad}:
 *
 * <pre>
 * t = t + 1
 * g = g + weight_decay * p
 * clr = lr / (1 + (t - 1) * lr_decay)
 * sum = sum + g^2                    (sum starts at initial_accumulator_value)
 * p = p - clr * g / (sqrt(sum) + eps)
 * </pre>
 *
 * Hyper-parameters (group keys): {@code lr} (1e-2), {@code lr_decay} (0), {@code weight_decay} (0),
 * {@code initial_accumulator_value} (0), {@code eps} (1e-10), {@code maximize} (false).
 * State: {@code step}, {@code sum}.
 */
public class Adagrad extends Optimizer {

    /** Adagrad's hyper-parameters. */
    public static final class Options extends OptimizerOptions<Options> {
        /** Learning-rate decay: the step t uses {@code lr / (1 + (t - 1) * lrDecay)}. */
        public Options lrDecay(double lrDecay) {
            return set("lr_decay", lrDecay);
        }

        /** Starting value of the sum of squared gradients. */
        public Options initialAccumulatorValue(double value) {
            return set("initial_accumulator_value", value);
        }

        /** Term added to the denominator for numerical stability. */
        public Options eps(double eps) {
            return set("eps", eps);
        }
    }

    /** New empty options. */
    public static Options options() {
        return new Options();
    }

    /** Adagrad with PyTorch's defaults (lr 1e-2). */
    public Adagrad(Collection<? extends Parameter> params) {
        this(params, new Options());
    }

    /** Adagrad with the given hyper-parameters. */
    public Adagrad(Collection<? extends Parameter> params, Options options) {
        super("Adagrad", params, defaultValues(), options);
    }

    private static Map<String, Double> defaultValues() {
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("lr", 1e-2);
        d.put("lr_decay", 0.0);
        d.put("weight_decay", 0.0);
        d.put("initial_accumulator_value", 0.0);
        d.put("eps", 1e-10);
        d.put("maximize", 0.0);
        return d;
    }

    @Override
    protected void validate(ParamGroup g) {
        checkAtLeast(g, "lr", 0);
        checkAtLeast(g, "lr_decay", 0);
        checkAtLeast(g, "weight_decay", 0);
        checkAtLeast(g, "initial_accumulator_value", 0);
        checkAtLeast(g, "eps", 0);
        checkFlag(g, "maximize");
    }

    @Override
    protected void initState(Parameter p, ParamState s, ParamGroup g) {
        s.putScalar("step", 0);
        s.putBuffer("sum", Tensor.zerosLike(p.data()).fill_(g.get("initial_accumulator_value")));
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamState s, ParamGroup g) {
        Tensor theta = p.data();
        Tensor sum = s.buffer("sum");
        double step = s.scalar("step") + 1; // t = t + 1
        s.putScalar("step", step);
        double weightDecay = g.get("weight_decay");
        Tensor gr = weightDecay != 0 ? grad.add(theta, weightDecay) : grad; // g = g + wd * p
        double clr = g.get("lr") / (1 + (step - 1) * g.get("lr_decay")); // decayed learning rate
        sum.add_(gr.mul(gr)); // sum = sum + g^2
        Tensor std = sum.sqrt().add(g.get("eps")); // sqrt(sum) + eps
        theta.add_(gr.div(std), -clr); // p = p - clr * g / std
    }
}
