package io.jgrad.layers;

/**
 * How a bidirectional recurrent layer combines the outputs of its forward and backward directions
 * (Keras's {@code merge_mode}). Between stacked layers the directions are always concatenated, as
 * in PyTorch, so that the next layer's weights keep PyTorch's shapes; the merge applies to the
 * layer's final output.
 */
public enum MergeMode {
    /** {@code fwd + bwd}: output size H. */
    SUM,
    /** {@code fwd * bwd} element-wise: output size H. */
    MUL,
    /** {@code [fwd, bwd]} along the feature dimension: output size 2H (the default, PyTorch's layout). */
    CONCAT,
    /** {@code (fwd + bwd) / 2}: output size H. */
    AVERAGE
}
