package io.jgrad.spark;

import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.data.Batch;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import scala.Tuple2;

/**
 * One worker's share of the training data, packed into arrays in the model's data type and kept in
 * Spark's cache: the samples whose index {@code i} has {@code i % workers == partition}, sorted by
 * index.
 */
final class Shard implements Serializable {
    private static final long serialVersionUID = 1L;

    final int partition;
    final long[] index;
    private final int[] sampleShape;
    private final int[] targetShape;
    private final boolean classification;
    private final DType dtype;
    private final float[] x32;
    private final double[] x64;
    private final int[] classes;
    private final double[] y;

    private Shard(
            int partition,
            long[] index,
            SparkData spec,
            DType dtype,
            float[] x32,
            double[] x64,
            int[] classes,
            double[] y) {
        this.partition = partition;
        this.index = index;
        this.sampleShape = spec.sampleShape();
        this.targetShape = spec.targetShape();
        this.classification = spec.isClassification();
        this.dtype = dtype;
        this.x32 = x32;
        this.x64 = x64;
        this.classes = classes;
        this.y = y;
    }

    /** Packs the samples of one partition (in any order) into a shard. */
    static Shard pack(int partition, Iterator<Tuple2<Long, LabeledSample>> it, SparkData spec, DType dtype) {
        List<Tuple2<Long, LabeledSample>> list = new ArrayList<>();
        it.forEachRemaining(list::add);
        list.sort(Comparator.comparingLong(Tuple2::_1));
        int n = list.size();
        int per = Shape.numel(spec.sampleShape());
        int tper = Shape.numel(spec.targetShape());
        long[] index = new long[n];
        float[] x32 = dtype == DType.FLOAT32 ? new float[n * per] : null;
        double[] x64 = dtype == DType.FLOAT64 ? new double[n * per] : null;
        int[] classes = spec.isClassification() ? new int[n] : null;
        double[] y = spec.isClassification() ? null : new double[n * tper];
        for (int i = 0; i < n; i++) {
            long idx = list.get(i)._1;
            LabeledSample s = list.get(i)._2;
            spec.check(s, idx, per, tper);
            index[i] = idx;
            for (int k = 0; k < per; k++) {
                if (x32 != null) {
                    x32[i * per + k] = (float) s.feature(k);
                } else {
                    x64[i * per + k] = s.feature(k);
                }
            }
            if (classes != null) {
                classes[i] = s.classIndex();
            } else {
                System.arraycopy(s.target(), 0, y, i * tper, tper);
            }
        }
        return new Shard(partition, index, spec, dtype, x32, x64, classes, y);
    }

    int size() {
        return index.length;
    }

    /** The position in this shard of the sample with a global index. */
    int position(long globalIndex) {
        int pos = Arrays.binarySearch(index, globalIndex);
        if (pos < 0) {
            throw new IllegalStateException("SparkTrainer: sample " + globalIndex + " is not in shard " + partition);
        }
        return pos;
    }

    /** The batch of the samples at the given positions, in that order. */
    Batch batch(int[] positions) {
        int n = positions.length;
        int per = Shape.numel(sampleShape);
        int tper = Shape.numel(targetShape);
        Tensor x;
        if (dtype == DType.FLOAT32) {
            float[] xs = new float[n * per];
            for (int i = 0; i < n; i++) {
                System.arraycopy(x32, positions[i] * per, xs, i * per, per);
            }
            x = Tensor.wrap(xs, SparkData.prepend(n, sampleShape));
        } else {
            double[] xs = new double[n * per];
            for (int i = 0; i < n; i++) {
                System.arraycopy(x64, positions[i] * per, xs, i * per, per);
            }
            x = Tensor.wrap(xs, SparkData.prepend(n, sampleShape));
        }
        Tensor t;
        if (classification) {
            int[] cs = new int[n];
            for (int i = 0; i < n; i++) {
                cs[i] = classes[positions[i]];
            }
            t = Tensor.wrap(cs, n);
        } else {
            double[] ys = new double[n * tper];
            for (int i = 0; i < n; i++) {
                System.arraycopy(y, positions[i] * tper, ys, i * tper, tper);
            }
            t = Tensor.wrap(ys, SparkData.prepend(n, targetShape)).to(dtype);
        }
        return new Batch(x, t);
    }
}
