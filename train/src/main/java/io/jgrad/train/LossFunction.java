package io.jgrad.train;

import io.jgrad.autograd.Variable;
import io.jgrad.layers.Loss;

/**
 * The loss a {@link Trainer} minimizes: the model's output and the batch's target give either one
 * value (already reduced) or one value per sample / per element (a loss with reduction
 * {@code NONE}), which the trainer weights and averages.
 */
@FunctionalInterface
public interface LossFunction {
    /**
     * Computes the loss.
     *
     * @param output the model's output {@code (N, ...)}
     * @param target the target {@code (N, ...)} (a constant)
     * @return a 0-D loss, or per-sample losses {@code (N)}, or per-element losses {@code (N, ...)}
     */
    Variable compute(Variable output, Variable target);

    /**
     * Adapts a loss module of the layers package.
     *
     * @param loss e.g. {@code new CrossEntropyLoss()}; with reduction {@code NONE} to allow sample
     *     and class weights
     * @return the loss function
     */
    static LossFunction of(Loss loss) {
        if (loss == null) {
            throw new IllegalArgumentException("LossFunction.of: loss is null");
        }
        return loss::forward;
    }
}
