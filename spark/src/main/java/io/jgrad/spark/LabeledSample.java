package io.jgrad.spark;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One training sample of an RDD: its features, flattened in row-major order, and its target (a class
 * index or a vector of values). Features are kept as {@code float} or {@code double} as given and
 * converted to the model's data type on the executors.
 */
public final class LabeledSample implements Serializable {
    private static final long serialVersionUID = 1L;

    private final float[] features32;
    private final double[] features64;
    private final double[] target;

    private LabeledSample(float[] f32, double[] f64, double[] target) {
        this.features32 = f32;
        this.features64 = f64;
        this.target = target;
    }

    /**
     * A sample of a classification task.
     *
     * @param features the features, flattened (not copied)
     * @param classIndex the class, {@code >= 0}
     * @return the sample
     */
    public static LabeledSample of(float[] features, int classIndex) {
        return new LabeledSample(requireFeatures(features), null, classTarget(classIndex));
    }

    /**
     * A sample of a classification task.
     *
     * @param features the features, flattened (not copied)
     * @param classIndex the class, {@code >= 0}
     * @return the sample
     */
    public static LabeledSample of(double[] features, int classIndex) {
        return new LabeledSample(null, requireFeatures(features), classTarget(classIndex));
    }

    /**
     * A sample with target values (regression, or soft labels).
     *
     * @param features the features, flattened (not copied)
     * @param target the target values, flattened (not copied)
     * @return the sample
     */
    public static LabeledSample of(double[] features, double[] target) {
        return new LabeledSample(null, requireFeatures(features), requireTarget(target));
    }

    /**
     * A sample with target values (regression, or soft labels).
     *
     * @param features the features, flattened (not copied)
     * @param target the target values, flattened (not copied)
     * @return the sample
     */
    public static LabeledSample of(float[] features, double[] target) {
        return new LabeledSample(requireFeatures(features), null, requireTarget(target));
    }

    private static <A> A requireFeatures(A a) {
        if (a == null) {
            throw new IllegalArgumentException("LabeledSample: features must not be null");
        }
        return a;
    }

    private static double[] requireTarget(double[] t) {
        if (t == null) {
            throw new IllegalArgumentException("LabeledSample: target must not be null");
        }
        return t;
    }

    private static double[] classTarget(int c) {
        if (c < 0) {
            throw new IllegalArgumentException("LabeledSample: class index must be >= 0, got " + c);
        }
        return new double[] {c};
    }

    /**
     * The number of features.
     *
     * @return the length of the flattened features
     */
    public int numFeatures() {
        return features32 != null ? features32.length : features64.length;
    }

    /**
     * One feature.
     *
     * @param i its position in the flattened features
     * @return its value
     */
    public double feature(int i) {
        return features32 != null ? features32[i] : features64[i];
    }

    /**
     * The target: one value (the class index) for classification, else the flattened values.
     *
     * @return the target (not a copy)
     */
    public double[] target() {
        return target;
    }

    /**
     * The class index of a classification sample.
     *
     * @return the class
     */
    public int classIndex() {
        return (int) target[0];
    }

    @Override
    public String toString() {
        return "LabeledSample(" + numFeatures() + " features, target " + Arrays.toString(target) + ")";
    }
}
