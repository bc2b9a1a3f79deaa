package io.jgrad.core.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;

/** Test helpers: fixture files from src/test/resources/io and the values they hold. */
final class Fixtures {
    private Fixtures() {}

    /** A fixture file as a path (the readers' main entry point). */
    static Path path(String name) {
        URL url = Fixtures.class.getResource("/io/" + name);
        if (url == null) {
            throw new IllegalArgumentException("missing test resource io/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/io/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource io/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The value make_io_fixtures.py stores at a multi-index: the index digits plus a half, e.g.
     * (1, 2, 3) holds 123.5. Integer fixtures hold {@code (int) value - 50}.
     */
    static double value(int... idx) {
        double v = 0;
        for (int i : idx) {
            v = v * 10 + i;
        }
        return v + 0.5;
    }

    static int intValue(int... idx) {
        return (int) value(idx) - 50;
    }

    /** Calls {@code body} with every multi-index of {@code shape} in C order (once for a 0-d shape). */
    static void forEachIndex(int[] shape, Consumer<int[]> body) {
        for (int d : shape) {
            if (d == 0) {
                return;
            }
        }
        int[] idx = new int[shape.length];
        while (true) {
            body.accept(idx.clone());
            int k = shape.length - 1;
            while (k >= 0 && ++idx[k] == shape[k]) {
                idx[k] = 0;
                k--;
            }
            if (k < 0) {
                return;
            }
        }
    }

    /** Asserts {@code t} has the dtype, the shape and, at every index, the fixture value. */
    static void assertIndexed(Tensor t, DType dtype, int... shape) {
        assertEquals(dtype, t.dtype());
        assertArrayEquals(shape, t.shape());
        forEachIndex(shape, idx -> {
            double expected = dtype.isInteger() ? intValue(idx) : value(idx);
            assertEquals(expected, t.getDouble(idx), 0.0, () -> "at " + Arrays.toString(idx));
        });
    }

    /** Asserts identical dtype, shape and element bits (so -0.0 and NaN payloads count), index by index. */
    static void assertSameTensor(Tensor expected, Tensor actual) {
        assertEquals(expected.dtype(), actual.dtype());
        assertArrayEquals(expected.shape(), actual.shape());
        if (expected.dtype().isStorageOnly()) {
            assertArrayEquals(expected.clone().halfData(), actual.clone().halfData(), "16-bit patterns");
            return;
        }
        forEachIndex(expected.shape(), idx -> {
            String where = "at " + Arrays.toString(idx);
            switch (expected.dtype()) {
                case FLOAT32:
                    assertEquals(
                            Float.floatToRawIntBits(expected.getFloat(idx)),
                            Float.floatToRawIntBits(actual.getFloat(idx)),
                            where);
                    break;
                case FLOAT64:
                    assertEquals(
                            Double.doubleToRawLongBits(expected.getDouble(idx)),
                            Double.doubleToRawLongBits(actual.getDouble(idx)),
                            where);
                    break;
                default:
                    assertEquals(expected.getLong(idx), actual.getLong(idx), where);
            }
        });
    }
}
