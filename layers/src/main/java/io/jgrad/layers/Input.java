package io.jgrad.layers;

import io.jgrad.core.DType;
import io.jgrad.core.Shape;

/**
 * The inputs of a functional {@link Model}, like Keras's {@code keras.Input}: a named
 * {@link SymbolicTensor} with a fixed shape per sample and an open batch dimension.
 *
 * <pre>{@code
 * SymbolicTensor image = Input.of("image", 1, 28, 28);            // batches (N, 1, 28, 28)
 * SymbolicTensor tokens = Input.of("tokens", DType.INT32, 35);    // batches (N, 35) of indices
 * SymbolicTensor text = Input.of("text", DType.INT32, -1);        // (N, ?): any length
 * }</pre>
 *
 * <p>A size of -1 is open, like Keras's {@code None}: the model takes any size there (a sequence
 * length, an image size for a fully convolutional model). Layers called on such inputs run twice
 * while the graph is built, with the open sizes set to 8 and then 16, and the output sizes that
 * change between the two are open too (shown {@code ?}); layers must accept those sizes.
 *
 * <p>The name identifies the input in {@link Model#forward(java.util.Map)}, in
 * {@link Model#summary()} and in error messages; it must be unique among the names of a model's
 * inputs and layers and contain no dot.
 */
public final class Input {
    private Input() {}

    /**
     * A FLOAT32 input.
     *
     * @param name the input's name (non-empty, no dots)
     * @param shape the shape of one sample, without the batch dimension; each size positive, or -1 for an
     *     open size
     * @return the symbolic input
     */
    public static SymbolicTensor of(String name, int... shape) {
        return of(name, DType.FLOAT32, shape);
    }

    /**
     * An input of a given type (FLOAT64 for models converted with {@link Module#to(DType)}, INT32 for
     * indices fed to an {@link Embedding}).
     *
     * @param name the input's name (non-empty, no dots)
     * @param dtype the type of the values
     * @param shape the shape of one sample, without the batch dimension; each size positive, or -1 for an
     *     open size
     * @return the symbolic input
     */
    public static SymbolicTensor of(String name, DType dtype, int... shape) {
        GraphNode.checkName("Input.of", name);
        if (dtype == null) {
            throw new IllegalArgumentException("Input.of('" + name + "'): dtype is null");
        }
        if (shape == null) {
            throw new IllegalArgumentException("Input.of('" + name + "'): shape is null");
        }
        for (int s : shape) {
            if (s <= 0 && s != -1) {
                throw new IllegalArgumentException("Input.of('" + name
                        + "'): every size of the per-sample shape must be positive"
                        + " or -1 for an open size (the batch dimension is left out), got " + Shape.format(shape));
            }
        }
        return GraphNode.input(name, dtype, shape);
    }
}
