package io.jgrad.core.io;

import io.jgrad.core.DType;
import io.jgrad.core.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An element type as stored in a file, with the {@link DType} it loads into and the decoding from
 * bytes. Every jgrad type has its own file type; the narrower integer types widen exactly to INT32.
 * The formats name the file types they reject.
 */
enum Elem {
    F32(4, DType.FLOAT32),
    F64(8, DType.FLOAT64),
    I32(4, DType.INT32),
    I64(8, DType.INT64),
    /** One byte per element; any non-zero byte loads as true. */
    BOOL(1, DType.BOOL),
    /** IEEE 754 half precision, kept as FLOAT16 bit patterns. */
    F16(2, DType.FLOAT16),
    /** bfloat16 (the top 16 bits of a float32), kept as BFLOAT16 bit patterns. */
    BF16(2, DType.BFLOAT16),
    I8(1, DType.INT32),
    U8(1, DType.INT32),
    I16(2, DType.INT32),
    U16(2, DType.INT32);

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
            case INT32:
                return I32;
            case INT64:
                return I64;
            case BOOL:
                return BOOL;
            case FLOAT16:
                return F16;
            default:
                return BF16;
        }
    }

    /** A new array of {@code n} elements of the target type's storage. */
    Object allocate(int n) {
        switch (target) {
            case FLOAT32:
                return new float[n];
            case FLOAT64:
                return new double[n];
            case INT32:
                return new int[n];
            case INT64:
                return new long[n];
            case BOOL:
                return new byte[n];
            default:
                return new short[n];
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
            case I64:
                src.asLongBuffer().get((long[]) dst, at, count);
                break;
            case F16:
            case BF16:
                src.asShortBuffer().get((short[]) dst, at, count);
                break;
            case BOOL: {
                byte[] v = (byte[]) dst;
                for (int k = 0; k < count; k++) {
                    v[at + k] = src.get(src.position() + k) != 0 ? (byte) 1 : (byte) 0;
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

    /** Wraps decoded data as a tensor of {@code shape} in C order (a 0-d shape holds one element). */
    Tensor wrap(Object data, int[] shape) {
        int[] sh = shape.length == 0 ? new int[] {1} : shape;
        Tensor t;
        switch (target) {
            case FLOAT32:
                t = Tensor.wrap((float[]) data, sh);
                break;
            case FLOAT64:
                t = Tensor.wrap((double[]) data, sh);
                break;
            case INT32:
                t = Tensor.wrap((int[]) data, sh);
                break;
            case INT64:
                t = Tensor.wrap((long[]) data, sh);
                break;
            case BOOL:
                t = Tensor.zeros(DType.BOOL, sh);
                System.arraycopy((byte[]) data, 0, t.boolData(), 0, ((byte[]) data).length);
                break;
            default:
                t = Tensor.ofBits(target, (short[]) data, sh);
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
                case INT32:
                    buf.asIntBuffer().put(c.intData(), from, cnt);
                    break;
                case INT64:
                    buf.asLongBuffer().put(c.longData(), from, cnt);
                    break;
                case BOOL:
                    buf.put(c.boolData(), from, cnt);
                    break;
                default:
                    buf.asShortBuffer().put(c.halfData(), from, cnt);
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
