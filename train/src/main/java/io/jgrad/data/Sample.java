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
 * <p>An example for a model with several outputs (a functional {@code Model}) has one target per
 * output: {@link #targets()} lists them in output order and {@link #target()} is the first (make one
 * with {@link #of(List, List, Tensor)}). With one target, {@code targets() == List.of(target())}.
 *
 * @param inputs the model inputs (at least one), in the order the model's forward takes them
 * @param target the expected output, or null (e.g. for prediction); the first of {@code targets}
 * @param weight a 0-D weight of this example's loss, or null for weight 1
 * @param targets every target, in the order of the model's outputs (null or empty: just {@code target})
 */
public record Sample(List<Tensor> inputs, Tensor target, Tensor weight, List<Tensor> targets) {
    /**
     * Checks the components.
     *
     * @param inputs the model inputs (at least one, no nulls)
     * @param target the target, or null (taken from {@code targets} when those are given)
     * @param weight the weight, or null
     * @param targets all targets, or null; when given, {@code target} is null or its first element
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
        if (targets == null || targets.isEmpty()) {
            targets = target == null ? List.of() : List.of(target);
        } else {
            for (int k = 0; k < targets.size(); k++) {
                if (targets.get(k) == null) {
                    throw new IllegalArgumentException("Sample: target " + k + " is null");
                }
            }
            targets = List.copyOf(targets);
            if (target == null) {
                target = targets.get(0);
            } else if (target != targets.get(0)) {
                throw new IllegalArgumentException("Sample: the target must be the first of the targets (or null)");
            }
        }
    }

    /**
     * A sample of inputs, one target (or none) and a weight.
     *
     * @param inputs the model inputs (at least one)
     * @param target the target, or null
     * @param weight a 0-D weight, or null
     */
    public Sample(List<Tensor> inputs, Tensor target, Tensor weight) {
        this(inputs, target, weight, null);
    }

    /**
     * A sample with one target per model output.
     *
     * @param inputs the model inputs (at least one)
     * @param targets the targets, in the order of the model's outputs
     * @param weight a 0-D weight, or null
     * @return the sample
     */
    public static Sample of(List<Tensor> inputs, List<Tensor> targets, Tensor weight) {
        return new Sample(inputs, null, weight, targets == null ? List.of() : targets);
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
