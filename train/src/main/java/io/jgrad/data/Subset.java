package io.jgrad.data;

/**
 * The samples of a dataset at given indices, in that order (like {@code torch.utils.data.Subset}).
 * Batches are gathered through the underlying dataset's {@link Dataset#getBatch(int[])}, so a subset
 * of a {@link TensorDataset} keeps its fast path.
 */
public final class Subset implements Dataset {
    private final Dataset base;
    private final int[] indices;

    /**
     * A view of {@code base} restricted to {@code indices}.
     *
     * @param base the underlying dataset
     * @param indices indices into {@code base}, each in {@code [0, base.size())}; copied
     */
    public Subset(Dataset base, int[] indices) {
        if (base == null || indices == null) {
            throw new IllegalArgumentException("Subset: dataset and indices must not be null");
        }
        int n = base.size();
        for (int i : indices) {
            Dataset.checkIndex("Subset", i, n);
        }
        this.base = base;
        this.indices = indices.clone();
    }

    /**
     * The samples {@code [start, end)} of {@code base}.
     *
     * @param base the dataset
     * @param start first index (inclusive)
     * @param end last index (exclusive)
     * @return the subset
     */
    public static Subset range(Dataset base, int start, int end) {
        if (start < 0 || end < start || end > base.size()) {
            throw new IllegalArgumentException("Subset.range: [" + start + ", " + end
                    + ") is not a range of a dataset of " + base.size() + " samples");
        }
        int[] idx = new int[end - start];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = start + k;
        }
        return new Subset(base, idx);
    }

    /**
     * The underlying dataset.
     *
     * @return the dataset this subset indexes into
     */
    public Dataset base() {
        return base;
    }

    /**
     * The indices into the underlying dataset.
     *
     * @return a copy of the indices
     */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public Sample get(int index) {
        return base.get(indices[Dataset.checkIndex("Subset.get", index, indices.length)]);
    }

    @Override
    public Batch getBatch(int[] idx) {
        int[] mapped = new int[idx.length];
        for (int k = 0; k < idx.length; k++) {
            mapped[k] = indices[Dataset.checkIndex("Subset.getBatch", idx[k], indices.length)];
        }
        return base.getBatch(mapped);
    }
}
