package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Tensor;

/** Binary cross entropy with logits, like {@code torch.nn.BCEWithLogitsLoss}; see {@link Losses#bceWithLogits(Variable, Variable, Tensor, Tensor, Reduction)}. */
public class BCEWithLogitsLoss extends Loss {
    private final Tensor weight;
    private final Tensor posWeight;

    /** No weights, mean reduction. */
    public BCEWithLogitsLoss() {
        this(null, null, Reduction.MEAN);
    }

    /**
     * A configured loss.
     *
     * @param weight a rescaling weight broadcast to the input, or null
     * @param posWeight the weight of positives per class (last dimension), or null
     * @param reduction NONE, MEAN or SUM
     */
    public BCEWithLogitsLoss(Tensor weight, Tensor posWeight, Reduction reduction) {
        super(reduction);
        this.weight = weight;
        this.posWeight = posWeight;
    }

    @Override
    public Variable forward(Variable input, Variable target) {
        return Losses.bceWithLogits(input, target, weight, posWeight, reduction);
    }
}
