package io.jgrad.core.io;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An element type as stored in a file, with the {@link DType} it loads into and the decoding from
 * bytes. Only types that convert exactly (or, for F16/BF16, widen exactly) into a jgrad type are
 * here; the formats name the ones they reject.
 */
enum Elem {
    F32(4, DType.FLOAT32),
    F64(8, DType.FLOAT64),
    I32(4, DType.INT32),
    /** IEEE 754 half precision, widened exactly to float32. */
    F16(2, DType.FLOAT32),
    /** bfloat16 (the top 16 bits of a float32), widened exactly to float32. */
    BF16(2, DType.FLOAT32),
    I8(1, DType.INT32),
    U8(1, DType.INT32),
    I16(2, DType.INT32),
    U16(2, DType.INT32),
    /** int64 narrowed to int32; a value outside the int32 range is an error (PyTorch writes int64 counters). */
    I64(8, DType.INT32);

    /** Thrown by {@link #decode} for an int64 value that does not fit an int32. */
    static final class OutOfRange extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long value;

        OutOfRange(long value) {
            super(null, null, false, false);
            this.value = value;
        }
    }

    /** Bytes per element in the file. */
    final int size;
    /** The jgrad type the elements load into. */
    final DType target;

    Elem(int size, DType target) {
        this.size = size;
        this.target = target;
    }

    /** The file type jgrad writes for a tensor type. */
    static Elem of(DType dtype) {
        switch (dtype) {
            case FLOAT32:
                return F32;
            case FLOAT64:
                return F64;
            default:
                return I32;
        }
    }

    /** A new array of {@code n} elements of the target type ({@code float[]}, {@code double[]} or {@code int[]}). */
    Object allocate(int n) {
        switch (target) {
            case FLOAT32:
                return new float[n];
            case FLOAT64:
                return new double[n];
            default:
                return new int[n];
        }
    }

    /**
     * Decodes {@code count} elements from {@code src} (whose byte order is the file's) into
     * {@code dst[at ..]}, advancing {@code src}.
     */
    void decode(ByteBuffer src, Object dst, int at, int count) {
        switch (this) {
            case F32:
                src.asFloatBuffer().get((float[]) dst, at, count);
                break;
            case F64:
                src.asDoubleBuffer().get((double[]) dst, at, count);
                break;
            case I32:
                src.asIntBuffer().get((int[]) dst, at, count);
                break;
            case F16: {
                float[] f = (float[]) dst;
                for (int k = 0; k < count; k++) {
                    f[at + k] = halfToFloat(src.getShort(src.position() + 2 * k));
                }
                break;
            }
            case BF16: {
                float[] f = (float[]) dst;
                for (int k = 0; k < count; k++) {
                    f[at + k] = Float.intBitsToFloat((src.getShort(src.position() + 2 * k) & 0xffff) << 16);
                }
                break;
            }
            case I8: {
                int[] v = (int[]) dst;
                for (int k = 0; k < count; k++) {
                    v[at + k] = src.get(src.position() + k);
                }
                break;
            }
            case U8: {
                int[] v = (int[]) dst;
                for (int k = 0; k < count; k++) {
                    v[at + k] = src.get(src.position() + k) & 0xff;
                }
                break;
            }
            case I16: {
                int[] v = (int[]) dst;
                for (int k = 0; k < count; k++) {
                    v[at + k] = src.getShort(src.position() + 2 * k);
                }
                break;
            }
            case I64: {
                int[] v = (int[]) dst;
                for (int k = 0; k < count; k++) {
                    long x = src.getLong(src.position() + 8 * k);
                    if (x != (int) x) {
                        throw new OutOfRange(x);
                    }
                    v[at + k] = (int) x;
                }
                break;
            }
            default: {
                int[] v = (int[]) dst;
                for (int k = 0; k < count; k++) {
                    v[at + k] = src.getShort(src.position() + 2 * k) & 0xffff;
                }
                break;
            }
        }
        src.position(src.position() + count * size);
    }

    /** Widens an IEEE 754 binary16 value to float exactly (all halves are floats). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            // Infinity or NaN: keep the payload in the top mantissa bits.
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // Zero or subnormal: mant * 2^-24, exact in float.
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        // Rebias the exponent from 15 to 127.
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** Wraps decoded data as a tensor of {@code shape} in C order (a 0-d shape holds one element). */
    static Tensor wrap(Object data, int[] shape) {
        int[] sh = shape.length == 0 ? new int[] {1} : shape;
        Tensor t;
        if (data instanceof float[]) {
            t = Tensor.wrap((float[]) data, sh);
        } else if (data instanceof double[]) {
            t = Tensor.wrap((double[]) data, sh);
        } else {
            t = Tensor.wrap((int[]) data, sh);
        }
        return shape.length == 0 ? t.reshape() : t;
    }

    /**
     * Writes the elements of {@code t} in C order with the given byte order, in bounded chunks
     * (non-contiguous tensors are copied to C order first).
     */
    static void write(OutputStream out, Tensor t, ByteOrder order) throws IOException {
        int n = t.numel();
        if (n == 0) {
            return;
        }
        Tensor c = t.contiguous();
        int size = c.dtype().byteSize();
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(Source.CHUNK, (long) n * size))
                .order(order);
        int perChunk = buf.capacity() / size;
        for (int done = 0; done < n; done += perChunk) {
            int cnt = Math.min(perChunk, n - done);
            int from = c.offset() + done;
            buf.clear();
            switch (c.dtype()) {
                case FLOAT32:
                    buf.asFloatBuffer().put(c.floatData(), from, cnt);
                    break;
                case FLOAT64:
                    buf.asDoubleBuffer().put(c.doubleData(), from, cnt);
                    break;
                default:
                    buf.asIntBuffer().put(c.intData(), from, cnt);
                    break;
            }
            out.write(buf.array(), 0, cnt * size);
        }
    }

    /** Writes an INT32 tensor whose values the caller checked to lie in [-128, 127] as one byte each. */
    static void writeInt8(OutputStream out, Tensor t) throws IOException {
        int[] v = t.contiguous().toIntArray();
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        out.write(b);
    }
}
