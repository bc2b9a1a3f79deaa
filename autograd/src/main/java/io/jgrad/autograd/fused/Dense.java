package io.jgrad.autograd.fused;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;

/** The tensors the fused kernels read: contiguous from index 0 of their storage. */
final class Dense {
    private Dense() {}

    /** The tensor itself when it is contiguous from index 0 of its storage, else a contiguous copy. */
    static Tensor of(Tensor t) {
        return t.isContiguous() && t.offset() == 0 ? t : t.clone();
    }

    /** The values of a small tensor (weights, statistics) as doubles, row-major. */
    static double[] doubles(Tensor t) {
        return t == null ? null : t.toDoubleArray();
    }

    /** A tensor of {@code dtype} and {@code shape} holding {@code v}. */
    static Tensor tensor(double[] v, DType dtype, int... shape) {
        return Tensor.wrap(v).reshape(shape).to(dtype);
    }
}
