package io.jgrad.core.io;

import static io.jgrad.core.io.Fixtures.assertIndexed;
import static io.jgrad.core.io.Fixtures.assertSameTensor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NpyTest {
    @TempDir
    Path dir;

    // ------------------------------------------------------------------------------------------
    // Files written by NumPy (src/test/python/make_io_fixtures.py)
    // ------------------------------------------------------------------------------------------

    @Test
    void readsCOrder() throws IOException {
        assertIndexed(Npy.read(Fixtures.path("f4_c.npy")), DType.FLOAT32, 2, 3, 4);
        assertIndexed(Npy.read(Fixtures.path("f8_c.npy")), DType.FLOAT64, 3, 5);
        assertIndexed(Npy.read(Fixtures.path("i4_c.npy")), DType.INT32, 4, 3);
        assertIndexed(Npy.read(Fixtures.path("f4_1d.npy")), DType.FLOAT32, 7);
    }

    @Test
    void readsFortranOrderIntoTheLogicalLayout() throws IOException {
        Tensor f = Npy.read(Fixtures.path("f4_fortran.npy"));
        assertIndexed(f, DType.FLOAT32, 2, 3, 4);
        assertTrue(f.isContiguous());
        assertIndexed(Npy.read(Fixtures.path("f8_fortran.npy")), DType.FLOAT64, 3, 5);
        assertIndexed(Npy.read(Fixtures.path("i4_fortran.npy")), DType.INT32, 4, 3);
        assertIndexed(Npy.read(Fixtures.path("f8_be_fortran.npy")), DType.FLOAT64, 3, 2);
    }

    @Test
    void readsBigEndian() throws IOException {
        assertIndexed(Npy.read(Fixtures.path("f4_be.npy")), DType.FLOAT32, 2, 3);
        assertIndexed(Npy.read(Fixtures.path("f8_be.npy")), DType.FLOAT64, 2, 3);
        assertIndexed(Npy.read(Fixtures.path("i4_be.npy")), DType.INT32, 2, 3);
    }

    @Test
    void readsScalarsAndEmptyArrays() throws IOException {
        Tensor s = Npy.read(Fixtures.path("f4_scalar.npy"));
        assertEquals(0, s.dim());
        assertEquals(DType.FLOAT32, s.dtype());
        assertEquals(2.5, s.item());
        Tensor i = Npy.read(Fixtures.path("i4_scalar.npy"));
        assertEquals(0, i.dim());
        assertEquals(-7, i.item());
        Tensor e = Npy.read(Fixtures.path("f4_empty.npy"));
        assertArrayEquals(new int[] {0, 3}, e.shape());
        assertEquals(DType.FLOAT32, e.dtype());
        Tensor ef = Npy.read(Fixtures.path("f8_empty_fortran.npy"));
        assertArrayEquals(new int[] {2, 0, 3}, ef.shape());
        assertEquals(DType.FLOAT64, ef.dtype());
    }

    @Test
    void readsSpecialValuesAndIntegerExtremes() throws IOException {
        float[] f = Npy.read(Fixtures.path("f4_special.npy")).toFloatArray();
        float[] expected = {0f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1e-45f, 3.4028235e38f
        };
        assertEquals(expected.length, f.length);
        for (int k = 0; k < f.length; k++) {
            // assertEquals on floats distinguishes -0 from 0 and treats NaN as equal to NaN.
            assertEquals(expected[k], f[k], "element " + k);
        }
        assertArrayEquals(
                new int[] {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE},
                Npy.read(Fixtures.path("i4_extremes.npy")).toIntArray());
    }

    @Test
    void readsInt64BoolAndFloat16WrittenByNumPy() throws IOException {
        assertIndexed(Npy.read(Fixtures.path("i8.npy")), DType.INT64, 3);
        Tensor big = Npy.read(Fixtures.path("i8_extremes.npy"));
        assertEquals(DType.INT64, big.dtype());
        assertArrayEquals(new int[] {2, 3}, big.shape());
        assertArrayEquals(new long[] {Long.MIN_VALUE, -1, 0, 1, (1L << 53) + 1, Long.MAX_VALUE}, big.toLongArray());
        assertIndexed(Npy.read(Fixtures.path("i8_be_fortran.npy")), DType.INT64, 3, 2);
        Tensor b = Npy.read(Fixtures.path("b1.npy"));
        assertEquals(DType.BOOL, b.dtype());
        assertArrayEquals(new boolean[] {true, false}, b.toBooleanArray());
        Tensor b2 = Npy.read(Fixtures.path("b1_2d.npy"));
        assertArrayEquals(new int[] {2, 3}, b2.shape());
        assertArrayEquals(new boolean[] {true, false, false, false, true, true}, b2.toBooleanArray());
        Tensor h = Npy.read(Fixtures.path("f2_special.npy"));
        assertEquals(DType.FLOAT16, h.dtype());
        float[] expected = {
            0f,
            -0f,
            1f,
            -2.5f,
            65504f,
            0x1p-14f,
            0x1p-24f,
            -3 * 0x1p-24f,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            Float.NaN
        };
        float[] got = h.toFloatArray();
        for (int k = 0; k < expected.length; k++) {
            assertEquals(expected[k], got[k], "element " + k);
        }
        assertIndexed(Npy.read(Fixtures.path("f2_be.npy")), DType.FLOAT16, 2, 3);
    }

    @Test
    void bfloat16HasNoNpyType() {
        Tensor t = Tensor.ones(DType.BFLOAT16, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npy.toBytes(t));
        assertTrue(e.getMessage().contains("bfloat16") && e.getMessage().contains("FLOAT32"), e.getMessage());
        Path p = dir.resolve("bf16.npy");
        assertThrows(IllegalArgumentException.class, () -> Npy.write(p, t));
        assertTrue(!Files.exists(p), "no partial file");
    }

    @Test
    void readsFormatVersions2And3() throws IOException {
        assertEquals(2, Fixtures.bytes("f4_v2.npy")[6]);
        assertEquals(3, Fixtures.bytes("f4_v3.npy")[6]);
        assertIndexed(Npy.read(Fixtures.path("f4_v2.npy")), DType.FLOAT32, 2, 3);
        assertIndexed(Npy.read(Fixtures.path("f4_v3.npy")), DType.FLOAT32, 2, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"f4_c.npy", "f8_fortran.npy", "i4_be.npy", "f4_scalar.npy", "f4_empty.npy", "f4_v3.npy"})
    void pathArrayAndStreamReadersAgree(String name) throws IOException {
        Tensor fromPath = Npy.read(Fixtures.path(name));
        assertSameTensor(fromPath, Npy.read(Fixtures.bytes(name), name));
        assertSameTensor(fromPath, Npy.read(new ByteArrayInputStream(Fixtures.bytes(name)), name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"u4.npy:'<u4'", "c8.npy:'<c8'", "structured.npy:structured dtypes"})
    void rejectsUnsupportedDtypesNamingFileAndDtype(String spec) {
        String name = spec.substring(0, spec.indexOf(':'));
        String dtype = spec.substring(spec.indexOf(':') + 1);
        Path p = Fixtures.path(name);
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(dtype), e.getMessage());
        assertTrue(e.getMessage().contains("not supported"), e.getMessage());
        assertEquals(p.toString(), e.file());
    }

    // ------------------------------------------------------------------------------------------
    // Round trips
    // ------------------------------------------------------------------------------------------

    static List<Tensor> samples() {
        Generator g = new Generator(7);
        Tensor f = Tensor.randn(g, 4, 5, 6);
        Tensor d = Tensor.randn(g, DType.FLOAT64, 3, 7);
        Tensor i = Tensor.randint(g, -1000, 1000, 6, 4);
        return List.of(
                f,
                d,
                i,
                f.transpose(0, 2), // non-contiguous
                f.slice(1, 0, 5, 2).select(2, 3), // stepped slice and select
                d.t(),
                i.slice(0, 1, 6, 3),
                Tensor.of(new float[] {1, 2, 3}).unsqueeze(1).expand(3, 4), // stride 0
                Tensor.scalar(3.25),
                Tensor.scalar(DType.FLOAT64, -1e300),
                Tensor.scalar(DType.INT32, 42),
                Tensor.zeros(0),
                Tensor.zeros(DType.FLOAT64, 3, 0, 2),
                Tensor.zeros(DType.INT32, 0, 5),
                Tensor.of(new float[] {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE, -Float.MAX_VALUE}),
                Tensor.of(new double[] {0, -0.0, Double.NaN, Double.NEGATIVE_INFINITY, Double.MIN_VALUE}),
                Tensor.of(new int[] {Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1}),
                Tensor.of(new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, (1L << 53) + 1}, 5, 1),
                Tensor.of(new long[] {1, 2, 3, 4, 5, 6}, 2, 3).t(),
                Tensor.scalar(DType.INT64, -9),
                Tensor.of(new boolean[] {true, false, false, true, true, false}, 3, 2),
                Tensor.of(new boolean[] {true, false, true}, 3).unsqueeze(0).expand(2, 3),
                Tensor.zeros(DType.BOOL, 0, 2),
                f.to(DType.FLOAT16),
                f.transpose(0, 1).to(DType.FLOAT16).transpose(0, 1),
                Tensor.of(new float[] {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, 65504, 0x1p-24f})
                        .to(DType.FLOAT16));
    }

    @Test
    void roundTripsThroughBytesStreamsAndFiles() throws IOException {
        int n = 0;
        for (Tensor t : samples()) {
            byte[] bytes = Npy.toBytes(t);
            assertSameTensor(t, Npy.read(bytes, "t.npy"));
            assertSameTensor(t, Npy.read(new ByteArrayInputStream(bytes), "t.npy"));
            Path p = dir.resolve("t" + n++ + ".npy");
            Npy.write(p, t);
            assertArrayEquals(bytes, Files.readAllBytes(p));
            assertSameTensor(t, Npy.read(p));
        }
    }

    @Test
    void streamReaderConsumesExactlyOneArray() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Tensor> all = samples();
        for (Tensor t : all) {
            Npy.write(out, t);
        }
        InputStream in = new ByteArrayInputStream(out.toByteArray());
        for (Tensor t : all) {
            assertSameTensor(t, Npy.read(in, "several.npy"));
        }
        assertEquals(-1, in.read());
    }

    @Test
    void writesNumpyCompatibleHeaders() {
        byte[] b = Npy.toBytes(Tensor.zeros(2, 3));
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, Arrays.copyOf(b, 8));
        int headerLen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLen) % 64, "data must start at a multiple of 64");
        String header = new String(b, 10, headerLen, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), header);
        assertTrue(header.endsWith(" \n"), header);
        assertEquals(10 + headerLen + 24, b.length);
        // Little-endian data in C order.
        assertTrue(new String(Npy.toBytes(Tensor.zeros(DType.INT32, 5)), StandardCharsets.US_ASCII)
                .contains("'descr': '<i4', 'fortran_order': False, 'shape': (5,), }"));
        assertTrue(new String(Npy.toBytes(Tensor.scalar(DType.FLOAT64, 1)), StandardCharsets.US_ASCII)
                .contains("'descr': '<f8', 'fortran_order': False, 'shape': (), }"));
        byte[] one = Npy.toBytes(Tensor.of(new int[] {0x01020304}));
        assertArrayEquals(new byte[] {4, 3, 2, 1}, Arrays.copyOfRange(one, one.length - 4, one.length));
    }

    @Test
    void writesVersion2WhenTheHeaderNeedsIt() throws IOException {
        // Rank 30000 of size-1 dimensions: the shape alone takes 90000 characters, over version 1's 65535.
        int[] shape = new int[30000];
        Arrays.fill(shape, 1);
        Tensor t = Tensor.full(5.5, shape);
        byte[] b = Npy.toBytes(t);
        assertEquals(2, b[6]);
        int headerLen = ByteBuffer.wrap(b, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertEquals(0, (12 + headerLen) % 64);
        Tensor back = Npy.read(b, "big-header.npy");
        assertArrayEquals(shape, back.shape());
        assertEquals(5.5, back.toFloatArray()[0]);
    }

    // ------------------------------------------------------------------------------------------
    // Bad files
    // ------------------------------------------------------------------------------------------

    /** A .npy file with the given version, header text (used verbatim) and data. */
    static byte[] npy(int major, String header, byte[] data) {
        byte[] h = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int prefix = major == 1 ? 10 : 12;
        ByteBuffer b = ByteBuffer.allocate(prefix + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) h.length);
        } else {
            b.putInt(h.length);
        }
        return b.put(h).put(data).array();
    }

    static String dict(String descr, String fortran, String shape) {
        return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }\n";
    }

    private static String failure(byte[] file) {
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> Npy.read(file, "bad.npy"));
        assertTrue(e.getMessage().startsWith("bad.npy: "), e.getMessage());
        return e.getMessage();
    }

    private static void assertFails(byte[] file, String... parts) {
        String m = failure(file);
        for (String part : parts) {
            assertTrue(m.contains(part), () -> "message '" + m + "' should contain '" + part + "'");
        }
    }

    @Test
    void acceptsHandWrittenVariantsOfTheHeader() throws TensorFormatException {
        byte[] data = new byte[8];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f);
        // Double quotes, other key order, no trailing comma, Python 2 long suffix, no byte order mark.
        String[] headers = {
            "{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"<f4\"}",
            "{'descr':'<f4','fortran_order':False,'shape':(2L,)}   \n",
            "  {'descr': 'f4', 'fortran_order': True, 'shape': (2 ,) , }\n",
        };
        for (String h : headers) {
            assertArrayEquals(
                    new float[] {1.5f, -2f}, Npy.read(npy(1, h, data), "ok.npy").toFloatArray(), h);
        }
    }

    @Test
    void badMagicVersionAndTruncation() {
        byte[] good = Fixtures.bytes("f4_c.npy");
        assertFails(
                "hello, world! this is not numpy".getBytes(StandardCharsets.US_ASCII), "not a .npy file", "bad magic");
        byte[] v4 = good.clone();
        v4[6] = 4;
        assertFails(v4, "unsupported .npy format version 4.0");
        byte[] minor = good.clone();
        minor[7] = 1;
        assertFails(minor, "version 1.1");
        for (int len : new int[] {0, 3, 7, 9, 20, 127, 128, 150, good.length - 1}) {
            assertFails(Arrays.copyOf(good, len), "file is truncated");
        }
        assertFails(Arrays.copyOf(good, good.length - 1), "needs 96 bytes", "only 95 remain");
        byte[] longer = Arrays.copyOf(good, good.length + 3);
        assertFails(longer, "3 unexpected bytes after the array data");
    }

    @Test
    void headerLengthLargerThanTheFileOrTheLimit() {
        byte[] good = Fixtures.bytes("f4_c.npy");
        byte[] b = good.clone();
        b[8] = (byte) 0xff;
        b[9] = (byte) 0xff;
        assertFails(b, "file is truncated", "the header needs 65535 bytes");
        byte[] v2 = npy(2, dict("<f4", "False", "(2,)"), new byte[8]);
        ByteBuffer.wrap(v2, 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(-1);
        assertFails(v2, "header length 4294967295 exceeds the limit");
    }

    @Test
    void badHeaders() {
        byte[] d8 = new byte[8];
        assertFails(npy(1, "not a dict", d8), "bad header", "expected '{'");
        assertFails(npy(1, "{'descr': '<f4', 'fortran_order': False}", d8), "missing key 'shape'");
        assertFails(
                npy(1, "{'descr': '<f4', 'shape': (2,), 'extra': 1, 'fortran_order': False}", d8),
                "unexpected key 'extra'");
        assertFails(
                npy(1, "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", d8),
                "duplicate key 'descr'");
        assertFails(npy(1, dict("<f4", "false", "(2,)"), d8), "True or False");
        assertFails(npy(1, dict("<f4", "False", "(2)"), d8), "must be a tuple");
        assertFails(npy(1, dict("<f4", "False", "[2]"), d8), "must be a tuple");
        assertFails(npy(1, dict("<f4", "False", "(2, 'a')"), d8), "expected an integer");
        assertFails(npy(1, dict("<f4", "False", "(2,") + "", d8), "bad header");
        assertFails(
                npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)} junk", d8), "unexpected text after");
        // A misplaced quote shifts the strings: reported as the dtype it produced.
        assertFails(
                npy(1, "{'descr': '<f4, 'fortran_order': False, 'shape': (2,)}", d8), "dtype '<f4, ' is not supported");
        assertFails(npy(1, "{'descr': '<f4", d8), "unterminated string");
        byte[] badUtf8 = npy(3, dict("<f4", "False", "(2,)"), d8);
        badUtf8[12] = (byte) 0xc3; // a lead byte followed by '\'' is malformed UTF-8
        assertFails(badUtf8, "not valid UTF-8");
    }

    @Test
    void absurdShapesFailBeforeAllocating() throws IOException {
        assertFails(npy(1, dict("<f4", "False", "(-1, 3)"), new byte[0]), "negative size -1");
        assertFails(
                npy(1, dict("<f4", "False", "(100000, 100000, 100000)"), new byte[0]),
                "(100000, 100000, 100000)",
                "too many elements");
        assertFails(npy(1, dict("<f4", "False", "(99999999999999999999999,)"), new byte[0]), "larger than 2^31 - 1");
        // 16 GB of float64 claimed by a 150-byte file: must be reported, not allocated.
        byte[] huge = npy(1, dict("<f8", "False", "(2000000000,)"), new byte[16]);
        assertFails(huge, "file is truncated", "needs 16000000000 bytes", "only 16 remain");
        TensorFormatException e =
                assertThrows(TensorFormatException.class, () -> Npy.read(new ByteArrayInputStream(huge), "stream.npy"));
        assertTrue(e.getMessage().startsWith("stream.npy: file is truncated"), e.getMessage());
        Path p = dir.resolve("huge.npy");
        Files.write(p, huge);
        e = assertThrows(TensorFormatException.class, () -> Npy.read(p));
        assertTrue(e.getMessage().startsWith(p + ": file is truncated"), e.getMessage());
    }

    @Test
    void missingFileIsAnIOException() {
        assertThrows(IOException.class, () -> Npy.read(dir.resolve("nope.npy")));
    }
}
