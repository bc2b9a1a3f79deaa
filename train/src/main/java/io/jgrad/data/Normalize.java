package io.jgrad.data;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.Arrays;

/**
 * Standardization {@code (x - mean) / std}, with the statistics computed once from the training data
 * (never from validation or test data, which would leak them into training).
 *
 * <pre>{@code
 * Normalize norm = Normalize.perChannel(train.input());  // train.input() is (N, C, H, W): mean/std (1, C, 1, 1)
 * loader = DataLoader.builder(train).inputTransform(norm)...   // the same norm for the test loader
 * }</pre>
 *
 * <p>The statistics are the mean and the population standard deviation ({@code 1/N}) over the
 * reduced dimensions, accumulated in double. A feature of zero spread gets a standard deviation of 1,
 * so it is only centred. The mean and std tensors keep the data's rank with size 1 on the reduced
 * dimensions, so they broadcast over batches of the same rank.
 */
public final class Normalize implements Transform {
    private final double[] mean;
    private final double[] std;
    private final int[] statShape;
    private Tensor meanF;
    private Tensor stdF;
    private Tensor meanD;
    private Tensor stdD;

    /**
     * A normalization with given statistics.
     *
     * @param mean the means
     * @param std the standard deviations (positive)
     * @param statShape the shape of the statistics tensors, broadcastable over a batch, e.g.
     *     {@code (1, C, 1, 1)}
     */
    public Normalize(double[] mean, double[] std, int... statShape) {
        if (mean.length != std.length || mean.length != Shape.numel(statShape)) {
            throw new IllegalArgumentException("Normalize: " + mean.length + " means, " + std.length
                    + " stds and the shape " + Shape.format(statShape) + " do not agree");
        }
        for (double s : std) {
            if (!(s > 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException(
                        "Normalize: standard deviations must be positive and finite, got " + Arrays.toString(std));
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
        this.statShape = statShape.clone();
    }

    /**
     * Statistics per feature: over the first (sample) dimension only. For data {@code (N, D)} the
     * statistics are {@code (1, D)}.
     *
     * @param train the training data {@code (N, ...)}
     * @return the normalization
     */
    public static Normalize perFeature(Tensor train) {
        return fit(train, 0);
    }

    /**
     * Statistics per channel: over every dimension but the second. For images {@code (N, C, H, W)} the
     * statistics are {@code (1, C, 1, 1)}.
     *
     * @param train the training data {@code (N, C, ...)}
     * @return the normalization
     */
    public static Normalize perChannel(Tensor train) {
        if (train.dim() < 2) {
            throw new IllegalArgumentException(
                    "Normalize.perChannel: expected data (N, C, ...), got " + Shape.format(train.shape()));
        }
        int[] dims = new int[train.dim() - 1];
        dims[0] = 0;
        for (int k = 2; k < train.dim(); k++) {
            dims[k - 1] = k;
        }
        return fit(train, dims);
    }

    /**
     * Statistics over the given dimensions of the training data.
     *
     * @param train the training data, floating point
     * @param reduceDims the dimensions to average over (0, the samples, should be one of them)
     * @return the normalization
     */
    public static Normalize fit(Tensor train, int... reduceDims) {
        if (!train.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("Normalize.fit: expected floating point data, got " + train.dtype());
        }
        int rank = train.dim();
        boolean[] reduce = new boolean[rank];
        for (int d : reduceDims) {
            reduce[Shape.wrapDim("Normalize.fit", d, rank)] = true;
        }
        int[] shape = train.shape();
        int[] statShape = shape.clone();
        long count = 1;
        for (int d = 0; d < rank; d++) {
            if (reduce[d]) {
                statShape[d] = 1;
                count *= shape[d];
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException(
                    "Normalize.fit: no data to compute statistics from, shape " + Shape.format(shape));
        }
        int groups = Shape.numel(statShape);
        double[] mean = new double[groups];
        accumulate(train, reduce, null, mean);
        for (int g = 0; g < groups; g++) {
            mean[g] /= count;
        }
        double[] std = new double[groups];
        accumulate(train, reduce, mean, std);
        for (int g = 0; g < groups; g++) {
            double s = Math.sqrt(std[g] / count);
            std[g] = s > 0 ? s : 1;
        }
        return new Normalize(mean, std, statShape);
    }

    /**
     * Sums each element (when {@code mean} is null) or its squared deviation from its group's mean
     * into {@code out[group]}, the group being the position along the kept dimensions.
     */
    private static void accumulate(Tensor t, boolean[] reduce, double[] mean, double[] out) {
        Tensor c = t.contiguous();
        int[] shape = c.shape();
        int rank = shape.length;
        if (rank == 0) {
            double v = c.item();
            out[0] += mean == null ? v : (v - mean[0]) * (v - mean[0]);
            return;
        }
        // gs[d]: how far the group index moves when index d moves by one (0 on reduced dims)
        int[] gs = new int[rank];
        int g = 1;
        for (int d = rank - 1; d >= 0; d--) {
            gs[d] = reduce[d] ? 0 : g;
            g *= reduce[d] ? 1 : shape[d];
        }
        float[] f = c.dtype() == DType.FLOAT32 ? c.floatData() : null;
        double[] dd = f == null ? c.doubleData() : null;
        int pos = c.offset();
        int inner = shape[rank - 1];
        int innerStep = gs[rank - 1];
        int outer = c.numel() / Math.max(1, inner);
        int[] idx = new int[rank];
        int base = 0;
        for (int o = 0; o < outer; o++) {
            int grp = base;
            for (int k = 0; k < inner; k++, pos++, grp += innerStep) {
                double v = f != null ? f[pos] : dd[pos];
                if (mean == null) {
                    out[grp] += v;
                } else {
                    double e = v - mean[grp];
                    out[grp] += e * e;
                }
            }
            // odometer over the outer dimensions
            for (int d = rank - 2; d >= 0; d--) {
                idx[d]++;
                base += gs[d];
                if (idx[d] < shape[d]) {
                    break;
                }
                base -= gs[d] * idx[d];
                idx[d] = 0;
            }
        }
    }

    /**
     * The means.
     *
     * @return a FLOAT64 tensor of the statistics' shape
     */
    public Tensor mean() {
        return Tensor.of(mean.clone(), statShape);
    }

    /**
     * The standard deviations.
     *
     * @return a FLOAT64 tensor of the statistics' shape
     */
    public Tensor std() {
        return Tensor.of(std.clone(), statShape);
    }

    @Override
    public Tensor apply(Tensor batch, Generator generator) {
        if (!batch.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("Normalize: expected floating point data, got " + batch.dtype());
        }
        if (batch.dim() != statShape.length) {
            throw new IllegalArgumentException("Normalize: statistics of shape " + Shape.format(statShape)
                    + " need data of rank " + statShape.length + ", got " + Shape.format(batch.shape()));
        }
        return batch.sub(meanOf(batch.dtype())).div(stdOf(batch.dtype()));
    }

    private synchronized Tensor meanOf(DType dtype) {
        if (dtype == DType.FLOAT32) {
            return meanF != null
                    ? meanF
                    : (meanF = Tensor.of(mean.clone(), statShape).to(DType.FLOAT32));
        }
        return meanD != null ? meanD : (meanD = Tensor.of(mean.clone(), statShape));
    }

    private synchronized Tensor stdOf(DType dtype) {
        if (dtype == DType.FLOAT32) {
            return stdF != null
                    ? stdF
                    : (stdF = Tensor.of(std.clone(), statShape).to(DType.FLOAT32));
        }
        return stdD != null ? stdD : (stdD = Tensor.of(std.clone(), statShape));
    }
}
