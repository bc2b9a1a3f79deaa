package io.jgrad.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FixturesTest {
    @Test
    void readsShapesValuesAndPythonsSpecialNumbers() {
        Map<String, Tensor> f = Fixtures.load("/fixtures/sample.txt");
        assertEquals(
                List.of("x", "s", "special", "empty", "p.bn.num_batches_tracked", "p.bn.weight"),
                List.copyOf(f.keySet()));
        Tensor x = Fixtures.get(f, "x");
        assertEquals(DType.FLOAT64, x.dtype());
        assertArrayEquals(new int[] {2, 3}, x.shape());
        assertArrayEquals(new double[] {1.0, 2.5, -3, 0.125, 1e-3, 4}, x.toDoubleArray());
        Tensor s = Fixtures.get(f, "s");
        assertArrayEquals(new int[0], s.shape());
        assertEquals(7.5, s.item());
        double[] special = Fixtures.get(f, "special").toDoubleArray();
        assertEquals(Double.POSITIVE_INFINITY, special[0]);
        assertEquals(Double.NEGATIVE_INFINITY, special[1]);
        assertTrue(Double.isNaN(special[2]));
        assertArrayEquals(new int[] {0}, Fixtures.get(f, "empty").shape());
    }

    @Test
    void stateDictStripsThePrefixAndKeepsCountersAsIntegers() {
        Map<String, Tensor> sd = Fixtures.stateDict(Fixtures.load("/fixtures/sample.txt"), "p.");
        assertEquals(List.of("bn.num_batches_tracked", "bn.weight"), List.copyOf(sd.keySet()));
        assertEquals(DType.INT64, sd.get("bn.num_batches_tracked").dtype());
        assertEquals(3, sd.get("bn.num_batches_tracked").toLongArray()[0]);
        assertEquals(DType.FLOAT64, sd.get("bn.weight").dtype());
    }

    @Test
    void badFilesAndNamesGetClearErrors() {
        String m = assertThrows(IllegalArgumentException.class, () -> Fixtures.load("/fixtures/none.txt"))
                .getMessage();
        assertTrue(m.contains("fixture not found: /fixtures/none.txt"), m);
        m = assertThrows(IllegalStateException.class, () -> Fixtures.load("/fixtures/bad_count.txt"))
                .getMessage();
        assertTrue(m.contains("/fixtures/bad_count.txt:1: x has 1 values for shape (2,)"), m);
        m = assertThrows(IllegalStateException.class, () -> Fixtures.load("/fixtures/bad_fields.txt"))
                .getMessage();
        assertTrue(m.contains("/fixtures/bad_fields.txt:1: expected name|shape|values, got 2 fields"), m);
        Map<String, Tensor> f = Fixtures.load("/fixtures/sample.txt");
        m = assertThrows(IllegalArgumentException.class, () -> Fixtures.get(f, "y"))
                .getMessage();
        assertTrue(m.contains("fixture has no entry 'y'"), m);
    }

    @Test
    void assertCloseUsesAbsoluteAndRelativeTolerancesAndNamesTheElement() {
        Tensor e = Tensor.of(new double[] {1, 100, -2}, 3);
        Fixtures.assertClose(e, Tensor.of(new double[] {1 + 1e-9, 100 + 1e-6, -2}, 3), 1e-8, 1e-8, "t");
        String m = assertThrows(
                        AssertionError.class,
                        () -> Fixtures.assertClose(e, Tensor.of(new double[] {1, 100.01, -2}, 3), 1e-8, 1e-8, "t"))
                .getMessage();
        assertTrue(m.startsWith("t: element 1 is 100.010000000, expected 100.000000000"), m);
        m = assertThrows(
                        AssertionError.class,
                        () -> Fixtures.assertClose(e, Tensor.of(new double[] {1, 100, -2}, 1, 3), 1, 1, "t"))
                .getMessage();
        assertEquals("t: shape (1, 3) instead of (3,)", m);
        m = assertThrows(AssertionError.class, () -> Fixtures.assertClose(e, null, 1, 1, "t"))
                .getMessage();
        assertEquals("t: missing", m);
        Tensor nan = Tensor.of(new double[] {Double.NaN}, 1);
        assertThrows(AssertionError.class, () -> Fixtures.assertClose(nan, nan, 1, 1, "nan"));
    }
}
