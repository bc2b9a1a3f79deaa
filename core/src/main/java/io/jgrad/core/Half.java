package io.jgrad.core;

/**
 * Conversions between float32 and the 16-bit float formats, bit for bit as PyTorch's CPU does them.
 *
 * <p>IEEE 754 binary16 ({@link DType#FLOAT16}): 1 sign bit, 5 exponent bits, 10 mantissa bits, so
 * normal values from about 6.1e-5 to 65504 and subnormals down to 2^-24. bfloat16
 * ({@link DType#BFLOAT16}): the top 16 bits of a float32 (8 exponent bits, 7 mantissa bits). Narrowing
 * rounds to nearest, ties to even; values too large for the format become infinities, values too
 * small become (signed) subnormals or zeros, and every NaN becomes PyTorch's canonical NaN
 * ({@code 0x7e00} with the input's sign for float16, {@code 0x7fc0} for bfloat16 as
 * {@code c10::BFloat16} gives; PyTorch's vectorized tensor conversion writes {@code 0xffff}, another
 * NaN). Widening to float32 is exact.
 */
public final class Half {
    private Half() {}

    /**
     * The float16 bit pattern nearest to {@code f} (ties to even).
     *
     * @param f a float32 value
     * @return the binary16 bits
     */
    public static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs > 0x7f800000) {
            return (short) (sign | 0x7e00); // NaN
        }
        if (abs >= 0x477ff000) {
            return (short) (sign | 0x7c00); // 65520 and above (infinity included) round to infinity
        }
        if (abs < 0x38800000) {
            // below 2^-14, the smallest normal half: a subnormal in units of 2^-24, or zero
            if (abs <= 0x33000000) {
                return (short) sign; // at most 2^-25, half the smallest subnormal: ties to even zero
            }
            int e = abs >>> 23;
            int m = (abs & 0x7fffff) | 0x800000;
            int shift = 126 - e; // m * 2^(e - 150) in units of 2^-24
            int q = m >>> shift;
            int rem = m & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rem > halfway || (rem == halfway && (q & 1) == 1)) {
                q++; // may carry into the smallest normal, whose bits follow on
            }
            return (short) (sign | q);
        }
        int h = ((abs >>> 23) - 112) << 10 | (abs & 0x7fffff) >>> 13;
        int rem = abs & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (h & 1) == 1)) {
            h++; // a carry out of the mantissa increments the exponent
        }
        return (short) (sign | h);
    }

    /**
     * Widens a float16 bit pattern to float32 exactly.
     *
     * @param h the binary16 bits
     * @return the same value as a float (NaN payloads kept in the top mantissa bits)
     */
    public static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // zero or subnormal, exact
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /**
     * The bfloat16 bit pattern nearest to {@code f} (ties to even; NaN gives {@code 0x7fc0}).
     *
     * @param f a float32 value
     * @return the bfloat16 bits
     */
    public static short floatToBfloat16(float f) {
        if (Float.isNaN(f)) {
            return (short) 0x7fc0;
        }
        int bits = Float.floatToRawIntBits(f);
        int lsb = (bits >>> 16) & 1;
        return (short) ((bits + 0x7fff + lsb) >>> 16);
    }

    /**
     * Widens a bfloat16 bit pattern to float32 exactly.
     *
     * @param b the bfloat16 bits
     * @return the same value as a float
     */
    public static float bfloat16ToFloat(short b) {
        return Float.intBitsToFloat((b & 0xffff) << 16);
    }
}
