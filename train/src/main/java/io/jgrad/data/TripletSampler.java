package io.jgrad.data;

import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * Draws triplets (anchor, positive of the anchor's class, negative of another class) from a labelled
 * {@link Dataset} for the triplet margin loss, two ways:
 * <ul>
 *   <li>random triplets ({@link #next}): a class chosen uniformly among those with two samples, two
 *       different samples of it as anchor and positive, and a negative drawn uniformly from the other
 *       classes' samples;</li>
 *   <li>batch-hard triplets (Hermans, Beyer and Leibe, "In Defense of the Triplet Loss for Person
 *       Re-Identification", 2017): {@link #classBatch} draws P classes and K samples of each, the model
 *       embeds them, and {@link #batchHard} picks for every anchor the farthest sample of its class and
 *       the nearest sample of another class in that batch.</li>
 * </ul>
 */
public final class TripletSampler {
    /**
     * A batch of triplets.
     *
     * @param anchor the anchors
     * @param positive a sample of each anchor's class
     * @param negative a sample of another class
     * @param indices the dataset indices {@code [anchor, positive, negative]}
     */
    public record Triplets(Batch anchor, Batch positive, Batch negative, int[][] indices) {}

    private final Dataset data;
    private final ClassIndex index;
    private final Generator g;

    /**
     * A sampler over {@code data} with its own generator.
     *
     * @param data a dataset whose targets are scalar class indices, with at least two classes and a
     *     class holding two samples
     * @param seed the generator's seed
     */
    public TripletSampler(Dataset data, long seed) {
        this.data = data;
        this.index = ClassIndex.forPairs("TripletSampler", data);
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
     * The indices of {@code n} random triplets, {@code [anchor, positive, negative]}.
     *
     * @param n the number of triplets, at least 1
     * @return three arrays of length n
     */
    public int[][] sampleIndices(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("TripletSampler: the number of triplets must be at least 1, got " + n);
        }
        int[][] t = new int[3][n];
        for (int i = 0; i < n; i++) {
            int[] two = new int[2];
            int c = index.drawSameClass(g, two);
            t[0][i] = two[0];
            t[1][i] = two[1];
            t[2][i] = index.drawOtherClass(g, c);
        }
        return t;
    }

    /**
     * A batch of {@code n} random triplets.
     *
     * @param n the number of triplets, at least 1
     * @return the triplets
     */
    public Triplets next(int n) {
        int[][] t = sampleIndices(n);
        return new Triplets(data.getBatch(t[0]), data.getBatch(t[1]), data.getBatch(t[2]), t);
    }

    /**
     * The indices of a "PK" batch for batch-hard mining: {@code classesPerBatch} different classes
     * drawn uniformly among those with at least {@code perClass} samples, then {@code perClass}
     * different samples of each, grouped by class.
     *
     * @param classesPerBatch P, at least 2
     * @param perClass K, at least 2
     * @return P * K dataset indices
     */
    public int[] classBatchIndices(int classesPerBatch, int perClass) {
        if (classesPerBatch < 2 || perClass < 2) {
            throw new IllegalArgumentException(
                    "TripletSampler: a class batch needs at least 2 classes and 2 samples per class, got P="
                            + classesPerBatch + ", K=" + perClass);
        }
        int[] eligible = index.classesWithAtLeast(perClass);
        if (eligible.length < classesPerBatch) {
            throw new IllegalArgumentException("TripletSampler: only " + eligible.length + " classes have " + perClass
                    + " samples, fewer than the " + classesPerBatch + " classes asked per batch");
        }
        shuffle(eligible);
        int[] out = new int[classesPerBatch * perClass];
        for (int p = 0; p < classesPerBatch; p++) {
            int[] members = index.samplesOf(eligible[p]);
            // a partial Fisher-Yates shuffle picks K different members
            for (int k = 0; k < perClass; k++) {
                int j = k + g.nextInt(members.length - k);
                int tmp = members[k];
                members[k] = members[j];
                members[j] = tmp;
                out[p * perClass + k] = members[k];
            }
        }
        return out;
    }

    /**
     * A "PK" batch for batch-hard mining (see {@link #classBatchIndices}).
     *
     * @param classesPerBatch P
     * @param perClass K
     * @return the P * K samples, grouped by class
     */
    public Batch classBatch(int classesPerBatch, int perClass) {
        return data.getBatch(classBatchIndices(classesPerBatch, perClass));
    }

    private void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = g.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }

    /**
     * Batch-hard mining (Hermans et al. 2017): for every sample of a batch as anchor, the positive is
     * the farthest other sample of its class and the negative the nearest sample of another class, by
     * Euclidean distance between the embeddings. Anchors whose class has no other sample in the
     * batch are left out. Gather the embeddings with these rows (keeping the gradient) and apply the
     * triplet margin loss.
     *
     * @param embeddings (N, D), e.g. the detached output of the embedding network
     * @param labels the class of each row (N)
     * @return {@code [anchor, positive, negative]} row indices into the batch
     */
    public static int[][] batchHard(Tensor embeddings, int[] labels) {
        if (embeddings.dim() != 2 || embeddings.size(0) != labels.length) {
            throw new IllegalArgumentException("TripletSampler.batchHard: expected embeddings (N, D) with N = "
                    + labels.length + " labels, got " + Shape.format(embeddings.shape()));
        }
        int n = labels.length;
        double[] e = embeddings.contiguous().toDoubleArray();
        int d = embeddings.size(1);
        int[][] t = new int[3][n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            int pos = -1;
            int neg = -1;
            double far = -1;
            double near = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double diff = e[i * d + k] - e[j * d + k];
                    s += diff * diff;
                }
                if (labels[j] == labels[i]) {
                    if (s > far) {
                        far = s;
                        pos = j;
                    }
                } else if (s < near) {
                    near = s;
                    neg = j;
                }
            }
            if (pos >= 0 && neg >= 0) {
                t[0][count] = i;
                t[1][count] = pos;
                t[2][count] = neg;
                count++;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException(
                    "TripletSampler.batchHard: no anchor has both a positive and a negative in the batch");
        }
        return new int[][] {
            java.util.Arrays.copyOf(t[0], count),
            java.util.Arrays.copyOf(t[1], count),
            java.util.Arrays.copyOf(t[2], count)
        };
    }
}
