package io.jgrad.optim;

import io.jgrad.autograd.Parameter;
import io.jgrad.core.Tensor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Nadam: Adam with Nesterov momentum (Dozat, "Incorporating Nesterov Momentum into Adam", ICLR 2016
 * workshop), with the momentum schedule {@code mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay))}.
 * The update is PyTorch 1.13's {@code torch.optim.NAdam}:
 *
 * <pre>
 * t = t + 1
 * g = g + weight_decay * p
 * mu = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay));  mu_next = the same at t + 1
 * mu_product = mu_product * mu
 * mu_product_next = mu_product * mu * mu_next      (PyTorch 1.13; see below)
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g^2
 * denom = sqrt(v / (1 - beta2^t)) + eps
 * p = p - lr * (1 - mu) / (1 - mu_product) * g / denom
 *       - lr * mu_next / (1 - mu_product_next) * m / denom
 * </pre>
 *
 * <p>PyTorch 1.13 multiplies {@code mu} into {@code mu_product_next} twice; PyTorch 2.0 corrected it
 * to {@code mu_product * mu_next} (pytorch/pytorch#92699). The default follows 1.13 step for step;
 * {@link Options#correctedMuNext(boolean)} selects the corrected product.
 *
 * Hyper-parameters (group keys): {@code lr} (2e-3), {@code beta1} (0.9), {@code beta2} (0.999),
 * {@code eps} (1e-8), {@code weight_decay} (0), {@code momentum_decay} (4e-3),
 * {@code corrected_mu_next} (false), {@code maximize}
 * (false; an addition, PyTorch 1.13's NAdam has no such option). State: {@code step},
 * {@code mu_product}, {@code exp_avg}, {@code exp_avg_sq}.
 *
 * <p>{@code mu_product} is kept in double precision. PyTorch keeps it in a tensor of the default
 * dtype, so with the default FLOAT32 its step sizes differ from these by about 1e-7 relative.
 */
public class Nadam extends Optimizer {

    /** Nadam's hyper-parameters. */
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

        /**
         * Uses PyTorch 2's corrected {@code mu_product_next = mu_product * mu_next} instead of 1.13's
         * {@code mu_product * mu * mu_next} (default false, as PyTorch 1.13).
         */
        public Options correctedMuNext(boolean corrected) {
            return set("corrected_mu_next", corrected);
        }

        /** Speed of the momentum schedule (PyTorch's {@code momentum_decay}, default 4e-3). */
        public Options momentumDecay(double momentumDecay) {
            return set("momentum_decay", momentumDecay);
        }
    }

    /** New empty options. */
    public static Options options() {
        return new Options();
    }

    /** Nadam with PyTorch's defaults (lr 2e-3). */
    public Nadam(Collection<? extends Parameter> params) {
        this(params, new Options());
    }

    /** Nadam with the given hyper-parameters. */
    public Nadam(Collection<? extends Parameter> params, Options options) {
        super("Nadam", params, defaultValues(), options);
    }

    private static Map<String, Double> defaultValues() {
        Map<String, Double> d = new LinkedHashMap<>();
        d.put("lr", 2e-3);
        d.put("beta1", 0.9);
        d.put("beta2", 0.999);
        d.put("eps", 1e-8);
        d.put("weight_decay", 0.0);
        d.put("momentum_decay", 4e-3);
        d.put("corrected_mu_next", 0.0);
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
        checkAtLeast(g, "momentum_decay", 0);
        checkFlag(g, "corrected_mu_next");
        checkFlag(g, "maximize");
    }

    @Override
    protected Set<String> scalarStateNames() {
        return Set.of("step", "mu_product");
    }

    @Override
    protected void initState(Parameter p, ParamState s, ParamGroup g) {
        s.putScalar("step", 0);
        s.putScalar("mu_product", 1);
        s.putBuffer("exp_avg", Tensor.zerosLike(p.data()));
        s.putBuffer("exp_avg_sq", Tensor.zerosLike(p.data()));
    }

    @Override
    protected void update(Parameter p, Tensor grad, ParamState s, ParamGroup g) {
        Tensor theta = p.data();
        Tensor m = s.buffer("exp_avg");
        Tensor v = s.buffer("exp_avg_sq");
        double lr = g.get("lr");
        double beta1 = g.get("beta1");
        double beta2 = g.get("beta2");
        double momentumDecay = g.get("momentum_decay");
        double weightDecay = g.get("weight_decay");
        double step = s.scalar("step") + 1; // t = t + 1
        s.putScalar("step", step);
        double bias2 = 1 - Math.pow(beta2, step); // 1 - beta2^t
        Tensor gr = weightDecay != 0 ? grad.add(theta, weightDecay) : grad; // g = g + wd * p
        double mu = beta1 * (1 - 0.5 * Math.pow(0.96, step * momentumDecay)); // momentum at t
        double muNext = beta1 * (1 - 0.5 * Math.pow(0.96, (step + 1) * momentumDecay)); // and at t + 1
        double muProduct = s.scalar("mu_product") * mu; // prod of mu_1..mu_t
        s.putScalar("mu_product", muProduct);
        // PyTorch 1.13 multiplies by mu twice here (fixed in 2.0 by pytorch/pytorch#92699); the
        // corrected_mu_next option gives the fixed product of mu_1..mu_t+1.
        double muProductNext = g.flag("corrected_mu_next") ? muProduct * muNext : muProduct * mu * muNext;
        m.mul_(beta1).add_(gr, 1 - beta1); // m = b1 m + (1 - b1) g
        v.mul_(beta2).add_(gr.mul(gr), 1 - beta2); // v = b2 v + (1 - b2) g^2
        Tensor denom = v.div(bias2).sqrt().add(g.get("eps")); // sqrt(v / (1 - b2^t)) + eps
        theta.add_(gr.div(denom), -lr * (1 - mu) / (1 - muProduct)); // current-gradient part
        theta.add_(m.div(denom), -lr * muNext / (1 - muProductNext)); // look-ahead momentum part
    }
}
