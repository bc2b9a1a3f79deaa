package io.jgrad.core;

/**
 * The element type of a {@link Tensor}.
 *
 * <table>
 *   <caption>Data types and what they support</caption>
 *   <tr><th>type</th><th>storage</th><th>for</th></tr>
 *   <tr><td>{@link #FLOAT32}</td><td>{@code float[]}</td><td>the default and the fast path: every op</td></tr>
 *   <tr><td>{@link #FLOAT64}</td><td>{@code double[]}</td><td>every op; exact gradient checks</td></tr>
 *   <tr><td>{@link #INT32}</td><td>{@code int[]}</td><td>labels and indices; integer arithmetic, comparisons,
 *       sums, indexing</td></tr>
 *   <tr><td>{@link #INT64}</td><td>{@code long[]}</td><td>NumPy's and PyTorch's default integer: like INT32,
 *       with 64-bit (wrapping) arithmetic</td></tr>
 *   <tr><td>{@link #BOOL}</td><td>{@code byte[]} of 0 and 1</td><td>masks: the result of comparisons, logical
 *       ops, {@link Tensor#where}, {@link Tensor#maskedFill}</td></tr>
 *   <tr><td>{@link #FLOAT16}, {@link #BFLOAT16}</td><td>{@code short[]} bit patterns</td><td>storage only:
 *       conversion with {@link Tensor#to(DType)}, copies, views, joining, indexing, files; arithmetic
 *       throws (convert to FLOAT32 first)</td></tr>
 * </table>
 *
 * <p>Binary operations on two different types promote like PyTorch (see {@link #promote}): an integer
 * or bool with a float gives the float, INT32 with INT64 gives INT64, bool with an integer gives the
 * integer, FLOAT32 with FLOAT64 gives FLOAT64. Conversions are explicit with {@link Tensor#to(DType)}.
 */
public enum DType {
    /** 32-bit IEEE 754 float, stored in a {@code float[]}. */
    FLOAT32(4, "float32"),
    /** 64-bit IEEE 754 float, stored in a {@code double[]}. */
    FLOAT64(8, "float64"),
    /** 32-bit signed integer, stored in an {@code int[]}. */
    INT32(4, "int32"),
    /** 64-bit signed integer, stored in a {@code long[]}. */
    INT64(8, "int64"),
    /** Boolean, stored as one byte (0 or 1) per element. */
    BOOL(1, "bool"),
    /**
     * IEEE 754 binary16, stored as bit patterns in a {@code short[]}. A storage type: convert to FLOAT32
     * (exact) for arithmetic; conversions to it round to nearest even.
     */
    FLOAT16(2, "float16"),
    /**
     * bfloat16 (the top 16 bits of a float32), stored as bit patterns in a {@code short[]}. A storage
     * type like {@link #FLOAT16}.
     */
    BFLOAT16(2, "bfloat16");

    private final int byteSize;
    private final String pyName;

    DType(int byteSize, String pyName) {
        this.byteSize = byteSize;
        this.pyName = pyName;
    }

    /**
     * Bytes per element.
     *
     * @return 1, 2, 4 or 8
     */
    public int byteSize() {
        return byteSize;
    }

    /**
     * True for the floating point types jgrad computes with, FLOAT32 and FLOAT64. The 16-bit storage
     * types answer false here (see {@link #isStorageOnly()}), so that checks for a computable float
     * reject them.
     *
     * @return whether this is FLOAT32 or FLOAT64
     */
    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /**
     * True for the 16-bit float storage types FLOAT16 and BFLOAT16, which convert, copy, view and save
     * but do no arithmetic.
     *
     * @return whether this is FLOAT16 or BFLOAT16
     */
    public boolean isStorageOnly() {
        return this == FLOAT16 || this == BFLOAT16;
    }

    /**
     * True for every floating point type, the 16-bit storage types included (PyTorch's
     * {@code is_floating_point}).
     *
     * @return whether values of this type are floats
     */
    public boolean isFloatKind() {
        return isFloatingPoint() || isStorageOnly();
    }

    /**
     * True for INT32 and INT64.
     *
     * @return whether this is an integer type (BOOL excluded)
     */
    public boolean isInteger() {
        return this == INT32 || this == INT64;
    }

    /**
     * The type of the result of a binary operation on {@code a} and {@code b}, following PyTorch's
     * promotion for these types: equal types stay; a float with anything non-float gives that float;
     * FLOAT32 with FLOAT64 gives FLOAT64; INT32 with INT64 gives INT64; BOOL with an integer gives the
     * integer. A 16-bit storage type only promotes to itself with itself (and to the other float
     * with FLOAT32 or FLOAT64, as in PyTorch); FLOAT16 with BFLOAT16 gives FLOAT32.
     *
     * @param a the first operand's type
     * @param b the second operand's type
     * @return the common type
     */
    public static DType promote(DType a, DType b) {
        if (a == b) {
            return a;
        }
        if (a.isFloatingPoint() && b.isFloatingPoint()) {
            return FLOAT64;
        }
        if (a.isFloatingPoint() || b.isFloatingPoint()) {
            return a.isFloatingPoint() ? a : b;
        }
        if (a.isStorageOnly() && b.isStorageOnly()) {
            return FLOAT32;
        }
        if (a.isStorageOnly() || b.isStorageOnly()) {
            return a.isStorageOnly() ? a : b;
        }
        if (a == BOOL || b == BOOL) {
            return a == BOOL ? b : a;
        }
        return INT64; // INT32 with INT64
    }

    @Override
    public String toString() {
        return pyName;
    }
}
