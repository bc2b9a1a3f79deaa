package io.jgrad.data;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;

/**
 * One-hot encoding of INT32 class indices: a batch {@code (N)} becomes {@code (N, numClasses)} of
 * zeros and ones (FLOAT32 unless told otherwise).
 */
public final class OneHot implements Transform {
    private final int numClasses;
    private final DType dtype;

    /**
     * FLOAT32 one-hot vectors.
     *
     * @param numClasses the number of classes (positive)
     */
    public OneHot(int numClasses) {
        this(numClasses, DType.FLOAT32);
    }

    /**
     * One-hot vectors of a given floating type.
     *
     * @param numClasses the number of classes (positive)
     * @param dtype FLOAT32 or FLOAT64
     */
    public OneHot(int numClasses, DType dtype) {
        if (numClasses <= 0) {
            throw new IllegalArgumentException("OneHot: numClasses must be positive, got " + numClasses);
        }
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("OneHot: dtype must be floating point, got " + dtype);
        }
        this.numClasses = numClasses;
        this.dtype = dtype;
    }

    @Override
    public Tensor apply(Tensor batch, Generator generator) {
        if (!batch.dtype().isInteger()) {
            throw new IllegalArgumentException("OneHot: expected INT32 or INT64 class indices, got " + batch.dtype());
        }
        Tensor out = batch.oneHot(numClasses);
        return out.dtype() == dtype ? out : out.to(dtype);
    }
}
