package io.jgrad.optim;

import io.jgrad.autograd.Parameter;
import io.jgrad.core.Tensor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum, weight decay and
 * maximization; the same update as PyTorch 1.13's {@code torch.optim.SGD}:
 *
 * <pre>
 * d = g + weight_decay * p
 * if momentum != 0:
 *     buf = d                                   at the first step
 *     buf = momentum * buf + (1 - dampening) * d   afterwards
 *     d = nesterov ? d + momentum * buf : buf
 * p = p - lr * d
 * </pre>
 *
 * Hyper-parameters (group keys): {@code lr} (required), {@code momentum} (0), {@code dampening} (0),
 * {@code nesterov} (false; needs momentum &gt; 0 and dampening 0), {@code weight_decay} (0),
 * {@code maximize} (false). State: {@code momentum_buffer} when momentum is used.
 */
public class SGD extends Optimizer {

    /** SGD's hyper-parameters. */
    public static final class Options extends OptimizerOptions<Options> {
        /** Momentum factor (0 turns momentum off). */
        public Options momentum(double momentum) {
            return set("momentum", momentum);
        }

        /** Dampening of the gradient's contribution to the momentum buffer. */
        public Options dampening(double dampening) {
            return set("dampening", dampening);
        }

        /** Nesterov momentum. */
        public Options nesterov(boolean nesterov) {
            return set("nesterov", nesterov);
        }
    }

    /** New empty options. */
    public static Options options() {
        return new Options();
    }

    /** Plain SGD with learning rate {@code lr}. */
    public SGD(Collection<? extends Parameter> params, double lr) {
        this(params, new Options().lr(lr));
    }

    /** SGD with the given hyper-parameters; {@code lr} must be set. */
    public SGD(Collection<? extends Parameter> params, Options options) {
        super("SGD", params, defaultValues(options), options);
    }

    private static Map<String, Double> defaultValues(Options options) {
        if (options == null || !options.values().containsKey("lr")) {
            throw new IllegalArgumentException("SGD: lr is required (e.g. new SGD(params, 0.1))");
        }
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("lr", Double.NaN);
        d.put("momentum", 0.0);
        d.put("dampening", 0.0);
        d.put("weight_decay", 0.0);
        d.put("nesterov", 0.0);
        d.put("maximize", 0.0);
        return d;
    }

    @Override
    protected void validate(ParamGroup g) {
        checkAtLeast(g, "lr", 0);
        checkAtLeast(g, "momentum", 0);
        checkRange(g, "dampening", 0, true, 1, true);
        checkAtLeast(g, "weight_decay", 0);
        checkFlag(g, "nesterov");
        checkFlag(g, "maximize");
        if (g.flag("nesterov") && (g.get("momentum") <= 0 || g.get("dampening") != 0)) {
            throw new IllegalArgumentException(
                    "SGD: Nesterov momentum requires momentum > 0 and dampening 0, got momentum "
                            + fmt(g.get("momentum")) + " and dampening " + fmt(g.get("dampening")));
        }
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamState s, ParamGroup g) {
        double lr = g.get("lr");
        double weightDecay = g.get("weight_decay");
        double momentum = g.get("momentum");
        Tensor theta = p.data();
        Tensor d = grad;
        if (weightDecay != 0) {
            d = d.add(theta, weightDecay); // d = g + wd * p  (L2 penalty)
        }
        if (momentum != 0) {
            Tensor buf = s.buffer("momentum_buffer");
            if (buf == null) {
                buf = d.clone(); // first step: buf = d, no dampening
                s.putBuffer("momentum_buffer", buf);
            } else {
                buf.mul_(momentum).add_(d, 1 - g.get("dampening")); // buf = m * buf + (1 - dampening) * d
            }
            d = g.flag("nesterov")
                    ? d.add(buf, momentum) // Nesterov: look ahead, d + m * buf
                    : buf; // classical: step along the buffer
        }
        theta.add_(d, -lr); // p = p - lr * d
    }
}
