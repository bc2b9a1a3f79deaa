package io.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ByteImageDatasetTest {
    @Test
    void batchesEqualTheFloatDatasetOnFashionMnist() throws IOException {
        Path dir = IdxTest.resource("t10k-images-idx3-ubyte.gz").getParent();
        TensorDataset floats = Mnist.load(dir, Mnist.Split.TEST);
        ByteImageDataset bytes = Mnist.loadBytes(dir, Mnist.Split.TEST);
        assertEquals(floats.size(), bytes.size());
        assertArrayEquals(new int[] {1, 28, 28}, bytes.itemShape());
        int[] idx = {99, 0, 42, 42, 7};
        Batch a = floats.getBatch(idx);
        Batch b = bytes.getBatch(idx);
        assertEquals(DType.FLOAT32, b.input().dtype());
        assertArrayEquals(a.input().shape(), b.input().shape());
        assertArrayEquals(a.input().toFloatArray(), b.input().toFloatArray(), 0f);
        assertArrayEquals(a.target().toIntArray(), b.target().toIntArray());
        Sample s = bytes.get(42);
        assertArrayEquals(new int[] {1, 28, 28}, s.input().shape());
        assertArrayEquals(floats.get(42).input().toFloatArray(), s.input().toFloatArray(), 0f);
        assertEquals(floats.target().getInt(42), s.target().item(), 0);
        assertArrayEquals(
                floats.input().narrow(0, 10, 5).toFloatArray(),
                bytes.range(10, 5).input().toFloatArray(),
                0f);
        TensorDataset all = bytes.toTensorDataset();
        assertArrayEquals(floats.input().toFloatArray(), all.input().toFloatArray(), 0f);
    }

    @Test
    void largeBatchesConvertedInParallelEqualTheImagesOneByOne() throws IOException {
        Path dir = IdxTest.resource("t10k-images-idx3-ubyte.gz").getParent();
        ByteImageDataset bytes = Mnist.loadBytes(dir, Mnist.Split.TEST);
        int before = io.jgrad.core.kernel.Parallel.threads();
        try {
            io.jgrad.core.kernel.Parallel.setThreads(2);
            int[] idx = new int[300]; // 235K values: several chunks
            for (int k = 0; k < idx.length; k++) {
                idx[k] = (k * 7919) % bytes.size();
            }
            float[] batch = bytes.getBatch(idx).input().toFloatArray();
            int item = 28 * 28;
            for (int k = 0; k < idx.length; k++) {
                float[] one = bytes.get(idx[k]).input().toFloatArray();
                for (int q = 0; q < item; q++) {
                    assertEquals(one[q], batch[k * item + q], 0f, "image " + k + " value " + q);
                }
            }
            int[] bad = idx.clone();
            bad[250] = bytes.size();
            assertThrows(IndexOutOfBoundsException.class, () -> bytes.getBatch(bad));
        } finally {
            io.jgrad.core.kernel.Parallel.setThreads(before);
        }
    }

    @Test
    void worksWithTheDataLoader() {
        byte[] px = new byte[6 * 4];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i * 10);
        }
        ByteImageDataset d =
                new ByteImageDataset(px, new int[] {2, 2}, Tensor.wrap(new int[] {0, 1, 2, 3, 4, 5}, 6), 0.5);
        int seen = 0;
        for (Batch b : DataLoader.builder(d).batchSize(4).shuffle(true).seed(3).build()) {
            Tensor x = b.input();
            int[] y = b.target().toIntArray();
            for (int k = 0; k < y.length; k++) {
                // image i holds bytes 4i .. 4i+3, each times 10, then scaled by 0.5
                assertEquals(y[k] * 4 * 10 * 0.5f, x.getFloat(k, 0, 0), 0f);
                assertEquals(((y[k] * 4 + 3) * 10 & 0xFF) * 0.5f, x.getFloat(k, 1, 1), 0f);
            }
            seen += y.length;
        }
        assertEquals(6, seen);
        assertNull(new ByteImageDataset(px, new int[] {4}, null, 1)
                .getBatch(new int[] {1})
                .target());
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> new ByteImageDataset(new byte[10], new int[] {1, 3, 3}, null, 1));
        assertTrue(e.getMessage().contains("10 bytes") && e.getMessage().contains("(1, 3, 3)"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new ByteImageDataset(new byte[9], new int[] {3, 3}, Tensor.wrap(new int[] {1, 2}, 2), 1));
        assertTrue(e.getMessage().contains("1 images but a target of shape (2,)"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> new ByteImageDataset(new byte[9], new int[] {3, 0}, null, 1));
        assertTrue(e.getMessage().contains("not positive"), e.getMessage());
        ByteImageDataset d = new ByteImageDataset(new byte[9], new int[] {3}, null, 1);
        IndexOutOfBoundsException o = assertThrows(IndexOutOfBoundsException.class, () -> d.getBatch(new int[] {0, 3}));
        assertTrue(
                o.getMessage().contains("ByteImageDataset.getBatch")
                        && o.getMessage().contains("3"),
                o.getMessage());
        o = assertThrows(IndexOutOfBoundsException.class, () -> d.range(2, 2));
        assertTrue(o.getMessage().contains("[2, 4)"), o.getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.getBatch(new int[0]));
    }

    @Test
    void sizesThatOverflowAreNamedNotWrapped() {
        // an image shape of 2^32 values, and one of 2^64 (which a wrapping product would make 0)
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new ByteImageDataset(new byte[16], new int[] {65536, 65536}, null, 1));
        assertTrue(e.getMessage().contains("(65536, 65536) has more values than one tensor holds"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> new ByteImageDataset(new byte[16], new int[] {65536, 65536, 65536, 65536}, null, 1));
        // a batch of 2048 images of 2^20 values: 2^31 floats, more than an array holds
        ByteImageDataset big = new ByteImageDataset(new byte[1 << 20], new int[] {1, 1024, 1024}, null, 1);
        e = assertThrows(IllegalArgumentException.class, () -> big.getBatch(new int[2048]));
        assertTrue(
                e.getMessage().contains("2048 images of shape (1, 1024, 1024) are 2147483648 values"), e.getMessage());
        // an empty dataset stays allowed
        assertEquals(0, new ByteImageDataset(new byte[0], new int[] {1, 28, 28}, null, 1).size());
    }
}
