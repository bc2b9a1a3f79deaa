package io.jgrad.data;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;

/**
 * Draws balanced pairs of samples from a labelled {@link Dataset} for Siamese networks and the
 * contrastive loss (Hadsell, Chopra and LeCun 2006): in every batch half the pairs (rounded down
 * for an odd size, the odd pair being dissimilar) are two different samples of one class, drawn by
 * choosing a class uniformly then two of its samples, and the others are samples of two different
 * classes, each sample drawn uniformly from the dataset until the classes differ.
 *
 * <pre>{@code
 * PairSampler pairs = new PairSampler(train, 1);
 * PairSampler.Pairs b = pairs.next(128);   // b.first(), b.second(): batches; b.similar(): (128) of 1 or 0
 * }</pre>
 */
public final class PairSampler {
    /**
     * A batch of pairs: sample {@code i} of {@code first} goes with sample {@code i} of {@code second}.
     *
     * @param first the first sample of each pair
     * @param second the second sample of each pair
     * @param similar FLOAT32 (N): 1 when the two samples share a class, else 0
     * @param firstIndex the dataset index of each first sample
     * @param secondIndex the dataset index of each second sample
     */
    public record Pairs(Batch first, Batch second, Tensor similar, int[] firstIndex, int[] secondIndex) {}

    private final Dataset data;
    private final ClassIndex index;
    private final Generator g;

    /**
     * A sampler over {@code data} with its own generator.
     *
     * @param data a dataset whose targets are scalar class indices, with at least two classes and at
     *     least one class holding two samples
     * @param seed the generator's seed
     */
    public PairSampler(Dataset data, long seed) {
        this.data = data;
        this.index = ClassIndex.forPairs("PairSampler", data);
        this.g = new Generator(seed);
    }

    /**
     * The labels read from the dataset.
     *
     * @return the class index
     */
    public ClassIndex classes() {
        return index;
    }

    /**
     * The indices of {@code n} pairs, without loading the samples: {@code [first, second, similar]}
     * where {@code similar[i]} is 1 or 0; the first {@code n / 2} pairs are similar.
     *
     * @param n the number of pairs, at least 1
     * @return three arrays of length n
     */
    public int[][] sampleIndices(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("PairSampler: the number of pairs must be at least 1, got " + n);
        }
        int[] a = new int[n];
        int[] b = new int[n];
        int[] same = new int[n];
        int positives = n / 2;
        for (int i = 0; i < n; i++) {
            if (i < positives) {
                int[] two = new int[2];
                index.drawSameClass(g, two);
                a[i] = two[0];
                b[i] = two[1];
                same[i] = 1;
            } else {
                a[i] = g.nextInt(index.size());
                b[i] = index.drawOtherClass(g, index.label(a[i]));
            }
        }
        return new int[][] {a, b, same};
    }

    /**
     * A batch of {@code n} pairs, half of them similar.
     *
     * @param n the number of pairs, at least 1
     * @return the pairs
     */
    public Pairs next(int n) {
        int[][] p = sampleIndices(n);
        float[] same = new float[n];
        for (int i = 0; i < n; i++) {
            same[i] = p[2][i];
        }
        return new Pairs(data.getBatch(p[0]), data.getBatch(p[1]), Tensor.of(same, n), p[0], p[1]);
    }
}
