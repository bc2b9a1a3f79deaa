package io.jgrad.layers;

import io.jgrad.core.DType;
import java.util.List;

/**
 * A placeholder for the value of a layer's output (or of a model input) in a functional
 * {@link Model}: it knows which layer call produced it, from which inputs, and its shape per sample.
 * It holds no data; the batch dimension is left open.
 *
 * <p>Symbolic tensors come from {@link Input#of(String, int...)} and from calling a layer on symbolic
 * tensors with {@link Module#call(SymbolicTensor...)}. Each call runs the layer once on a small batch
 * of zeros (in evaluation mode, without recording gradients, changing nothing) to find the output
 * shape, so that a layer given inputs it cannot take fails while the graph is built, naming the layer
 * and its inputs.
 *
 * <pre>{@code
 * SymbolicTensor x = Input.of("features", 20);           // shape (N, 20)
 * SymbolicTensor h = new Linear(20, 64).call(x);         // shape (N, 64)
 * h.shape();                                             // [64], per sample
 * }</pre>
 */
public final class SymbolicTensor {
    final GraphNode node;
    final int index;
    private final int[] shape;
    private final DType dtype;

    SymbolicTensor(GraphNode node, int index, int[] shape, DType dtype) {
        this.node = node;
        this.index = index;
        this.shape = shape.clone();
        this.dtype = dtype;
    }

    /**
     * The shape of one sample, without the batch dimension; -1 marks an open size (one that follows
     * an open size of an input, such as a sequence length).
     *
     * @return a copy of the per-sample shape, e.g. {@code [1, 28, 28]}
     */
    public int[] shape() {
        return shape.clone();
    }

    /**
     * The number of dimensions of a batch, the batch dimension included.
     *
     * @return {@code shape().length + 1}
     */
    public int dim() {
        return shape.length + 1;
    }

    /**
     * The data type of the values.
     *
     * @return e.g. FLOAT32, or INT32 for token indices
     */
    public DType dtype() {
        return dtype;
    }

    /**
     * The layer whose call produced this tensor.
     *
     * @return the layer, or null for a model input
     */
    public Module layer() {
        return node.layer;
    }

    /**
     * The symbolic tensors the producing layer was called on.
     *
     * @return the inbound tensors, in order (empty for a model input)
     */
    public List<SymbolicTensor> inbound() {
        return node.inbound;
    }

    /**
     * Whether this is a model input made by {@link Input#of}.
     *
     * @return true for an input
     */
    public boolean isInput() {
        return node.layer == null;
    }

    /**
     * The input's name for a model input; for a layer output, the name given to the layer's call
     * (see {@link Module#call(String, SymbolicTensor...)}) or null when the layer is named by the
     * model that contains it.
     *
     * @return the name, or null
     */
    public String name() {
        return node.name;
    }

    /**
     * The batch shape with the open batch dimension written {@code N} and other open sizes {@code ?},
     * e.g. {@code (N, 1, 28, 28)} or {@code (N, ?, 64)}.
     *
     * @return the formatted shape
     */
    public String formatShape() {
        return formatShape(shape);
    }

    static String formatShape(int[] perSample) {
        StringBuilder sb = new StringBuilder("(N");
        for (int d : perSample) {
            sb.append(", ").append(d < 0 ? "?" : String.valueOf(d));
        }
        return sb.append(')').toString();
    }

    /** For example {@code SymbolicTensor(linear: Linear(inFeatures=20, outFeatures=64), (N, 64))}. */
    @Override
    public String toString() {
        return "SymbolicTensor(" + node.describe() + (node.numOutputs() > 1 ? " output " + index : "") + ", "
                + formatShape() + ", " + dtype + ")";
    }
}
