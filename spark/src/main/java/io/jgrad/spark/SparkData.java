package io.jgrad.spark;

import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.data.TensorDataset;
import java.io.Serializable;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Training data held by Spark: an RDD of {@link LabeledSample}s in a fixed order, with the shape of
 * one sample's features and the kind of target. The order defines each sample's index (its position
 * in the RDD, as {@code zipWithIndex} counts), and the indices are what the shuffling permutes, so
 * the same data in the same order gives the same batches as the single-machine
 * {@link io.jgrad.train.Trainer} on {@link #toLocal(DType)}.
 *
 * <pre>{@code
 * // a DataFrame with an array<float> column "features" and an integer (or whole double) column "label"
 * SparkData train = SparkData.classification(df, "features", "label", 1, 28, 28);
 * }</pre>
 */
public final class SparkData implements Serializable {
    private static final long serialVersionUID = 1L;

    private final transient JavaRDD<LabeledSample> samples;
    private final int[] sampleShape;
    private final int[] targetShape;
    private final boolean classification;

    private SparkData(JavaRDD<LabeledSample> samples, int[] sampleShape, int[] targetShape, boolean classification) {
        if (samples == null) {
            throw new IllegalArgumentException("SparkData: the samples must not be null");
        }
        for (int d : sampleShape) {
            if (d < 1) {
                throw new IllegalArgumentException(
                        "SparkData: sample shape " + Shape.format(sampleShape) + " has a dimension < 1");
            }
        }
        for (int d : targetShape) {
            if (d < 1) {
                throw new IllegalArgumentException(
                        "SparkData: target shape " + Shape.format(targetShape) + " has a dimension < 1");
            }
        }
        this.samples = samples;
        this.sampleShape = sampleShape.clone();
        this.targetShape = targetShape.clone();
        this.classification = classification;
    }

    /**
     * Classification data from an RDD: each sample's target is its class index, and a batch's target
     * is an {@code INT32} tensor {@code (N)}.
     *
     * @param samples the samples, in order
     * @param sampleShape the shape of one sample's features, e.g. {@code 784} or {@code 1, 28, 28}
     * @return the data
     */
    public static SparkData classification(JavaRDD<LabeledSample> samples, int... sampleShape) {
        return new SparkData(samples, sampleShape, new int[0], true);
    }

    /**
     * Data with target values: a batch's target is a floating point tensor {@code (N, targetShape...)}
     * in the model's data type.
     *
     * @param samples the samples, in order
     * @param sampleShape the shape of one sample's features
     * @param targetShape the shape of one sample's target ({@code {}} for one value per sample)
     * @return the data
     */
    public static SparkData regression(JavaRDD<LabeledSample> samples, int[] sampleShape, int... targetShape) {
        return new SparkData(samples, sampleShape, targetShape, false);
    }

    /**
     * Classification data from a DataFrame: a features column (an array of numbers, or a Spark ML
     * vector) and a label column holding the class index (any integer type, or a double holding a
     * whole number as Spark ML's labels do).
     *
     * @param df the data, in order
     * @param featuresColumn the name of the features column
     * @param labelColumn the name of the label column
     * @param sampleShape the shape of one sample's features
     * @return the data
     */
    public static SparkData classification(
            Dataset<Row> df, String featuresColumn, String labelColumn, int... sampleShape) {
        return new SparkData(rowsToSamples(df, featuresColumn, labelColumn, true), sampleShape, new int[0], true);
    }

    /**
     * Data with target values from a DataFrame: a features column and a target column holding a
     * number or an array of numbers.
     *
     * @param df the data, in order
     * @param featuresColumn the name of the features column
     * @param targetColumn the name of the target column
     * @param sampleShape the shape of one sample's features
     * @param targetShape the shape of one sample's target ({@code {}} for one value per sample)
     * @return the data
     */
    public static SparkData regression(
            Dataset<Row> df, String featuresColumn, String targetColumn, int[] sampleShape, int... targetShape) {
        return new SparkData(rowsToSamples(df, featuresColumn, targetColumn, false), sampleShape, targetShape, false);
    }

    /**
     * Distributes a local dataset (for tests and for data that starts on the driver): its first input
     * becomes the features, and an {@code INT32} target of shape {@code (N)} makes it classification
     * data, any other target regression data.
     *
     * @param sc the Spark context
     * @param data a dataset with one input and a target
     * @param numSlices the number of partitions of the RDD
     * @return the data
     */
    public static SparkData fromLocal(JavaSparkContext sc, TensorDataset data, int numSlices) {
        if (data.inputs().size() != 1 || data.target() == null) {
            throw new IllegalArgumentException("SparkData.fromLocal: need one input and a target, got "
                    + data.inputs().size() + " inputs and " + (data.target() == null ? "no" : "a") + " target");
        }
        Tensor x = data.input();
        Tensor y = data.target().asInt32Index("SparkData.fromLocal"); // INT64 labels are classes too
        int n = x.size(0);
        int[] sampleShape = Arrays.copyOfRange(x.shape(), 1, x.dim());
        int[] targetShape = Arrays.copyOfRange(y.shape(), 1, y.dim());
        boolean cls = y.dtype() == DType.INT32 && y.dim() == 1;
        int per = n == 0 ? 0 : x.numel() / n;
        int tper = n == 0 ? 0 : y.numel() / n;
        List<LabeledSample> list = new ArrayList<>(n);
        if (x.dtype() == DType.FLOAT64) {
            double[] xs = x.contiguous().toDoubleArray();
            double[] ys = cls ? null : y.to(DType.FLOAT64).toDoubleArray();
            int[] cs = cls ? y.toIntArray() : null;
            for (int i = 0; i < n; i++) {
                double[] f = Arrays.copyOfRange(xs, i * per, (i + 1) * per);
                list.add(
                        cls
                                ? LabeledSample.of(f, cs[i])
                                : LabeledSample.of(f, Arrays.copyOfRange(ys, i * tper, (i + 1) * tper)));
            }
        } else {
            float[] xs = x.to(DType.FLOAT32).toFloatArray();
            double[] ys = cls ? null : y.to(DType.FLOAT64).toDoubleArray();
            int[] cs = cls ? y.toIntArray() : null;
            for (int i = 0; i < n; i++) {
                float[] f = Arrays.copyOfRange(xs, i * per, (i + 1) * per);
                list.add(
                        cls
                                ? LabeledSample.of(f, cs[i])
                                : LabeledSample.of(f, Arrays.copyOfRange(ys, i * tper, (i + 1) * tper)));
            }
        }
        JavaRDD<LabeledSample> rdd = sc.parallelize(list, numSlices);
        return cls ? classification(rdd, sampleShape) : regression(rdd, sampleShape, targetShape);
    }

    private static JavaRDD<LabeledSample> rowsToSamples(
            Dataset<Row> df, String featuresColumn, String targetColumn, boolean classification) {
        if (df == null) {
            throw new IllegalArgumentException("SparkData: the DataFrame must not be null");
        }
        List<String> columns = Arrays.asList(df.columns());
        for (String c : new String[] {featuresColumn, targetColumn}) {
            if (!columns.contains(c)) {
                throw new IllegalArgumentException(
                        "SparkData: the DataFrame has no column '" + c + "' (columns: " + columns + ")");
            }
        }
        StructField label = df.schema().apply(targetColumn);
        DataType lt = label.dataType();
        boolean integral = lt.equals(DataTypes.IntegerType)
                || lt.equals(DataTypes.LongType)
                || lt.equals(DataTypes.ShortType)
                || lt.equals(DataTypes.ByteType);
        boolean floating = lt.equals(DataTypes.DoubleType) || lt.equals(DataTypes.FloatType);
        if (classification && !integral && !floating) {
            throw new IllegalArgumentException("SparkData.classification: label column '" + targetColumn
                    + "' must hold class indices (an integer or double type), but it is " + lt.simpleString());
        }
        return df.select(featuresColumn, targetColumn)
                .javaRDD()
                .map(row -> toSample(row, classification, featuresColumn));
    }

    private static LabeledSample toSample(Row row, boolean classification, String featuresColumn) {
        if (row.isNullAt(0) || row.isNullAt(1)) {
            throw new IllegalArgumentException("SparkData: a row has a null features or label value: " + row);
        }
        double[] features = numbers(row.get(0), featuresColumn);
        Object t = row.get(1);
        if (classification) {
            double v = ((Number) t).doubleValue();
            if (v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "SparkData.classification: label " + v + " is not a class index (a whole number >= 0)");
            }
            return LabeledSample.of(features, (int) v);
        }
        return LabeledSample.of(
                features, t instanceof Number ? new double[] {((Number) t).doubleValue()} : numbers(t, "target"));
    }

    /** The numbers of an array column value (a Scala sequence) or of a Spark ML vector (read by reflection). */
    private static double[] numbers(Object v, String column) {
        if (v instanceof scala.collection.Seq<?> seq) {
            double[] out = new double[seq.size()];
            scala.collection.Iterator<?> it = seq.iterator();
            for (int i = 0; i < out.length; i++) {
                Object o = it.next();
                if (o == null) {
                    throw new IllegalArgumentException(
                            "SparkData: column '" + column + "' holds an array with a null element");
                }
                out[i] = ((Number) o).doubleValue();
            }
            return out;
        }
        if (v instanceof double[] d) {
            return d;
        }
        try {
            Method toArray = v.getClass().getMethod("toArray");
            if (toArray.getReturnType() == double[].class) {
                return (double[]) toArray.invoke(v);
            }
        } catch (ReflectiveOperationException e) {
            // not a vector: reported below
        }
        throw new IllegalArgumentException(
                "SparkData: column '" + column + "' must hold arrays of numbers or vectors, got "
                        + v.getClass().getName());
    }

    /**
     * The samples, in order.
     *
     * @return the RDD
     */
    public JavaRDD<LabeledSample> samples() {
        return samples;
    }

    /**
     * The shape of one sample's features.
     *
     * @return a copy of the shape
     */
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /**
     * The shape of one sample's target values ({@code {}} for classification).
     *
     * @return a copy of the shape
     */
    public int[] targetShape() {
        return targetShape.clone();
    }

    /**
     * Whether the targets are class indices.
     *
     * @return true for classification data
     */
    public boolean isClassification() {
        return classification;
    }

    /**
     * Collects the data to the driver as a local dataset, in order: inputs
     * {@code (N, sampleShape...)} in the given type, targets {@code INT32 (N)} for classification
     * or {@code (N, targetShape...)} in the given type. Used to evaluate, and to compare with
     * single-machine training.
     *
     * @param dtype {@code FLOAT32} or {@code FLOAT64}
     * @return the local dataset
     */
    public TensorDataset toLocal(DType dtype) {
        List<LabeledSample> all = samples.collect();
        int n = all.size();
        int per = Shape.numel(sampleShape);
        int tper = Shape.numel(targetShape);
        double[] xs = new double[n * per];
        double[] ys = new double[classification ? 0 : n * tper];
        int[] cs = new int[classification ? n : 0];
        for (int i = 0; i < n; i++) {
            LabeledSample s = all.get(i);
            check(s, i, per, tper);
            for (int k = 0; k < per; k++) {
                xs[i * per + k] = s.feature(k);
            }
            if (classification) {
                cs[i] = s.classIndex();
            } else {
                System.arraycopy(s.target(), 0, ys, i * tper, tper);
            }
        }
        Tensor x = Tensor.of(xs, prepend(n, sampleShape)).to(dtype);
        Tensor y = classification
                ? Tensor.of(cs, n)
                : Tensor.of(ys, prepend(n, targetShape)).to(dtype);
        return new TensorDataset(x, y);
    }

    /** Checks that a sample fits the declared shapes. */
    void check(LabeledSample s, long index, int per, int tper) {
        if (s == null) {
            throw new IllegalArgumentException("SparkData: sample " + index + " is null");
        }
        if (s.numFeatures() != per) {
            throw new IllegalArgumentException("SparkData: sample " + index + " has " + s.numFeatures()
                    + " features, but the sample shape " + Shape.format(sampleShape) + " needs " + per);
        }
        if (classification) {
            if (s.target().length != 1) {
                throw new IllegalArgumentException("SparkData: sample " + index + " has " + s.target().length
                        + " target values, but classification needs one class index");
            }
        } else if (s.target().length != tper) {
            throw new IllegalArgumentException("SparkData: sample " + index + " has " + s.target().length
                    + " target values, but the target shape " + Shape.format(targetShape) + " needs " + tper);
        }
    }

    /** {@code (n, shape...)}. */
    static int[] prepend(int n, int[] shape) {
        int[] out = new int[shape.length + 1];
        out[0] = n;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }
}
