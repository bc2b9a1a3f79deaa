package io.jgrad.core.kernel;

/**
 * The backward of an embedding lookup on {@code float[]}: gradient rows added into the looked-up rows
 * of the table's gradient.
 *
 * <p>Twin: {@code DoubleEmbeddingRows} is generated from this file at build time (execution {@code twins} in
 * core's pom), so this file is the only one to edit.
 */
final class FloatEmbeddingRows {
    private FloatEmbeddingRows() {}

    /**
     * {@code dw[idx[k]] += g[k]} for every looked-up row k whose index is not {@code padding}, rows of
     * {@code d} elements; g starts at {@code go}, dw at 0.
     */
    static void scatterAdd(float[] g, int go, int[] idx, int padding, int d, float[] dw) {
        for (int k = 0; k < idx.length; k++) {
            if (idx[k] != padding) {
                int src = go + k * d;
                int dst = idx[k] * d;
                for (int j = 0; j < d; j++) {
                    dw[dst + j] += g[src + j];
                }
            }
        }
    }
}
