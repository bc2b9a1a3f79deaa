package io.jgrad.models.seq2seq;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Shape;
import io.jgrad.layers.Loss;
import io.jgrad.layers.Losses;
import io.jgrad.layers.Reduction;

/**
 * Cross entropy of sequence logits {@code (N, T, V)} against INT32 targets {@code (N, T)}, averaged over
 * the target tokens that are not padding: {@code torch.nn.CrossEntropyLoss(ignore_index=pad)} applied
 * to {@code logits.transpose(1, 2)}, optionally with label smoothing.
 */
public final class SequenceCrossEntropyLoss extends Loss {
    private final int pad;
    private final double labelSmoothing;

    /**
     * A loss that ignores the target id {@code pad}.
     *
     * @param pad the padding id
     */
    public SequenceCrossEntropyLoss(int pad) {
        this(pad, 0);
    }

    /**
     * A loss that ignores the target id {@code pad}, with label smoothing.
     *
     * @param pad the padding id
     * @param labelSmoothing eps in [0, 1)
     */
    public SequenceCrossEntropyLoss(int pad, double labelSmoothing) {
        super(Reduction.MEAN);
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException(
                    "SequenceCrossEntropyLoss: labelSmoothing must be in [0, 1), got " + labelSmoothing);
        }
        this.pad = pad;
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    public Variable forward(Variable logits, Variable target) {
        if (logits.dim() != 3
                || target.dim() != 2
                || !target.dtype().isInteger()
                || logits.size(0) != target.size(0)
                || logits.size(1) != target.size(1)) {
            throw new IllegalArgumentException(
                    "SequenceCrossEntropyLoss: expected logits (N, T, V) and INT32 or INT64 targets (N, T), got "
                            + Shape.format(logits.shape()) + " and " + target.dtype() + " "
                            + Shape.format(target.shape()));
        }
        return Losses.crossEntropy(logits.transpose(1, 2), target.data(), null, pad, labelSmoothing, Reduction.MEAN);
    }
}
