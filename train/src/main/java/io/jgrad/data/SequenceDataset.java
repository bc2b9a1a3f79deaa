package io.jgrad.data;

import io.jgrad.core.Tensor;
import java.util.List;

/**
 * Next-token prediction windows over an encoded corpus: sample {@code i} has the input
 * {@code ids[i*stride .. i*stride + length)} and the target shifted by one,
 * {@code ids[i*stride + 1 .. i*stride + length + 1)}, both INT32 {@code (length)}. The windows are
 * cut on demand; the corpus is not copied.
 */
public final class SequenceDataset implements Dataset {
    private final int[] ids;
    private final int length;
    private final int stride;
    private final int size;

    /**
     * Windows of {@code length} tokens every {@code stride} tokens.
     *
     * @param ids the encoded corpus (not copied)
     * @param length tokens per window (positive)
     * @param stride distance between window starts (positive; {@code length} gives disjoint windows)
     */
    public SequenceDataset(int[] ids, int length, int stride) {
        if (length <= 0 || stride <= 0) {
            throw new IllegalArgumentException(
                    "SequenceDataset: length and stride must be positive, got length=" + length + ", stride=" + stride);
        }
        if (ids.length < length + 1) {
            throw new IllegalArgumentException("SequenceDataset: a corpus of " + ids.length
                    + " tokens is too short for one window" + " of " + length + " tokens and its shifted target");
        }
        this.ids = ids;
        this.length = length;
        this.stride = stride;
        this.size = (ids.length - length - 1) / stride + 1;
    }

    /**
     * The window length.
     *
     * @return tokens per window
     */
    public int length() {
        return length;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Sample get(int index) {
        Dataset.checkIndex("SequenceDataset.get", index, size);
        int s = index * stride;
        int[] x = new int[length];
        int[] y = new int[length];
        System.arraycopy(ids, s, x, 0, length);
        System.arraycopy(ids, s + 1, y, 0, length);
        return new Sample(List.of(Tensor.wrap(x, length)), Tensor.wrap(y, length), null);
    }

    @Override
    public Batch getBatch(int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("SequenceDataset.getBatch: expected at least one index");
        }
        int n = indices.length;
        int[] x = new int[n * length];
        int[] y = new int[n * length];
        for (int k = 0; k < n; k++) {
            int s = Dataset.checkIndex("SequenceDataset.getBatch", indices[k], size) * stride;
            System.arraycopy(ids, s, x, k * length, length);
            System.arraycopy(ids, s + 1, y, k * length, length);
        }
        return new Batch(Tensor.wrap(x, n, length), Tensor.wrap(y, n, length));
    }
}
