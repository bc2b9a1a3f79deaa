package io.jgrad.optim;

import io.jgrad.autograd.Parameter;
import io.jgrad.core.Tensor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RMSprop (Hinton, Coursera lecture 6e, 2012), with the centered variant (Graves, 2013) and momentum.
 * The update is PyTorch 1.13's {@code torch.optim.RMSprop}:
 *
 * <pre>
 * g = g + weight_decay * p
 * square_avg = alpha * square_avg + (1 - alpha) * g^2
 * avg = sqrt(square_avg) + eps                          (plain)
 * grad_avg = alpha * grad_avg + (1 - alpha) * g;
 * avg = sqrt(square_avg - grad_avg^2) + eps             (centered)
 * buf = momentum * buf + g / avg;  p = p - lr * buf     (momentum &gt; 0)
 * p = p - lr * g / avg                                  (otherwise)
 * </pre>
 *
 * Hyper-parameters (group keys): {@code lr} (1e-2), {@code alpha} (0.99), {@code eps} (1e-8),
 * {@code weight_decay} (0), {@code momentum} (0), {@code centered} (false), {@code maximize} (false).
 * State: {@code step}, {@code square_avg}, {@code momentum_buffer} (momentum), {@code grad_avg}
 * (centered).
 */
public class RMSprop extends Optimizer {

    /** RMSprop's hyper-parameters. */
    public static final class Options extends OptimizerOptions<Options> {
        /** Smoothing constant of the running averages. */
        public Options alpha(double alpha) {
            return set("alpha", alpha);
        }

        /** Term added to the denominator for numerical stability. */
        public Options eps(double eps) {
            return set("eps", eps);
        }

        /** Momentum factor (0 turns it off). */
        public Options momentum(double momentum) {
            return set("momentum", momentum);
        }

        /** Normalizes by the estimated variance of the gradient instead of its second moment. */
        public Options centered(boolean centered) {
            return set("centered", centered);
        }
    }

    /** New empty options. */
    public static Options options() {
        return new Options();
    }

    /** RMSprop with PyTorch's defaults (lr 1e-2, alpha 0.99). */
    public RMSprop(Collection<? extends Parameter> params) {
        this(params, new Options());
    }

    /** RMSprop with the given hyper-parameters. */
    public RMSprop(Collection<? extends Parameter> params, Options options) {
        super("RMSprop", params, defaultValues(), options);
    }

    private static Map<String, Double> defaultValues() {
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("lr", 1e-2);
        d.put("alpha", 0.99);
        d.put("eps", 1e-8);
        d.put("weight_decay", 0.0);
        d.put("momentum", 0.0);
        d.put("centered", 0.0);
        d.put("maximize", 0.0);
        return d;
    }

    @Override
    protected void validate(ParamGroup g) {
        checkAtLeast(g, "lr", 0);
        checkAtLeast(g, "eps", 0);
        checkAtLeast(g, "momentum", 0);
        checkAtLeast(g, "weight_decay", 0);
        checkAtLeast(g, "alpha", 0);
        checkFlag(g, "centered");
        checkFlag(g, "maximize");
    }

    @Override
    protected void initState(Parameter p, ParamState s, ParamGroup g) {
        s.putScalar("step", 0);
        s.putBuffer("square_avg", Tensor.zerosLike(p.data()));
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamState s, ParamGroup g) {
        Tensor theta = p.data();
        Tensor squareAvg = s.buffer("square_avg");
        s.putScalar("step", s.scalar("step") + 1);
        double alpha = g.get("alpha");
        double momentum = g.get("momentum");
        double weightDecay = g.get("weight_decay");
        Tensor gr = weightDecay != 0 ? grad.add(theta, weightDecay) : grad; // g = g + wd * p
        squareAvg.mul_(alpha).add_(gr.mul(gr), 1 - alpha); // E[g^2] = a E[g^2] + (1 - a) g^2
        Tensor avg;
        if (g.flag("centered")) {
            Tensor gradAvg = s.bufferOrZeros("grad_avg", theta);
            gradAvg.mul_(alpha).add_(gr, 1 - alpha); // E[g] = a E[g] + (1 - a) g
            avg = squareAvg.sub(gradAvg.mul(gradAvg)).sqrt(); // sqrt(E[g^2] - E[g]^2)
        } else {
            avg = squareAvg.sqrt(); // sqrt(E[g^2])
        }
        avg.add_(g.get("eps")); // + eps
        if (momentum > 0) {
            Tensor buf = s.bufferOrZeros("momentum_buffer", theta);
            buf.mul_(momentum).add_(gr.div(avg)); // buf = m * buf + g / avg
            theta.add_(buf, -g.get("lr")); // p = p - lr * buf
        } else {
            theta.add_(gr.div(avg), -g.get("lr")); // p = p - lr * g / avg
        }
    }
}
