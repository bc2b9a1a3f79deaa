package io.jgrad.data;

import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A dataset of in-memory tensors whose first dimension indexes the samples, like
 * {@code torch.utils.data.TensorDataset}: sample {@code i} is made of row {@code i} of each input,
 * of the target and of the weight.
 *
 * <p>{@link #getBatch(int[])} gathers a whole batch with one {@link Tensor#indexSelect} per tensor
 * instead of stacking rows one by one.
 */
public final class TensorDataset implements Dataset {
    private final List<Tensor> inputs;
    private final Tensor target;
    private final List<Tensor> targets;
    private final Tensor weight;
    private final int size;

    /**
     * A dataset of one input and a target.
     *
     * @param input the inputs {@code (N, ...)}
     * @param target the targets {@code (N, ...)}, or null
     */
    public TensorDataset(Tensor input, Tensor target) {
        this(List.of(input), target, null);
    }

    /**
     * A dataset of several inputs, a target and per-sample weights.
     *
     * @param inputs the inputs, each {@code (N, ...)}; at least one
     * @param target the targets {@code (N, ...)}, or null
     * @param weight the per-sample loss weights {@code (N)}, or null
     */
    public TensorDataset(List<Tensor> inputs, Tensor target, Tensor weight) {
        this(weight, inputs, target == null ? List.of() : List.of(target));
    }

    /**
     * A dataset for a model with several outputs: one target tensor per output, in output order
     * (each sample's {@link Sample#targets()} and each batch's {@link Batch#targets()} follow it).
     *
     * @param inputs the inputs, each {@code (N, ...)}; at least one
     * @param targets the targets, each {@code (N, ...)}, in the order of the model's outputs
     * @param weight the per-sample loss weights {@code (N)}, or null
     * @return the dataset
     */
    public static TensorDataset of(List<Tensor> inputs, List<Tensor> targets, Tensor weight) {
        if (targets == null) {
            throw new IllegalArgumentException("TensorDataset.of: targets is null (give an empty list for none)");
        }
        return new TensorDataset(weight, inputs, targets);
    }

    private TensorDataset(Tensor weight, List<Tensor> inputs, List<Tensor> targets) {
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("TensorDataset: expected at least one input tensor");
        }
        this.inputs = List.copyOf(inputs);
        this.size = rows("input 0", inputs.get(0));
        for (int k = 1; k < inputs.size(); k++) {
            check("input " + k, inputs.get(k));
        }
        for (int k = 0; k < targets.size(); k++) {
            check(targets.size() == 1 ? "target" : "target " + k, targets.get(k));
        }
        if (weight != null) {
            check("weight", weight);
            if (weight.dim() != 1 || !weight.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException(
                        "TensorDataset: the weight must be a floating point tensor of shape (" + size + "), got "
                                + weight.dtype() + " " + Shape.format(weight.shape()));
            }
        }
        this.targets = List.copyOf(targets);
        this.target = targets.isEmpty() ? null : targets.get(0);
        this.weight = weight;
    }

    private static int rows(String what, Tensor t) {
        if (t == null) {
            throw new IllegalArgumentException("TensorDataset: " + what + " is null");
        }
        if (t.dim() == 0) {
            throw new IllegalArgumentException(
                    "TensorDataset: " + what + " needs a first dimension indexing the samples, got a 0-D tensor");
        }
        return t.size(0);
    }

    private void check(String what, Tensor t) {
        int n = rows(what, t);
        if (n != size) {
            throw new IllegalArgumentException("TensorDataset: " + what + " has shape " + Shape.format(t.shape())
                    + " but input 0 has " + size + " samples");
        }
    }

    /**
     * A copy of this dataset with per-sample weights.
     *
     * @param w the weights {@code (N)}
     * @return the new dataset (sharing the tensors)
     */
    public TensorDataset withWeight(Tensor w) {
        return new TensorDataset(w, inputs, targets);
    }

    /**
     * The input tensors.
     *
     * @return the inputs, each {@code (N, ...)}
     */
    public List<Tensor> inputs() {
        return inputs;
    }

    /**
     * The input tensor of a one-input dataset.
     *
     * @return the only input {@code (N, ...)}
     */
    public Tensor input() {
        if (inputs.size() != 1) {
            throw new IllegalStateException(
                    "TensorDataset.input: the dataset has " + inputs.size() + " inputs; use inputs()");
        }
        return inputs.get(0);
    }

    /**
     * The target tensor.
     *
     * @return the targets {@code (N, ...)}, or null
     */
    public Tensor target() {
        return target;
    }

    /**
     * The target tensors, one per model output.
     *
     * @return the targets in order (empty without targets; one element for a single target)
     */
    public List<Tensor> targets() {
        return targets;
    }

    /**
     * The weight tensor.
     *
     * @return the weights {@code (N)}, or null
     */
    public Tensor weight() {
        return weight;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Sample get(int index) {
        Dataset.checkIndex("TensorDataset.get", index, size);
        List<Tensor> in = new ArrayList<>(inputs.size());
        for (Tensor t : inputs) {
            in.add(t.select(0, index));
        }
        List<Tensor> ts = new ArrayList<>(targets.size());
        for (Tensor t : targets) {
            ts.add(t.select(0, index));
        }
        return Sample.of(in, ts, weight == null ? null : weight.select(0, index));
    }

    @Override
    public Batch getBatch(int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("TensorDataset.getBatch: expected at least one index");
        }
        for (int i : indices) {
            Dataset.checkIndex("TensorDataset.getBatch", i, size);
        }
        Tensor idx = Tensor.wrap(indices.clone(), indices.length);
        List<Tensor> in = new ArrayList<>(inputs.size());
        for (Tensor t : inputs) {
            in.add(t.indexSelect(0, idx));
        }
        List<Tensor> ts = new ArrayList<>(targets.size());
        for (Tensor t : targets) {
            ts.add(t.indexSelect(0, idx));
        }
        return Batch.of(in, ts, weight == null ? null : weight.indexSelect(0, idx));
    }

    /**
     * The number of distinct classes of an INT32 target: its largest value plus one.
     *
     * @return the class count
     * @throws IllegalStateException when the target is absent or not INT32
     */
    public int numClasses() {
        if (target == null || !target.dtype().isInteger()) {
            throw new IllegalStateException("TensorDataset.numClasses: needs an INT32 or INT64 target, got "
                    + (target == null ? "none" : target.dtype().toString()));
        }
        int max = -1;
        for (int v : target.asInt32Index("TensorDataset.numClasses").toIntArray()) {
            max = Math.max(max, v);
        }
        return max + 1;
    }
}
