package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Tensor;

/** Binary cross entropy of probabilities, like {@code torch.nn.BCELoss}; see {@link Losses#bce(Variable, Variable, Tensor, Reduction)}. */
public class BCELoss extends Loss {
    private final Tensor weight;

    /** No weight, mean reduction. */
    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    /**
     * A configured loss.
     *
     * @param weight a rescaling weight broadcast to the input, or null
     * @param reduction NONE, MEAN or SUM
     */
    public BCELoss(Tensor weight, Reduction reduction) {
        super(reduction);
        this.weight = weight;
    }

    @Override
    public Variable forward(Variable input, Variable target) {
        return Losses.bce(input, target, weight, reduction);
    }
}
