package io.jgrad.optim;

import io.jgrad.autograd.Parameter;
import io.jgrad.core.Tensor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adadelta (Zeiler, 2012): steps scaled by the ratio of running RMS of past updates to the running RMS
 * of gradients. The update is PyTorch 1.13's {@code torch.optim.Adadelta}:
 *
 * <pre>
 * g = g + weight_decay * p
 * square_avg = rho * square_avg + (1 - rho) * g^2
 * delta = sqrt(acc_delta + eps) / sqrt(square_avg + eps) * g
 * acc_delta = rho * acc_delta + (1 - rho) * delta^2
 * p = p - lr * delta
 * </pre>
 *
 * Hyper-parameters (group keys): {@code lr} (1.0), {@code rho} (0.9), {@code eps} (1e-6),
 * {@code weight_decay} (0), {@code maximize} (false). State: {@code step}, {@code square_avg},
 * {@code acc_delta}.
 */
public class Adadelta extends Optimizer {

    /** Adadelta's hyper-parameters. */
    public static final class Options extends OptimizerOptions<Options> {
        /** Decay rate of the running averages. */
        public Options rho(double rho) {
            return set("rho", rho);
        }

        /** Term added inside the square roots for numerical stability. */
        public Options eps(double eps) {
            return set("eps", eps);
        }
    }

    /** New empty options. */
    public static Options options() {
        return new Options();
    }

    /** Adadelta with PyTorch's defaults (lr 1.0, rho 0.9). */
    public Adadelta(Collection<? extends Parameter> params) {
        this(params, new Options());
    }

    /** Adadelta with the given hyper-parameters. */
    public Adadelta(Collection<? extends Parameter> params, Options options) {
        super("Adadelta", params, defaultValues(), options);
    }

    private static Map<String, Double> defaultValues() {
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("lr", 1.0);
        d.put("rho", 0.9);
        d.put("eps", 1e-6);
        d.put("weight_decay", 0.0);
        d.put("maximize", 0.0);
        return d;
    }

    @Override
    protected void validate(ParamGroup g) {
        checkAtLeast(g, "lr", 0);
        checkRange(g, "rho", 0, true, 1, true);
        checkAtLeast(g, "eps", 0);
        checkAtLeast(g, "weight_decay", 0);
        checkFlag(g, "maximize");
    }

    @Override
    protected void initState(Parameter p, ParamState s, ParamGroup g) {
        s.putScalar("step", 0);
        s.putBuffer("square_avg", Tensor.zerosLike(p.data()));
        s.putBuffer("acc_delta", Tensor.zerosLike(p.data()));
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamState s, ParamGroup g) {
        Tensor theta = p.data();
        Tensor squareAvg = s.buffer("square_avg");
        Tensor accDelta = s.buffer("acc_delta");
        s.putScalar("step", s.scalar("step") + 1); // counted, as PyTorch, but unused
        double rho = g.get("rho");
        double eps = g.get("eps");
        double weightDecay = g.get("weight_decay");
        Tensor gr = weightDecay != 0 ? grad.add(theta, weightDecay) : grad; // g = g + wd * p
        squareAvg.mul_(rho).add_(gr.mul(gr), 1 - rho); // E[g^2] = rho E[g^2] + (1 - rho) g^2
        Tensor std = squareAvg.add(eps).sqrt(); // RMS[g] = sqrt(E[g^2] + eps)
        Tensor delta = accDelta.add(eps).sqrt().div(std).mul(gr); // delta = RMS[dx] / RMS[g] * g
        accDelta.mul_(rho).add_(delta.mul(delta), 1 - rho); // E[dx^2] = rho E[dx^2] + (1 - rho) delta^2
        theta.add_(delta, -g.get("lr")); // p = p - lr * delta
    }
}
