package io.jgrad.core;

import java.util.Arrays;

/**
 * Static helpers for shapes ({@code int[]} dimension sizes): element counts, contiguous strides,
 * NumPy broadcasting, dimension wrapping and formatting for error messages such as
 * {@code matmul: shapes (3, 4) and (5, 2) cannot be multiplied (4 != 5)}.
 */
public final class Shape {
    private Shape() {}

    /** Product of the sizes; 1 for a scalar shape {@code ()}. Throws when it overflows an int. */
    public static int numel(int... shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException("shape " + format(shape) + " has a negative size");
            }
            n *= s;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + format(shape) + " has more than 2^31 elements");
            }
        }
        return (int) n;
    }

    /** Row-major (C order) strides of a shape. */
    public static int[] contiguousStrides(int... shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int k = shape.length - 1; k >= 0; k--) {
            st[k] = s;
            s *= Math.max(shape[k], 1);
        }
        return st;
    }

    /** Formats a shape as {@code (3, 4)}; a scalar is {@code ()}, a 1-D shape {@code (5,)}. */
    public static String format(int... shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int k = 0; k < shape.length; k++) {
            if (k > 0) {
                sb.append(", ");
            }
            sb.append(shape[k]);
        }
        return sb.append(')').toString();
    }

    /**
     * The NumPy broadcast of two shapes.
     *
     * @param op the operation name used in the error message
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            int da = k < n - a.length ? 1 : a[k - (n - a.length)];
            int db = k < n - b.length ? 1 : b[k - (n - b.length)];
            if (da == db || db == 1) {
                out[k] = da;
            } else if (da == 1) {
                out[k] = db;
            } else {
                throw new IllegalArgumentException(op + ": shapes " + format(a) + " and " + format(b)
                        + " cannot be broadcast (dimension " + k + ": " + da + " vs " + db + ")");
            }
        }
        return out;
    }

    /** Wraps a possibly negative dimension index into {@code [0, rank)}. */
    public static int wrapDim(String op, int dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IndexOutOfBoundsException(op + ": dimension " + dim + " is out of range for a tensor of rank "
                    + rank + " (expected " + -r + " to " + (r - 1) + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    /** True when the shapes have the same rank and sizes. */
    public static boolean equals(int[] a, int[] b) {
        return Arrays.equals(a, b);
    }
}
