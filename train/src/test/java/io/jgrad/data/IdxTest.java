package io.jgrad.data;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path tmp;

    static Path resource(String name) {
        try {
            return Path.of(IdxTest.class.getResource("/data/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An IDX file's bytes: magic, dims, then the given data bytes. */
    static byte[] idx(int typeCode, int[] dims, byte[] data) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bos);
            out.write(new byte[] {0, 0, (byte) typeCode, (byte) dims.length});
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
            return bos.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(data);
        }
        return bos.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** Rows "index label pixelSum pixel(14,14)" written by the fixture script with NumPy. */
    private static List<int[]> expected() throws IOException {
        List<int[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(resource("fashion-slice-expected.txt"))) {
            if (!line.startsWith("#")) {
                rows.add(Arrays.stream(line.trim().split(" "))
                        .mapToInt(Integer::parseInt)
                        .toArray());
            }
        }
        return rows;
    }

    @Test
    void fashionMnistSliceLoads() throws IOException {
        Path dir = resource("t10k-images-idx3-ubyte.gz").getParent();
        TensorDataset test = Mnist.load(dir, Mnist.Split.TEST);
        assertEquals(100, test.size());
        Tensor x = test.input();
        Tensor y = test.target();
        assertEquals(DType.FLOAT32, x.dtype());
        assertEquals(DType.INT32, y.dtype());
        assertArrayEquals(new int[] {100, 1, 28, 28}, x.shape());
        assertArrayEquals(new int[] {100}, y.shape());
        Tensor raw = Idx.read(DataPaths.resolve(dir, "t10k-images-idx3-ubyte"));
        assertEquals(DType.INT32, raw.dtype());
        List<int[]> rows = expected();
        assertEquals(100, rows.size());
        for (int[] r : rows) {
            int i = r[0];
            assertEquals(r[1], y.getInt(i), "label of image " + i);
            long sum = 0;
            for (int v : raw.select(0, i).toIntArray()) {
                sum += v;
            }
            assertEquals(r[2], sum, "pixel sum of image " + i);
            assertEquals(r[3] / 255f, x.getFloat(i, 0, 14, 14), 1e-7, "pixel (14, 14) of image " + i);
        }
        assertEquals(0f, x.min().item());
        assertEquals(1f, x.max().item(), 1e-7);
        // the first labels of Fashion-MNIST's test set: ankle boot, pullover, trouser, trouser, shirt
        assertArrayEquals(new int[] {9, 2, 1, 1, 6}, Arrays.copyOf(y.toIntArray(), 5));
        assertEquals("Ankle boot", Mnist.FASHION_CLASSES.get(y.getInt(0)));
    }

    @Test
    void plainAndGzipGiveTheSameTensor() throws IOException {
        byte[] plain = new java.util.zip.GZIPInputStream(Files.newInputStream(resource("t10k-labels-idx1-ubyte.gz")))
                .readAllBytes();
        Path p = write("labels-idx1-ubyte", plain);
        assertTrue(Idx.read(p).equal(Idx.read(resource("t10k-labels-idx1-ubyte.gz"))));
    }

    @Test
    void realTrainingHeaders() throws IOException {
        Idx.Header h = Idx.readHeader(resource("train-images-head-idx3-ubyte.gz"));
        assertEquals(Idx.Type.UBYTE, h.type());
        assertArrayEquals(new int[] {60000, 28, 28}, h.dims());
        assertEquals(16, h.length());
        Idx.Header l = Idx.readHeader(resource("train-labels-head-idx1-ubyte.gz"));
        assertEquals(Idx.Type.UBYTE, l.type());
        assertArrayEquals(new int[] {60000}, l.dims());
        // the head files hold the real headers but only 2 images / 10 labels: reading them must say so
        Path head = resource("train-images-head-idx3-ubyte.gz");
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.read(head));
        assertTrue(
                e.getMessage().contains("need 47040000 bytes of data, more than a gzip file of 1028 bytes can hold"),
                e.getMessage());
        assertTrue(e.getMessage().contains("train-images-head-idx3-ubyte.gz"), e.getMessage());
        // the same bytes uncompressed: the exact length check
        Path plain = write(
                "train-images-head-idx3-ubyte",
                new java.util.zip.GZIPInputStream(Files.newInputStream(head)).readAllBytes());
        e = assertThrows(MalformedDataException.class, () -> Idx.read(plain));
        assertTrue(e.getMessage().contains("need 47040000 bytes of data but the file holds 1568"), e.getMessage());
        MalformedDataException le =
                assertThrows(MalformedDataException.class, () -> Idx.read(resource("train-labels-head-idx1-ubyte.gz")));
        assertTrue(le.getMessage().contains("60000 bytes"), le.getMessage());
    }

    @Test
    void badMagic() throws IOException {
        Path p = write("bad-magic", new byte[] {1, 2, 8, 1, 0, 0, 0, 1, 5});
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.read(p));
        assertTrue(e.getMessage().contains("bad magic number 0x01020801"), e.getMessage());
        Path q = write("bad-type", idx(0x07, new int[] {1}, new byte[] {5}));
        e = assertThrows(MalformedDataException.class, () -> Idx.read(q));
        assertTrue(e.getMessage().contains("unknown type code 0x07"), e.getMessage());
        Path r = write("no-dims", new byte[] {0, 0, 8, 0});
        e = assertThrows(MalformedDataException.class, () -> Idx.read(r));
        assertTrue(e.getMessage().contains("0 dimensions"), e.getMessage());
        Path s = write("tiny", new byte[] {0, 0});
        e = assertThrows(MalformedDataException.class, () -> Idx.read(s));
        assertTrue(e.getMessage().contains("shorter than the 4-byte magic"), e.getMessage());
        // a text file is no IDX file either
        Path t = write("text.csv", "1,2,3\n".getBytes(UTF_8));
        assertThrows(MalformedDataException.class, () -> Idx.readHeader(t));
    }

    @Test
    void truncatedFiles() throws IOException {
        Path p = write("short", idx(0x08, new int[] {2, 2}, new byte[] {1, 2, 3}));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.read(p));
        assertTrue(e.getMessage().contains("need 4 bytes of data but the file holds 3"), e.getMessage());
        Path h = write("short-header", Arrays.copyOf(idx(0x08, new int[] {2, 2}, new byte[0]), 10));
        e = assertThrows(MalformedDataException.class, () -> Idx.read(h));
        assertTrue(e.getMessage().contains("truncated header"), e.getMessage());
        byte[] gz = gzip(idx(0x08, new int[] {50, 40}, new byte[2000]));
        Path g = write("cut.gz", Arrays.copyOf(gz, gz.length - 12));
        e = assertThrows(MalformedDataException.class, () -> Idx.read(g));
        assertTrue(e.getMessage().contains("cut.gz"), e.getMessage());
        Path g2 = write("short.gz", gzip(idx(0x08, new int[] {50, 40}, new byte[1999])));
        e = assertThrows(MalformedDataException.class, () -> Idx.read(g2));
        assertTrue(e.getMessage().contains("need 2000 bytes of data but the file holds 1999"), e.getMessage());
        Path trailing = write("trailing", idx(0x08, new int[] {3}, new byte[] {1, 2, 3, 4}));
        e = assertThrows(MalformedDataException.class, () -> Idx.read(trailing));
        assertTrue(e.getMessage().contains("1 trailing bytes"), e.getMessage());
        Path trailingGz = write("trailing.gz", gzip(idx(0x08, new int[] {3}, new byte[] {1, 2, 3, 4})));
        e = assertThrows(MalformedDataException.class, () -> Idx.read(trailingGz));
        assertTrue(e.getMessage().contains("trailing bytes"), e.getMessage());
    }

    @Test
    void dimensionsLargerThanTheFileFailBeforeAllocating() throws IOException {
        Path p = write("huge", idx(0x08, new int[] {100000, 28, 28}, new byte[10]));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.read(p));
        assertTrue(e.getMessage().contains("need 78400000 bytes of data but the file holds 10"), e.getMessage());
        // 2^31 elements: more than a tensor holds
        Path q = write("overflow", idx(0x0D, new int[] {65536, 32768}, new byte[10]));
        e = assertThrows(MalformedDataException.class, () -> Idx.read(q));
        assertTrue(e.getMessage().contains("more than a tensor can hold"), e.getMessage());
        // a small gzip file cannot expand to 1.5 GB: refused before allocating
        Path g = write("huge.gz", gzip(idx(0x08, new int[] {60000, 5000, 5}, new byte[100])));
        e = assertThrows(MalformedDataException.class, () -> Idx.read(g));
        assertTrue(e.getMessage().contains("more than a gzip file of"), e.getMessage());
        Path neg = write("negative", idx(0x08, new int[] {-3}, new byte[0]));
        e = assertThrows(MalformedDataException.class, () -> Idx.read(neg));
        assertTrue(e.getMessage().contains("dimension 0 is negative (-3)"), e.getMessage());
    }

    @Test
    void headersWhoseSizesOverflowGetAFormatError() throws IOException {
        // the element count overflows a long: refused, not a NegativeArraySizeException
        int m = Integer.MAX_VALUE;
        for (String name : new String[] {"overflow3", "overflow3.gz"}) {
            byte[] bytes = idx(0x08, new int[] {m, m, m}, new byte[4]);
            Path p = write(name, name.endsWith(".gz") ? gzip(bytes) : bytes);
            MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.read(p));
            assertTrue(e.getMessage().contains("more than 2^63 elements, more than a tensor can hold"), e.getMessage());
        }
        // few enough elements for an array, but their bytes are not: 40000 x 40000 floats
        for (String name : new String[] {"bytes", "bytes.gz"}) {
            byte[] bytes = idx(0x0D, new int[] {40000, 40000}, new byte[16]);
            Path p = write(name, name.endsWith(".gz") ? gzip(bytes) : bytes);
            MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.read(p));
            assertTrue(
                    e.getMessage().contains("6400000000 bytes of data, more than one array can hold"), e.getMessage());
        }
    }

    @Test
    void aGzipHeaderThatLiesFailsWithoutAllocatingTheAnnouncedSize() throws IOException {
        // 1 MB of incompressible data behind a header announcing 1e9 bytes: within the gzip ratio check,
        // so only reading as the data arrives keeps the reader from allocating a gigabyte first
        byte[] data = new byte[1 << 20];
        new java.util.Random(1).nextBytes(data);
        Path p = write("liar.gz", gzip(idx(0x08, new int[] {1_000_000_000}, data)));
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.read(p));
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(
                e.getMessage().contains("truncated") && e.getMessage().contains("need 1000000000 bytes"),
                e.getMessage());
        assertTrue(allocated < 64L << 20, "allocated " + allocated + " bytes to read a 1 MB file");
    }

    @Test
    void otherElementTypes() throws IOException {
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(6 * 8);
        bb.putInt(-7).putInt(1 << 20).putInt(3);
        Path ints = write("ints", idx(0x0C, new int[] {3}, Arrays.copyOf(bb.array(), 12)));
        Tensor t = Idx.read(ints);
        assertEquals(DType.INT32, t.dtype());
        assertArrayEquals(new int[] {-7, 1 << 20, 3}, t.toIntArray());

        bb.clear();
        bb.putFloat(1.5f).putFloat(-2.25f).putFloat(0f).putFloat(3e-5f);
        Path floats = write("floats", idx(0x0D, new int[] {2, 2}, Arrays.copyOf(bb.array(), 16)));
        Tensor f = Idx.read(floats);
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(new float[] {1.5f, -2.25f, 0f, 3e-5f}, f.toFloatArray());

        bb.clear();
        bb.putDouble(Math.PI).putDouble(-1e300);
        Tensor d = Idx.read(write("doubles", idx(0x0E, new int[] {2}, Arrays.copyOf(bb.array(), 16))));
        assertArrayEquals(new double[] {Math.PI, -1e300}, d.toDoubleArray());

        bb.clear();
        bb.putShort((short) -300).putShort((short) 300);
        Tensor s = Idx.read(write("shorts", idx(0x0B, new int[] {2}, Arrays.copyOf(bb.array(), 4))));
        assertArrayEquals(new int[] {-300, 300}, s.toIntArray());

        Tensor sb = Idx.read(write("sbytes", idx(0x09, new int[] {2}, new byte[] {-1, 127})));
        assertArrayEquals(new int[] {-1, 127}, sb.toIntArray());
        Tensor ub = Idx.read(write("ubytes", idx(0x08, new int[] {2}, new byte[] {-1, 127})));
        assertArrayEquals(new int[] {255, 127}, ub.toIntArray());
        Path floats2 = floats;
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.readScaled(floats2, 1));
        assertTrue(e.getMessage().contains("expected unsigned bytes"), e.getMessage());
    }

    @Test
    void mnistChecksItsFiles() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("m"));
        Files.write(dir.resolve("train-images-idx3-ubyte"), idx(0x08, new int[] {2, 3, 3}, new byte[18]));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(0x08, new int[] {3}, new byte[3]));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Mnist.load(dir, Mnist.Split.TRAIN));
        assertTrue(e.getMessage().contains("3 labels for 2 images"), e.getMessage());
        assertThrows(java.io.FileNotFoundException.class, () -> Mnist.load(dir, Mnist.Split.TEST));
        // MNIST's dotted names are accepted
        Files.write(
                dir.resolve("t10k-images.idx3-ubyte"),
                idx(0x08, new int[] {1, 2, 2}, new byte[] {0, 51, (byte) 255, 1}));
        Files.write(dir.resolve("t10k-labels.idx1-ubyte"), idx(0x08, new int[] {1}, new byte[] {7}));
        TensorDataset t = Mnist.load(dir, Mnist.Split.TEST);
        assertArrayEquals(new float[] {0f, 0.2f, 1f, 1 / 255f}, t.input().toFloatArray(), 1e-7f);
        assertArrayEquals(new int[] {1, 1, 2, 2}, t.input().shape());
        assertEquals(7, t.target().getInt(0));
    }
}
