package io.jgrad.layers;

import io.jgrad.autograd.Variable;

/** Kullback-Leibler divergence of log-probabilities, like {@code torch.nn.KLDivLoss}; see {@link Losses#klDiv}. */
public class KLDivLoss extends Loss {
    private final boolean logTarget;

    /** Mean reduction (PyTorch's default; {@link Reduction#BATCHMEAN} gives the true divergence), probability targets. */
    public KLDivLoss() {
        this(Reduction.MEAN, false);
    }

    /**
     * A configured loss.
     *
     * @param reduction NONE, MEAN, SUM or BATCHMEAN
     * @param logTarget whether targets are log-probabilities
     */
    public KLDivLoss(Reduction reduction, boolean logTarget) {
        super(reduction);
        this.logTarget = logTarget;
    }

    @Override
    public Variable forward(Variable input, Variable target) {
        return Losses.klDiv(input, target, reduction, logTarget);
    }
}
