package io.jgrad.data;

import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The class label of every sample of a labelled {@link Dataset} and, per class, the indices of its
 * samples: what the pair and triplet samplers draw from. Labels are read once, from the whole
 * target of a {@link TensorDataset} or from each sample's scalar integer target otherwise.
 */
public final class ClassIndex {
    private final int[] labels;
    private final int[][] byClass;
    private int[] pairable;

    private ClassIndex(int[] labels) {
        this.labels = labels;
        int classes = 0;
        for (int y : labels) {
            classes = Math.max(classes, y + 1);
        }
        List<List<Integer>> lists = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            lists.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            lists.get(labels[i]).add(i);
        }
        byClass = new int[classes][];
        for (int c = 0; c < classes; c++) {
            byClass[c] = lists.get(c).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /**
     * The labels of a dataset whose targets are scalar class indices (INT32, or whole numbers of a
     * floating type), non-negative.
     *
     * @param op the caller's name, for messages
     * @param data the dataset
     * @return the index
     * @throws IllegalArgumentException when a target is missing, not a scalar or not a class index
     */
    public static ClassIndex of(String op, Dataset data) {
        if (data == null) {
            throw new IllegalArgumentException(op + ": dataset is null");
        }
        int n = data.size();
        int[] labels = new int[n];
        if (data instanceof TensorDataset && ((TensorDataset) data).target() != null) {
            Tensor t = ((TensorDataset) data).target();
            if (t.dim() != 1) {
                throw new IllegalArgumentException(
                        op + ": expected one class label per sample, target (N), got " + Shape.format(t.shape()));
            }
            double[] v = t.toDoubleArray();
            for (int i = 0; i < n; i++) {
                labels[i] = label(op, i, v[i]);
            }
        } else {
            for (int i = 0; i < n; i++) {
                Tensor t = data.get(i).target();
                if (t == null || t.numel() != 1) {
                    throw new IllegalArgumentException(op + ": sample " + i + " has no scalar class label (target "
                            + (t == null ? "null" : Shape.format(t.shape())) + ")");
                }
                labels[i] = label(op, i, t.toDoubleArray()[0]);
            }
        }
        return new ClassIndex(labels);
    }

    /**
     * An index over given labels.
     *
     * @param op the caller's name, for messages
     * @param labels the class of each sample, non-negative
     * @return the index
     */
    public static ClassIndex of(String op, int[] labels) {
        for (int i = 0; i < labels.length; i++) {
            label(op, i, labels[i]);
        }
        return new ClassIndex(labels.clone());
    }

    private static int label(String op, int i, double v) {
        if (!(v >= 0) || v != Math.rint(v) || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    op + ": sample " + i + " has label " + v + ", expected a class index >= 0");
        }
        return (int) v;
    }

    /**
     * The labels of a dataset for a pair or triplet sampler, which needs two classes and a class with
     * two samples.
     *
     * @param op the sampler's name, for messages
     * @param data the dataset
     * @return the index
     */
    static ClassIndex forPairs(String op, Dataset data) {
        ClassIndex index = of(op, data);
        int nonEmpty = index.classesWithAtLeast(1).length;
        index.pairable = index.classesWithAtLeast(2);
        if (nonEmpty < 2 || index.pairable.length == 0) {
            throw new IllegalArgumentException(op + ": needs at least two classes and a class with two samples, got "
                    + nonEmpty + " classes in " + data.size() + " samples");
        }
        return index;
    }

    /**
     * Two different samples of one class chosen uniformly among the classes with two samples, into
     * {@code out[0]} and {@code out[1]}; returns the class. Only for an index made by {@link #forPairs}.
     */
    int drawSameClass(Generator g, int[] out) {
        int c = pairable[g.nextInt(pairable.length)];
        int k = count(c);
        int u = g.nextInt(k);
        int v = g.nextInt(k - 1);
        out[0] = sampleOf(c, u);
        out[1] = sampleOf(c, v >= u ? v + 1 : v);
        return c;
    }

    /** A sample drawn uniformly from those not of class {@code c}. */
    int drawOtherClass(Generator g, int c) {
        int i;
        do {
            i = g.nextInt(labels.length);
        } while (labels[i] == c);
        return i;
    }

    /**
     * The label of each sample.
     *
     * @return a copy of the labels
     */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * The label of sample {@code i}.
     *
     * @param i the sample
     * @return its class
     */
    public int label(int i) {
        return labels[i];
    }

    /**
     * The number of samples.
     *
     * @return the size
     */
    public int size() {
        return labels.length;
    }

    /**
     * One more than the largest label.
     *
     * @return the number of classes
     */
    public int numClasses() {
        return byClass.length;
    }

    /**
     * The samples of class {@code c}, in order.
     *
     * @param c the class
     * @return a copy of their indices
     */
    public int[] samplesOf(int c) {
        return byClass[c].clone();
    }

    int count(int c) {
        return byClass[c].length;
    }

    int sampleOf(int c, int k) {
        return byClass[c][k];
    }

    /** The classes with at least {@code min} samples. */
    int[] classesWithAtLeast(int min) {
        return IntStream.range(0, byClass.length)
                .filter(c -> byClass[c].length >= min)
                .toArray();
    }
}
