package io.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jgrad.core.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile IDX headers and mutated IDX files, plain and gzip-compressed. The reader either returns a
 * tensor of the dimensions its header announces or throws {@link MalformedDataException} naming the
 * file; nothing else (no {@code NegativeArraySizeException}, no {@code OutOfMemoryError}, no bare
 * {@code EOFException}), and it never allocates much more than the file's content.
 */
class IdxFuzzTest {
    private static final int M = Integer.MAX_VALUE;
    /** Reading a file of a few kilobytes allocates far less than this, whatever its header claims. */
    private static final long ALLOCATION_BOUND = 32L << 20;

    private static final int ROUNDS = 800;
    /** About 3 s here on a shared machine: generous, while a hang or a huge allocation blows it. */
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private int files;

    /** The magic number, the dimensions big-endian, then {@code data}. */
    private static byte[] idx(int typeCode, int nd, int[] dims, byte[] data) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bos)) {
            out.write(new byte[] {0, 0, (byte) typeCode, (byte) nd});
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bos.toByteArray();
    }

    private static byte[] idx(int typeCode, int[] dims, int dataBytes) {
        byte[] data = new byte[dataBytes];
        for (int k = 0; k < dataBytes; k++) {
            data[k] = (byte) (k * 37 + 11);
        }
        return idx(typeCode, dims.length, dims, data);
    }

    private static byte[] gzip(byte[] b) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bos)) {
            out.write(b);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bos.toByteArray();
    }

    private Path file(byte[] plain, boolean gz) throws IOException {
        Path p = tmp.resolve("f" + files++ + (gz ? "-idx-ubyte.gz" : "-idx-ubyte"));
        Files.write(p, gz ? gzip(plain) : plain);
        return p;
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /**
     * Asserts that the file, plain and gzip-compressed, is refused by every entry point with a
     * {@link MalformedDataException} that names it and contains {@code fragments}, allocating little.
     */
    private void refused(byte[] plain, String... fragments) throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            Path p = file(plain, gz);
            long before = allocatedBytes();
            MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.read(p), p.toString());
            long allocated = allocatedBytes() - before;
            assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
            for (String f : fragments) {
                assertTrue(e.getMessage().contains(f), "expected '" + f + "' in: " + e.getMessage());
            }
            assertTrue(allocated < ALLOCATION_BOUND, "allocated " + allocated + " bytes for " + e.getMessage());
            assertThrows(MalformedDataException.class, () -> Idx.readScaled(p, 1 / 255.0), p.toString());
            assertThrows(MalformedDataException.class, () -> Idx.readUnsignedBytes(p), p.toString());
        }
    }

    @Test
    void dimensionsWhoseProductOverflowsAreFormatErrors() throws IOException {
        // 2^31 elements: past what an array holds
        refused(idx(0x08, new int[] {65536, 32768}, 64), "(65536, 32768)", "2147483648 elements", "more than a tensor");
        refused(idx(0x08, new int[] {46341, 46341}, 64), "(46341, 46341)", "2147488281 elements");
        // past a long: the product is not computed by wrapping arithmetic
        refused(idx(0x08, new int[] {M, M, M}, 64), "(2147483647, 2147483647, 2147483647)", "more than 2^63 elements");
        int[] sixteen = new int[16];
        Arrays.fill(sixteen, 1 << 16);
        refused(idx(0x08, sixteen, 64), "more than 2^63 elements");
        // few enough elements, but too many bytes: 40000 x 40000 floats, 2 x 2^28 doubles
        refused(idx(0x0D, new int[] {40000, 40000}, 64), "6400000000 bytes of data, more than one array can hold");
        refused(idx(0x0E, new int[] {2, 1 << 28}, 64), "4294967296 bytes of data");
        // no element at all, yet the other dimensions overflow: no tensor can index such rows
        refused(idx(0x08, new int[] {M, M, 0}, 0), "(2147483647, 2147483647, 0)", "no element");
        refused(idx(0x08, new int[] {0, M, M}, 0), "no element");
        refused(idx(0x08, new int[] {M, M, M, 0}, 0), "no element");
        // the largest element count a tensor holds, but a file far too short: refused before allocating
        refused(idx(0x08, new int[] {M - 8}, 100), "2147483639 bytes of data");
        refused(idx(0x0C, new int[] {(M - 8) / 4}, 100), "2147483636 bytes of data");
    }

    @Test
    void negativeDimensionsAreFormatErrors() throws IOException {
        for (int v : new int[] {Integer.MIN_VALUE, -1, 0x8000001C, 0xFFFF0000}) {
            for (int at = 0; at < 3; at++) {
                int[] dims = {2, 3, 4};
                dims[at] = v;
                refused(idx(0x08, dims, 24), "dimension " + at + " is negative (" + v + ")");
            }
        }
    }

    @Test
    void wrongMagicNumbersAreFormatErrors() throws IOException {
        byte[] good = idx(0x08, new int[] {2, 3}, 6);
        for (int k = 0; k < 2; k++) {
            for (int v : new int[] {1, 0x80, 0xFF}) {
                byte[] b = good.clone();
                b[k] = (byte) v;
                refused(b, "not an IDX file: bad magic number");
            }
        }
        List<Integer> types = List.of(0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E);
        for (int t = 0; t < 256; t++) {
            if (!types.contains(t)) {
                byte[] b = good.clone();
                b[2] = (byte) t;
                refused(b, String.format("unknown type code 0x%02X", t));
            }
        }
        // gzip's magic bytes with no valid stream behind them
        Path p = tmp.resolve("not-gzip");
        Files.write(p, new byte[] {0x1f, (byte) 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Idx.read(p));
        assertTrue(e.getMessage().contains("invalid gzip data"), e.getMessage());
        assertThrows(MalformedDataException.class, () -> Idx.readHeader(p));
        // text and empty files
        refused("label,pixel\n1,2\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "bad magic number");
        refused(new byte[0], "shorter than the 4-byte magic number");
    }

    @Test
    void zeroAndTooManyDimensions() throws IOException {
        refused(idx(0x08, 0, new int[0], new byte[8]), "0 dimensions (expected 1 to 16)");
        for (int nd : new int[] {17, 64, 255}) {
            int[] ones = new int[nd];
            Arrays.fill(ones, 1);
            refused(idx(0x08, ones, 1), nd + " dimensions (expected 1 to 16)");
        }
        // sixteen dimensions are allowed
        int[] ones = new int[16];
        Arrays.fill(ones, 1);
        ones[3] = 2;
        for (boolean gz : new boolean[] {false, true}) {
            Tensor t = Idx.read(file(idx(0x08, ones, 2), gz));
            assertArrayEquals(ones, t.shape());
            // a dimension of size 0 is an empty tensor, and then no byte may follow the header
            Tensor empty = Idx.read(file(idx(0x08, new int[] {0, 28, 28}, 0), gz));
            assertArrayEquals(new int[] {0, 28, 28}, empty.shape());
            assertEquals(0, Idx.readUnsignedBytes(file(idx(0x08, new int[] {5, 0}, 0), gz)).length);
        }
        refused(idx(0x08, new int[] {0, 28, 28}, 3), "need 0 bytes of data", "trailing bytes");
        // the announced dimensions themselves cut short
        refused(Arrays.copyOf(idx(0x08, new int[] {2, 3, 4}, 0), 9), "truncated header: 3 dimensions announced");
    }

    @Test
    void everyTruncationIsAFormatError() throws IOException {
        for (int type : new int[] {0x08, 0x0B, 0x0E}) {
            int[] dims = type == 0x08 ? new int[] {3, 4, 5} : new int[] {2, 3};
            int numel = Arrays.stream(dims).reduce(1, (a, b) -> a * b);
            byte[] whole = idx(type, dims, numel * (type == 0x08 ? 1 : type == 0x0B ? 2 : 8));
            for (boolean gz : new boolean[] {false, true}) {
                assertEquals(numel, Idx.read(file(whole, gz)).numel());
            }
            for (int len = 0; len < whole.length; len++) {
                refused(Arrays.copyOf(whole, len));
            }
            // the compressed bytes cut anywhere (the gzip trailer holds a length and a checksum)
            byte[] gz = gzip(whole);
            for (int len = 0; len < gz.length; len++) {
                Path p = tmp.resolve("cut" + type + "-" + len + ".gz");
                Files.write(p, Arrays.copyOf(gz, len));
                MalformedDataException e =
                        assertThrows(MalformedDataException.class, () -> Idx.read(p), "cut at " + len);
                assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
                // the header alone may still be whole; if not, that too is a format error
                try {
                    assertEquals(3, Idx.readHeader(p).dims().length + (type == 0x08 ? 0 : 1));
                } catch (MalformedDataException expected) {
                    assertTrue(expected.getMessage().startsWith(p + ": "), expected.getMessage());
                }
            }
        }
    }

    @Test
    void mutatedFilesReadOrFailWithAFormatError() {
        byte[][] seeds = {
            idx(0x08, new int[] {4, 7, 5}, 140),
            idx(0x08, new int[] {33}, 33),
            idx(0x09, new int[] {2, 2, 2, 2}, 16),
            idx(0x0B, new int[] {6, 3}, 36),
            idx(0x0C, new int[] {5}, 20),
            idx(0x0D, new int[] {3, 3}, 36),
            idx(0x0E, new int[] {2, 1, 3}, 48),
        };
        int accepted = assertTimeoutPreemptively(BOUND, () -> fuzz(seeds, new Random(20260806)));
        // some mutations leave valid files (a changed data byte); most must not
        assertTrue(accepted > ROUNDS / 20 && accepted < ROUNDS * 19 / 20, "accepted " + accepted + " of " + ROUNDS);
    }

    /** Mutates seed files {@link #ROUNDS} times, read plain and compressed in turn; returns how many read. */
    private int fuzz(byte[][] seeds, Random r) throws IOException {
        int accepted = 0;
        for (int round = 0; round < ROUNDS; round++) {
            byte[] seed = seeds[r.nextInt(seeds.length)];
            StringBuilder how = new StringBuilder();
            byte[] plain = mutateIdx(seed, r, how);
            boolean gz = round % 2 == 1;
            byte[] bytes = gz ? gzip(plain) : plain;
            if (gz && r.nextInt(4) == 0) {
                // damage the compressed stream itself
                int at = r.nextInt(bytes.length);
                bytes[at] ^= (byte) (1 + r.nextInt(255));
                how.append("; compressed byte ").append(at).append(" changed");
            }
            Path p = tmp.resolve("fuzz" + (gz ? ".gz" : ""));
            Files.write(p, bytes);
            long before = allocatedBytes();
            try {
                Tensor t = Idx.read(p);
                Idx.Header h = Idx.readHeader(p);
                assertArrayEquals(h.dims(), t.shape(), "round " + round + " (" + how + ")");
                assertEquals(h.numel(), t.numel(), "round " + round + " (" + how + ")");
                accepted++;
            } catch (MalformedDataException expected) {
                if (!expected.getMessage().startsWith(p + ": ")) {
                    fail("round " + round + " (" + how + "): the message does not name the file: " + expected);
                }
            } catch (Throwable e) {
                fail("round " + round + " (" + how + ", " + (gz ? "gzip" : "plain") + ") threw " + e, e);
            }
            long allocated = allocatedBytes() - before;
            assertTrue(allocated < ALLOCATION_BOUND, "round " + round + " (" + how + ") allocated " + allocated);
        }
        return accepted;
    }

    /** One to three edits aimed at the IDX layout: magic, rank, dimensions, length and data. */
    private static byte[] mutateIdx(byte[] seed, Random r, StringBuilder how) {
        byte[] b = seed.clone();
        int header = 4 + 4 * (b[3] & 0xFF);
        int edits = 1 + (r.nextInt(3) == 0 ? r.nextInt(3) : 0);
        for (int k = 0; k < edits; k++) {
            how.append(k > 0 ? "; " : "");
            int what = r.nextInt(8);
            if (what == 0 && b.length >= 4) {
                int at = r.nextInt(4);
                b[at] = (byte) r.nextInt(256);
                how.append("magic byte ").append(at).append(" = ").append(b[at] & 0xFF);
            } else if (what == 1 && b.length >= 4) {
                int nd = r.nextBoolean() ? (b[3] & 0xFF) + r.nextInt(5) - 2 : r.nextInt(256);
                b[3] = (byte) nd;
                how.append("rank byte = ").append(b[3] & 0xFF);
            } else if (what <= 3 && b.length >= header) {
                int[] edge = {0, 1, -1, Integer.MIN_VALUE, M, M - 8, 1 << 16, 1 << 30, 46341, r.nextInt()};
                int d = r.nextInt((header - 4) / 4);
                int v = edge[r.nextInt(edge.length)];
                ByteBuffer.wrap(b).putInt(4 + 4 * d, v);
                how.append("dimension ").append(d).append(" = ").append(v);
            } else if (what == 4) {
                int len = r.nextInt(b.length + 1);
                b = Arrays.copyOf(b, len);
                how.append("cut to ").append(len);
            } else if (what == 5) {
                int n = 1 + r.nextInt(40);
                b = Arrays.copyOf(b, b.length + n);
                how.append("extended by ").append(n);
            } else if (b.length > 0) {
                int at = r.nextInt(b.length);
                b[at] = (byte) r.nextInt(256);
                how.append("byte ").append(at).append(" = ").append(b[at] & 0xFF);
            }
        }
        return b;
    }
}
