package io.jgrad.testing;

import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the text fixtures that the PyTorch scripts of the library modules write (the
 * {@code src/test/python/make_*_fixtures.py} scripts and their {@code write} helpers), and compares
 * tensors with tolerances.
 *
 * <p>A fixture file holds one tensor per line, {@code name|shape|v1,v2,...}: the shape as comma-separated
 * sizes (empty for a 0-d tensor), the values in C order as Python prints floats ({@code inf}, {@code -inf}
 * and {@code nan} included). Blank lines are skipped. Every tensor is read as FLOAT64; callers convert
 * where they need another type ({@link #stateDict} does so for integer buffers).
 *
 * <p>Each module keeps its own fixture files under {@code src/test/resources}; they are found on the
 * test class path by their absolute resource name, e.g. {@code /torch/LAYER_linear.txt}.
 */
public final class Fixtures {
    private Fixtures() {}

    /**
     * Loads a fixture file from the class path.
     *
     * @param resource an absolute resource name such as {@code /torch/LAYER_linear.txt}
     * @return the tensors by name, in the file's order
     * @throws IllegalArgumentException when the resource does not exist
     * @throws IllegalStateException when a line is malformed (its line number is named)
     */
    public static Map<String, Tensor> load(String resource) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("fixture not found: " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int lineNo = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String where = resource + ":" + lineNo;
                String[] p = line.split("\\|", -1);
                if (p.length != 3) {
                    throw new IllegalStateException(
                            where + ": expected name|shape|values, got " + p.length + " fields");
                }
                int[] shape = p[1].isEmpty()
                        ? new int[0]
                        : Arrays.stream(p[1].split(","))
                                .mapToInt(Integer::parseInt)
                                .toArray();
                double[] v = p[2].isEmpty()
                        ? new double[0]
                        : Arrays.stream(p[2].split(","))
                                .mapToDouble(Fixtures::number)
                                .toArray();
                if (v.length != Shape.numel(shape)) {
                    throw new IllegalStateException(
                            where + ": " + p[0] + " has " + v.length + " values for shape " + Shape.format(shape));
                }
                m.put(p[0], Tensor.of(v, v.length).reshape(shape));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    /** A number as Python's {@code str(float)} writes it: {@code inf}, {@code -inf} and {@code nan} too. */
    static double number(String s) {
        switch (s) {
            case "inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            case "nan":
                return Double.NaN;
            default:
                return Double.parseDouble(s);
        }
    }

    /**
     * The tensor {@code name} of a loaded fixture.
     *
     * @param fixture a map returned by {@link #load}
     * @param name the tensor's name
     * @return the tensor
     * @throws IllegalArgumentException when the fixture lacks it
     */
    public static Tensor get(Map<String, Tensor> fixture, String name) {
        Tensor t = fixture.get(name);
        if (t == null) {
            throw new IllegalArgumentException("fixture has no entry '" + name + "'");
        }
        return t;
    }

    /**
     * The entries whose names start with {@code prefix}, with the prefix removed: a state dict for
     * {@code Module.loadStateDict}. Buffers named {@code num_batches_tracked} become INT64, as the layers
     * keep them.
     *
     * @param fixture a map returned by {@link #load}
     * @param prefix the common prefix, e.g. {@code "p."}
     * @return the state dict, in the fixture's order
     */
    public static Map<String, Tensor> stateDict(Map<String, Tensor> fixture, String prefix) {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : fixture.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                String k = e.getKey().substring(prefix.length());
                sd.put(k, k.endsWith("num_batches_tracked") ? e.getValue().to(DType.INT64) : e.getValue());
            }
        }
        return sd;
    }

    /**
     * Asserts equal shapes and {@code |a - e| <= atol + rtol |e|} element-wise (so a NaN never passes).
     *
     * @param expected the reference tensor
     * @param actual the tensor under test
     * @param atol the absolute tolerance
     * @param rtol the tolerance relative to {@code |expected|}
     * @param what names the tensor in the failure message
     * @throws AssertionError naming the first element out of tolerance, or the shapes when they differ
     */
    public static void assertClose(Tensor expected, Tensor actual, double atol, double rtol, String what) {
        if (actual == null) {
            throw new AssertionError(what + ": missing");
        }
        if (!Arrays.equals(expected.shape(), actual.shape())) {
            throw new AssertionError(
                    what + ": shape " + Shape.format(actual.shape()) + " instead of " + Shape.format(expected.shape()));
        }
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int k = 0; k < e.length; k++) {
            if (!(Math.abs(a[k] - e[k]) <= atol + rtol * Math.abs(e[k]))) {
                throw new AssertionError(String.format(
                        Locale.ROOT,
                        "%s: element %d is %.12g, expected %.12g (atol %.1e, rtol %.1e)",
                        what,
                        k,
                        a[k],
                        e[k],
                        atol,
                        rtol));
            }
        }
    }
}
