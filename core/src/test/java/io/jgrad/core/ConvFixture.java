package io.jgrad.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads one case written by {@code src/test/resources/conv/generate_fixtures.py}: lines
 * {@code name|shape|values}, parameters as {@code param:name||values}, comments starting with '#'.
 */
final class ConvFixture {
    private final String name;
    private final Map<String, int[]> params = new HashMap<>();
    private final Map<String, int[]> shapes = new HashMap<>();
    private final Map<String, double[]> values = new HashMap<>();

    private ConvFixture(String name) {
        this.name = name;
    }

    static ConvFixture load(String name) {
        ConvFixture f = new ConvFixture(name);
        String path = "/conv/" + name + ".txt";
        try (InputStream in = ConvFixture.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\|", -1);
                if (parts.length != 3) {
                    throw new IllegalStateException(
                            path + ": bad line " + line.substring(0, Math.min(40, line.length())));
                }
                String[] vs = parts[2].trim().split(" ");
                if (parts[0].startsWith("param:")) {
                    int[] p = new int[vs.length];
                    for (int k = 0; k < vs.length; k++) {
                        p[k] = Integer.parseInt(vs[k]);
                    }
                    f.params.put(parts[0].substring(6), p);
                    continue;
                }
                String[] ss = parts[1].split(",");
                int[] shape = new int[ss.length];
                for (int k = 0; k < ss.length; k++) {
                    shape[k] = Integer.parseInt(ss[k]);
                }
                double[] v = new double[vs.length];
                for (int k = 0; k < vs.length; k++) {
                    v[k] = Double.parseDouble(vs[k]);
                }
                if (v.length != Shape.numel(shape)) {
                    throw new IllegalStateException(
                            path + ": " + parts[0] + " has " + v.length + " values for shape " + Shape.format(shape));
                }
                f.shapes.put(parts[0], shape);
                f.values.put(parts[0], v);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return f;
    }

    String name() {
        return name;
    }

    boolean has(String tensor) {
        return values.containsKey(tensor);
    }

    int[] param(String p) {
        int[] v = params.get(p);
        if (v == null) {
            throw new IllegalStateException(name + ": no parameter " + p);
        }
        return v.clone();
    }

    int intParam(String p) {
        return param(p)[0];
    }

    boolean flag(String p) {
        return intParam(p) != 0;
    }

    int[] shape(String tensor) {
        return get(shapes, tensor).clone();
    }

    double[] values(String tensor) {
        return get(values, tensor).clone();
    }

    /** The tensor in FLOAT64 (or INT32 when {@code dtype} says so). */
    Tensor tensor(String tensor, DType dtype) {
        double[] v = values(tensor);
        int[] s = shape(tensor);
        if (dtype == DType.INT32) {
            int[] iv = new int[v.length];
            for (int k = 0; k < v.length; k++) {
                iv[k] = (int) v[k];
            }
            return Tensor.of(iv, s);
        }
        return Tensor.of(v, s).to(dtype);
    }

    private <T> T get(Map<String, T> m, String key) {
        T v = m.get(key);
        if (v == null) {
            throw new IllegalStateException(name + ": no tensor " + key);
        }
        return v;
    }
}
