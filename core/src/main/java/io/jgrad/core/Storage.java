package io.jgrad.core;

import io.jgrad.core.kernel.ScratchPool;

/**
 * The primitive array behind one or more tensor views, with a version counter that every in-place
 * operation increments (autograd uses it to detect saved values modified before backward).
 *
 * <p>Exactly one array is set: {@code f} (FLOAT32), {@code d} (FLOAT64), {@code i} (INT32),
 * {@code l} (INT64), {@code b} (BOOL, 0 or 1) or {@code h} (FLOAT16 and BFLOAT16 bit patterns).
 */
final class Storage {
    final DType dtype;
    final float[] f;
    final double[] d;
    final int[] i;
    final long[] l;
    final byte[] b;
    final short[] h;
    private int version;
    /**
     * The backward pass this storage was allocated in ({@link Recycling}), or null: only a storage born
     * in a backward pass and never handed out may have its array reused after its last use.
     */
    Object origin;

    private Storage(DType dtype, float[] f, double[] d, int[] i, long[] l, byte[] b, short[] h) {
        this.dtype = dtype;
        this.f = f;
        this.d = d;
        this.i = i;
        this.l = l;
        this.b = b;
        this.h = h;
    }

    Storage(float[] f) {
        this(DType.FLOAT32, f, null, null, null, null, null);
    }

    Storage(double[] d) {
        this(DType.FLOAT64, null, d, null, null, null, null);
    }

    Storage(int[] i) {
        this(DType.INT32, null, null, i, null, null, null);
    }

    Storage(long[] l) {
        this(DType.INT64, null, null, null, l, null, null);
    }

    /** A BOOL storage; the bytes must be 0 or 1. */
    Storage(byte[] b) {
        this(DType.BOOL, null, null, null, null, b, null);
    }

    /** A FLOAT16 or BFLOAT16 storage of bit patterns. */
    Storage(DType half, short[] h) {
        this(half, null, null, null, null, null, h);
        if (!half.isStorageOnly()) {
            throw new IllegalArgumentException("a short[] storage holds float16 or bfloat16, not " + half);
        }
    }

    /**
     * A zeroed storage: in a backward pass ({@link Recycling}) a FLOAT32 or FLOAT64 array from {@link
     * ScratchPool}, cleared (the zeros a view's gradient is embedded into, a scatter's base: a
     * recurrent layer's output gradient, 2 MB a layer a step in the {@code lstm} workload, was a new
     * array each time), otherwise a new one.
     */
    static Storage allocate(DType dtype, int n) {
        Object run = Recycling.currentRun();
        Storage s;
        if (run != null && dtype == DType.FLOAT32) {
            s = new Storage(ScratchPool.zeroFloats(n));
        } else if (run != null && dtype == DType.FLOAT64) {
            s = new Storage(ScratchPool.zeroDoubles(n));
        } else {
            s = zeroed(dtype, n);
        }
        s.origin = run;
        return s;
    }

    /**
     * A storage whose values are arbitrary, for a result that writes every element: in a backward pass
     * ({@link Recycling}) an array from {@link ScratchPool} for FLOAT32 and FLOAT64,
     * otherwise (and for the other types) a new, zeroed one.
     */
    static Storage scratch(DType dtype, int n) {
        Object run = Recycling.currentRun();
        if (run == null) {
            // Outside a backward pass: a new array. A forward's results stay with the graph and the
            // caller; pooled (long-lived) arrays taken here would die in the old generation while the
            // pool filled up again with young ones, the costliest pattern for a generational collector.
            return zeroed(dtype, n);
        }
        Storage s;
        switch (dtype) {
            case FLOAT32:
                s = new Storage(ScratchPool.floats(n));
                break;
            case FLOAT64:
                s = new Storage(ScratchPool.doubles(n));
                break;
            default:
                s = zeroed(dtype, n);
        }
        s.origin = run;
        return s;
    }

    private static Storage zeroed(DType dtype, int n) {
        switch (dtype) {
            case FLOAT32:
                return new Storage(new float[n]);
            case FLOAT64:
                return new Storage(new double[n]);
            case INT32:
                return new Storage(new int[n]);
            case INT64:
                return new Storage(new long[n]);
            case BOOL:
                return new Storage(new byte[n]);
            default:
                return new Storage(dtype, new short[n]);
        }
    }

