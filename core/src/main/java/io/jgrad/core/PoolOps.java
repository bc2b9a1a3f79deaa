package io.jgrad.core;

/**
 * The dtype-specific loops of pooling over contiguous planes of h x w (input) and oh x ow (output);
 * {@code [from, to)} is a range of planes (image-channel pairs). {@link FloatPoolOps} and
 * {@link DoublePoolOps} implement it; {@link Pooling} validates and drives them.
 */
abstract class PoolOps<A> {

    /** The primitive array behind {@code t}. */
    abstract A data(Tensor t);

    /** Max pooling: values into {@code out}, flat in-plane indices of the maxima into {@code ind}. */
    abstract void maxForward(PoolWindows win, A x, int xOff, A out, int[] ind, int from, int to);

    /** Clears planes [from, to) of {@code gin}, then adds each output gradient into the input element its index names. */
    abstract void maxBackward(PoolWindows win, A g, int gOff, int[] ind, int iOff, A gin, int from, int to);

    /** Average (also adaptive average) pooling: the window sum divided by {@code hDiv[r] * wDiv[q]}. */
    abstract void avgForward(PoolWindows win, A x, int xOff, A out, int from, int to);

    /** Spreads each output gradient, divided like the forward, over its window; clears each plane of gin first. */
    abstract void avgBackward(PoolWindows win, A g, int gOff, A gin, int from, int to);

    /** The implementation for a floating point dtype. */
    @SuppressWarnings("unchecked")
    static <A> PoolOps<A> of(DType dtype) {
        return (PoolOps<A>) (dtype == DType.FLOAT64 ? DoublePoolOps.INSTANCE : FloatPoolOps.INSTANCE);
    }
}
