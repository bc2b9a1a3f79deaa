package io.jgrad.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads {@code torch_core_reference.txt}: values computed by PyTorch 1.13 and Python's math module,
 * written by {@code core/src/test/python/make_core_fixtures.py}. One case per line, tab-separated,
 * the first field names the kind of case; numbers are in {@code float.hex()} form.
 */
final class TorchReference {
    private TorchReference() {}

    /** The fields of every line whose first field is {@code kind} (without the kind). */
    static List<String[]> cases(String kind) {
        List<String[]> out = new ArrayList<>();
        try (InputStream in = TorchReference.class.getResourceAsStream("torch_core_reference.txt")) {
            if (in == null) {
                throw new IllegalStateException("missing test resource torch_core_reference.txt");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("#") || line.isEmpty()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f[0].equals(kind)) {
                    out.add(Arrays.copyOfRange(f, 1, f.length));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no '" + kind + "' cases in torch_core_reference.txt");
        }
        return out;
    }

    /** Parses Python's {@code float.hex()} output, including nan and infinities. */
    static double number(String s) {
        switch (s) {
            case "nan":
                return Double.NaN;
            case "inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                return Double.parseDouble(s);
        }
    }

    /** A comma-separated list of numbers; "-" is the empty list. */
    static double[] numbers(String s) {
        if (s.equals("-")) {
            return new double[0];
        }
        return Arrays.stream(s.split(",")).mapToDouble(TorchReference::number).toArray();
    }

    /** A shape written as "2,3"; "-" is the 0-d shape. */
    static int[] shape(String s) {
        if (s.equals("-")) {
            return new int[0];
        }
        return Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    static DType dtype(String s) {
        switch (s) {
            case "float32":
                return DType.FLOAT32;
            case "float64":
                return DType.FLOAT64;
            case "int32":
                return DType.INT32;
            default:
                throw new IllegalArgumentException("unknown dtype " + s);
        }
    }
}
