package io.jgrad.data;

import java.util.ArrayList;
import java.util.List;

/**
 * An indexable collection of {@link Sample}s, like {@code torch.utils.data.Dataset}.
 *
 * <p>{@link #get(int)} returns one sample; {@link #getBatch(int[])} returns several stacked into a
 * {@link Batch}. The default {@code getBatch} stacks {@code get} results; in-memory datasets such as
 * {@link TensorDataset} override it to gather whole batches at once, which is what
 * {@link DataLoader} calls.
 */
public interface Dataset {
    /**
     * The number of samples.
     *
     * @return the size
     */
    int size();

    /**
     * The sample at {@code index}.
     *
     * @param index in {@code [0, size())}
     * @return the sample
     * @throws IndexOutOfBoundsException when the index is out of range
     */
    Sample get(int index);

    /**
     * The samples at {@code indices}, stacked.
     *
     * @param indices each in {@code [0, size())}; at least one
     * @return the batch, in the order of {@code indices}
     * @throws IndexOutOfBoundsException when an index is out of range
     */
    default Batch getBatch(int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("Dataset.getBatch: expected at least one index");
        }
        List<Sample> samples = new ArrayList<>(indices.length);
        for (int i : indices) {
            samples.add(get(i));
        }
        return Batch.collate(samples);
    }

    /**
     * Every sample, stacked in order (for example to fit a {@code Normalization} on the training part):
     * {@code getBatch(0, 1, ..., size() - 1)}.
     *
     * @return the whole dataset as one batch
     */
    default Batch all() {
        int[] idx = new int[size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        return getBatch(idx);
    }

    /**
     * Checks an index against a size.
     *
     * @param op the operation, for the message
     * @param index the index
     * @param size the size
     * @return {@code index}
     * @throws IndexOutOfBoundsException when {@code index} is not in {@code [0, size)}
     */
    static int checkIndex(String op, int index, int size) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(
                    op + ": index " + index + " is out of range for a dataset of " + size + " samples");
        }
        return index;
    }
}
