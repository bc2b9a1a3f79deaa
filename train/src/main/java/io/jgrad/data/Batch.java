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
 * <p>A batch for a model with several outputs (a functional {@code Model}) has one target per output:
 * {@link #targets()} lists them in output order and {@link #target()} is the first. A batch of one
 * target has {@code targets() == List.of(target())}, and a batch without targets an empty list.
 * Make one with {@link #of(List, List, Tensor)}.
 *
 * @param inputs the model inputs (at least one), each {@code (N, ...)}
 * @param target the targets {@code (N, ...)}, or null; the first of {@code targets} when there are several
 * @param weight the per-example loss weights {@code (N)}, or null
 * @param targets every target, in the order of the model's outputs (null or empty: just {@code target})
 */
public record Batch(List<Tensor> inputs, Tensor target, Tensor weight, List<Tensor> targets) {
    /**
     * Checks that the components agree on the batch size.
     *
     * @param inputs the inputs (at least one, each of rank at least 1)
     * @param target the target, or null (taken from {@code targets} when those are given)
     * @param weight the weight {@code (N)}, or null
     * @param targets all targets, or null; when given, {@code target} is null or its first element
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
        if (targets == null || targets.isEmpty()) {
            targets = target == null ? List.of() : List.of(target);
        } else {
            for (int k = 0; k < targets.size(); k++) {
                checkSize("target " + k, targets.get(k), n);
            }
            targets = List.copyOf(targets);
            if (target == null) {
                target = targets.get(0);
            } else if (target != targets.get(0)) {
                throw new IllegalArgumentException("Batch: the target must be the first of the targets (or null)");
            }
        }
        if (target != null) {
            checkSize("target", target, n);
        }
        if (weight != null) {
            checkSize("weight", weight, n);
            if (weight.dim() != 1) {
                throw new IllegalArgumentException(
                        "Batch: the weight must have shape (" + n + "), got " + Shape.format(weight.shape()));
            }
        }
    }

    /**
     * A batch of inputs, one target (or none) and weights.
     *
     * @param inputs the inputs (at least one), each {@code (N, ...)}
     * @param target the targets {@code (N, ...)}, or null
     * @param weight the per-example loss weights {@code (N)}, or null
     */
    public Batch(List<Tensor> inputs, Tensor target, Tensor weight) {
        this(inputs, target, weight, null);
    }

    /**
     * A batch with one target per model output.
     *
     * @param inputs the inputs (at least one), each {@code (N, ...)}
     * @param targets the targets, in the order of the model's outputs, each {@code (N, ...)}
     * @param weight the per-example loss weights {@code (N)}, or null
     * @return the batch
     */
    public static Batch of(List<Tensor> inputs, List<Tensor> targets, Tensor weight) {
        return new Batch(inputs, null, weight, targets == null ? List.of() : targets);
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
            throw new IllegalArgumentException(
                    "Batch: " + what + " has shape " + Shape.format(t.shape()) + " but input 0 has " + n + " samples");
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
        return new Batch(newInputs, target, weight, targets);
    }

    /**
     * A copy with another target; of a batch with several targets, the first is replaced and the
     * others kept.
     *
     * @param newTarget the target, or null (only for a batch of at most one target)
     * @return the new batch
     */
    public Batch withTarget(Tensor newTarget) {
        if (targets.size() <= 1) {
            return new Batch(inputs, newTarget, weight);
        }
        if (newTarget == null) {
            throw new IllegalArgumentException("Batch.withTarget: the batch has " + targets.size()
                    + " targets; the first cannot" + " be removed (use withTargets)");
        }
        List<Tensor> ts = new ArrayList<>(targets);
        ts.set(0, newTarget);
        return new Batch(inputs, newTarget, weight, ts);
    }

    /**
     * A copy with other targets.
     *
     * @param newTargets the targets in output order (empty for none)
     * @return the new batch
     */
    public Batch withTargets(List<Tensor> newTargets) {
        return of(inputs, newTargets, weight);
    }

    /**
     * A copy with another weight.
     *
     * @param newWeight the weight {@code (N)}, or null
     * @return the new batch
     */
    public Batch withWeight(Tensor newWeight) {
        return new Batch(inputs, target, newWeight, targets);
    }

    /**
     * Stacks samples into a batch: each input, each target and the weights along a new first
     * dimension. All samples must have the same number of inputs and of targets, and either all or
     * none a weight.
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
        int nTargets = first.targets().size();
        boolean hasWeight = first.weight() != null;
        List<List<Tensor>> cols = new ArrayList<>();
        for (int k = 0; k < nIn + nTargets; k++) {
            cols.add(new ArrayList<>(samples.size()));
        }
        List<Tensor> weights = new ArrayList<>(samples.size());
        for (int s = 0; s < samples.size(); s++) {
            Sample x = samples.get(s);
            if (x.inputs().size() != nIn) {
                throw new IllegalArgumentException("Batch.collate: sample 0 has " + nIn + " inputs but sample " + s
                        + " has " + x.inputs().size());
            }
            if (x.targets().size() != nTargets || (x.weight() != null) != hasWeight) {
                throw new IllegalArgumentException(
                        "Batch.collate: sample " + s + " differs from sample 0 in its number of targets" + " ("
                                + x.targets().size() + " and " + nTargets + ") or in having a weight");
            }
            for (int k = 0; k < nIn; k++) {
                cols.get(k).add(x.inputs().get(k));
            }
            for (int k = 0; k < nTargets; k++) {
                cols.get(nIn + k).add(x.targets().get(k));
            }
            if (hasWeight) {
                weights.add(x.weight().reshape());
            }
        }
        List<Tensor> stacked = new ArrayList<>(nIn + nTargets);
        for (List<Tensor> c : cols) {
            stacked.add(Tensor.stack(c, 0));
        }
        return of(
                stacked.subList(0, nIn),
                stacked.subList(nIn, nIn + nTargets),
                hasWeight ? Tensor.stack(weights, 0) : null);
    }
}
