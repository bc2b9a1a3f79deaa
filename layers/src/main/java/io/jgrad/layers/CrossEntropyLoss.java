package io.jgrad.layers;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Tensor;

/**
 * Cross entropy from logits, like {@code torch.nn.CrossEntropyLoss}: INT32 targets are class
 * indices ({@link Losses#crossEntropy(Variable, Tensor, Tensor, int, double, Reduction)}, fused and
 * stable), floating targets of the logits' shape are probabilities
 * ({@link Losses#crossEntropySoft(Variable, Variable, Tensor, double, Reduction)}).
 */
public class CrossEntropyLoss extends Loss {
    private final Tensor weight;
    private final int ignoreIndex;
    private final double labelSmoothing;

    /** No class weights, ignore index -100, no smoothing, mean reduction. */
    public CrossEntropyLoss() {
        this(null, Losses.IGNORE_INDEX, 0, Reduction.MEAN);
    }

    /**
     * A configured loss.
     *
     * @param weight per-class weights (C), or null
     * @param ignoreIndex a class-index target to skip
     * @param labelSmoothing eps in [0, 1]
     * @param reduction NONE, MEAN or SUM
     */
    public CrossEntropyLoss(Tensor weight, int ignoreIndex, double labelSmoothing, Reduction reduction) {
        super(reduction);
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    public Variable forward(Variable input, Variable target) {
        if (target.dtype() == DType.INT32 || target.dtype() == DType.INT64) {
            return Losses.crossEntropy(input, target.data(), weight, ignoreIndex, labelSmoothing, reduction);
        }
        return Losses.crossEntropySoft(input, target, weight, labelSmoothing, reduction);
    }

    @Override
    protected String extraRepr() {
        return "ignoreIndex=" + ignoreIndex + ", labelSmoothing=" + labelSmoothing + ", weighted=" + (weight != null)
                + ", " + super.extraRepr();
    }
}