    /** The primitive array, for {@link System#arraycopy}. */
    Object array() {
        switch (dtype) {
            case FLOAT32:
                return f;
            case FLOAT64:
                return d;
            case INT32:
                return i;
            case INT64:
                return l;
            case BOOL:
                return b;
            default:
                return h;
        }
    }

    int length() {
        switch (dtype) {
            case FLOAT32:
                return f.length;
            case FLOAT64:
                return d.length;
            case INT32:
                return i.length;
            case INT64:
                return l.length;
            case BOOL:
                return b.length;
            default:
                return h.length;
        }
    }

    /** The element as a double (an INT64 beyond 2^53 is rounded; use {@link #getLong} for it). */
    double get(int idx) {
        switch (dtype) {
            case FLOAT32:
                return f[idx];
            case FLOAT64:
                return d[idx];
            case INT32:
                return i[idx];
            case INT64:
                return l[idx];
            case BOOL:
                return b[idx];
            case FLOAT16:
                return Half.halfToFloat(h[idx]);
            default:
                return Half.bfloat16ToFloat(h[idx]);
        }
    }

    /** The element as a float, rounded once (an INT64 goes straight to float, as in C). */
    float getFloat(int idx) {
        switch (dtype) {
            case FLOAT32:
                return f[idx];
            case INT64:
                return l[idx];
            default:
                return (float) get(idx);
        }
    }

    /** The element as a long: exact for the integer types and BOOL, floats truncated toward zero. */
    long getLong(int idx) {
        switch (dtype) {
            case INT32:
                return i[idx];
            case INT64:
                return l[idx];
            case BOOL:
                return b[idx];
            default:
                return (long) get(idx);
        }
    }

    /** Whether the element is non-zero (NaN counts as non-zero, as in PyTorch's bool conversion). */
    boolean isTrue(int idx) {
        switch (dtype) {
            case BOOL:
                return b[idx] != 0;
            case INT32:
                return i[idx] != 0;
            case INT64:
                return l[idx] != 0;
            case FLOAT32:
                return f[idx] != 0;
            default:
                return get(idx) != 0;
        }
    }

    /**
     * Stores {@code v} converted to this type: floats rounded (a 16-bit float through float32, as PyTorch
     * does), integers truncated toward zero, BOOL true for any non-zero value (NaN included).
     */
    void set(int idx, double v) {
        switch (dtype) {
            case FLOAT32:
                f[idx] = (float) v;
                break;
            case FLOAT64:
                d[idx] = v;
                break;
            case INT32:
                i[idx] = (int) v;
                break;
            case INT64:
                l[idx] = (long) v;
                break;
            case BOOL:
                b[idx] = v != 0 ? (byte) 1 : (byte) 0;
                break;
            case FLOAT16:
                h[idx] = Half.floatToHalf((float) v);
                break;
            default:
                h[idx] = Half.floatToBfloat16((float) v);
        }
    }

    /** Stores an integer value exactly for the integer types (INT32 keeps the low 32 bits, as a C cast). */
    void setLong(int idx, long v) {
        switch (dtype) {
            case INT32:
                i[idx] = (int) v;
                break;
            case INT64:
                l[idx] = v;
                break;
            case FLOAT32:
                f[idx] = v; // one rounding, as a C cast
                break;
            default:
                set(idx, (double) v);
        }
    }

    /**
     * {@code dst[o] = src[p]} converted to dst's type; same types copy the bits, integers convert
     * exactly between each other, floats narrow with one rounding.
     */
    static void convert(Storage src, int p, Storage dst, int o) {
        switch (dst.dtype) {
            case FLOAT32:
                dst.f[o] = src.getFloat(p);
                break;
            case FLOAT64:
                dst.d[o] = src.get(p);
                break;
            case INT32:
                dst.i[o] = src.dtype == DType.FLOAT32 || src.dtype == DType.FLOAT64
                        ? (int) src.get(p)
                        : (int) src.getLong(p);
                break;
            case INT64:
                dst.l[o] = src.getLong(p);
                break;
            case BOOL:
                dst.b[o] = src.isTrue(p) ? (byte) 1 : (byte) 0;
                break;
            default:
                if (src.dtype == dst.dtype) {
                    dst.h[o] = src.h[p];
                } else if (dst.dtype == DType.FLOAT16) {
                    dst.h[o] = Half.floatToHalf(src.getFloat(p));
                } else {
                    dst.h[o] = Half.floatToBfloat16(src.getFloat(p));
                }
        }
    }

    int version() {
        return version;
    }

    void bump() {
        version++;
    }
}
