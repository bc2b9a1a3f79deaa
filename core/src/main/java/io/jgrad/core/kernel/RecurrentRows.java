package io.jgrad.core.kernel;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;

/**
 * The typed inner loops of the recurrent layers (LSTM, GRU, plain RNN): one implementation per floating
 * point type, chosen once per call with {@link #of(DType)}. A scan handles its arrays as {@code Object}
 * and calls these per row of a time step, never per element; each row method is the fused forward or
 * backward of one cell, with PyTorch's gate layout (LSTM i, f, g, o; GRU r, z, n).
 *
 * <p>The FLOAT32 rows run on the active {@link Kernels} (SIMD when enabled); the FLOAT64 rows are
 * generated from the same source at build time and use the kernels' FLOAT64 overloads.
 */
public abstract class RecurrentRows {
    RecurrentRows() {}

    public static RecurrentRows of(DType dt) {
        if (dt == DType.FLOAT32) {
            return FloatRecurrentRows.INSTANCE;
        }
        if (dt == DType.FLOAT64) {
            return DoubleRecurrentRows.INSTANCE;
        }
        throw new IllegalArgumentException("recurrent scan: expected a floating point input, got " + dt);
    }

    public abstract Object alloc(int n);

    /**
     * An array of {@code n} values from the {@link ScratchPool}, pooled or new: its values are arbitrary,
     * to be written before they are read. Give it back with {@link #give} once nothing uses it.
     */
    public abstract Object take(int n);

    /** Gives an array from {@link #take} back to the {@link ScratchPool}; it must not be used after. */
    public void give(Object a) {
        ScratchPool.give(a);
    }

    public abstract Object data(Tensor t);

    /** C = A B (+ C when beta is 1), BLAS-style. */
    public abstract void gemm(
            boolean ta,
            boolean tb,
            int m,
            int n,
            int k,
            Object a,
            int ao,
            int lda,
            Object b,
            int bo,
            int ldb,
            double beta,
            Object c,
            int co,
            int ldc);

    /** op(B) packed once for {@link #gemmPacked} (a recurrent weight used at every time step). */
    public abstract Object packB(boolean tb, int k, int n, Object b, int bo, int ldb);

    /**
     * Gives a packing of {@link #packB} back to the {@link ScratchPool} once nothing uses it; null is
     * ignored.
     */
    public abstract void releasePacked(Object packed);

    /** C = A op(B) (+ C when beta is 1) with op(B) from {@link #packB}: the bits of {@link #gemm}. */
    public abstract void gemmPacked(
            int m, Object a, int ao, int lda, Object packed, double beta, Object c, int co, int ldc);

    /** out = a * m. */
    public abstract void mul(Object a, int ao, Object m, int mo, Object out, int oo, int n);

    /** dst += src. */
    public abstract void add(Object src, int so, Object dst, int d0, int n);

    /** dst += src * m. */
    public abstract void addMul(Object src, int so, Object m, int mo, Object dst, int d0, int n);

    /**
     * One LSTM row: gates at g (4H pre-activations, replaced by the activations); c and h at hb
     * updated; tanh(c') into aux at ob; h' into out at ob.
     */
    public abstract void lstmForward(
            Object gates, int g, Object c, Object h, int hb, Object aux, Object out, int ob, int n);

    /**
     * One GRU row: gates at g hold the input gates, hg at hgo the hidden gates; the gates become
     * (r, z, n), aux at ob keeps the hidden n-gate, h at hb and out at ob get h'.
     */
    public abstract void gruForward(
            Object gates, int g, Object hg, int hgo, Object h, int hb, Object aux, Object out, int ob, int n);

    /** One plain RNN row: the pre-activations at g become h', copied to h at hb and out at ob. */
    public abstract void rnnForward(Object gates, int g, Object h, int hb, Object out, int ob, int n, boolean relu);

    /** LSTM row backward: dh, dc at hb in; dgates into dx at g; dc becomes dc_prev and dh zero. */
    public abstract void lstmBackward(
            Object gates, int g, Object aux, Object cprev, int ob, Object dh, Object dc, int hb, Object dx, int n);

    /** GRU row backward: dh at hb in; dx and dhg at g out; dh becomes the direct term dh * z. */
    public abstract void gruBackward(
            Object gates, int g, Object aux, Object hprev, int ob, Object dh, int hb, Object dx, Object dhg, int n);

    /** RNN row backward: dh at hb in; the pre-activation gradient into dx at g; dh becomes zero. */
    public abstract void rnnBackward(Object gates, int g, Object dh, int hb, Object dx, int n, boolean relu);
}
