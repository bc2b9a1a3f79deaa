package io.jgrad.core;

/**
 * The element type of a {@link Tensor}.
 *
 * <p>{@link #FLOAT32} is the default and the fast path; {@link #FLOAT64} serves exact gradient checks
 * and users who need double precision; {@link #INT32} holds labels and indices. Operations never mix
 * types silently: convert explicitly with {@link Tensor#to(DType)}.
 */
public enum DType {
    /** 32-bit IEEE 754 float, stored in a {@code float[]}. */
    FLOAT32(4, "float32"),
    /** 64-bit IEEE 754 float, stored in a {@code double[]}. */
    FLOAT64(8, "float64"),
    /** 32-bit signed integer, stored in an {@code int[]}. */
    INT32(4, "int32");

    private final int byteSize;
    private final String pyName;

    DType(int byteSize, String pyName) {
        this.byteSize = byteSize;
        this.pyName = pyName;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** True for the floating point types. */
    public boolean isFloatingPoint() {
        return this != INT32;
    }

    @Override
    public String toString() {
        return pyName;
    }
}
