package io.jgrad.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

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
 * Reads the text fixtures written by {@code src/test/python/make_layer_fixtures.py}: one tensor per
 * line, {@code name|shape|v1,v2,...}, as FLOAT64 tensors; and compares tensors.
 */
final class Fixtures {
    private Fixtures() {}

    /** Loads a classpath resource such as {@code /torch/LAYER_linear.txt}. */
    static Map<String, Tensor> load(String resource) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("fixture not found: " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] p = line.split("\\|", -1);
                int[] shape = p[1].isEmpty()
                        ? new int[0]
                        : Arrays.stream(p[1].split(","))
                                .mapToInt(Integer::parseInt)
                                .toArray();
                double[] v = p[2].isEmpty()
                        ? new double[0]
                        : Arrays.stream(p[2].split(","))
                                .mapToDouble(Double::parseDouble)
                                .toArray();
                m.put(p[0], Tensor.of(v).reshape(shape));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    /** The entries whose names start with {@code prefix}, with the prefix removed; integer buffers as INT64. */
    static Map<String, Tensor> stateDict(Map<String, Tensor> f, String prefix) {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : f.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                String k = e.getKey().substring(prefix.length());
                sd.put(k, k.endsWith("num_batches_tracked") ? e.getValue().to(DType.INT64) : e.getValue());
            }
        }
        return sd;
    }

    /** Asserts equal shapes and {@code |a - e| <= atol + rtol |e|} element-wise. */
    static void assertClose(Tensor expected, Tensor actual, double atol, double rtol, String what) {
        assertNotNull(actual, what + ": missing");
        assertArrayEquals(
                expected.shape(),
                actual.shape(),
                what + ": shape " + Shape.format(actual.shape()) + " instead of " + Shape.format(expected.shape()));
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
