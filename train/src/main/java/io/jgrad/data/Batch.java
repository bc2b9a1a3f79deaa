package io.jgrad.data;

import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A mini-batch: the samples of a {@link Dataset} stacked along a new first dimension.
 *
 * <p>Every input, the target and the weight share the first dimension {@link #size()}: a batch of 32
 * Fashion-MNIST images has the input {@code (32, 1, 28, 28)} and the INT32 target {@code (32)}.
 *
 * @param inputs the model inputs (at least one), each {@code (N, ...)}
 * @param target the targets {@code (N, ...)}, or null
 * @param weight the per-example loss weights {@code (N)}, or null
 */
public record Batch(List<Tensor> inputs, Tensor target, Tensor weight) {
    /**
     * Checks that the components agree on the batch size.
     *
     * @param inputs the inputs (at least one, each of rank at least 1)
     * @param target the target, or null
     * @param weight the weight {@code (N)}, or null
     */
    public Batch {
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("Batch: expected at least one input, got " + inputs);
        }
        inputs = List.copyOf(inputs);
        int n = firstDim("input 0", inputs.get(0));
        for (int k = 1; k < inputs.size(); k++) {
            checkSize("input " + k, inputs.get(k), n);
        }
        if (target != null) {
            checkSize("target", target, n);
        }
        if (weight != null) {
            checkSize("weight", weight, n);
            if (weight.dim() != 1) {
                throw new IllegalArgumentException("Batch: the weight must have shape (" + n + "), got " + Shape.format(weight.shape()));
            }
        }
    }

    /**
     * A batch of one input and a target.
     *
     * @param input the input {@code (N, ...)}
     * @param target the target {@code (N, ...)}, or null
     */
    public Batch(Tensor input, Tensor target) {
        this(List.of(input), target, null);
    }

    private static int firstDim(String what, Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException("Batch: " + what + " is null");
        }
        if (t.dim() == 0) {
            throw new IllegalArgumentException("Batch: " + what + " must have a batch dimension, got a 0-D tensor");
        }
        return t.size(0);
    }

    private static void checkSize(String what, Tensor t, int n) {
        int m = firstDim(what, t);
        if (m != n) {
            throw new IllegalArgumentException("Batch: " + what + " has shape " + Shape.format(t.shape()) + " but input 0 has "
                    + n + " samples");
        }
    }

    /**
     * The number of samples.
     *
     * @return the first dimension of the inputs
     */
    public int size() {
        return inputs.get(0).size(0);
    }

    /**
     * The input of a one-input batch.
     *
     * @return the only input
     * @throws IllegalStateException when the batch has several inputs
     */
    public Tensor input() {
        if (inputs.size() != 1) {
            throw new IllegalStateException("Batch.input: the batch has " + inputs.size() + " inputs; use inputs()");
        }
        return inputs.get(0);
    }

    /**
     * A copy with other inputs.
     *
     * @param newInputs the inputs
     * @return the new batch
     */
    public Batch withInputs(List<Tensor> newInputs) {
        return new Batch(newInputs, target, weight);
    }

    /**
     * A copy with another target.
     *
     * @param newTarget the target, or null
     * @return the new batch
     */
    public Batch withTarget(Tensor newTarget) {
        return new Batch(inputs, newTarget, weight);
    }

    /**
     * A copy with another weight.
     *
     * @param newWeight the weight {@code (N)}, or null
     * @return the new batch
     */
    public Batch withWeight(Tensor newWeight) {
        return new Batch(inputs, target, newWeight);
    }

    /**
     * Stacks samples into a batch: each input, the targets and the weights along a new first
     * dimension. All samples must have the same number of inputs, and either all or none a target
     * (and a weight).
     *
     * @param samples the samples (at least one)
     * @return the batch
     */
    public static Batch collate(List<Sample> samples) {
        if (samples == null || samples.isEmpty()) {
            throw new IllegalArgumentException("Batch.collate: expected at least one sample");
        }
        Sample first = samples.get(0);
        int nIn = first.inputs().size();
        boolean hasTarget = first.target() != null;
        boolean hasWeight = first.weight() != null;
        List<List<Tensor>> cols = new ArrayList<>();
        for (int k = 0; k < nIn; k++) {
            cols.add(new ArrayList<>(samples.size()));
        }
        List<Tensor> targets = new ArrayList<>(samples.size());
        List<Tensor> weights = new ArrayList<>(samples.size());
        for (int s = 0; s < samples.size(); s++) {
            Sample x = samples.get(s);
            if (x.inputs().size() != nIn) {
                throw new IllegalArgumentException("Batch.collate: sample 0 has " + nIn + " inputs but sample " + s + " has "
                        + x.inputs().size());
            }
            if ((x.target() != null) != hasTarget || (x.weight() != null) != hasWeight) {
                throw new IllegalArgumentException("Batch.collate: sample " + s + " differs from sample 0 in having a target"
                        + " or a weight");
            }
            for (int k = 0; k < nIn; k++) {
                cols.get(k).add(x.inputs().get(k));
            }
            if (hasTarget) {
                targets.add(x.target());
            }
            if (hasWeight) {
                weights.add(x.weight().reshape());
            }
        }
        List<Tensor> inputs = new ArrayList<>(nIn);
        for (List<Tensor> c : cols) {
            inputs.add(Tensor.stack(c, 0));
        }
        return new Batch(inputs, hasTarget ? Tensor.stack(targets, 0) : null, hasWeight ? Tensor.stack(weights, 0) : null);
    }
}
