package io.jgrad.spark;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named tensors as plain Java arrays, the form in which weights, buffers and gradients travel
 * between the driver and the executors (a {@link Tensor} itself is not serializable).
 */
final class TensorArrays implements Serializable {
    private static final long serialVersionUID = 1L;

    final String[] names;
    final int[][] shapes;
    /** Each a {@code float[]}, {@code double[]}, {@code int[]} or {@code long[]} holding the values in row-major order. */
    final Object[] data;

    private TensorArrays(String[] names, int[][] shapes, Object[] data) {
        this.names = names;
        this.shapes = shapes;
        this.data = data;
    }

    static TensorArrays of(Map<String, Tensor> tensors) {
        int n = tensors.size();
        String[] names = new String[n];
        int[][] shapes = new int[n][];
        Object[] data = new Object[n];
        int i = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            names[i] = e.getKey();
            shapes[i] = e.getValue().shape();
            data[i] = arrayOf(e.getValue());
            i++;
        }
        return new TensorArrays(names, shapes, data);
    }

    static Object arrayOf(Tensor t) {
        if (t == null) {
            return null;
        }
        switch (t.dtype()) {
            case FLOAT32:
                return t.toFloatArray();
            case FLOAT64:
                return t.toDoubleArray();
            case INT32:
                return t.toIntArray();
            case INT64:
                return t.toLongArray(); // batch-norm counters
            default:
                throw new IllegalArgumentException(
                        "SparkTrainer: tensors of type " + t.dtype() + " cannot be exchanged");
        }
    }

    static Tensor tensorOf(Object array, int[] shape) {
        Tensor t;
        if (array instanceof float[]) {
            t = Tensor.wrap((float[]) array, 1, ((float[]) array).length);
        } else if (array instanceof double[]) {
            t = Tensor.wrap((double[]) array, 1, ((double[]) array).length);
        } else if (array instanceof long[]) {
            t = Tensor.wrap((long[]) array, 1, ((long[]) array).length);
        } else {
            t = Tensor.wrap((int[]) array, 1, ((int[]) array).length);
        }
        // through a 2-D view, so that an empty shape gives a 0-dimensional tensor
        return t.reshape(shape);
    }

    Map<String, Tensor> toTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            out.put(names[i], tensorOf(data[i], shapes[i]));
        }
        return out;
    }

    /** The payload size in bytes (the values only). */
    long bytes() {
        long b = 0;
        for (Object a : data) {
            b += bytesOf(a);
        }
        return b;
    }

    static long bytesOf(Object a) {
        if (a instanceof float[]) {
            return 4L * ((float[]) a).length;
        }
        if (a instanceof double[]) {
            return 8L * ((double[]) a).length;
        }
        if (a instanceof int[]) {
            return 4L * ((int[]) a).length;
        }
        if (a instanceof long[]) {
            return 8L * ((long[]) a).length;
        }
        return 0;
    }

    static boolean isFloating(DType t) {
        return t == DType.FLOAT32 || t == DType.FLOAT64;
    }
}
