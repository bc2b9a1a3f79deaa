package io.jgrad.data;

import io.jgrad.core.Tensor;
import java.util.List;

/**
 * One example of a {@link Dataset}: one or several input tensors, an optional target and an optional
 * weight (a scalar used to weight this example's loss).
 *
 * <p>Shapes are per example, without the batch dimension: an image of Fashion-MNIST is an input of
 * shape {@code (1, 28, 28)} with a 0-D INT32 target. {@link DataLoader} stacks samples into a
 * {@link Batch}.
 *
 * @param inputs the model inputs (at least one), in the order the model's forward takes them
 * @param target the expected output, or null (e.g. for prediction)
 * @param weight a 0-D weight of this example's loss, or null for weight 1
 */
public record Sample(List<Tensor> inputs, Tensor target, Tensor weight) {
    /**
     * Checks the components.
     *
     * @param inputs the model inputs (at least one, no nulls)
     * @param target the target, or null
     * @param weight the weight, or null
     */
    public Sample {
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("Sample: expected at least one input, got " + inputs);
        }
        for (int k = 0; k < inputs.size(); k++) {
            if (inputs.get(k) == null) {
                throw new IllegalArgumentException("Sample: input " + k + " is null");
            }
        }
        inputs = List.copyOf(inputs);
    }

    /**
     * A sample of one input and a target.
     *
     * @param input the input
     * @param target the target, or null
     */
    public Sample(Tensor input, Tensor target) {
        this(List.of(input), target, null);
    }

    /**
     * The input of a one-input sample.
     *
     * @return the only input
     * @throws IllegalStateException when the sample has several inputs
     */
    public Tensor input() {
        if (inputs.size() != 1) {
            throw new IllegalStateException("Sample.input: the sample has " + inputs.size() + " inputs; use inputs()");
        }
        return inputs.get(0);
    }
}
