package io.jgrad.data;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Splitting datasets: random splits with a seed, and the train/validation split. */
public final class Datasets {
    private Datasets() {}

    /**
     * Splits a dataset into disjoint random subsets of the given sizes (like
     * {@code torch.utils.data.random_split}): one permutation of the indices drawn from
     * {@code new Generator(seed)}, cut in order.
     *
     * @param dataset the dataset
     * @param sizes the subset sizes, non-negative, summing to the dataset's size
     * @param seed the seed of the permutation
     * @return one subset per size
     */
    public static List<Subset> randomSplit(Dataset dataset, int[] sizes, long seed) {
        long total = 0;
        for (int s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException(
                        "randomSplit: sizes must be non-negative, got " + Arrays.toString(sizes));
            }
            total += s;
        }
        if (total != dataset.size()) {
            throw new IllegalArgumentException("randomSplit: sizes " + Arrays.toString(sizes) + " sum to " + total
                    + " but the dataset has " + dataset.size() + " samples");
        }
        int[] perm = Tensor.randperm(new Generator(seed), dataset.size()).toIntArray();
        List<Subset> out = new ArrayList<>(sizes.length);
        int at = 0;
        for (int s : sizes) {
            out.add(new Subset(dataset, Arrays.copyOfRange(perm, at, at + s)));
            at += s;
        }
        return out;
    }

    /**
     * A random split into a training and a validation part: {@code round(fraction * size)} samples
     * go to validation.
     *
     * @param dataset the dataset
     * @param validationFraction in {@code [0, 1)}
     * @param seed the seed of the permutation
     * @return {@code [train, validation]}
     */
    public static List<Subset> trainValidationSplit(Dataset dataset, double validationFraction, long seed) {
        int nVal = validationCount("trainValidationSplit", dataset.size(), validationFraction);
        return randomSplit(dataset, new int[] {dataset.size() - nVal, nVal}, seed);
    }

    /**
     * The last {@code round(fraction * size)} samples as validation and the others as training, in
     * order, without shuffling (what Keras's {@code validation_split} does).
     *
     * @param dataset the dataset
     * @param validationFraction in {@code [0, 1)}
     * @return {@code [train, validation]}
     */
    public static List<Subset> tailSplit(Dataset dataset, double validationFraction) {
        int n = dataset.size();
        int nVal = validationCount("tailSplit", n, validationFraction);
        return List.of(Subset.range(dataset, 0, n - nVal), Subset.range(dataset, n - nVal, n));
    }

    private static int validationCount(String op, int n, double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException(op + ": the validation fraction must be in [0, 1), got " + fraction);
        }
        return (int) Math.round(fraction * n);
    }
}
