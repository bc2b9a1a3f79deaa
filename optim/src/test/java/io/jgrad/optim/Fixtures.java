package io.jgrad.optim;

import io.jgrad.core.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the text fixtures written by {@code src/test/python/make_fixtures.py}: one tensor per line,
 * {@code name|shape|v1,v2,...}, as FLOAT64 tensors.
 */
final class Fixtures {
    private Fixtures() {}

    /** Loads a classpath resource such as {@code /torch/optimizers.txt}. */
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
                                .mapToDouble(Fixtures::parse)
                                .toArray();
                m.put(p[0], Tensor.of(v, v.length).reshape(shape));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    private static double parse(String s) {
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

    /** The tensor {@code name}; fails when the fixture lacks it. */
    static Tensor get(Map<String, Tensor> m, String name) {
        Tensor t = m.get(name);
        if (t == null) {
            throw new IllegalArgumentException("fixture has no entry '" + name + "'");
        }
        return t;
    }
}
