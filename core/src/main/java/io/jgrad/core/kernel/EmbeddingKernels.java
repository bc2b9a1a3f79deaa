package io.jgrad.core.kernel;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;

/**
 * The loops of an embedding lookup on a table {@code w (num, d)}: the rows of given indices gathered,
 * and in the backward the gradient rows added back into the rows they came from. Indices are trusted to
 * be in {@code [0, num)} (the callers check them).
 */
public final class EmbeddingKernels {
    private EmbeddingKernels() {}

    /**
     * Copies row {@code idx[k]} of {@code w} to row k of {@code out}.
     *
     * @param w the contiguous FLOAT32 or FLOAT64 table {@code (num, d)}
     * @param idx the row of each lookup
     * @param out the rows, contiguous from index 0, {@code idx.length * d} elements of w's type (written)
     */
    public static void gatherRows(Tensor w, int[] idx, Tensor out) {
        int d = w.size(1);
        Object src = w.dtype() == DType.FLOAT32 ? w.floatData() : w.doubleData();
        Object dst = w.dtype() == DType.FLOAT32 ? out.floatData() : out.doubleData();
        for (int k = 0; k < idx.length; k++) {
            System.arraycopy(src, w.offset() + idx[k] * d, dst, k * d, d);
        }
    }

    /**
     * Adds row k of {@code g} into row {@code idx[k]} of {@code dw}, for every k whose index is not
     * {@code padding}.
     *
     * @param g the contiguous FLOAT32 or FLOAT64 gradient rows, {@code idx.length * d} elements
     * @param idx the row of each lookup
     * @param padding the index whose rows get no gradient (-1 for none)
     * @param dw the table's gradient {@code (num, d)}, contiguous from index 0, of g's type (added to)
     */
    public static void scatterAddRows(Tensor g, int[] idx, int padding, Tensor dw) {
        int d = dw.size(1);
        if (g.dtype() == DType.FLOAT32) {
            FloatEmbeddingRows.scatterAdd(g.floatData(), g.offset(), idx, padding, d, dw.floatData());
        } else {
            DoubleEmbeddingRows.scatterAdd(g.doubleData(), g.offset(), idx, padding, d, dw.doubleData());
        }
    }
}
