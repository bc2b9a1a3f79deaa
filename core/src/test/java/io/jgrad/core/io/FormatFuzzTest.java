package io.jgrad.core.io;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds thousands of mutated files (seeded byte flips, truncations, extensions, header edits and
 * length-field edits) to each reader. A reader may accept a mutated file or throw its own
 * {@link TensorFormatException}; any other exception or error (including running out of memory or
 * stack) fails, and so does exceeding the time bound.
 */
class FormatFuzzTest {
    private static final int ROUNDS = 3000;
    /** About 3 s here on a shared machine: generous, while a hang or a huge allocation blows it. */
    private static final Duration BOUND = Duration.ofSeconds(10);
    /** File reads are slow on some disks: every PATH_EVERY-th mutation goes through the path reader. */
    private static final int PATH_EVERY = 50;

    /** Tokens spliced into headers: JSON/Python syntax, numbers at the edges of int/long, dtype names. */
    private static final String[] TOKENS = {
        "0",
        "1",
        "9",
        "-1",
        "-0",
        "00",
        "2147483647",
        "2147483648",
        "4294967296",
        "9223372036854775807",
        "9223372036854775808",
        "18446744073709551616",
        "99999999999999999999999999",
        "1e400",
        "1.5",
        "NaN",
        "{",
        "}",
        "[",
        "]",
        "(",
        ")",
        "\"",
        "'",
        ",",
        ":",
        "\\",
        "\\u",
        "\\ud800",
        "\\u0000",
        " ",
        "\n",
        "\u00e9",
        "\"dtype\"",
        "\"shape\"",
        "\"data_offsets\"",
        "\"__metadata__\"",
        "F32",
        "F16",
        "BF16",
        "U32",
        "I64",
        "BOOL",
        "F99",
        "'descr'",
        "'shape'",
        "'fortran_order'",
        "True",
        "False",
        "<f4",
        ">f8",
        "<i8",
        ">i8",
        "|b1",
        "<f2",
        "<u1",
        "[0,0]",
        "[]",
        "()",
        "(0,)",
        "(2147483647, 2147483647)",
        "[2147483647,2147483647]",
        "null",
        "true",
    };

    @TempDir
    Path dir;

    private interface Reader {
        void read(byte[] file) throws IOException;
    }

    /** A seed file and the end of its header (mutations favour the header). */
    private static final class Seed {
        final byte[] bytes;
        final int headerEnd;
        final boolean safetensors;

        Seed(byte[] bytes, boolean safetensors) {
            this.bytes = bytes;
            this.safetensors = safetensors;
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (safetensors) {
                headerEnd = (int) (8 + b.getLong(0));
            } else {
                headerEnd = bytes[6] == 1 ? 10 + (b.getShort(8) & 0xffff) : 12 + b.getInt(8);
            }
        }
    }

    @Test
    void npyReadersThrowOnlyTensorFormatException() {
        List<Seed> seeds = new ArrayList<>();
        for (String name : new String[] {
            "f4_c.npy",
            "f8_fortran.npy",
            "i4_be.npy",
            "f4_scalar.npy",
            "f4_empty.npy",
            "f4_v2.npy",
            "f4_v3.npy",
            "i4_extremes.npy",
            "i8_extremes.npy",
            "i8_be_fortran.npy",
            "b1_2d.npy",
            "f2_special.npy"
        }) {
            seeds.add(new Seed(Fixtures.bytes(name), false));
        }
        seeds.add(new Seed(
                Npy.toBytes(Tensor.randn(new Generator(1), DType.FLOAT64, 3, 2).t()), false));
        seeds.add(new Seed(Npy.toBytes(Tensor.of(new long[] {Long.MIN_VALUE, 1, 2, 3}, 2, 2)), false));
        seeds.add(new Seed(Npy.toBytes(Tensor.of(new boolean[] {true, false, true})), false));
        seeds.add(new Seed(Npy.toBytes(Tensor.randn(new Generator(4), 5).to(DType.FLOAT16)), false));
        Path file = dir.resolve("fuzz.npy");
        int accepted = assertTimeoutPreemptively(
                BOUND,
                () -> fuzz(
                        seeds,
                        101,
                        b -> Npy.read(b, "fuzz.npy"),
                        b -> Npy.read(new ByteArrayInputStream(b), "fuzz.npy"),
                        b -> {
                            Files.write(file, b);
                            Npy.read(file);
                        }));
        // Some mutations (e.g. of data bytes) leave valid files: the fuzzer must not only produce garbage.
        assertTrue(accepted > ROUNDS / 20 && accepted < ROUNDS * 19 / 20, "accepted " + accepted + " of " + ROUNDS);
    }

