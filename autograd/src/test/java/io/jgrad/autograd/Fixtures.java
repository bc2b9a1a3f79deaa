package io.jgrad.autograd;

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
 * Reads the text fixtures written by the PyTorch generator scripts: one tensor per line,
 * {@code name|shape|v1,v2,...}, as FLOAT64 tensors.
 */
public final class Fixtures {
    private Fixtures() {}

    /** Loads a classpath resource such as {@code /torch/chain.txt}. */
    public static Map<String, Tensor> load(String resource) {
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
}
