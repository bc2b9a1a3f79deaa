package io.jgrad.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The float16 and bfloat16 conversions against known bit patterns and against PyTorch's CPU
 * conversion of about 4000 inputs (io/half_conversions.txt, written by make_io_fixtures.py).
 */
class HalfTest {
    private static String hex(short s) {
        return String.format("0x%04x", s & 0xffff);
    }

    private static void half(int expectedBits, float f) {
        assertEquals(hex((short) expectedBits), hex(Half.floatToHalf(f)), "float16 of " + f);
    }

    private static void bf16(int expectedBits, float f) {
        assertEquals(hex((short) expectedBits), hex(Half.floatToBfloat16(f)), "bfloat16 of " + f);
    }

    @Test
    void knownFloat16Patterns() {
        half(0x0000, 0f);
        half(0x8000, -0f);
        half(0x3c00, 1f);
        half(0xc000, -2f);
        half(0x7bff, 65504f); // largest finite
        half(0x7bff, 65519.996f); // just below the midpoint to infinity
        half(0x7c00, 65520f); // the midpoint rounds to even: infinity
        half(0x7c00, 1e10f);
        half(0xfc00, Float.NEGATIVE_INFINITY);
        half(0x0400, 0x1p-14f); // smallest normal
        half(0x0001, 0x1p-24f); // smallest subnormal
        half(0x0000, 0x1p-25f); // half of it: a tie, to even zero
        half(0x0001, Math.nextUp(0x1p-25f));
        half(0x0002, 3 * 0x1p-25f); // 1.5 units: a tie, to even 2
        half(0x0002, 5 * 0x1p-25f); // 2.5 units: a tie, to even 2
        half(0x0400, 0x1p-14f - 0x1p-25f); // rounds up out of the subnormals
        half(0x3c00, 1 + 0x1p-11f); // tie between 1 and 1 + 2^-10: even
        half(0x3c02, 1 + 3 * 0x1p-11f); // tie: up to the even mantissa
        half(0x3555, 1f / 3);
        half(0x0000, Float.MIN_VALUE);
        half(0x8000, -1e-40f);
        half(0x7e00, Float.NaN);
        half(0xfe00, Float.intBitsToFloat(0xff812345)); // any NaN: PyTorch's canonical quiet NaN, signed
    }

    @Test
    void knownBfloat16Patterns() {
        bf16(0x3f80, 1f);
        bf16(0x3f80, 1 + 0x1p-8f); // tie: even
        bf16(0x3f82, 1 + 3 * 0x1p-8f); // tie: up to even
        bf16(0x3f81, Math.nextUp(1 + 0x1p-8f));
        bf16(0x7f80, Float.MAX_VALUE); // overflows to infinity
        bf16(0xff80, Float.NEGATIVE_INFINITY);
        bf16(0x0001, Float.intBitsToFloat(0x00008000 + 1)); // subnormal rounding
        bf16(0x7fc0, Float.NaN);
        bf16(0x7fc0, Float.intBitsToFloat(0xff812345)); // PyTorch drops the sign of NaN
    }

    @Test
    void wideningIsExactAndInvertsNarrowing() {
        for (int bits = 0; bits < 0x10000; bits++) {
            short h = (short) bits;
            float f = Half.halfToFloat(h);
            if (Float.isNaN(f)) {
                assertTrue((bits & 0x7c00) == 0x7c00 && (bits & 0x3ff) != 0, "NaN from " + hex(h));
                continue;
            }
            assertEquals(hex(h), hex(Half.floatToHalf(f)), "float16 round trip of " + f);
            float b = Half.bfloat16ToFloat(h);
            if (!Float.isNaN(b)) {
                assertEquals(hex(h), hex(Half.floatToBfloat16(b)), "bfloat16 round trip of " + b);
                assertEquals(bits << 16, Float.floatToRawIntBits(b));
            }
        }
        assertEquals(65504f, Half.halfToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, Half.halfToFloat((short) 0x0001));
        assertEquals(Float.NEGATIVE_INFINITY, Half.halfToFloat((short) 0xfc00));
    }

    @Test
    void matchesPyTorchBitForBit() throws IOException {
        int lines = 0;
        try (InputStream in = HalfTest.class.getResourceAsStream("/io/half_conversions.txt");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("#")) {
                    continue;
                }
                String[] p = line.split(" ");
                short h = (short) Integer.parseInt(p[2], 16);
                short b = (short) Integer.parseInt(p[3], 16);
                Tensor t;
                if (p[0].equals("f32")) {
                    float f = Float.intBitsToFloat(Integer.parseUnsignedInt(p[1], 16));
                    if (Float.isNaN(f)) {
                        // PyTorch's vectorized tensor conversion gives 0xffff for a NaN, its scalar
                        // c10::BFloat16 0x7fc0 (jgrad's choice): both are NaN
                        assertTrue(Float.isNaN(Half.bfloat16ToFloat(b)), "PyTorch's bfloat16 of NaN " + line);
                        b = (short) 0x7fc0;
                    }
                    assertEquals(hex(h), hex(Half.floatToHalf(f)), "float16 of float32 " + p[1]);
                    assertEquals(hex(b), hex(Half.floatToBfloat16(f)), "bfloat16 of float32 " + p[1]);
                    t = Tensor.of(new float[] {f});
                } else {
                    t = Tensor.of(new double[] {Double.longBitsToDouble(Long.parseUnsignedLong(p[1], 16))});
                }
                // the tensor conversion gives the same bits (FLOAT64 through FLOAT32, as PyTorch)
                assertEquals(hex(h), hex(t.to(DType.FLOAT16).halfData()[0]), "to(FLOAT16) of " + line);
                assertEquals(hex(b), hex(t.to(DType.BFLOAT16).halfData()[0]), "to(BFLOAT16) of " + line);
                lines++;
            }
        }
        assertTrue(lines > 4000, "fixture lines: " + lines);
    }
}
