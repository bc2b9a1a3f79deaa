package io.jgrad.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Joining, splitting, padding and indexing against naive loops over multi-indices (reading every
 * input element through {@link Tensor#getDouble}), on contiguous, transposed, step-sliced and expanded
 * inputs in all three dtypes, plus PyTorch's pad results from a committed fixture.
 */
class IndexingTest {
    private final Generator gen = new Generator(1234);

    // ------------------------------------------------------------------------------------ helpers

    private static void forEachIndex(int[] shape, Consumer<int[]> f) {
        for (int s : shape) {
            if (s == 0) {
                return;
            }
        }
        int[] idx = new int[shape.length];
        while (true) {
            f.accept(idx.clone());
            int d = shape.length - 1;
            while (d >= 0 && ++idx[d] == shape[d]) {
                idx[d] = 0;
                d--;
            }
            if (d < 0) {
                return;
            }
        }
    }

    private static int flat(int[] shape, int[] idx) {
        int p = 0;
        for (int k = 0; k < shape.length; k++) {
            p = p * shape[k] + idx[k];
        }
        return p;
    }

    private static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    private static void assertTensor(double[] expected, int[] shape, DType dtype, Tensor actual) {
        assertEquals(dtype, actual.dtype(), "dtype");
        assertArrayEquals(shape, actual.shape(), "shape");
        assertArrayEquals(expected, actual.toDoubleArray(), "values");
    }

    /** Random values of a dtype in a fresh contiguous tensor. */
    private Tensor random(DType dtype, int... shape) {
        if (dtype == DType.INT32) {
            return Tensor.randint(gen, -50, 50, shape);
        }
        if (dtype == DType.INT64 || dtype == DType.BOOL) {
            return Tensor.randint(gen, dtype == DType.BOOL ? 0 : -50, dtype == DType.BOOL ? 2 : 50, shape)
                    .to(dtype);
        }
        if (dtype.isStorageOnly()) {
            return Tensor.randn(gen, shape).to(dtype);
        }
        return Tensor.randn(gen, dtype, shape);
    }

    /**
     * Tensors of the given shape and dtype in four layouts: contiguous, a transposed view, a view sliced
     * with step 2 and a start offset, and a view expanded along dimension 0 (stride 0).
     */
    private List<Tensor> layouts(DType dtype, int... shape) {
        List<Tensor> out = new ArrayList<>();
        out.add(random(dtype, shape));
        int rank = shape.length;
        if (rank >= 2) {
            int[] rev = new int[rank];
            int[] perm = new int[rank];
            for (int k = 0; k < rank; k++) {
                rev[k] = shape[rank - 1 - k];
                perm[k] = rank - 1 - k;
            }
            out.add(random(dtype, rev).permute(perm));
        }
        if (rank >= 1) {
            int[] big = new int[rank];
            for (int k = 0; k < rank; k++) {
                big[k] = 2 * shape[k] + 1;
            }
            Tensor s = random(dtype, big);
            for (int k = 0; k < rank; k++) {
                s = s.slice(k, 1, big[k], 2);
            }
            assertArrayEquals(shape, s.shape());
            out.add(s);
            int[] one = shape.clone();
            one[0] = 1;
            out.add(random(dtype, one).expand(shape));
        }
        return out;
    }

    private static int[] withDim(int[] idx, int d, int v) {
        int[] r = idx.clone();
        r[d] = v;
        return r;
    }

    private static <T extends Throwable> void assertMessage(Class<T> type, Runnable r, String... parts) {
        T e = assertThrows(type, r::run);
        assertNotNull(e.getMessage());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    // ---------------------------------------------------------------------------------------- cat

    private static double[] catReference(int d, List<Tensor> ts, int[] outShape) {
        double[] ref = new double[numel(outShape)];
        int pos = 0;
        for (Tensor t : ts) {
            int p = pos;
            forEachIndex(t.shape(), idx -> ref[flat(outShape, withDim(idx, d, idx[d] + p))] = t.getDouble(idx));
            pos += t.shape()[d];
        }
        return ref;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void catMatchesReferenceOnAllLayouts(DType dtype) {
        int[] base = {3, 4, 5};
        for (int d = 0; d < 3; d++) {
            int[] sizes = {2, 1, 6};
            List<Tensor> ts = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                int[] s = withDim(base, d, sizes[k]);
                // a different layout for each part
                List<Tensor> l = layouts(dtype, s);
                ts.add(l.get((k + d) % l.size()));
            }
            int[] outShape = withDim(base, d, 9);
            Tensor out = Tensor.cat(ts, d);
            assertTensor(catReference(d, ts, outShape), outShape, dtype, out);
            assertTensor(catReference(d, ts, outShape), outShape, dtype, Tensor.cat(d - 3, ts.toArray(new Tensor[0])));
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void catOfContiguousBlocks(DType dtype) {
        // dim 0 (whole arrays), an inner dim with blocks above and below the arraycopy threshold
        int[][] shapes = {{4, 7}, {1, 7}, {5, 7}};
        List<Tensor> ts = new ArrayList<>();
        for (int[] s : shapes) {
            ts.add(random(dtype, s));
        }
        assertTensor(catReference(0, ts, new int[] {10, 7}), new int[] {10, 7}, dtype, Tensor.cat(ts, 0));
        for (int inner : new int[] {1, 3, 20}) {
            List<Tensor> us =
                    List.of(random(dtype, 2, 1, inner), random(dtype, 2, 5, inner), random(dtype, 2, 16, inner));
            int[] outShape = {2, 22, inner};
            assertTensor(catReference(1, us, outShape), outShape, dtype, Tensor.cat(us, 1));
        }
    }

    @Test
    void catHandlesEmptyTensors() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        // PyTorch 1.13 skips 1-D empty tensors whatever the other shapes
        Tensor r = Tensor.cat(1, Tensor.zeros(0), a, Tensor.zeros(0));
        assertTensor(a.toDoubleArray(), new int[] {2, 3}, DType.FLOAT32, r);
        assertArrayEquals(
                new int[] {0}, Tensor.cat(0, Tensor.zeros(0), Tensor.zeros(0)).shape());
        // other empty tensors take part normally
        assertTensor(a.toDoubleArray(), new int[] {2, 3}, DType.FLOAT32, Tensor.cat(1, Tensor.zeros(2, 0), a));
        assertArrayEquals(
                new int[] {0, 2},
                Tensor.cat(0, Tensor.zeros(0), Tensor.zeros(0, 2)).shape());
        assertArrayEquals(
                new int[] {3, 0},
                Tensor.cat(0, Tensor.zeros(1, 0), Tensor.zeros(2, 0)).shape());
        // the result never shares storage with an input, even for a single tensor
        Tensor one = Tensor.cat(0, a);
        assertFalse(one.sharesStorage(a));
        assertTensor(a.toDoubleArray(), new int[] {2, 3}, DType.FLOAT32, one);
    }

    @Test
    void catErrors() {
        Tensor f = Tensor.zeros(2, 3);
        assertMessage(IllegalArgumentException.class, () -> Tensor.cat(0), "cat", "non-empty");
        assertMessage(
                IllegalArgumentException.class,
                () -> Tensor.cat(0, f, Tensor.zeros(DType.INT32, 2, 3)),
                "cat",
                "float32",
                "int32");
        assertMessage(
                IllegalArgumentException.class,
                () -> Tensor.cat(1, f, Tensor.zeros(DType.FLOAT64, 2, 3)),
                "cat",
                "float32",
                "float64");
        assertMessage(
                IllegalArgumentException.class,
                () -> Tensor.cat(1, f, Tensor.zeros(3, 3)),
                "cat",
                "(2, 3)",
                "(3, 3)",
                "dimension 0");
        assertMessage(
                IllegalArgumentException.class,
                () -> Tensor.cat(1, f, Tensor.zeros(2, 3, 1)),
                "cat",
                "(2, 3)",
                "(2, 3, 1)");
        assertMessage(
                IllegalArgumentException.class,
                () -> Tensor.cat(0, Tensor.scalar(1), Tensor.scalar(2)),
                "cat",
                "zero-dimensional");
        assertMessage(IndexOutOfBoundsException.class, () -> Tensor.cat(2, f, f), "cat", "dimension 2");
    }

    // -------------------------------------------------------------------------------------- stack

    @ParameterizedTest
    @EnumSource(DType.class)
    void stackMatchesReference(DType dtype) {
        int[] shape = {3, 4};
        for (int d = -3; d < 3; d++) {
            List<Tensor> ts = layouts(dtype, shape);
            int dd = d < 0 ? d + 3 : d;
            Tensor out = Tensor.stack(ts, d);
            int[] outShape = new int[3];
            for (int k = 0, p = 0; k < 3; k++) {
                outShape[k] = k == dd ? ts.size() : shape[p++];
            }
            double[] ref = new double[numel(outShape)];
            for (int k = 0; k < ts.size(); k++) {
                Tensor t = ts.get(k);
                int kk = k;
                forEachIndex(shape, idx -> {
                    int[] o = new int[3];
                    for (int j = 0, p = 0; j < 3; j++) {
                        o[j] = j == dd ? kk : idx[p++];
                    }
                    ref[flat(outShape, o)] = t.getDouble(idx);
                });
            }
            assertTensor(ref, outShape, dtype, out);
        }
        // scalars stack into a vector
        assertTensor(
                new double[] {1, 2},
                new int[] {2},
                DType.FLOAT64,
                Tensor.stack(0, Tensor.scalar(DType.FLOAT64, 1), Tensor.scalar(DType.FLOAT64, 2)));
    }

    @Test
    void stackErrors() {
        assertMessage(IllegalArgumentException.class, () -> Tensor.stack(0), "stack", "non-empty");
        assertMessage(
                IllegalArgumentException.class,
                () -> Tensor.stack(1, Tensor.zeros(2, 2), Tensor.zeros(2, 3)),
                "stack",
                "(2, 2)",
                "(2, 3)",
                "entry 1");
        assertMessage(
                IllegalArgumentException.class,
                () -> Tensor.stack(0, Tensor.zeros(2), Tensor.zeros(DType.INT32, 2)),
                "stack",
                "float32",
                "int32");
        assertMessage(
                IndexOutOfBoundsException.class, () -> Tensor.stack(3, Tensor.zeros(2, 2)), "stack", "dimension 3");
    }

    // ------------------------------------------------------------------------------ split / chunk

    private static void assertPieces(Tensor t, int d, int[] expectedSizes, List<Tensor> pieces) {
        assertEquals(expectedSizes.length, pieces.size(), "number of pieces");
        int start = 0;
        for (int k = 0; k < pieces.size(); k++) {
            Tensor p = pieces.get(k);
            assertTrue(p.sharesStorage(t), "split returns views");
            int[] s = t.shape();
            s[d] = expectedSizes[k];
            assertArrayEquals(s, p.shape());
            int st = start;
            forEachIndex(p.shape(), idx -> assertEquals(t.getDouble(withDim(idx, d, idx[d] + st)), p.getDouble(idx)));
            start += expectedSizes[k];
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void splitAndChunkAreViews(DType dtype) {
        for (Tensor t : layouts(dtype, 5, 6)) {
            assertPieces(t, 0, new int[] {2, 2, 1}, t.split(2, 0));
            assertPieces(t, 1, new int[] {4, 2}, t.split(4, -1));
            assertPieces(t, 1, new int[] {6}, t.split(6, 1));
            assertPieces(t, 1, new int[] {6}, t.split(10, 1));
            assertPieces(t, 1, new int[] {1, 0, 5}, t.split(new int[] {1, 0, 5}, 1));
            // torch.chunk: pieces of ceil(n / chunks), so fewer pieces than asked when they run out
            assertPieces(t, 0, new int[] {2, 2, 1}, t.chunk(3, 0));
            assertPieces(t, 1, new int[] {2, 2, 2}, t.chunk(4, 1));
            assertPieces(t, 1, new int[] {1, 1, 1, 1, 1, 1}, t.chunk(8, 1));
            assertPieces(t, 0, new int[] {5}, t.chunk(1, 0));
        }
        Tensor e = Tensor.zeros(dtype, 0, 3);
        assertPieces(e, 0, new int[] {0}, e.split(2, 0));
        assertPieces(e, 0, new int[] {0}, e.split(0, 0));
        assertPieces(e, 0, new int[] {0, 0, 0}, e.chunk(3, 0));
    }

    @Test
    void splitErrors() {
        Tensor t = Tensor.zeros(5, 2);
        assertMessage(IllegalArgumentException.class, () -> t.split(-1, 0), "split", "-1");
        assertMessage(IllegalArgumentException.class, () -> t.split(0, 0), "split", "size 5");
        assertMessage(
                IllegalArgumentException.class, () -> t.split(new int[] {2, 2}, 0), "split", "[2, 2]", "4", "size 5");
        assertMessage(IllegalArgumentException.class, () -> t.split(new int[] {6, -1}, 0), "split", "[6, -1]");
        assertMessage(IllegalArgumentException.class, () -> Tensor.scalar(1).split(1, 0), "split", "1-dimensional");
        assertMessage(IllegalArgumentException.class, () -> t.chunk(0, 0), "chunk", "0");
        assertMessage(IllegalArgumentException.class, () -> Tensor.scalar(1).chunk(2, 0), "chunk", "1-dimensional");
        assertMessage(IndexOutOfBoundsException.class, () -> t.split(1, 2), "split", "dimension 2");
    }

    // ---------------------------------------------------------------------------------------- pad

    /** Naive pad: each output position maps back to an input position, or to {@code value}. */
    private static double[] padReference(Tensor t, int[] pads, Tensor.PadMode mode, double value, int[] outShape) {
        int[] shape = t.shape();
        int rank = shape.length;
        double[] ref = new double[numel(outShape)];
        forEachIndex(outShape, o -> {
            int[] i = o.clone();
            boolean inside = true;
            for (int p = 0; p < pads.length / 2; p++) {
                int d = rank - 1 - p;
                int n = shape[d];
                int x = o[d] - pads[2 * p];
                if (x < 0 || x >= n) {
                    switch (mode) {
                        case CONSTANT:
                            inside = false;
                            break;
                        case REFLECT:
                            // mirror around the edge element, which is not repeated
                            x = x < 0 ? -x : 2 * (n - 1) - x;
                            break;
                        default:
                            x = x < 0 ? 0 : n - 1;
                    }
                }
                i[d] = x;
            }
            ref[flat(outShape, o)] = inside ? t.getDouble(i) : value;
        });
        return ref;
    }

    private static int[] padShape(int[] shape, int[] pads) {
        int[] s = shape.clone();
        for (int p = 0; p < pads.length / 2; p++) {
            s[s.length - 1 - p] += pads[2 * p] + pads[2 * p + 1];
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void padMatchesReference(DType dtype) {
        int[] shape = {2, 3, 4, 5};
        int[][] padsList = {
            {}, {1, 2}, {0, 4}, {3, 0, 2, 1}, {1, 1, 2, 0, 1, 2}, {2, 1, 1, 0, 0, 1, 1, 1}, {-1, 2}, {2, -3, -1, 1}
        };
        for (Tensor t : layouts(dtype, shape)) {
            for (int[] pads : padsList) {
                int[] outShape = padShape(shape, pads);
                assertTensor(padReference(t, pads, Tensor.PadMode.CONSTANT, 0, outShape), outShape, dtype, t.pad(pads));
                double value = dtype.isInteger() ? 7 : dtype == DType.BOOL ? 1 : 2.5;
                assertTensor(
                        padReference(t, pads, Tensor.PadMode.CONSTANT, value, outShape),
                        outShape,
                        dtype,
                        t.pad(pads, Tensor.PadMode.CONSTANT, value));
                assertTensor(
                        padReference(t, pads, Tensor.PadMode.REPLICATE, 0, outShape),
                        outShape,
                        dtype,
                        t.pad(pads, Tensor.PadMode.REPLICATE, 0));
                assertTensor(
                        padReference(t, pads, Tensor.PadMode.REFLECT, 0, outShape),
                        outShape,
                        dtype,
                        t.pad(pads, Tensor.PadMode.REFLECT, 0));
            }
            // replicate may pad by more than the size
            int[] wide = {7, 9};
            assertTensor(
                    padReference(t, wide, Tensor.PadMode.REPLICATE, 0, padShape(shape, wide)),
                    padShape(shape, wide),
                    dtype,
                    t.pad(wide, Tensor.PadMode.REPLICATE, 0));
            // constant cropping down to nothing, and cropping past the input into padding
            int[] crop = {-3, -2};
            assertArrayEquals(new int[] {2, 3, 4, 0}, t.pad(crop).shape());
            int[] past = {-7, 4};
            assertTensor(
                    padReference(t, past, Tensor.PadMode.CONSTANT, 1, padShape(shape, past)),
                    padShape(shape, past),
                    dtype,
                    t.pad(past, Tensor.PadMode.CONSTANT, 1));
        }
        Tensor v = Tensor.of(new float[] {1, 2, 3});
        // the Javadoc example of REFLECT
        assertArrayEquals(
                new float[] {3, 2, 1, 2, 3, 2, 1},
                v.pad(new int[] {2, 2}, Tensor.PadMode.REFLECT, 0).toFloatArray());
        assertArrayEquals(
                new float[] {1, 1, 1, 2, 3, 3},
                v.pad(new int[] {2, 1}, Tensor.PadMode.REPLICATE, 0).toFloatArray());
    }

    @Test
    void padMatchesPyTorchFixture() throws IOException {
        int cases = 0;
        try (InputStream in = getClass().getResourceAsStream("pad_fixtures.txt")) {
            assertNotNull(in, "pad_fixtures.txt is on the test class path");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\|");
                Tensor.PadMode mode = Tensor.PadMode.valueOf(f[0].toUpperCase(java.util.Locale.ROOT));
                double value = Double.parseDouble(f[1]);
                int[] shape = ints(f[2]);
                int[] pads = ints(f[3]);
                int[] outShape = ints(f[4]);
                double[] expected = Arrays.stream(f[5].trim().split(" "))
                        .mapToDouble(Double::parseDouble)
                        .toArray();
                Tensor x = Tensor.arange(DType.FLOAT64, 0, numel(shape), 1).reshape(shape);
                assertTensor(expected, outShape, DType.FLOAT64, x.pad(pads, mode, value));
                // the same through a transposed layout
                Tensor xt = x.transpose(0, -1).contiguous().transpose(0, -1);
                assertTensor(expected, outShape, DType.FLOAT64, xt.pad(pads, mode, value));
                cases++;
            }
        }
        assertEquals(15, cases);
    }

    private static int[] ints(String s) {
        return Arrays.stream(s.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void padErrors() {
        Tensor t = Tensor.zeros(2, 3);
        assertMessage(IllegalArgumentException.class, () -> t.pad(1, 2, 3), "pad", "[1, 2, 3]");
        assertMessage(IllegalArgumentException.class, () -> t.pad(1, 1, 1, 1, 1, 1), "pad", "(2, 3)", "2");
        assertMessage(IllegalArgumentException.class, () -> t.pad(-2, -2), "pad", "(-2, -2)", "-1");
        assertMessage(
                IllegalArgumentException.class,
                () -> t.pad(new int[] {3, 0}, Tensor.PadMode.REFLECT, 0),
                "pad",
                "reflect",
                "(3, 0)",
                "size 3",
                "dimension 1");
        assertMessage(
                IllegalArgumentException.class,
                () -> t.pad(new int[] {0, 0, 0, 2}, Tensor.PadMode.REFLECT, 0),
                "pad",
                "reflect",
                "(0, 2)",
                "size 2",
                "dimension 0");
        assertMessage(
                IllegalArgumentException.class,
                () -> Tensor.zeros(2, 0).pad(new int[] {1, 0}, Tensor.PadMode.REPLICATE, 0),
                "pad",
                "replicate",
                "size 0");
        // zero padding of an empty dimension is fine in every mode
        assertArrayEquals(
                new int[] {4, 0},
                Tensor.zeros(2, 0)
                        .pad(new int[] {0, 0, 1, 1}, Tensor.PadMode.REFLECT, 0)
                        .shape());
    }

    // ------------------------------------------------------------------------------- indexSelect

    private static double[] indexSelectReference(Tensor t, int d, int[] idx, int[] outShape) {
        double[] ref = new double[numel(outShape)];
        forEachIndex(outShape, o -> ref[flat(outShape, o)] = t.getDouble(withDim(o, d, idx[o[d]])));
        return ref;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void indexSelectMatchesReference(DType dtype) {
        int[] shape = {4, 3, 20};
        int[][] sels = {{3, 0, 3, 1, 2, 2, 0}, {2, 0, 2, 1, 0}, {19, 0, 5, 5, 11}};
        for (Tensor t : layouts(dtype, shape)) {
            for (int d = 0; d < 3; d++) {
                int[] sel = sels[d];
                int[] outShape = withDim(shape, d, sel.length);
                Tensor index = Tensor.of(sel);
                assertTensor(indexSelectReference(t, d, sel, outShape), outShape, dtype, t.indexSelect(d, index));
                assertTensor(indexSelectReference(t, d, sel, outShape), outShape, dtype, t.indexSelect(d - 3, index));
                // a strided index
                Tensor strided = Tensor.of(interleave(sel)).slice(0, 0, 2 * sel.length, 2);
                assertTensor(indexSelectReference(t, d, sel, outShape), outShape, dtype, t.indexSelect(d, strided));
            }
            // a 0-D index keeps the dimension with size 1; an empty index gives an empty dimension
            assertTensor(
                    indexSelectReference(t, 1, new int[] {2}, new int[] {4, 1, 20}),
                    new int[] {4, 1, 20},
                    dtype,
                    t.indexSelect(1, Tensor.scalar(DType.INT32, 2)));
            assertArrayEquals(
                    new int[] {0, 3, 20},
                    t.indexSelect(0, Tensor.zeros(DType.INT32, 0)).shape());
        }
    }

    private static int[] interleave(int[] a) {
        int[] r = new int[2 * a.length];
        for (int k = 0; k < a.length; k++) {
            r[2 * k] = a[k];
            r[2 * k + 1] = -99;
        }
        return r;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void indexSelectRowsOfContiguousMatrix(DType dtype) {
        // the embedding-lookup path: whole rows of a contiguous matrix, short and long rows
        for (int cols : new int[] {1, 15, 16, 33}) {
            Tensor t = random(dtype, 50, cols);
            int[] sel = Tensor.randint(gen, 0, 50, 64).toIntArray();
            int[] outShape = {64, cols};
            assertTensor(indexSelectReference(t, 0, sel, outShape), outShape, dtype, t.indexSelect(0, Tensor.of(sel)));
            // a contiguous view with an offset
            Tensor v = t.narrow(0, 10, 40);
            int[] sel2 = Tensor.randint(gen, 0, 40, 9).toIntArray();
            assertTensor(
                    indexSelectReference(v, 0, sel2, new int[] {9, cols}),
                    new int[] {9, cols},
                    dtype,
                    v.indexSelect(0, Tensor.of(sel2)));
        }
    }

    @Test
    void indexSelectOfScalar() {
        Tensor s = Tensor.scalar(DType.FLOAT64, 5);
        assertTensor(new double[] {5}, new int[0], DType.FLOAT64, s.indexSelect(0, Tensor.of(new int[] {0})));
        assertTensor(new double[] {5}, new int[0], DType.FLOAT64, s.indexSelect(0, Tensor.scalar(DType.INT32, 0)));
        assertMessage(
                IndexOutOfBoundsException.class,
                () -> s.indexSelect(0, Tensor.of(new int[] {1})),
                "indexSelect",
                "index 1");
    }

    @Test
    void indexSelectErrors() {
        Tensor t = Tensor.zeros(2, 3);
        assertMessage(
                IndexOutOfBoundsException.class,
                () -> t.indexSelect(1, Tensor.of(new int[] {0, 3})),
                "indexSelect",
                "index 3",
                "dimension 1",
                "size 3");
        assertMessage(
                IndexOutOfBoundsException.class,
                () -> t.indexSelect(1, Tensor.of(new int[] {-1})),
                "indexSelect",
                "index -1",
                "dimension 1",
                "size 3");
        assertMessage(
                IndexOutOfBoundsException.class,
                () -> t.indexSelect(0, Tensor.of(new int[] {2})),
                "indexSelect",
                "index 2",
                "dimension 0",
                "size 2");
        assertMessage(
                IllegalArgumentException.class,
                () -> t.indexSelect(1, Tensor.of(new float[] {1})),
                "indexSelect",
                "int32",
                "float32");
        assertMessage(
                IllegalArgumentException.class,
                () -> t.indexSelect(1, Tensor.of(new int[] {0}, 1, 1)),
                "indexSelect",
                "(1, 1)");
        // the fast path checks too
        Tensor wide = Tensor.zeros(4, 32);
        assertMessage(
                IndexOutOfBoundsException.class,
                () -> wide.indexSelect(0, Tensor.of(new int[] {1, 4})),
                "indexSelect",
                "index 4",
                "dimension 0",
                "size 4");
    }

    // ---------------------------------------------------------------------------------- gather

    /** Random in-range indices of the given shape for positions along a dimension of size n. */
    private List<Tensor> indexLayouts(int n, int... shape) {
        List<Tensor> out = new ArrayList<>();
        out.add(Tensor.randint(gen, 0, n, shape));
        int rank = shape.length;
        if (rank >= 2) {
            out.add(Tensor.randint(gen, 0, n, shape[1], shape[0]).t());
        }
        if (rank >= 1) {
            int[] one = shape.clone();
            one[rank - 1] = 1;
            out.add(Tensor.randint(gen, 0, n, one).expand(shape));
            int[] big = shape.clone();
            big[0] = 2 * shape[0];
            out.add(Tensor.randint(gen, 0, n, big).slice(0, 1, big[0], 2));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gatherMatchesReference(DType dtype) {
        int[] shape = {4, 5};
        for (Tensor t : layouts(dtype, shape)) {
            for (int d = 0; d < 2; d++) {
                // index sizes may be smaller than the input's outside d and anything along d
                int[] ishape = d == 0 ? new int[] {6, 3} : new int[] {3, 7};
                for (Tensor index : indexLayouts(shape[d], ishape)) {
                    double[] ref = new double[numel(ishape)];
                    int dd = d;
                    forEachIndex(ishape, o -> ref[flat(ishape, o)] = t.getDouble(withDim(o, dd, index.getInt(o))));
                    assertTensor(ref, ishape, dtype, t.gather(d, index));
                    assertTensor(ref, ishape, dtype, t.gather(d - 2, index));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gatherAlongLastDimOfThreeDims(DType dtype) {
        // the cross-entropy pattern: one entry per row of the last dimension
        int[] shape = {3, 4, 17};
        for (Tensor t : layouts(dtype, shape)) {
            Tensor index = Tensor.randint(gen, 0, 17, 3, 4, 1);
            double[] ref = new double[12];
            forEachIndex(new int[] {3, 4, 1}, o -> ref[o[0] * 4 + o[1]] = t.getDouble(o[0], o[1], index.getInt(o)));
            assertTensor(ref, new int[] {3, 4, 1}, dtype, t.gather(-1, index));
        }
    }

    @Test
    void gatherEdgeCases() {
        Tensor s = Tensor.scalar(DType.INT32, 5);
        assertTensor(new double[] {5}, new int[0], DType.INT32, s.gather(0, Tensor.scalar(DType.INT32, 0)));
        assertTensor(new double[] {5}, new int[] {1}, DType.INT32, s.gather(0, Tensor.of(new int[] {0})));
        // an empty index gives an empty result without shape checks, as in PyTorch
        assertArrayEquals(
                new int[] {0},
                Tensor.zeros(2, 3).gather(1, Tensor.zeros(DType.INT32, 0)).shape());
    }

    @Test
    void gatherErrors() {
        Tensor t = Tensor.zeros(2, 3);
        assertMessage(
                IndexOutOfBoundsException.class,
                () -> t.gather(1, Tensor.of(new int[] {0, 3}, 1, 2)),
                "gather",
                "index 3",
                "dimension 1",
                "size 3");
        assertMessage(
                IndexOutOfBoundsException.class,
                () -> t.gather(0, Tensor.of(new int[] {0, -1}, 1, 2)),
                "gather",
                "index -1",
                "dimension 0",
                "size 2");
        assertMessage(
                IllegalArgumentException.class,
                () -> t.gather(1, Tensor.of(new int[] {0, 1})),
                "gather",
                "(2,)",
                "(2, 3)");
        assertMessage(
                IllegalArgumentException.class,
                () -> t.gather(1, Tensor.zeros(DType.INT32, 3, 1)),
                "gather",
                "(3, 1)",
                "(2, 3)",
                "dimension 0");
        assertMessage(
                IllegalArgumentException.class, () -> t.gather(1, Tensor.zeros(2, 1)), "gather", "int32", "float32");
    }

    // ------------------------------------------------------------------------------ scatterAdd

    /** Naive scatter-add into a copy of target, in the index's row-major order. */
    private static double[] scatterAddReference(Tensor target, int d, Tensor index, Tensor src) {
        Tensor ref = target.clone();
        forEachIndex(index.shape(), o -> {
            int[] at = withDim(o, d, index.getInt(o));
            ref.set(ref.getDouble(at) + src.getDouble(o), at);
        });
        return ref.toDoubleArray();
    }

    @ParameterizedTest
    @EnumSource(
            value = DType.class,
            names = {"FLOAT32", "FLOAT64", "INT32", "INT64"})
    void scatterAddMatchesReference(DType dtype) {
        int[] shape = {4, 5};
        for (int d = 0; d < 2; d++) {
            int[] ishape = d == 0 ? new int[] {7, 3} : new int[] {3, 9};
            int[] sshape = d == 0 ? new int[] {8, 4} : new int[] {3, 9};
            List<Tensor> targets = layouts(dtype, shape);
            List<Tensor> srcs = layouts(dtype, sshape);
            List<Tensor> indices = indexLayouts(shape[d], ishape);
            for (int k = 0; k < targets.size(); k++) {
                Tensor target = targets.get(k);
                Tensor src = srcs.get((k + 1) % srcs.size());
                Tensor index = indices.get(k % indices.size());
                double[] ref = scatterAddReference(target, d, index, src);
                double[] before = target.toDoubleArray();
                assertTensor(ref, shape, dtype, target.scatterAdd(d, index, src));
                assertArrayEquals(before, target.toDoubleArray(), "scatterAdd leaves its input alone");
                assertTensor(ref, shape, dtype, target.scatterAdd(d - 2, index, src));
            }
            // in place, into a transposed view (not an expanded one: its elements share memory)
            Tensor target = layouts(dtype, shape).get(1);
            Tensor index = indices.get(0);
            Tensor src = srcs.get(2);
            double[] ref = scatterAddReference(target, d, index, src);
            int version = target.version();
            assertTensor(ref, shape, dtype, target.scatterAdd_(d, index, src));
            assertTensor(ref, shape, dtype, target);
            assertTrue(target.version() > version, "scatterAdd_ bumps the version");
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = DType.class,
            names = {"FLOAT32", "FLOAT64", "INT32", "INT64"})
    void scatterAddOfEmbeddingRows(DType dtype) {
        // the embedding-gradient pattern: rows of src added into rows of the target chosen by an
        // (N, 1) index expanded to (N, D), with repeated rows
        for (int dim : new int[] {1, 7, 16, 37}) {
            Tensor weight = random(dtype, 10, dim);
            Tensor rows = Tensor.randint(gen, 0, 10, 25, 1);
            Tensor index = rows.expand(25, dim);
            Tensor grad = random(dtype, 25, dim);
            double[] ref = scatterAddReference(weight, 0, index, grad);
            assertTensor(ref, new int[] {10, dim}, dtype, weight.scatterAdd(0, index, grad));
            // same through a materialized index and a transposed source
            Tensor gradT = grad.t().contiguous().t();
            assertTensor(ref, new int[] {10, dim}, dtype, weight.scatterAdd(0, index.contiguous(), gradT));
            weight.scatterAdd_(0, index, grad);
            assertTensor(ref, new int[] {10, dim}, dtype, weight);
        }
    }

    @Test
    void scatterAddEdgeCases() {
        Tensor s = Tensor.scalar(5);
        assertTensor(
                new double[] {7},
                new int[0],
                DType.FLOAT32,
                s.scatterAdd(0, Tensor.scalar(DType.INT32, 0), Tensor.scalar(2)));
        Tensor z = Tensor.zeros(2, 3);
        // an empty index adds nothing, without shape checks
        assertTensor(
                new double[6],
                new int[] {2, 3},
                DType.FLOAT32,
                z.scatterAdd(1, Tensor.zeros(DType.INT32, 0), Tensor.ones(2, 3)));
        // a source that is the target itself is read before it is written
        Tensor x = Tensor.of(new double[] {1, 2, 3});
        Tensor idx = Tensor.of(new int[] {1, 2, 0});
        double[] ref = scatterAddReference(x, 0, idx, x.clone());
        x.scatterAdd_(0, idx, x);
        assertTensor(ref, new int[] {3}, DType.FLOAT64, x);
    }

    @Test
    void scatterAddErrors() {
        Tensor t = Tensor.zeros(2, 3);
        Tensor src = Tensor.ones(2, 3);
        assertMessage(
                IndexOutOfBoundsException.class,
                () -> t.scatterAdd(1, Tensor.of(new int[] {0, 3}, 1, 2), src),
                "scatterAdd",
                "index 3",
                "dimension 1",
                "size 3");
        assertMessage(
                IndexOutOfBoundsException.class,
                () -> t.scatterAdd(0, Tensor.of(new int[] {0, -1}, 1, 2), src),
                "scatterAdd",
                "index -1",
                "dimension 0",
                "size 2");
        // a bad index leaves an in-place target untouched
        Tensor u = Tensor.zeros(2, 3);
        assertThrows(
                IndexOutOfBoundsException.class,
                () -> u.scatterAdd_(1, Tensor.of(new int[] {0, 1, 2, 5}, 1, 4), Tensor.ones(1, 4)));
        assertArrayEquals(new double[6], u.toDoubleArray());
        assertMessage(
                IllegalArgumentException.class,
                () -> t.scatterAdd(1, Tensor.zeros(DType.INT32, 1, 2), Tensor.ones(1, 1)),
                "scatterAdd",
                "(1, 2)",
                "(1, 1)",
                "(2, 3)");
        assertMessage(
                IllegalArgumentException.class,
                () -> t.scatterAdd(1, Tensor.zeros(DType.INT32, 3, 1), Tensor.ones(3, 1)),
                "scatterAdd",
                "(3, 1)",
                "(2, 3)",
                "dimension 0");
        assertMessage(
                IllegalArgumentException.class,
                () -> t.scatterAdd(1, Tensor.zeros(DType.INT32, 2), src),
                "scatterAdd",
                "(2, 3)",
                "(2,)");
        assertMessage(
                IllegalArgumentException.class,
                () -> t.scatterAdd(1, Tensor.zeros(DType.INT32, 1, 2), Tensor.ones(DType.FLOAT64, 2, 3)),
                "scatterAdd",
                "float32",
                "float64");
        assertMessage(
                IllegalArgumentException.class, () -> t.scatterAdd(1, Tensor.zeros(1, 2), src), "scatterAdd", "int32");
        Tensor expanded = Tensor.zeros(1, 3).expand(2, 3);
        assertMessage(
                IllegalArgumentException.class,
                () -> expanded.scatterAdd_(1, Tensor.zeros(DType.INT32, 1, 2), src),
                "scatterAdd",
                "(2, 3)",
                "(0, 1)");
    }

    // ---------------------------------------------------------------------------------- oneHot

    @Test
    void oneHotMatchesReference() {
        int[] labels = {2, 0, 1, 2, 4, 0};
        for (Tensor t : List.of(Tensor.of(labels, 2, 3), Tensor.of(labels, 3, 2).t(), Tensor.of(labels))) {
            int[] v = t.toIntArray();
            for (int classes : new int[] {5, 7, -1}) {
                int c = classes == -1 ? 5 : classes;
                int[] outShape = Arrays.copyOf(t.shape(), t.dim() + 1);
                outShape[t.dim()] = c;
                double[] ref = new double[v.length * c];
                for (int k = 0; k < v.length; k++) {
                    ref[k * c + v[k]] = 1;
                }
                assertTensor(ref, outShape, DType.FLOAT32, t.oneHot(classes));
            }
        }
        assertTensor(
                new double[] {0, 0, 1},
                new int[] {3},
                DType.FLOAT32,
                Tensor.scalar(DType.INT32, 2).oneHot(3));
        assertArrayEquals(
                new int[] {0, 4}, Tensor.zeros(DType.INT32, 0).oneHot(4).shape());
    }

    @Test
    void oneHotErrors() {
        Tensor t = Tensor.of(new int[] {1, 5});
        assertMessage(IndexOutOfBoundsException.class, () -> t.oneHot(3), "oneHot", "5", "[0, 3)");
        assertMessage(
                IndexOutOfBoundsException.class,
                () -> Tensor.of(new int[] {1, -1}).oneHot(3),
                "oneHot",
                "-1");
        assertMessage(
                IndexOutOfBoundsException.class,
                () -> Tensor.of(new int[] {1, -1}).oneHot(-1),
                "oneHot",
                "-1");
        assertMessage(IllegalArgumentException.class, () -> t.oneHot(0), "oneHot", "numClasses", "0");
        assertMessage(IllegalArgumentException.class, () -> t.oneHot(-2), "oneHot", "numClasses", "-2");
        assertMessage(
                IllegalArgumentException.class,
                () -> Tensor.zeros(DType.INT32, 0).oneHot(-1),
                "oneHot",
                "empty");
        assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(2).oneHot(3), "oneHot", "int32", "float32");
    }

    // ------------------------------------------------------------------------------ repeat / tile

    /** out[i] = t[i mod shape] with the tensor's shape padded by leading ones to the repeats' length. */
    private static double[] repeatReference(Tensor t, int[] repeats, int[] outShape) {
        int lead = repeats.length - t.dim();
        int[] shape = t.shape();
        double[] ref = new double[numel(outShape)];
        forEachIndex(outShape, o -> {
            int[] i = new int[t.dim()];
            for (int k = 0; k < i.length; k++) {
                i[k] = o[k + lead] % shape[k];
            }
            ref[flat(outShape, o)] = t.getDouble(i);
        });
        return ref;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void repeatAndTileMatchReference(DType dtype) {
        int[] shape = {2, 3};
        int[][] repeatsList = {{1, 1}, {2, 3}, {3, 1}, {1, 4}, {2, 1, 2}, {2, 0}, {1, 2, 2, 1}};
        for (Tensor t : layouts(dtype, shape)) {
            for (int[] r : repeatsList) {
                int[] outShape = new int[r.length];
                int lead = r.length - 2;
                for (int k = 0; k < r.length; k++) {
                    outShape[k] = r[k] * (k < lead ? 1 : shape[k - lead]);
                }
                double[] ref = repeatReference(t, r, outShape);
                assertTensor(ref, outShape, dtype, t.repeat(r));
                assertTensor(ref, outShape, dtype, t.tile(r));
            }
            // tile pads short repeats with leading ones
            assertTensor(repeatReference(t, new int[] {1, 3}, new int[] {2, 9}), new int[] {2, 9}, dtype, t.tile(3));
            assertTensor(repeatReference(t, new int[] {1, 1}, new int[] {2, 3}), new int[] {2, 3}, dtype, t.tile());
        }
        double four = dtype == DType.BOOL ? 1 : 4;
        Tensor s = Tensor.scalar(dtype, four);
        assertTensor(new double[] {four, four, four}, new int[] {3}, dtype, s.repeat(3));
        assertTensor(new double[] {four}, new int[0], dtype, s.repeat());
    }

    @Test
    void repeatErrors() {
        Tensor t = Tensor.zeros(2, 3);
        assertMessage(IllegalArgumentException.class, () -> t.repeat(2), "repeat", "(2, 3)", "[2]");
        assertMessage(IllegalArgumentException.class, () -> t.repeat(2, -1), "repeat", "[2, -1]");
        assertMessage(IllegalArgumentException.class, () -> t.tile(0, -1), "tile", "[0, -1]");
    }

    // -------------------------------------------------------------------------------- flip / tril

    @ParameterizedTest
    @EnumSource(DType.class)
    void flipMatchesReference(DType dtype) {
        int[] shape = {3, 4, 5};
        int[][] dimsList = {{}, {0}, {1}, {2}, {-1}, {0, 2}, {2, 0, 1}};
        for (Tensor t : layouts(dtype, shape)) {
            for (int[] dims : dimsList) {
                boolean[] f = new boolean[3];
                for (int d : dims) {
                    f[(d + 3) % 3] = true;
                }
                double[] ref = new double[numel(shape)];
                forEachIndex(shape, o -> {
                    int[] i = o.clone();
                    for (int k = 0; k < 3; k++) {
                        if (f[k]) {
                            i[k] = shape[k] - 1 - o[k];
                        }
                    }
                    ref[flat(shape, o)] = t.getDouble(i);
                });
                Tensor out = t.flip(dims);
                assertTensor(ref, shape, dtype, out);
                assertFalse(out.sharesStorage(t), "flip copies");
                assertTrue(out.isContiguous());
            }
        }
        assertArrayEquals(new int[] {0, 2}, Tensor.zeros(dtype, 0, 2).flip(0, 1).shape());
        double three = dtype == DType.BOOL ? 1 : 3;
        assertTensor(
                new double[] {three},
                new int[0],
                dtype,
                Tensor.scalar(dtype, three).flip(0));
    }

    @Test
    void flipErrors() {
        assertMessage(
                IllegalArgumentException.class, () -> Tensor.zeros(2, 3).flip(0, -2), "flip", "dimension 0", "[0, -2]");
        assertMessage(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 3).flip(2), "flip", "dimension 2");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void trilTriuMatchReference(DType dtype) {
        for (int[] shape : new int[][] {{4, 4}, {3, 5}, {5, 3}, {2, 3, 4, 3}}) {
            int r = shape.length;
            for (Tensor t : layouts(dtype, shape)) {
                for (int k : new int[] {-7, -2, -1, 0, 1, 3, 9, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
                    double[] lo = new double[numel(shape)];
                    double[] up = new double[numel(shape)];
                    forEachIndex(shape, o -> {
                        long diag = (long) o[r - 1] - o[r - 2];
                        lo[flat(shape, o)] = diag <= k ? t.getDouble(o) : 0;
                        up[flat(shape, o)] = diag >= k ? t.getDouble(o) : 0;
                    });
                    assertTensor(lo, shape, dtype, t.tril(k));
                    assertTensor(up, shape, dtype, t.triu(k));
                }
            }
        }
        assertArrayEquals(
                new int[] {2, 0, 3}, Tensor.zeros(dtype, 2, 0, 3).tril(0).shape());
    }

    @Test
    void trilTriuErrors() {
        assertMessage(IllegalArgumentException.class, () -> Tensor.zeros(3).tril(0), "tril", "(3,)");
        assertMessage(IllegalArgumentException.class, () -> Tensor.scalar(1).triu(0), "triu", "()");
    }
}
