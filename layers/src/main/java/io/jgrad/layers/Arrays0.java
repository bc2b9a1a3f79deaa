package io.jgrad.layers;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;

/** Access to the primitive arrays of tensors for the fused kernels. */
final class Arrays0 {
    private Arrays0() {}

    /** The tensor itself when it is contiguous from index 0 of its storage, else a contiguous copy. */
    static Tensor dense(Tensor t) {
        return t.isContiguous() && t.offset() == 0 ? t : t.clone();
    }

    /** The values of a small tensor (weights, statistics) as doubles, row-major. */
    static double[] doubles(Tensor t) {
        return t == null ? null : t.toDoubleArray();
    }

    /** A tensor of {@code dtype} and {@code shape} holding {@code v}. */
    static Tensor tensor(double[] v, DType dtype, int[] shape) {
        return Tensor.wrap(v).reshape(shape).to(dtype);
    }

    /** A FLOAT32 copy of doubles. */
    static float[] floats(double[] v) {
        if (v == null) {
            return null;
        }
        float[] f = new float[v.length];
        for (int k = 0; k < v.length; k++) {
            f[k] = (float) v[k];
        }
        return f;
    }
}