    @Test
    void safetensorsReadersThrowOnlyTensorFormatException() {
        List<Seed> seeds = new ArrayList<>();
        for (String name : new String[] {
            "torch_mixed.safetensors",
            "torch_spaced.safetensors",
            "torch_no_metadata.safetensors",
            "reference/overall.safetensors",
            "reference/e.safetensors",
            "torch_new_dtypes.safetensors",
            "torch_bool.safetensors",
            "torch_i64.safetensors"
        }) {
            seeds.add(new Seed(Fixtures.bytes(name), true));
        }
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Tensor.randn(new Generator(2), 4, 3).t());
        m.put("b", Tensor.arange(5));
        m.put("s", Tensor.scalar(DType.FLOAT64, 2));
        m.put("l", Tensor.of(new long[] {-1, Long.MAX_VALUE}));
        m.put("m", Tensor.of(new boolean[] {true, false, true}, 3, 1));
        m.put("h", Tensor.randn(new Generator(3), 2, 2).to(DType.FLOAT16));
        m.put("bh", Tensor.randn(new Generator(5), 3).to(DType.BFLOAT16));
        seeds.add(new Seed(SafeTensors.toBytes(m, Map.of("epoch", "3")), true));
        Path file = dir.resolve("fuzz.safetensors");
        int accepted = assertTimeoutPreemptively(
                BOUND,
                () -> fuzz(
                        seeds,
                        202,
                        b -> SafeTensors.read(b, "fuzz.safetensors"),
                        b -> SafeTensors.read(new ByteArrayInputStream(b), "fuzz.safetensors"),
                        b -> {
                            Files.write(file, b);
                            SafeTensors.read(file, name -> name.length() % 2 == 0);
                        }));
        assertTrue(accepted > ROUNDS / 20 && accepted < ROUNDS * 19 / 20, "accepted " + accepted + " of " + ROUNDS);
    }

    /**
     * Runs {@link #ROUNDS} mutations through the in-memory and stream readers, and every
     * {@link #PATH_EVERY}-th through the file reader. Returns how many mutated files the first reader
     * accepted.
     */
    private static int fuzz(List<Seed> seeds, long randomSeed, Reader bytes, Reader stream, Reader path) {
        Random r = new Random(randomSeed);
        int accepted = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Seed seed = seeds.get(r.nextInt(seeds.size()));
            StringBuilder how = new StringBuilder();
            byte[] file = mutate(seed, r, how);
            Reader[] readers =
                    round % PATH_EVERY == 0 ? new Reader[] {bytes, stream, path} : new Reader[] {bytes, stream};
            boolean firstAccepted = false;
            for (int k = 0; k < readers.length; k++) {
                try {
                    readers[k].read(file);
                    if (k == 0) {
                        firstAccepted = true;
                    }
                } catch (TensorFormatException expected) {
                    // The only failure a reader may report.
                } catch (Throwable t) {
                    fail("round " + round + " (" + how + "), reader " + k + " threw " + t, t);
                }
            }
            if (firstAccepted) {
                accepted++;
            }
        }
        return accepted;
    }

    private static byte[] mutate(Seed seed, Random r, StringBuilder how) {
        byte[] b = seed.bytes.clone();
        int headerEnd = Math.min(seed.headerEnd, b.length);
        int steps = 1 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0);
        for (int s = 0; s < steps; s++) {
            int kind = r.nextInt(9);
            how.append(how.length() > 0 ? "; " : "");
            switch (kind) {
                case 0: { // random bytes anywhere
                    int n = 1 + r.nextInt(8);
                    for (int k = 0; k < n && b.length > 0; k++) {
                        b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                    }
                    how.append("set ").append(n).append(" random bytes");
                    break;
                }
                case 1: { // truncate
                    int len = b.length == 0 ? 0 : r.nextInt(b.length);
                    b = Arrays.copyOf(b, len);
                    how.append("truncate to ").append(len);
                    break;
                }
                case 2: { // append
                    int n = 1 + r.nextInt(64);
                    byte[] extra = new byte[n];
                    r.nextBytes(extra);
                    byte[] c = Arrays.copyOf(b, b.length + n);
                    System.arraycopy(extra, 0, c, b.length, n);
                    b = c;
                    how.append("append ").append(n);
                    break;
                }
                case 3: // overwrite part of the header with a token
                case 4: { // insert a token into the header
                    String token = TOKENS[r.nextInt(TOKENS.length)];
                    byte[] t = token.getBytes(StandardCharsets.UTF_8);
                    int at = Math.min(b.length, r.nextInt(Math.max(1, Math.min(headerEnd, b.length) + 1)));
                    if (kind == 3) {
                        for (int k = 0; k < t.length && at + k < b.length; k++) {
                            b[at + k] = t[k];
                        }
                        how.append("overwrite at ").append(at).append(" with ").append(token);
                    } else {
                        b = splice(b, at, 0, t);
                        how.append("insert at ").append(at).append(' ').append(token);
                    }
                    break;
                }
                case 5: { // delete a span of the header
                    int at = r.nextInt(Math.max(1, Math.min(headerEnd, b.length)));
                    int n = Math.min(b.length - at, 1 + r.nextInt(8));
                    b = splice(b, at, Math.max(0, n), new byte[0]);
                    how.append("delete ").append(n).append(" at ").append(at);
                    break;
                }
                case 6: { // rewrite the header length field
                    long v;
                    switch (r.nextInt(4)) {
                        case 0:
                            v = ((long) headerEnd - (seed.safetensors ? 8 : 10)) + r.nextInt(33) - 16;
                            break;
                        case 1:
                            v = r.nextInt();
                            break;
                        case 2:
                            v = r.nextLong();
                            break;
                        default:
                            v = (long) b.length - r.nextInt(16);
                            break;
                    }
                    ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
                    if (seed.safetensors && b.length >= 8) {
                        bb.putLong(0, v);
                    } else if (!seed.safetensors && b.length >= 12) {
                        if (b[6] == 1) {
                            bb.putShort(8, (short) v);
                        } else {
                            bb.putInt(8, (int) v);
                        }
                    }
                    how.append("header length ").append(v);
                    break;
                }
                case 7: { // replace a run of digits in the header with a numeric token
                    int start = r.nextInt(Math.max(1, Math.min(headerEnd, b.length)));
                    while (start < Math.min(headerEnd, b.length) && !isDigit(b[start])) {
                        start++;
                    }
                    int end = start;
                    while (end < Math.min(headerEnd, b.length) && isDigit(b[end])) {
                        end++;
                    }
                    String token = TOKENS[r.nextInt(16)];
                    if (start < b.length) {
                        b = splice(b, start, end - start, token.getBytes(StandardCharsets.US_ASCII));
                    }
                    how.append("number at ").append(start).append(" -> ").append(token);
                    break;
                }
                default: { // flip one bit in the data
                    if (b.length > headerEnd) {
                        int at = headerEnd + r.nextInt(b.length - headerEnd);
                        b[at] ^= (byte) (1 << r.nextInt(8));
                        how.append("flip a data bit at ").append(at);
                    } else {
                        how.append("no data to flip");
                    }
                }
            }
        }
        return b;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + insert.length);
        out.write(b, 0, at);
        out.write(insert, 0, insert.length);
        out.write(b, at + remove, b.length - at - remove);
        return out.toByteArray();
    }
}
