package io.jgrad.core;

/**
 * Walks the rows (the innermost dimension) of several strided operands that share one shape, so
 * element-wise loops pay the index arithmetic once per row instead of once per element.
 */
final class Rows {
    private Rows() {}

    /** Receives one row: the start offset of each operand, and the row length. */
    interface Visitor {
        void row(int[] offsets, int length);
    }

    /**
     * Calls {@code v} once per row of {@code shape}. {@code strides[k]} are operand k's strides over
     * {@code shape} (0 where it is broadcast) and {@code base[k]} its start offset. A scalar shape is
     * one row of length 1. The {@code offsets} array passed to the visitor is reused.
     */
    static void forEach(int[] shape, int[][] strides, int[] base, Visitor v) {
        int rank = shape.length;
        int ops = base.length;
        for (int s : shape) {
            if (s == 0) {
                return;
            }
        }
        int[] off = base.clone();
        if (rank <= 1) {
            v.row(off, rank == 0 ? 1 : shape[0]);
            return;
        }
        int len = shape[rank - 1];
        int[] idx = new int[rank - 1];
        int[] cur = new int[ops];
        while (true) {
            System.arraycopy(off, 0, cur, 0, ops);
            v.row(cur, len);
            int d = rank - 2;
            while (d >= 0) {
                idx[d]++;
                for (int k = 0; k < ops; k++) {
                    off[k] += strides[k][d];
                }
                if (idx[d] < shape[d]) {
                    break;
                }
                for (int k = 0; k < ops; k++) {
                    off[k] -= strides[k][d] * shape[d];
                }
                idx[d] = 0;
                d--;
            }
            if (d < 0) {
                return;
            }
        }
    }

    /** The strides of {@code t} broadcast to {@code shape} (0 on new or size-1 broadcast dims). */
    static int[] broadcastStrides(Tensor t, int[] shape) {
        int[] ts = t.shapeRef();
        int[] st = t.stridesRef();
        int[] out = new int[shape.length];
        int lead = shape.length - ts.length;
        for (int k = 0; k < ts.length; k++) {
            out[lead + k] = (ts[k] == 1 && shape[lead + k] != 1) ? 0 : st[k];
        }
        return out;
    }

    /** Strides of the innermost dimension, or 1 for a scalar. */
    static int inner(int[] strides) {
        return strides.length == 0 ? 1 : strides[strides.length - 1];
    }
}
