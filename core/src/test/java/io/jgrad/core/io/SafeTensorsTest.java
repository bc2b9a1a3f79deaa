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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeTensorsTest {
    @TempDir
    Path dir;

    // ------------------------------------------------------------------------------------------
    // Files written from PyTorch tensors (src/test/python/make_io_fixtures.py)
    // ------------------------------------------------------------------------------------------

    @Test
    void readsTorchTensorsOfEveryDtype() throws IOException {
        SafeTensors st = SafeTensors.read(Fixtures.path("torch_mixed.safetensors"));
        assertEquals(
                List.of("f32", "f64", "i32", "f16", "bf16", "scalar", "empty", "transposed", "i16", "i8", "u8"),
                List.copyOf(st.tensors().keySet()));
        assertIndexed(st.get("f32"), DType.FLOAT32, 2, 3);
        assertIndexed(st.get("f64"), DType.FLOAT64, 3);
        assertIndexed(st.get("i32"), DType.INT32, 2, 2);
        assertIndexed(st.get("i16"), DType.INT32, 3);
        assertIndexed(st.get("i8"), DType.INT32, 3);
        assertArrayEquals(new int[] {0, 1, 200, 255}, st.get("u8").toIntArray());

        // The literals of the script: exact in half precision and bfloat16.
        float[] halves = {
            0f,
            -0f,
            1f,
            -2.5f,
            65504f,
            0x1p-14f,
            0x1p-24f,
            3 * 0x1p-24f,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY
        };
        assertEquals(DType.FLOAT16, st.get("f16").dtype());
        assertFloatsEqual(halves, st.get("f16").toFloatArray());
        float[] bfloats = {1f, -3.5f, 0x1p100f, -0x1p-130f, 0.0078125f, Float.POSITIVE_INFINITY, 1.5f * 0x1p127f};
        assertEquals(DType.BFLOAT16, st.get("bf16").dtype());
        assertFloatsEqual(bfloats, st.get("bf16").toFloatArray());

        Tensor scalar = st.get("scalar");
        assertEquals(0, scalar.dim());
        assertEquals(4.25, scalar.item());
        assertArrayEquals(new int[] {0, 4}, st.get("empty").shape());
        // Saved from a transposed (3, 2) view: the file holds its logical (2, 3) layout.
        Tensor tr = st.get("transposed");
        assertArrayEquals(new int[] {2, 3}, tr.shape());
        Fixtures.forEachIndex(tr.shape(), idx -> assertEquals(Fixtures.value(idx[1], idx[0]), tr.getDouble(idx)));

        assertEquals(Map.of("format", "pt", "note", "caf\u00e9 \"quoted\"\n\ttab"), st.metadata());
    }

    private static void assertFloatsEqual(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int k = 0; k < expected.length; k++) {
            assertEquals(
                    Float.floatToIntBits(expected[k]),
                    Float.floatToIntBits(actual[k]),
                    "element " + k + ": " + actual[k]);
        }
    }

    @Test
    void readsSpacedHeadersWithEscapedNames() throws IOException {
        SafeTensors st = SafeTensors.read(Fixtures.path("torch_spaced.safetensors"));
        String name = "w\u00e9ight \uD83D\uDE00";
        assertEquals(List.of(name, "b"), List.copyOf(st.tensors().keySet()));
        assertIndexed(st.get(name), DType.FLOAT32, 2, 2);
        assertIndexed(st.get("b"), DType.FLOAT64, 2);
        assertEquals(Map.of("k", "v"), st.metadata());
    }

    @Test
    void metadataIsOptional() throws IOException {
        SafeTensors st = SafeTensors.read(Fixtures.path("torch_no_metadata.safetensors"));
        assertTrue(st.metadata().isEmpty());
        assertIndexed(st.get("x"), DType.INT32, 4);
    }

    @Test
    void torchInt64AndBoolLoadAsTheirOwnTypes() throws IOException {
        Path i64 = Fixtures.path("torch_i64.safetensors");
        SafeTensors all = SafeTensors.read(i64);
        assertIndexed(all.get("idx"), DType.INT64, 2);
        assertIndexed(all.get("ok"), DType.FLOAT32, 2);

        Tensor mask = SafeTensors.read(Fixtures.path("torch_bool.safetensors")).get("mask");
        assertEquals(DType.BOOL, mask.dtype());
        assertArrayEquals(new boolean[] {true, false, true}, mask.toBooleanArray());
    }

    /** torch_new_dtypes.safetensors: int64 extremes, a 2-D mask, and float32 values PyTorch rounded to 16 bits. */
    @Test
    void readsPyTorchInt64BoolFloat16AndBfloat16() throws IOException {
        SafeTensors st = SafeTensors.read(Fixtures.path("torch_new_dtypes.safetensors"));
        Tensor i64 = st.get("i64");
        assertEquals(DType.INT64, i64.dtype());
        assertArrayEquals(new int[] {2, 3}, i64.shape());
        assertArrayEquals(new long[] {Long.MIN_VALUE, -1, 0, 1, (1L << 53) + 1, Long.MAX_VALUE}, i64.toLongArray());
        Tensor mask = st.get("mask");
        assertEquals(DType.BOOL, mask.dtype());
        assertArrayEquals(new boolean[] {true, false, false, false, true, true}, mask.toBooleanArray());
        Tensor f32 = st.get("f32");
        for (String name : new String[] {"f16", "bf16"}) {
            Tensor h = st.get(name);
            DType dt = name.equals("f16") ? DType.FLOAT16 : DType.BFLOAT16;
            assertEquals(dt, h.dtype());
            // PyTorch's rounding of the float32 values is jgrad's, bit for bit (NaN: any NaN)
            short[] mine = f32.to(dt).halfData();
            short[] torch = h.halfData();
            for (int k = 0; k < mine.length; k++) {
                float a = dt == DType.FLOAT16
                        ? io.jgrad.core.Half.halfToFloat(torch[k])
                        : io.jgrad.core.Half.bfloat16ToFloat(torch[k]);
                if (Float.isNaN(a)) {
                    assertTrue(
                            Float.isNaN(h.getFloat(k)) && Float.isNaN(f32.to(dt).getFloat(k)), name);
                } else {
                    assertEquals(torch[k], mine[k], name + "[" + k + "]");
                }
            }
            // and back to the file unchanged
            SafeTensors again = SafeTensors.read(SafeTensors.toBytes(st.tensors(), Map.of()), "again");
            assertArrayEquals(torch, again.get(name).halfData());
        }
    }

    @Test
    void getNamesTheMissingTensorAndTheOnesPresent() throws IOException {
        SafeTensors st = SafeTensors.read(Fixtures.path("torch_no_metadata.safetensors"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> st.get("y"));
        assertTrue(
                e.getMessage().endsWith("torch_no_metadata.safetensors: no tensor named 'y' (tensors: x)"),
                e.getMessage());
    }

    // ------------------------------------------------------------------------------------------
    // Sample files of the safetensors project: np.array(range(-3, 3)) in one dtype each
    // ------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"b", "B", "h", "H", "i", "e", "f", "d"})
    void readsReferenceSamples(String code) throws IOException {
        SafeTensors st = SafeTensors.read(Fixtures.path("reference/" + code + ".safetensors"));
        assertEquals(Map.of("test", "a"), st.metadata());
        assertEquals(List.of(code), List.copyOf(st.tensors().keySet()));
        assertReferenceValues(code, st.get(code));
    }

    /** range(-3, 3) as NumPy stored it: unsigned types hold the values modulo 2^bits. */
    private static void assertReferenceValues(String code, Tensor t) {
        DType expectedType = code.equals("d")
                ? DType.FLOAT64
                : code.equals("e") ? DType.FLOAT16 : code.equals("f") ? DType.FLOAT32 : DType.INT32;
        assertEquals(expectedType, t.dtype(), code);
        assertArrayEquals(new int[] {6}, t.shape());
        for (int k = 0; k < 6; k++) {
            long v = k - 3L;
            if (code.equals("B")) {
                v &= 0xff;
            } else if (code.equals("H")) {
                v &= 0xffff;
            }
            assertEquals((double) v, t.getDouble(k), code + "[" + k + "]");
        }
    }

    @Test
    void rejectsTheUnsignedThirtyTwoBitSample() {
        Path p = Fixtures.path("reference/I.safetensors");
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> SafeTensors.read(p));
        assertTrue(
                e.getMessage().startsWith(p + ": tensor 'I' has dtype U32, which jgrad cannot load"), e.getMessage());
    }

    /** overall.safetensors holds U32 too: reading it all fails; selecting the others loads them all. */
    @Test
    void overallSampleLoadsEverySupportedDtypeWhenU32IsLeftOut() throws IOException {
        Path p = Fixtures.path("reference/overall.safetensors");
        TensorFormatException e = assertThrows(TensorFormatException.class, () -> SafeTensors.read(p));
        assertTrue(e.getMessage().contains("tensor 'I' has dtype U32"), e.getMessage());
        SafeTensors st = SafeTensors.read(p, n -> !n.equals("I"));
        assertEquals(
                List.of("B", "H", "b", "d", "e", "f", "h", "i"),
                List.copyOf(st.tensors().keySet()));
        assertEquals(Map.of("test", "a"), st.metadata());
        for (Map.Entry<String, Tensor> t : st.tensors().entrySet()) {
            assertReferenceValues(t.getKey(), t.getValue());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"torch_mixed.safetensors", "torch_spaced.safetensors", "reference/e.safetensors"})
    void pathArrayAndStreamReadersAgree(String name) throws IOException {
        SafeTensors fromPath = SafeTensors.read(Fixtures.path(name));
        for (SafeTensors other : List.of(
                SafeTensors.read(Fixtures.bytes(name), name),
                SafeTensors.read(new ByteArrayInputStream(Fixtures.bytes(name)), name))) {
            assertEquals(fromPath.metadata(), other.metadata());
            assertEquals(
                    List.copyOf(fromPath.tensors().keySet()),
                    List.copyOf(other.tensors().keySet()));
            for (String k : fromPath.tensors().keySet()) {
                assertSameTensor(fromPath.get(k), other.get(k));
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Round trips and the written format
    // ------------------------------------------------------------------------------------------

    @Test
    void roundTripsEveryWritableDtypeAndLayout() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        int k = 0;
        for (Tensor t : NpyTest.samples()) {
            m.put("t" + k++, t);
        }
        m.put("\u00fcnicode \"name\"\n", Tensor.scalar(1));
        m.put("", Tensor.of(new int[] {7}));
        // bfloat16, which .npy cannot hold
        m.put(
                "bf16",
                Tensor.of(new float[] {1, -0f, Float.NaN, 3e38f, Float.NEGATIVE_INFINITY, 1e-40f})
                        .to(DType.BFLOAT16));
        m.put(
                "bf16 view",
                Tensor.randn(new io.jgrad.core.Generator(3), 3, 4)
                        .to(DType.BFLOAT16)
                        .t());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("z", "last key first");
        meta.put("a", "tab\there \\ \u0001 \uD83D\uDE00");
        meta.put("empty", "");

        byte[] bytes = SafeTensors.toBytes(m, meta);
        Path p = dir.resolve("m.safetensors");
        SafeTensors.write(p, m, meta);
        assertArrayEquals(bytes, Files.readAllBytes(p));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafeTensors.write(out, m, meta);
        assertArrayEquals(bytes, out.toByteArray());

        for (SafeTensors back : List.of(
                SafeTensors.read(p),
                SafeTensors.read(bytes, "m"),
                SafeTensors.read(new ByteArrayInputStream(bytes), "m"))) {
            assertEquals(List.copyOf(m.keySet()), List.copyOf(back.tensors().keySet()));
            assertEquals(
                    List.copyOf(meta.entrySet()), List.copyOf(back.metadata().entrySet()));
            for (Map.Entry<String, Tensor> e : m.entrySet()) {
                assertSameTensor(e.getValue(), back.get(e.getKey()));
            }
        }
    }

    @Test
    void writesTheReferenceLayout() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a", Tensor.of(new float[] {1, 2}));
        m.put("b", Tensor.scalar(DType.FLOAT64, 0.5));
        byte[] b = SafeTensors.toBytes(m, Map.of("k", "v"));
        // The 8-byte type goes first in the buffer so it is aligned; the header keeps the map order.
        String json = "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                + "\"b\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]}}";
        int padded = (json.length() + 7) / 8 * 8;
        assertEquals(8 + padded + 16, b.length);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(padded, buf.getLong());
        String header = new String(b, 8, padded, StandardCharsets.UTF_8);
        assertEquals(json + " ".repeat(padded - json.length()), header);
        buf.position(8 + padded);
        assertEquals(0.5, buf.getDouble());
        assertEquals(1f, buf.getFloat());
        assertEquals(2f, buf.getFloat());
        // No metadata: no __metadata__ key.
        String noMeta = new String(SafeTensors.toBytes(m, null), StandardCharsets.UTF_8);
        assertTrue(!noMeta.contains("__metadata__") && noMeta.contains("{\"a\":"), noMeta);
        assertTrue(SafeTensors.toBytes(Map.of(), Map.of()).length == 16);
    }

    @Test
    void rejectsInvalidArgumentsWhenWriting() {
        Map<String, Tensor> reserved = Map.of("__metadata__", Tensor.zeros(1));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SafeTensors.toBytes(reserved, null));
        assertTrue(e.getMessage().contains("'__metadata__' is reserved"), e.getMessage());
        Map<String, Tensor> nullTensor = new LinkedHashMap<>();
        nullTensor.put("w", null);
        e = assertThrows(IllegalArgumentException.class, () -> SafeTensors.toBytes(nullTensor, null));
        assertTrue(e.getMessage().contains("tensor 'w' is null"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> SafeTensors.toBytes(Map.of("bad\uD800", Tensor.zeros(1)), null));
        assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
        Path p = dir.resolve("never.safetensors");
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.write(p, reserved, null));
        assertTrue(Files.notExists(p));
    }

    // ------------------------------------------------------------------------------------------
    // Bad files
    // ------------------------------------------------------------------------------------------

    /** A file with the header text used verbatim (after the length) and {@code dataLength} zero bytes. */
    static byte[] file(String header, int dataLength) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataLength).order(ByteOrder.LITTLE_ENDIAN);
        return b.putLong(h.length).put(h).array();
    }

    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
                + end + "]}";
    }

    private static String failure(byte[] file) {
        TensorFormatException e =
                assertThrows(TensorFormatException.class, () -> SafeTensors.read(file, "x.safetensors"));
        assertTrue(e.getMessage().startsWith("x.safetensors: "), e.getMessage());
        return e.getMessage();
    }

    private static void assertFails(byte[] file, String... parts) {
        String m = failure(file);
        for (String part : parts) {
            assertTrue(m.contains(part), () -> "message '" + m + "' should contain '" + part + "'");
        }
    }

    @Test
    void acceptsWhitespaceAroundTheHeader() throws TensorFormatException {
        byte[] f = file("  \n{ " + entry("w", "I32", "[ 1 ]", 0, 4) + " ,\"__metadata__\" : { } }      ", 4);
        f[f.length - 4] = 9;
        SafeTensors st = SafeTensors.read(f, "x");
        assertArrayEquals(new int[] {9}, st.get("w").toIntArray());
        SafeTensors empty = SafeTensors.read(file("{}", 0), "empty");
        assertTrue(empty.tensors().isEmpty() && empty.metadata().isEmpty());
    }

    @Test
    void reportsOffsetsThatDoNotMatchDtypeAndShape() {
        assertEquals(
                "x.safetensors: tensor 'w' data_offsets [0, 40) do not match dtype F32 and shape (3, 4) (48 bytes)",
                failure(file("{" + entry("w", "F32", "[3,4]", 0, 40) + "}", 40)));
        assertFails(file("{" + entry("w", "F32", "[2]", 8, 0) + "}", 8), "end before they begin");
    }

    @Test
    void reportsGapsOverlapsAndBufferLengthMismatches() {
        String a = entry("a", "F32", "[2]", 0, 8);
        assertFails(
                file("{" + a + "," + entry("b", "F32", "[1]", 12, 16) + "}", 16),
                "bytes [8, 12) of the data buffer belong to no tensor");
        assertFails(file("{" + entry("late", "F32", "[1]", 4, 8) + "}", 8), "bytes [0, 4)");
        assertFails(file("{" + a + "," + entry("b", "F32", "[1]", 4, 8) + "}", 8), "overlap tensor 'a' at [0, 8)");
        assertFails(
                file("{" + a + "}", 6), "the tensors cover 8 bytes but the data buffer after the header holds 6 bytes");
        assertFails(file("{" + a + "}", 12), "cover 8 bytes", "holds 12 bytes");
        // Streams have no length: the end of data is checked as it is read.
        byte[] shortFile = file("{" + a + "}", 6);
        TensorFormatException e = assertThrows(
                TensorFormatException.class, () -> SafeTensors.read(new ByteArrayInputStream(shortFile), "s"));
        assertTrue(
                e.getMessage().startsWith("s: file is truncated: the data of tensor 'a' [0, 8) needs 8 bytes"),
                e.getMessage());
        byte[] longFile = file("{" + a + "}", 12);
        e = assertThrows(TensorFormatException.class, () -> SafeTensors.read(new ByteArrayInputStream(longFile), "s"));
        assertTrue(e.getMessage().contains("unexpected bytes after the end of the data buffer"), e.getMessage());
    }

    @Test
    void reportsBadHeaderLengths() throws IOException {
        assertFails(new byte[5], "file is truncated", "header length needs 8 bytes");
        byte[] f = file("{}", 0);
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(1000);
        assertFails(
                f, "header length 1000 is larger than the file allows (10 bytes in all, so at most 2 bytes of header)");
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(-2);
        assertFails(f, "header length 18446744073709551614 exceeds the limit of 100000000 bytes");
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(SafeTensors.MAX_HEADER + 1);
        assertFails(f, "exceeds the limit");
        // A stream that claims a 90 MB header but ends early.
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(90_000_000);
        TensorFormatException e =
                assertThrows(TensorFormatException.class, () -> SafeTensors.read(new ByteArrayInputStream(f), "s"));
        assertTrue(e.getMessage().startsWith("s: file is truncated: the header needs 90000000 bytes"), e.getMessage());
        Path p = dir.resolve("len.safetensors");
        Files.write(p, f);
        e = assertThrows(TensorFormatException.class, () -> SafeTensors.read(p));
        assertTrue(e.getMessage().startsWith(p + ": header length 90000000"), e.getMessage());
    }

    @Test
    void reportsBadHeaderJson() {
        assertFails(file("{\"a\":", 0), "header is not valid JSON", "expected a value");
        assertFails(file("{'a': 1}", 0), "header is not valid JSON", "expected a string key");
        assertFails(file("[]", 0), "header must be a JSON object, found an array");
        assertFails(file("{} {}", 0), "after the end of the JSON value");
        byte[] badUtf8 = file("{\"\u00e9\":1}", 0);
        badUtf8[10] = (byte) 0xff;
        assertFails(badUtf8, "header is not valid UTF-8");
        assertFails(
                file("{" + entry("w", "F32", "[1]", 0, 4) + "," + entry("w", "F32", "[1]", 4, 8) + "}", 8),
                "duplicate key \"w\"");
        assertFails(file("{\"w\":[1]}", 0), "tensor 'w' must be described by a JSON object, found an array");
        assertFails(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[]}}", 0), "tensor 'w' has no 'data_offsets'");
        assertFails(
                file("{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4],\"x\":1}}", 4),
                "unexpected key 'x'");
        assertFails(file("{" + entry("w", "F99", "[1]", 0, 4) + "}", 4), "tensor 'w' has an unknown dtype 'F99'");
        assertFails(
                file("{\"w\":{\"dtype\":32,\"shape\":[],\"data_offsets\":[0,4]}}", 4),
                "dtype must be a string, found the number 32");
        assertFails(
                file("{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0]}}", 4),
                "must be [begin, end], found 1 numbers");
        assertFails(
                file("{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4.0]}}", 4),
                "data_offsets[1] must be a non-negative integer, found the number 4.0");
        assertFails(
                file("{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[-4,0]}}", 4),
                "data_offsets[0] = -4 is negative");
        assertFails(
                file("{\"w\":{\"dtype\":\"F32\",\"shape\":{},\"data_offsets\":[0,4]}}", 4),
                "shape must be a JSON array, found an object");
        assertFails(
                file("{\"__metadata__\":{\"a\":1}}", 0),
                "__metadata__ must map strings to strings, but 'a' holds the number 1");
        assertFails(file("{\"__metadata__\":[]}", 0), "__metadata__ must be a JSON object of strings, found an array");
        assertFails(file("[".repeat(100) + "]".repeat(100), 0), "nested deeper than 64");
    }

    @Test
    void reportsAbsurdShapesBeforeAllocating() {
        assertFails(file("{" + entry("w", "F32", "[-1]", 0, 4) + "}", 4), "tensor 'w' shape[0] = -1 is negative");
        assertFails(
                file("{" + entry("w", "F32", "[4294967296]", 0, 4) + "}", 4),
                "shape[0] = 4294967296 is larger than 2^31 - 1");
        assertFails(
                file("{" + entry("w", "F32", "[99999999999999999999999]", 0, 4) + "}", 4),
                "shape[0] = 99999999999999999999999 is out of range");
        assertFails(
                file("{" + entry("w", "F32", "[2147483647,2147483647,2147483647]", 0, 4) + "}", 4),
                "has too many elements");
        // Consistent offsets, but more elements than a jgrad tensor holds.
        assertFails(
                file("{" + entry("w", "F32", "[100000,100000]", 0, 40_000_000_000L) + "}", 8),
                "shape (100000, 100000) has too many elements");
        // Consistent header for 8 GB of data in a tiny file: the length check fires before any allocation.
        assertFails(
                file("{" + entry("w", "F64", "[1000000000]", 0, 8_000_000_000L) + "}", 8),
                "cover 8000000000 bytes",
                "holds 8 bytes");
        byte[] lying = file("{" + entry("w", "F64", "[1000000000]", 0, 8_000_000_000L) + "}", 8);
        TensorFormatException e =
                assertThrows(TensorFormatException.class, () -> SafeTensors.read(new ByteArrayInputStream(lying), "s"));
        assertTrue(e.getMessage().contains("file is truncated: the data of tensor 'w'"), e.getMessage());
    }

    @Test
    void selectingTensorsStillValidatesTheWholeHeader() throws IOException {
        Path p = dir.resolve("sel.safetensors");
        Files.write(p, file("{" + entry("a", "F32", "[1]", 0, 4) + "," + entry("b", "U64", "[1]", 4, 10) + "}", 10));
        TensorFormatException e =
                assertThrows(TensorFormatException.class, () -> SafeTensors.read(p, n -> n.equals("a")));
        assertTrue(
                e.getMessage()
                        .contains("tensor 'b' data_offsets [4, 10) do not match dtype U64 and shape (1,) (8 bytes)"),
                e.getMessage());
    }

    @Test
    void randomMapsRoundTrip() throws TensorFormatException {
        Generator g = new Generator(11);
        for (int trial = 0; trial < 20; trial++) {
            Map<String, Tensor> m = new LinkedHashMap<>();
            int n = 1 + (int) (g.nextDouble() * 6);
            for (int k = 0; k < n; k++) {
                int[] shape = new int[(int) (g.nextDouble() * 4)];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = (int) (g.nextDouble() * 4);
                }
                DType type = new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32}[(int) (g.nextDouble() * 3)];
                Tensor t = type == DType.INT32 ? Tensor.randint(g, -50, 50, shape) : Tensor.randn(g, type, shape);
                m.put("p" + trial + "." + k + Arrays.toString(shape), t);
            }
            SafeTensors back = SafeTensors.read(SafeTensors.toBytes(m, Map.of()), "r");
            for (Map.Entry<String, Tensor> e : m.entrySet()) {
                assertSameTensor(e.getValue(), back.get(e.getKey()));
            }
        }
    }
}
