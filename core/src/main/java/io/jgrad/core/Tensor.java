package io.jgrad.core;

import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array: a view (offset, shape, strides) over a primitive array on the Java heap.
 *
 * <p>Views such as {@link #transpose}, {@link #permute}, {@link #narrow}, {@link #slice},
 * {@link #select}, {@link #expand}, {@link #squeeze}, {@link #unsqueeze} and {@link #reshape} of a
 * contiguous tensor copy nothing and share storage with their source; {@link #contiguous()} copies
 * only when it must. Operations return new tensors; in-place variants end in {@code _} and bump the
 * storage's version counter (which autograd checks).
 *
 * <p>Element-wise binary operations follow NumPy's broadcasting rules. Operands of different types
 * are promoted like PyTorch's ({@link DType#promote}): an integer or BOOL tensor with a float gives
 * the float, INT32 with INT64 gives INT64, FLOAT32 with FLOAT64 gives FLOAT64. Comparisons return
 * {@link DType#BOOL} masks; {@link #where} and {@link #maskedFill} take BOOL masks (and treat any
 * non-zero element of other types as true). Integer tensors do integer arithmetic (wrapping, like
 * C); true division and powers of integers throw (convert with {@link #to(DType)}). The 16-bit float
 * types are storage types: every arithmetic op, comparison and reduction on them throws, telling to
 * convert to FLOAT32 first.
 *
 * <p>Every shape, dtype or index error names the operation and the shapes involved.
 */
public final class Tensor {
    static {
        // compiles the SIMD kernels in the background while the program loads its data (see WarmUp)
        WarmUp.startInBackground();
    }

    final Storage storage;
    final int offset;
    final int[] shape;
    final int[] strides;

    Tensor(Storage storage, int offset, int[] shape, int[] strides) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    /** A new contiguous tensor of zeros. */
    static Tensor allocate(DType dtype, int[] shape) {
        int[] sh = shape.clone();
        return new Tensor(Storage.allocate(dtype, Shape.numel(sh)), 0, sh, Shape.contiguousStrides(sh));
    }

    /** A contiguous tensor of arbitrary values, for a result that writes every element. */
    static Tensor allocateScratch(DType dtype, int[] shape) {
        int[] sh = shape.clone();
        return new Tensor(Storage.scratch(dtype, Shape.numel(sh)), 0, sh, Shape.contiguousStrides(sh));
    }

    // ------------------------------------------------------------------------------------------
    // Creation
    // ------------------------------------------------------------------------------------------

    /** Zeros of the default type FLOAT32. */
    public static Tensor zeros(int... shape) {
        return allocate(DType.FLOAT32, shape);
    }

    /** Zeros of the given type. */
    public static Tensor zeros(DType dtype, int... shape) {
        return allocate(dtype, shape);
    }

    /** Ones of type FLOAT32. */
    public static Tensor ones(int... shape) {
        return full(DType.FLOAT32, 1, shape);
    }

    /** Ones of the given type. */
    public static Tensor ones(DType dtype, int... shape) {
        return full(dtype, 1, shape);
    }

    /** A FLOAT32 tensor filled with {@code value}. */
    public static Tensor full(double value, int... shape) {
        return full(DType.FLOAT32, value, shape);
    }

    /** A tensor of the given type filled with {@code value}. */
    public static Tensor full(DType dtype, double value, int... shape) {
        Tensor t = allocate(dtype, shape);
        if (value != 0) {
            t.fillRaw(value);
        }
        return t;
    }

    /**
     * An integer tensor filled with {@code value} exactly (no rounding through double, which matters
     * for INT64 beyond 2^53).
     *
     * @param dtype the type (an INT32 keeps the low 32 bits)
     * @param value the value
     * @param shape the shape
     * @return the new tensor
     */
    public static Tensor fullLong(DType dtype, long value, int... shape) {
        Tensor t = allocate(dtype, shape);
        if (value != 0) {
            Storage s = t.storage;
            for (int k = 0; k < s.length(); k++) {
                s.setLong(k, value);
            }
        }
        return t;
    }

    /** Zeros with the shape and type of {@code like}. */
    public static Tensor zerosLike(Tensor like) {
        return allocate(like.dtype(), like.shape);
    }

    /**
     * A contiguous tensor with the shape and type of {@code like} whose values are arbitrary (like
     * PyTorch's {@code empty_like}): the array may be a recycled one, so every element must be written
     * before it is read. During a backward pass, FLOAT32 and FLOAT64 arrays come from {@link
     * io.jgrad.core.kernel.ScratchPool}, where the engine puts the arrays of spent gradients ({@link
     * Recycling}); elsewhere they are new.
     */
    public static Tensor emptyLike(Tensor like) {
        return allocateScratch(like.dtype(), like.shape);
    }

    /** A contiguous tensor of the given type and shape whose values are arbitrary; see {@link #emptyLike}. */
    public static Tensor empty(DType dtype, int... shape) {
        return allocateScratch(dtype, shape);
    }

    /** Ones with the shape and type of {@code like}. */
    public static Tensor onesLike(Tensor like) {
        return full(like.dtype(), 1, like.shape);
    }

    /** A 0-dimensional FLOAT32 tensor. */
    public static Tensor scalar(double value) {
        return full(DType.FLOAT32, value);
    }

    /** A 0-dimensional tensor of the given type. */
    public static Tensor scalar(DType dtype, double value) {
        return full(dtype, value);
    }

    /** {@code 0, 1, ..., end - 1} as INT32 (like {@code torch.arange(end)}). */
    public static Tensor arange(int end) {
        return arange(DType.INT32, 0, end, 1);
    }

    /** {@code start, start + step, ...} below {@code end} as FLOAT32. */
    public static Tensor arange(double start, double end, double step) {
        return arange(DType.FLOAT32, start, end, step);
    }

    /** {@code start, start + step, ...} (excluding {@code end}) of the given type. */
    public static Tensor arange(DType dtype, double start, double end, double step) {
        if (step == 0 || !Double.isFinite(start) || !Double.isFinite(end) || !Double.isFinite(step)) {
            throw new IllegalArgumentException(
                    "arange: invalid range start=" + start + " end=" + end + " step=" + step);
        }
        double cnt = Math.ceil((end - start) / step);
        if (cnt > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("arange: too many elements (" + cnt + ")");
        }
        int n = (int) Math.max(0, cnt);
        Tensor t = allocate(dtype, new int[] {n});
        for (int k = 0; k < n; k++) {
            t.storage.set(k, start + k * step);
        }
        return t;
    }

    /** {@code steps} evenly spaced FLOAT32 values from {@code start} to {@code end} inclusive. */
    public static Tensor linspace(double start, double end, int steps) {
        return linspace(DType.FLOAT32, start, end, steps);
    }

    /** {@code steps} evenly spaced values from {@code start} to {@code end} inclusive. */
    public static Tensor linspace(DType dtype, double start, double end, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("linspace: steps must be non-negative, got " + steps);
        }
        Tensor t = allocate(dtype, new int[] {steps});
        if (steps == 1) {
            t.storage.set(0, start);
            return t;
        }
        int half = steps / 2;
        if (dtype == DType.FLOAT32) {
            // Like PyTorch's CPU kernel (compiled with fused multiply-add), in float arithmetic with one
            // rounding per value: the same bits as torch.linspace(..., dtype=torch.float32).
            float s = (float) start;
            float e = (float) end;
            float step = (e - s) / (steps - 1);
            float[] f = t.storage.f;
            for (int k = 0; k < steps; k++) {
                f[k] = k < half ? Math.fma(step, (float) k, s) : Math.fma(-step, (float) (steps - 1 - k), e);
            }
            return t;
        }
        double step = (end - start) / (steps - 1);
        for (int k = 0; k < steps; k++) {
            // PyTorch fills the second half from the end so both ends are exact.
            t.storage.set(k, k < half ? start + k * step : end - (steps - 1 - k) * step);
        }
        return t;
    }

    /** The n x n FLOAT32 identity. */
    public static Tensor eye(int n) {
        return eye(DType.FLOAT32, n, n);
    }

    /** An n x m matrix with ones on the diagonal. */
    public static Tensor eye(DType dtype, int n, int m) {
        Tensor t = allocate(dtype, new int[] {n, m});
        for (int k = 0; k < Math.min(n, m); k++) {
            t.storage.set(k * m + k, 1);
        }
        return t;
    }

    /** A FLOAT32 tensor holding a copy of {@code data} with the given shape (1-D when omitted). */
    public static Tensor of(float[] data, int... shape) {
        return wrap(data.clone(), shape);
    }

    /** A FLOAT64 tensor holding a copy of {@code data}. */
    public static Tensor of(double[] data, int... shape) {
        return wrap(data.clone(), shape);
    }

    /** An INT32 tensor holding a copy of {@code data}. */
    public static Tensor of(int[] data, int... shape) {
        return wrap(data.clone(), shape);
    }

    /** An INT64 tensor holding a copy of {@code data}. */
    public static Tensor of(long[] data, int... shape) {
        return wrap(data.clone(), shape);
    }

    /** A BOOL tensor holding {@code data}. */
    public static Tensor of(boolean[] data, int... shape) {
        byte[] b = new byte[data.length];
        for (int k = 0; k < b.length; k++) {
            b[k] = data[k] ? (byte) 1 : (byte) 0;
        }
        return wrapStorage(new Storage(b), b.length, shape);
    }

    /**
     * A FLOAT16 or BFLOAT16 tensor holding a copy of the bit patterns {@code bits} (see {@link Half}).
     *
     * @param dtype FLOAT16 or BFLOAT16
     * @param bits the 16-bit patterns in row-major order
     * @param shape the shape (1-D when omitted)
     * @return the new tensor
     */
    public static Tensor ofBits(DType dtype, short[] bits, int... shape) {
        if (!dtype.isStorageOnly()) {
            throw new IllegalArgumentException("ofBits: expected FLOAT16 or BFLOAT16, got " + dtype);
        }
        return wrapStorage(new Storage(dtype, bits.clone()), bits.length, shape);
    }

    /** A FLOAT32 matrix copied from a rectangular Java array. */
    public static Tensor of(float[][] rows) {
        int n = rows.length;
        int m = n == 0 ? 0 : rows[0].length;
        float[] data = new float[n * m];
        for (int r = 0; r < n; r++) {
            if (rows[r].length != m) {
                throw new IllegalArgumentException(
                        "Tensor.of: row " + r + " has " + rows[r].length + " elements, expected " + m);
            }
            System.arraycopy(rows[r], 0, data, r * m, m);
        }
        return wrap(data, n, m);
    }

    /** A FLOAT64 matrix copied from a rectangular Java array. */
    public static Tensor of(double[][] rows) {
        int n = rows.length;
        int m = n == 0 ? 0 : rows[0].length;
        double[] data = new double[n * m];
        for (int r = 0; r < n; r++) {
            if (rows[r].length != m) {
                throw new IllegalArgumentException(
                        "Tensor.of: row " + r + " has " + rows[r].length + " elements, expected " + m);
            }
            System.arraycopy(rows[r], 0, data, r * m, m);
        }
        return wrap(data, n, m);
    }

    /** A FLOAT32 tensor that shares {@code data} (no copy). A missing shape means 1-D. */
    public static Tensor wrap(float[] data, int... shape) {
        return wrapStorage(new Storage(data), data.length, shape);
    }

    /** A FLOAT64 tensor that shares {@code data} (no copy). */
    public static Tensor wrap(double[] data, int... shape) {
        return wrapStorage(new Storage(data), data.length, shape);
    }

    /** An INT32 tensor that shares {@code data} (no copy). */
    public static Tensor wrap(int[] data, int... shape) {
        return wrapStorage(new Storage(data), data.length, shape);
    }

    /** An INT64 tensor that shares {@code data} (no copy). */
    public static Tensor wrap(long[] data, int... shape) {
        return wrapStorage(new Storage(data), data.length, shape);
    }

    private static Tensor wrapStorage(Storage s, int len, int[] shape) {
        int[] sh = shape.length == 0 ? new int[] {len} : shape.clone();
        if (Shape.numel(sh) != len) {
            throw new IllegalArgumentException("Tensor.of: " + len + " values do not fill shape " + Shape.format(sh)
                    + " (" + Shape.numel(sh) + " elements)");
        }
        return new Tensor(s, 0, sh, Shape.contiguousStrides(sh));
    }

    /** Uniform FLOAT32 values in [0, 1). */
    public static Tensor rand(Generator g, int... shape) {
        return rand(g, DType.FLOAT32, shape);
    }

    /** Uniform values in [0, 1) of a floating type. */
    public static Tensor rand(Generator g, DType dtype, int... shape) {
        requireFloat("rand", dtype);
        Tensor t = allocate(dtype, shape);
        if (dtype == DType.FLOAT32) {
            float[] f = t.storage.f;
            for (int k = 0; k < f.length; k++) {
                f[k] = g.nextFloat();
            }
        } else {
            double[] d = t.storage.d;
            for (int k = 0; k < d.length; k++) {
                d[k] = g.nextDouble();
            }
        }
        return t;
    }

    /** Standard normal FLOAT32 values. */
    public static Tensor randn(Generator g, int... shape) {
        return randn(g, DType.FLOAT32, shape);
    }

    /** Standard normal values of a floating type. */
    public static Tensor randn(Generator g, DType dtype, int... shape) {
        requireFloat("randn", dtype);
        Tensor t = allocate(dtype, shape);
        int n = t.storage.length();
        for (int k = 0; k < n; k++) {
            t.storage.set(k, g.nextGaussian());
        }
        return t;
    }

    /** Uniform INT32 values in [low, high). */
    public static Tensor randint(Generator g, int low, int high, int... shape) {
        if (high <= low) {
            throw new IllegalArgumentException("randint: high (" + high + ") must be greater than low (" + low + ")");
        }
        Tensor t = allocate(DType.INT32, shape);
        int[] a = t.storage.i;
        long range = (long) high - low;
        for (int k = 0; k < a.length; k++) {
            // a range wider than Integer.MAX_VALUE is drawn from 32 random bits by rejection
            a[k] = range <= Integer.MAX_VALUE ? low + g.nextInt((int) range) : wideRandint(g, low, range);
        }
        return t;
    }

    private static int wideRandint(Generator g, int low, long range) {
        while (true) {
            long r = g.nextLong() >>> 32; // uniform in [0, 2^32)
            if (r < range) {
                return (int) (low + r);
            }
        }
    }

    /** FLOAT32 zeros and ones, each one with probability {@code p}. */
    public static Tensor bernoulli(Generator g, double p, int... shape) {
        return bernoulli(g, DType.FLOAT32, p, shape);
    }

    /** Zeros and ones of the given type, each one with probability {@code p}. */
    public static Tensor bernoulli(Generator g, DType dtype, double p, int... shape) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("bernoulli: probability must be in [0, 1], got " + p);
        }
        Tensor t = allocate(dtype, shape);
        int n = t.storage.length();
        for (int k = 0; k < n; k++) {
            t.storage.set(k, g.nextDouble() < p ? 1 : 0);
        }
        return t;
    }

    /** A random permutation of {@code 0..n-1} as INT32 (Fisher-Yates). */
    public static Tensor randperm(Generator g, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("randperm: n must be non-negative, got " + n);
        }
        int[] a = new int[n];
        for (int k = 0; k < n; k++) {
            a[k] = k;
        }
        for (int k = n - 1; k > 0; k--) {
            int j = g.nextInt(k + 1);
            int tmp = a[k];
            a[k] = a[j];
            a[j] = tmp;
        }
        return wrap(a, n);
    }

    // ------------------------------------------------------------------------------------------
    // Properties and element access
    // ------------------------------------------------------------------------------------------

    /** The element type. */
    public DType dtype() {
        return storage.dtype;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    int[] shapeRef() {
        return shape;
    }

    int[] stridesRef() {
        return strides;
    }

    /** The size of one dimension (negative counts from the end). */
    public int size(int dim) {
        return shape[Shape.wrapDim("size", dim, shape.length)];
    }

    /** The number of dimensions. */
    public int dim() {
        return shape.length;
    }

    /** The number of elements. */
    public int numel() {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    /** A copy of the strides, in elements. */
    public int[] strides() {
        return strides.clone();
    }

    /** The offset of the first element in the storage array. */
    public int offset() {
        return offset;
    }

    /** The storage's version: incremented by every in-place operation on any view of it. */
    public int version() {
        return storage.version();
    }

    /** True when this view and {@code other} share storage. */
    public boolean sharesStorage(Tensor other) {
        return storage == other.storage;
    }

    /**
     * The FLOAT32 storage array behind this view (shared, not copied). Element {@code (i, j, ...)} is at
     * {@code offset() + i * strides()[0] + j * strides()[1] + ...}. For kernels and advanced users;
     * writing to it bypasses the version counter.
     */
    public float[] floatData() {
        if (storage.f == null) {
            throw new IllegalStateException("floatData: tensor has dtype " + dtype() + ", not float32");
        }
        return storage.f;
    }

    /** The FLOAT64 storage array behind this view (shared). See {@link #floatData()}. */
    public double[] doubleData() {
        if (storage.d == null) {
            throw new IllegalStateException("doubleData: tensor has dtype " + dtype() + ", not float64");
        }
        return storage.d;
    }

    /** The INT32 storage array behind this view (shared). See {@link #floatData()}. */
    public int[] intData() {
        if (storage.i == null) {
            throw new IllegalStateException("intData: tensor has dtype " + dtype() + ", not int32");
        }
        return storage.i;
    }

    /** The INT64 storage array behind this view (shared). See {@link #floatData()}. */
    public long[] longData() {
        if (storage.l == null) {
            throw new IllegalStateException("longData: tensor has dtype " + dtype() + ", not int64");
        }
        return storage.l;
    }

    /** The BOOL storage array behind this view (shared; each byte 0 or 1). See {@link #floatData()}. */
    public byte[] boolData() {
        if (storage.b == null) {
            throw new IllegalStateException("boolData: tensor has dtype " + dtype() + ", not bool");
        }
        return storage.b;
    }

    /**
     * The FLOAT16 or BFLOAT16 storage array of bit patterns behind this view (shared; see {@link Half}).
     * See {@link #floatData()}.
     */
    public short[] halfData() {
        if (storage.h == null) {
            throw new IllegalStateException("halfData: tensor has dtype " + dtype() + ", not float16 or bfloat16");
        }
        return storage.h;
    }

    /**
     * True when the elements lie in row-major order without gaps, starting at {@link #offset()}.
     * Dimensions of size 1 may have any stride.
     */
    public boolean isContiguous() {
        int expected = 1;
        for (int k = shape.length - 1; k >= 0; k--) {
            if (shape[k] == 1) {
                continue;
            }
            if (strides[k] != expected) {
                return false;
            }
            expected *= shape[k];
        }
        return true;
    }

    int storageIndex(String op, int... idx) {
        if (idx.length != shape.length) {
            throw new IllegalArgumentException(op + ": expected " + shape.length + " indices for shape "
                    + Shape.format(shape) + ", got " + idx.length);
        }
        int p = offset;
        for (int k = 0; k < idx.length; k++) {
            int i = idx[k] < 0 ? idx[k] + shape[k] : idx[k];
            if (i < 0 || i >= shape[k]) {
                throw new IndexOutOfBoundsException(op + ": index " + idx[k] + " is out of bounds for dimension " + k
                        + " with size " + shape[k] + " (shape " + Shape.format(shape) + ")");
            }
            p += i * strides[k];
        }
        return p;
    }

    /** The element at the given indices, as a double. */
    public double getDouble(int... idx) {
        return storage.get(storageIndex("get", idx));
    }

    /** The element at the given indices, as a float. */
    public float getFloat(int... idx) {
        return (float) getDouble(idx);
    }

    /** The element at the given indices, as an int (floats are truncated, an INT64 keeps its low 32 bits). */
    public int getInt(int... idx) {
        int p = storageIndex("get", idx);
        return storage.dtype.isFloatKind() ? (int) storage.get(p) : (int) storage.getLong(p);
    }

    /** The element at the given indices, as a long (exact for the integer types, floats truncated). */
    public long getLong(int... idx) {
        return storage.getLong(storageIndex("get", idx));
    }

    /** The element at the given indices as a boolean: true when non-zero (NaN included). */
    public boolean getBool(int... idx) {
        return storage.isTrue(storageIndex("get", idx));
    }

    /** Sets one element in place to an integer value, exactly for INT64. */
    public Tensor setLong(long value, int... idx) {
        storage.setLong(storageIndex("set", idx), value);
        storage.bump();
        return this;
    }

    /** Sets one element in place. */
    public Tensor set(double value, int... idx) {
        storage.set(storageIndex("set", idx), value);
        storage.bump();
        return this;
    }

    /** The value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalStateException("item: tensor of shape " + Shape.format(shape) + " has " + numel()
                    + " elements, expected exactly 1");
        }
        return storage.get(offset);
    }

    /** The value of a one-element tensor as a long (exact for INT64). */
    public long itemLong() {
        item();
        return storage.getLong(offset);
    }

    /** The value of a one-element tensor as a boolean (true when non-zero). */
    public boolean itemBool() {
        item();
        return storage.isTrue(offset);
    }

    /** The elements in row-major order as a new long array (floats are truncated toward zero). */
    public long[] toLongArray() {
        Tensor c = to(DType.INT64).contiguous();
        long[] out = new long[c.numel()];
        System.arraycopy(c.storage.l, c.offset, out, 0, out.length);
        return out;
    }

    /** The elements in row-major order as a new boolean array (true for non-zero). */
    public boolean[] toBooleanArray() {
        Tensor c = to(DType.BOOL).contiguous();
        boolean[] out = new boolean[c.numel()];
        for (int k = 0; k < out.length; k++) {
            out[k] = c.storage.b[c.offset + k] != 0;
        }
        return out;
    }

    /** The elements in row-major order as a new float array (converting if needed). */
    public float[] toFloatArray() {
        Tensor c = to(DType.FLOAT32).contiguous();
        float[] out = new float[c.numel()];
        System.arraycopy(c.storage.f, c.offset, out, 0, out.length);
        return out;
    }

    /** The elements in row-major order as a new double array. */
    public double[] toDoubleArray() {
        Tensor c = to(DType.FLOAT64).contiguous();
        double[] out = new double[c.numel()];
        System.arraycopy(c.storage.d, c.offset, out, 0, out.length);
        return out;
    }

    /** The elements in row-major order as a new int array (floats are truncated toward zero). */
    public int[] toIntArray() {
        Tensor c = to(DType.INT32).contiguous();
        int[] out = new int[c.numel()];
        System.arraycopy(c.storage.i, c.offset, out, 0, out.length);
        return out;
    }

    // ------------------------------------------------------------------------------------------
    // Conversion and copies
    // ------------------------------------------------------------------------------------------

    /**
     * This tensor converted to {@code dtype}; returns {@code this} when the type already matches. Floats
     * narrow with round-to-nearest-even (FLOAT64 to a 16-bit type through FLOAT32, as PyTorch does;
     * too large values become infinities), floats to integers truncate toward zero, INT64 to INT32
     * keeps the low 32 bits, anything to BOOL is true where non-zero (NaN included).
     */
    public Tensor to(DType dtype) {
        if (dtype == dtype()) {
            return this;
        }
        Tensor out = allocate(dtype, shape);
        out.copyFrom(this);
        return out;
    }

    /**
     * This tensor as INT32 indices or labels, for the ops that index with INT32: an INT32 tensor is
     * returned as it is, an INT64 one converted; any other type is returned unchanged (for the caller's
     * own dtype check). An INT64 value outside the int32 range cannot index anything and throws.
     *
     * @param op the operation, for the error message
     * @return an INT32 tensor for integer input, else this tensor
     * @throws IndexOutOfBoundsException for an INT64 value outside the int32 range
     */
    public Tensor asInt32Index(String op) {
        return dtype() == DType.INT64 ? Indexing.intIndex(op, this, this) : this;
    }

    /** This tensor if it is contiguous, otherwise a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : clone();
    }

    /** A contiguous copy that shares nothing with this tensor. */
    @Override
    public Tensor clone() {
        Tensor out = allocate(dtype(), shape);
        out.copyFrom(this);
        return out;
    }

    /** Copies {@code src} (broadcast to this shape, converted to this type) into this tensor in place. */
    public Tensor copy_(Tensor src) {
        if (!Arrays.equals(Shape.broadcast("copy_", shape, src.shape), shape)) {
            throw new IllegalArgumentException("copy_: source of shape " + Shape.format(src.shape)
                    + " cannot be broadcast to destination shape " + Shape.format(shape));
        }
        requireNoInternalOverlap("copy_");
        // a source that shares storage with this view is read from a snapshot (e.g. a.copy_(a.t()))
        copyFrom(
                src.storage == storage
                                && !(src.offset == offset
                                        && Arrays.equals(src.strides, strides)
                                        && Arrays.equals(src.shape, shape))
                        ? src.clone()
                        : src);
        storage.bump();
        return this;
    }

    /**
     * Throws when several elements of this view share one memory location (an expanded view), which
     * an in-place write would update more than once.
     */
    void requireNoInternalOverlap(String op) {
        requireNoInternalOverlap(op, "");
    }

    /** {@link #requireNoInternalOverlap(String)} for the op named {@code op + suffix} (built only to throw). */
    void requireNoInternalOverlap(String op, String suffix) {
        for (int k = 0; k < shape.length; k++) {
            if (strides[k] == 0 && shape[k] > 1) {
                throw new IllegalArgumentException(op + suffix + ": cannot write in place into a tensor of shape "
                        + Shape.format(shape) + " whose elements overlap (stride 0 in dimension " + k
                        + ", e.g. from expand); call clone() first");
            }
        }
    }

    /** Copy without version bump or checks; src broadcastable to this shape. */
    void copyFrom(Tensor src) {
        int[][] st = {strides, Rows.broadcastStrides(src, shape)};
        final Storage d = storage;
        final Storage s = src.storage;
        if (d.dtype == s.dtype && isContiguous() && src.isContiguous() && Arrays.equals(shape, src.shape)) {
            System.arraycopy(s.array(), src.offset, d.array(), offset, numel());
            return;
        }
        Rows.forEach(shape, st, new int[] {offset, src.offset}, (off, len) -> {
            int o = off[0];
            int p = off[1];
            int so = st[0].length == 0 ? 1 : st[0][st[0].length - 1];
            int sp = st[1].length == 0 ? 1 : st[1][st[1].length - 1];
            if (so == 1 && sp == 1 && d.dtype == s.dtype) {
                // contiguous rows (a broadcast bias, the heads of a transposed view): the loop below,
                // with its variable strides, is not vectorized
                System.arraycopy(s.array(), p, d.array(), o, len);
            } else if (d.f != null && s.f != null) {
                for (int k = 0; k < len; k++, o += so, p += sp) {
                    d.f[o] = s.f[p];
                }
            } else if (d.d != null && s.d != null) {
                for (int k = 0; k < len; k++, o += so, p += sp) {
                    d.d[o] = s.d[p];
                }
            } else if (d.i != null && s.i != null) {
                for (int k = 0; k < len; k++, o += so, p += sp) {
                    d.i[o] = s.i[p];
                }
            } else if (d.l != null && s.l != null) {
                for (int k = 0; k < len; k++, o += so, p += sp) {
                    d.l[o] = s.l[p];
                }
            } else if (d.b != null && s.b != null) {
                for (int k = 0; k < len; k++, o += so, p += sp) {
                    d.b[o] = s.b[p];
                }
            } else if (d.dtype == s.dtype) {
                for (int k = 0; k < len; k++, o += so, p += sp) {
                    d.h[o] = s.h[p];
                }
            } else {
                for (int k = 0; k < len; k++, o += so, p += sp) {
                    Storage.convert(s, p, d, o);
                }
            }
        });
    }

    void fillRaw(double value) {
        if (isContiguous()) {
            int n = numel();
            if (storage.f != null) {
                Arrays.fill(storage.f, offset, offset + n, (float) value);
            } else if (storage.d != null) {
                Arrays.fill(storage.d, offset, offset + n, value);
            } else if (storage.i != null) {
                Arrays.fill(storage.i, offset, offset + n, (int) value);
            } else if (storage.l != null) {
                Arrays.fill(storage.l, offset, offset + n, (long) value);
            } else if (storage.b != null) {
                Arrays.fill(storage.b, offset, offset + n, value != 0 ? (byte) 1 : (byte) 0);
            } else {
                Storage one = Storage.allocate(dtype(), 1);
                one.set(0, value);
                Arrays.fill(storage.h, offset, offset + n, one.h[0]);
            }
            return;
        }
        copyFrom(full(dtype(), value));
    }

    /** Fills every element with {@code value} in place. */
    public Tensor fill_(double value) {
        fillRaw(value);
        storage.bump();
        return this;
    }

    /** Sets every element to zero in place. */
    public Tensor zero_() {
        return fill_(0);
    }

    // ------------------------------------------------------------------------------------------
    // Views
    // ------------------------------------------------------------------------------------------

    /**
     * The same elements with a new shape (one size may be -1). A view when the strides allow it,
     * otherwise a copy.
     */
    public Tensor reshape(int... newShape) {
        int[] ns = inferShape("reshape", newShape);
        int[] st = viewStrides(ns);
        if (st != null) {
            return new Tensor(storage, offset, ns, st);
        }
        Tensor c = clone();
        return new Tensor(c.storage, 0, ns, Shape.contiguousStrides(ns));
    }

    /** Like {@link #reshape} but never copies: fails when the strides make a view impossible. */
    public Tensor view(int... newShape) {
        int[] ns = inferShape("view", newShape);
        int[] st = viewStrides(ns);
        if (st == null) {
            throw new IllegalStateException("view: cannot view a tensor of shape " + Shape.format(shape)
                    + " and strides " + Shape.format(strides) + " as shape " + Shape.format(ns)
                    + "; call reshape() or contiguous() first");
        }
        return new Tensor(storage, offset, ns, st);
    }

    private int[] inferShape(String op, int[] newShape) {
        int[] ns = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int k = 0; k < ns.length; k++) {
            if (ns[k] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException(
                            op + ": only one dimension can be -1, got " + Shape.format(newShape));
                }
                infer = k;
            } else if (ns[k] < 0) {
                throw new IllegalArgumentException(
                        op + ": invalid size " + ns[k] + " in shape " + Shape.format(newShape));
            } else {
                known *= ns[k];
            }
        }
        int n = numel();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException(op + ": cannot reshape tensor of shape " + Shape.format(shape) + " ("
                        + n + " elements) into shape " + Shape.format(newShape));
            }
            ns[infer] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException(op + ": cannot reshape tensor of shape " + Shape.format(shape) + " (" + n
                    + " elements) into shape " + Shape.format(newShape) + " (" + known + " elements)");
        }
        return ns;
    }

    /** Strides for viewing this tensor as {@code ns}, or null if impossible (PyTorch's computeStride). */
    private int[] viewStrides(int[] ns) {
        if (numel() == 0 || shape.length == 0) {
            return Shape.contiguousStrides(ns);
        }
        int[] newStrides = new int[ns.length];
        int viewD = ns.length - 1;
        long chunkBase = strides[strides.length - 1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int td = shape.length - 1; td >= 0; td--) {
            tensorNumel *= shape[td];
            if (td == 0 || (shape[td - 1] != 1 && strides[td - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || ns[viewD] == 1)) {
                    newStrides[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= ns[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) {
                    return null;
                }
                if (td > 0) {
                    chunkBase = strides[td - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) {
            return null;
        }
        return newStrides;
    }

    /** Reorders dimensions: {@code out.shape[k] = shape[dims[k]]}. A view. */
    public Tensor permute(int... dims) {
        if (dims.length != shape.length) {
            throw new IllegalArgumentException("permute: expected " + shape.length + " dimensions for shape "
                    + Shape.format(shape) + ", got " + Shape.format(dims));
        }
        int[] ns = new int[dims.length];
        int[] st = new int[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int k = 0; k < dims.length; k++) {
            int d = Shape.wrapDim("permute", dims[k], shape.length);
            if (seen[d]) {
                throw new IllegalArgumentException("permute: dimension " + d + " repeats in " + Shape.format(dims));
            }
            seen[d] = true;
            ns[k] = shape[d];
            st[k] = strides[d];
        }
        return new Tensor(storage, offset, ns, st);
    }

    /** Swaps two dimensions. A view. */
    public Tensor transpose(int dim0, int dim1) {
        int a = Shape.wrapDim("transpose", dim0, shape.length);
        int b = Shape.wrapDim("transpose", dim1, shape.length);
        if (shape.length == 0) {
            return this;
        }
        int[] ns = shape.clone();
        int[] st = strides.clone();
        ns[a] = shape[b];
        ns[b] = shape[a];
        st[a] = strides[b];
        st[b] = strides[a];
        return new Tensor(storage, offset, ns, st);
    }

    /** The transpose of a matrix (a 0-D or 1-D tensor is returned as is). A view. */
    public Tensor t() {
        if (shape.length > 2) {
            throw new IllegalArgumentException(
                    "t: expects a tensor of at most 2 dimensions, got shape " + Shape.format(shape));
        }
        return shape.length < 2 ? this : transpose(0, 1);
    }

    /** Moves dimension {@code source} to position {@code destination}. A view. */
    public Tensor movedim(int source, int destination) {
        int r = shape.length;
        int s = Shape.wrapDim("movedim", source, r);
        int d = Shape.wrapDim("movedim", destination, r);
        int[] perm = new int[r];
        int p = 0;
        for (int k = 0; k < r; k++) {
            if (k != s) {
                perm[p++] = k;
            }
        }
        int[] out = new int[r];
        p = 0;
        for (int k = 0; k < r; k++) {
            out[k] = k == d ? s : perm[p++];
        }
        return permute(out);
    }

    /** Elements {@code start .. start + length - 1} along {@code dim}. A view. */
    public Tensor narrow(int dim, int start, int length) {
        int d = Shape.wrapDim("narrow", dim, shape.length);
        int st = start < 0 ? start + shape[d] : start;
        if (st < 0 || length < 0 || st + length > shape[d]) {
            throw new IndexOutOfBoundsException("narrow: range [" + start + ", " + start + " + " + length
                    + ") is out of bounds for dimension " + d + " of shape " + Shape.format(shape));
        }
        int[] ns = shape.clone();
        ns[d] = length;
        return new Tensor(storage, offset + st * strides[d], ns, strides.clone());
    }

    /**
     * Python-style slice {@code [start:end:step]} along {@code dim}: negative indices count from the end,
     * out-of-range bounds are clamped, {@code step} must be positive. A view.
     */
    public Tensor slice(int dim, int start, int end, int step) {
        int d = Shape.wrapDim("slice", dim, shape.length);
        if (step <= 0) {
            throw new IllegalArgumentException("slice: step must be positive, got " + step);
        }
        int n = shape[d];
        int s = start < 0 ? Math.max(0, start + n) : Math.min(start, n);
        int e = end < 0 ? Math.max(0, end + n) : Math.min(end, n);
        int len = e > s ? (e - s + step - 1) / step : 0;
        int[] ns = shape.clone();
        int[] st = strides.clone();
        ns[d] = len;
        st[d] = strides[d] * step;
        return new Tensor(storage, offset + (len > 0 ? s * strides[d] : 0), ns, st);
    }

    /** Indexes one position along {@code dim}, removing that dimension. A view. */
    public Tensor select(int dim, int index) {
        int d = Shape.wrapDim("select", dim, shape.length);
        if (shape.length == 0) {
            throw new IllegalArgumentException("select: cannot select from a 0-dimensional tensor");
        }
        int i = index < 0 ? index + shape[d] : index;
        if (i < 0 || i >= shape[d]) {
            throw new IndexOutOfBoundsException("select: index " + index + " is out of bounds for dimension " + d
                    + " with size " + shape[d] + " (shape " + Shape.format(shape) + ")");
        }
        int[] ns = new int[shape.length - 1];
        int[] st = new int[shape.length - 1];
        for (int k = 0, p = 0; k < shape.length; k++) {
            if (k != d) {
                ns[p] = shape[k];
                st[p++] = strides[k];
            }
        }
        return new Tensor(storage, offset + i * strides[d], ns, st);
    }

    /**
     * Broadcasts to a larger shape without copying (stride 0). New dimensions may be added in front;
     * -1 keeps a size; only size-1 dimensions can grow.
     */
    public Tensor expand(int... sizes) {
        if (sizes.length < shape.length) {
            throw new IllegalArgumentException("expand: target shape " + Shape.format(sizes)
                    + " has fewer dimensions than " + Shape.format(shape));
        }
        int lead = sizes.length - shape.length;
        int[] ns = new int[sizes.length];
        int[] st = new int[sizes.length];
        for (int k = 0; k < sizes.length; k++) {
            if (k < lead) {
                if (sizes[k] < 0) {
                    throw new IllegalArgumentException(
                            "expand: size -1 is not allowed for a new dimension in " + Shape.format(sizes));
                }
                ns[k] = sizes[k];
                st[k] = 0;
            } else {
                int cur = shape[k - lead];
                int want = sizes[k] == -1 ? cur : sizes[k];
                if (want < 0) {
                    throw new IllegalArgumentException(
                            "expand: invalid size " + sizes[k] + " in " + Shape.format(sizes));
                }
                if (want == cur) {
                    ns[k] = cur;
                    st[k] = strides[k - lead];
                } else if (cur == 1) {
                    ns[k] = want;
                    st[k] = 0;
                } else {
                    throw new IllegalArgumentException("expand: cannot expand shape " + Shape.format(shape) + " to "
                            + Shape.format(sizes) + " (dimension " + k + ": " + cur + " vs " + want + ")");
                }
            }
        }
        Shape.numel(ns); // rejects sizes whose product overflows
        return new Tensor(storage, offset, ns, st);
    }

    /** {@link #expand} to the shape of {@code other}. */
    public Tensor expandAs(Tensor other) {
        return expand(other.shape);
    }

    /** Removes every dimension of size 1. A view. */
    public Tensor squeeze() {
        int cnt = 0;
        for (int s : shape) {
            if (s != 1) {
                cnt++;
            }
        }
        int[] ns = new int[cnt];
        int[] st = new int[cnt];
        for (int k = 0, p = 0; k < shape.length; k++) {
            if (shape[k] != 1) {
                ns[p] = shape[k];
                st[p++] = strides[k];
            }
        }
        return new Tensor(storage, offset, ns, st);
    }

    /** Removes dimension {@code dim} if its size is 1 (otherwise returns the same view). */
    public Tensor squeeze(int dim) {
        if (shape.length == 0) {
            return this;
        }
        int d = Shape.wrapDim("squeeze", dim, shape.length);
        if (shape[d] != 1) {
            return this;
        }
        return select(d, 0);
    }

    /** Inserts a dimension of size 1 at {@code dim} (in {@code [-rank-1, rank]}). A view. */
    public Tensor unsqueeze(int dim) {
        int d = Shape.wrapDim("unsqueeze", dim, shape.length + 1);
        int[] ns = new int[shape.length + 1];
        int[] st = new int[shape.length + 1];
        for (int k = 0, p = 0; k < ns.length; k++) {
            if (k == d) {
                ns[k] = 1;
                st[k] = d < shape.length ? strides[d] * shape[d] : 1;
            } else {
                ns[k] = shape[p];
                st[k] = strides[p++];
            }
        }
        return new Tensor(storage, offset, ns, st);
    }

    /** Flattens to 1-D. */
    public Tensor flatten() {
        return reshape(-1);
    }

    /** Flattens dimensions {@code startDim..endDim} (inclusive) into one. */
    public Tensor flatten(int startDim, int endDim) {
        if (shape.length == 0) {
            return reshape(1);
        }
        int s = Shape.wrapDim("flatten", startDim, shape.length);
        int e = Shape.wrapDim("flatten", endDim, shape.length);
        if (s > e) {
            throw new IllegalArgumentException(
                    "flatten: start dimension " + startDim + " comes after end dimension " + endDim);
        }
        int[] ns = new int[shape.length - (e - s)];
        int p = 0;
        for (int k = 0; k < s; k++) {
            ns[p++] = shape[k];
        }
        int m = 1;
        for (int k = s; k <= e; k++) {
            m *= shape[k];
        }
        ns[p++] = m;
        for (int k = e + 1; k < shape.length; k++) {
            ns[p++] = shape[k];
        }
        return reshape(ns);
    }

    // ------------------------------------------------------------------------------------------
    // Element-wise operations
    // ------------------------------------------------------------------------------------------

    /** {@code this + other}, broadcast. */
    public Tensor add(Tensor other) {
        return Elementwise.binary(BinaryOp.ADD, this, other);
    }

    /** {@code this + value}. */
    public Tensor add(double value) {
        return Elementwise.binaryScalar(BinaryOp.ADD, this, value);
    }

    /** {@code this + alpha * other}, broadcast. */
    public Tensor add(Tensor other, double alpha) {
        return alpha == 1 ? add(other) : add(other.mul(alpha));
    }

    /** {@code this - other}, broadcast. */
    public Tensor sub(Tensor other) {
        return Elementwise.binary(BinaryOp.SUB, this, other);
    }

    /** {@code this - value}. */
    public Tensor sub(double value) {
        return Elementwise.binaryScalar(BinaryOp.SUB, this, value);
    }

    /** {@code value - this}. */
    public Tensor rsub(double value) {
        return Elementwise.scalarBinary(BinaryOp.SUB, value, this);
    }

    /** {@code this * other}, broadcast. */
    public Tensor mul(Tensor other) {
        return Elementwise.binary(BinaryOp.MUL, this, other);
    }

    /** {@code this * value}. */
    public Tensor mul(double value) {
        return Elementwise.binaryScalar(BinaryOp.MUL, this, value);
    }

    /** {@code this / other}, broadcast (floating types only). */
    public Tensor div(Tensor other) {
        return Elementwise.binary(BinaryOp.DIV, this, other);
    }

    /** {@code this / value}. */
    public Tensor div(double value) {
        return Elementwise.binaryScalar(BinaryOp.DIV, this, value);
    }

    /** {@code value / this}. */
    public Tensor rdiv(double value) {
        return Elementwise.scalarBinary(BinaryOp.DIV, value, this);
    }

    /** {@code this ^ other}, broadcast. */
    public Tensor pow(Tensor other) {
        return Elementwise.binary(BinaryOp.POW, this, other);
    }

    /** {@code this ^ exponent}. */
    public Tensor pow(double exponent) {
        return Elementwise.binaryScalar(BinaryOp.POW, this, exponent);
    }

    /** Element-wise maximum, broadcast (NaN propagates). */
    public Tensor maximum(Tensor other) {
        return Elementwise.binary(BinaryOp.MAX, this, other);
    }

    /** Element-wise minimum, broadcast (NaN propagates). */
    public Tensor minimum(Tensor other) {
        return Elementwise.binary(BinaryOp.MIN, this, other);
    }

    /** Mask of {@code this == other}. */
    public Tensor eq(Tensor other) {
        return Elementwise.binary(BinaryOp.EQ, this, other);
    }

    /** Mask of {@code this == value}. */
    public Tensor eq(double value) {
        return Elementwise.binaryScalar(BinaryOp.EQ, this, value);
    }

    /** Mask of {@code this != other}. */
    public Tensor ne(Tensor other) {
        return Elementwise.binary(BinaryOp.NE, this, other);
    }

    /** Mask of {@code this != value}. */
    public Tensor ne(double value) {
        return Elementwise.binaryScalar(BinaryOp.NE, this, value);
    }

    /** Mask of {@code this < other}. */
    public Tensor lt(Tensor other) {
        return Elementwise.binary(BinaryOp.LT, this, other);
    }

    /** Mask of {@code this < value}. */
    public Tensor lt(double value) {
        return Elementwise.binaryScalar(BinaryOp.LT, this, value);
    }

    /** Mask of {@code this <= other}. */
    public Tensor le(Tensor other) {
        return Elementwise.binary(BinaryOp.LE, this, other);
    }

    /** Mask of {@code this <= value}. */
    public Tensor le(double value) {
        return Elementwise.binaryScalar(BinaryOp.LE, this, value);
    }

    /** Mask of {@code this > other}. */
    public Tensor gt(Tensor other) {
        return Elementwise.binary(BinaryOp.GT, this, other);
    }

    /** Mask of {@code this > value}. */
    public Tensor gt(double value) {
        return Elementwise.binaryScalar(BinaryOp.GT, this, value);
    }

    /** Mask of {@code this >= other}. */
    public Tensor ge(Tensor other) {
        return Elementwise.binary(BinaryOp.GE, this, other);
    }

    /** Mask of {@code this >= value}. */
    public Tensor ge(double value) {
        return Elementwise.binaryScalar(BinaryOp.GE, this, value);
    }

    /** Element-wise logical and of two masks (any type: non-zero is true), as a BOOL tensor. */
    public Tensor logicalAnd(Tensor other) {
        return Elementwise.logical(BinaryOp.AND, this, other);
    }

    /** Element-wise logical or (non-zero is true), as a BOOL tensor. */
    public Tensor logicalOr(Tensor other) {
        return Elementwise.logical(BinaryOp.OR, this, other);
    }

    /** Element-wise logical exclusive or (non-zero is true), as a BOOL tensor. */
    public Tensor logicalXor(Tensor other) {
        return Elementwise.logical(BinaryOp.XOR, this, other);
    }

    /** Element-wise logical not (true where zero), as a BOOL tensor. */
    public Tensor logicalNot() {
        return Elementwise.logicalNot(this);
    }

    /** {@code -this}. */
    public Tensor neg() {
        return Elementwise.unary(UnaryOp.NEG, this);
    }

    /** {@code |this|}. */
    public Tensor abs() {
        return Elementwise.unary(UnaryOp.ABS, this);
    }

    /** -1, 0 or 1 by sign (0 for 0). */
    public Tensor sign() {
        return Elementwise.unary(UnaryOp.SIGN, this);
    }

    /** {@code e^x}. */
    public Tensor exp() {
        return Elementwise.unary(UnaryOp.EXP, this);
    }

    /** Natural logarithm. */
    public Tensor log() {
        return Elementwise.unary(UnaryOp.LOG, this);
    }

    /** {@code log(1 + x)}, accurate for small x. */
    public Tensor log1p() {
        return Elementwise.unary(UnaryOp.LOG1P, this);
    }

    /** {@code e^x - 1}, accurate for small x. */
    public Tensor expm1() {
        return Elementwise.unary(UnaryOp.EXPM1, this);
    }

    /** Square root. */
    public Tensor sqrt() {
        return Elementwise.unary(UnaryOp.SQRT, this);
    }

    /** {@code 1 / sqrt(x)}. */
    public Tensor rsqrt() {
        return Elementwise.unary(UnaryOp.RSQRT, this);
    }

    /** {@code x * x}. */
    public Tensor square() {
        return Elementwise.unary(UnaryOp.SQUARE, this);
    }

    /** {@code 1 / x}. */
    public Tensor reciprocal() {
        return Elementwise.unary(UnaryOp.RECIPROCAL, this);
    }

    /** Sine. */
    public Tensor sin() {
        return Elementwise.unary(UnaryOp.SIN, this);
    }

    /** Cosine. */
    public Tensor cos() {
        return Elementwise.unary(UnaryOp.COS, this);
    }

    /** Hyperbolic tangent. */
    public Tensor tanh() {
        return Elementwise.unary(UnaryOp.TANH, this);
    }

    /** Logistic sigmoid {@code 1 / (1 + e^-x)}, stable for large |x|. */
    public Tensor sigmoid() {
        return Elementwise.unary(UnaryOp.SIGMOID, this);
    }

    /** {@code max(x, 0)}. */
    public Tensor relu() {
        return Elementwise.unary(UnaryOp.RELU, this);
    }

    /** {@code x} if positive, else {@code slope * x}. */
    public Tensor leakyRelu(double slope) {
        return Elementwise.unaryParam(UnaryOp.LEAKY_RELU, this, slope);
    }

    /** {@code x} if positive, else {@code alpha * (e^x - 1)}. */
    public Tensor elu(double alpha) {
        return Elementwise.unaryParam(UnaryOp.ELU, this, alpha);
    }

    /** SELU with the constants of Klambauer et al. (2017), as PyTorch. */
    public Tensor selu() {
        return Elementwise.unary(UnaryOp.SELU, this);
    }

    /** Exact GELU {@code x * Phi(x)}. */
    public Tensor gelu() {
        return Elementwise.unary(UnaryOp.GELU, this);
    }

    /** GELU with the tanh approximation ({@code approximate='tanh'} in PyTorch). */
    public Tensor geluTanh() {
        return Elementwise.unary(UnaryOp.GELU_TANH, this);
    }

    /** {@code log(1 + e^x)}, linear above 20 as in PyTorch. */
    public Tensor softplus() {
        return Elementwise.unary(UnaryOp.SOFTPLUS, this);
    }

    /** The error function. */
    public Tensor erf() {
        return Elementwise.unary(UnaryOp.ERF, this);
    }

    /** Mish: {@code x * tanh(softplus(x))}. */
    public Tensor mish() {
        return Elementwise.unary(UnaryOp.MISH, this);
    }

    /** SiLU (swish): {@code x * sigmoid(x)}. */
    public Tensor silu() {
        return Elementwise.unary(UnaryOp.SILU, this);
    }

    /** Clamps into {@code [min, max]}; use infinities for one-sided clamps. */
    public Tensor clamp(double min, double max) {
        if (min > max) {
            throw new IllegalArgumentException("clamp: min (" + min + ") is greater than max (" + max + ")");
        }
        return Elementwise.clamp(this, min, max);
    }

    /**
     * Element-wise choice: {@code cond ? a : b}, all three broadcast together. {@code cond} is a BOOL
     * mask (a mask of another type counts non-zero as true); {@code a} and {@code b} must share a dtype,
     * which may be any (the 16-bit storage types included).
     */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return Elementwise.where(cond, a, b);
    }

    /**
     * A copy with {@code value} wherever {@code mask} (a BOOL mask, or any type read as non-zero, broadcast
     * to this shape) is true. Works for every dtype; an integer tensor takes only an integer value.
     */
    public Tensor maskedFill(Tensor mask, double value) {
        if (!Arrays.equals(Shape.broadcast("maskedFill", shape, mask.shape), shape)) {
            throw new IllegalArgumentException("maskedFill: mask of shape " + Shape.format(mask.shape)
                    + " does not broadcast to the tensor's shape " + Shape.format(shape));
        }
        Tensor fill =
                dtype().isInteger() ? Elementwise.scalarLike("maskedFill", this, value) : Tensor.scalar(dtype(), value);
        return Elementwise.where(mask, fill, this);
    }

    // In place

    /** {@code this += other} in place (other broadcast to this shape). */
    public Tensor add_(Tensor other) {
        return Elementwise.inPlace(BinaryOp.ADD, this, other);
    }

    /** {@code this += value} in place. */
    public Tensor add_(double value) {
        return Elementwise.inPlaceScalar(BinaryOp.ADD, this, value);
    }

    /** {@code this += alpha * other} in place (other broadcast to this shape). */
    public Tensor add_(Tensor other, double alpha) {
        return Elementwise.axpyInPlace(this, other, alpha);
    }

    /** {@code this -= other} in place. */
    public Tensor sub_(Tensor other) {
        return Elementwise.inPlace(BinaryOp.SUB, this, other);
    }

    /** {@code this *= other} in place. */
    public Tensor mul_(Tensor other) {
        return Elementwise.inPlace(BinaryOp.MUL, this, other);
    }

    /** {@code this *= value} in place. */
    public Tensor mul_(double value) {
        return Elementwise.inPlaceScalar(BinaryOp.MUL, this, value);
    }

    /** {@code this /= other} in place. */
    public Tensor div_(Tensor other) {
        return Elementwise.inPlace(BinaryOp.DIV, this, other);
    }

    /** {@code this /= value} in place. */
    public Tensor div_(double value) {
        return Elementwise.inPlaceScalar(BinaryOp.DIV, this, value);
    }

    /** Clamps into {@code [min, max]} in place. */
    public Tensor clamp_(double min, double max) {
        return copy_(clamp(min, max));
    }

    // ------------------------------------------------------------------------------------------
    // Reductions
    // ------------------------------------------------------------------------------------------

    /** Values and their indices along a reduced dimension (from {@link #max(int, boolean)} and friends). */
    public static final class ValuesIndices {
        private final Tensor values;
        private final Tensor indices;

        ValuesIndices(Tensor values, Tensor indices) {
            this.values = values;
            this.indices = indices;
        }

        /** The reduced values. */
        public Tensor values() {
            return values;
        }

        /** INT32 positions of the values along the reduced dimension. */
        public Tensor indices() {
            return indices;
        }
    }

    /** Sum of all elements (a 0-D tensor). */
    public Tensor sum() {
        return Reduce.reduce(Reduce.Op.SUM, this, null, false, 0);
    }

    /** Sum over one dimension. */
    public Tensor sum(int dim, boolean keepdim) {
        return Reduce.reduce(Reduce.Op.SUM, this, new int[] {dim}, keepdim, 0);
    }

    /** Sum over a set of dimensions. */
    public Tensor sum(int[] dims, boolean keepdim) {
        return Reduce.reduce(Reduce.Op.SUM, this, dims, keepdim, 0);
    }

    /** Mean of all elements. */
    public Tensor mean() {
        return Reduce.reduce(Reduce.Op.MEAN, this, null, false, 0);
    }

    /** Mean over one dimension. */
    public Tensor mean(int dim, boolean keepdim) {
        return Reduce.reduce(Reduce.Op.MEAN, this, new int[] {dim}, keepdim, 0);
    }

    /** Mean over a set of dimensions. */
    public Tensor mean(int[] dims, boolean keepdim) {
        return Reduce.reduce(Reduce.Op.MEAN, this, dims, keepdim, 0);
    }

    /** Product of all elements. */
    public Tensor prod() {
        return Reduce.reduce(Reduce.Op.PROD, this, null, false, 0);
    }

    /** Product over a set of dimensions. */
    public Tensor prod(int[] dims, boolean keepdim) {
        return Reduce.reduce(Reduce.Op.PROD, this, dims, keepdim, 0);
    }

    /** Maximum of all elements (NaN propagates). */
    public Tensor max() {
        return Reduce.reduce(Reduce.Op.MAX, this, null, false, 0);
    }

    /** Minimum of all elements. */
    public Tensor min() {
        return Reduce.reduce(Reduce.Op.MIN, this, null, false, 0);
    }

    /** Maximum over a set of dimensions, values only. */
    public Tensor amax(int[] dims, boolean keepdim) {
        return Reduce.reduce(Reduce.Op.MAX, this, dims, keepdim, 0);
    }

    /** Minimum over a set of dimensions, values only. */
    public Tensor amin(int[] dims, boolean keepdim) {
        return Reduce.reduce(Reduce.Op.MIN, this, dims, keepdim, 0);
    }

    /** Maximum along {@code dim} with the index of its first occurrence. */
    public ValuesIndices max(int dim, boolean keepdim) {
        return Reduce.argReduce(true, this, dim, keepdim);
    }

    /** Minimum along {@code dim} with the index of its first occurrence. */
    public ValuesIndices min(int dim, boolean keepdim) {
        return Reduce.argReduce(false, this, dim, keepdim);
    }

    /** Index of the maximum along {@code dim} (INT32). */
    public Tensor argmax(int dim, boolean keepdim) {
        return max(dim, keepdim).indices();
    }

    /** Index of the maximum of the flattened tensor (0-D INT32). */
    public Tensor argmax() {
        return reshape(-1).argmax(0, false);
    }

    /** Index of the minimum along {@code dim} (INT32). */
    public Tensor argmin(int dim, boolean keepdim) {
        return min(dim, keepdim).indices();
    }

    /** Index of the minimum of the flattened tensor (0-D INT32). */
    public Tensor argmin() {
        return reshape(-1).argmin(0, false);
    }

    /** Variance of all elements with Bessel's correction (correction 1). */
    public Tensor var() {
        return Reduce.reduce(Reduce.Op.VAR, this, null, false, 1);
    }

    /** Variance over dims: {@code sum((x - mean)^2) / (N - correction)}. */
    public Tensor var(int[] dims, int correction, boolean keepdim) {
        return Reduce.reduce(Reduce.Op.VAR, this, dims, keepdim, correction);
    }

    /** Standard deviation of all elements (correction 1). */
    public Tensor std() {
        return Reduce.reduce(Reduce.Op.VAR, this, null, false, 1).sqrt();
    }

    /** Standard deviation over dims with the given correction. */
    public Tensor std(int[] dims, int correction, boolean keepdim) {
        return Reduce.reduce(Reduce.Op.VAR, this, dims, keepdim, correction).sqrt();
    }

    /** Euclidean norm of all elements. */
    public Tensor norm() {
        return norm(2, null, false);
    }

    /** The p-norm over dims ({@code null} for all); p may be infinite. */
    public Tensor norm(double p, int[] dims, boolean keepdim) {
        if (p == 2) {
            return Reduce.reduce(Reduce.Op.SUMSQ, this, dims, keepdim, 0).sqrt();
        }
        if (p == 1) {
            return abs().sum(dims == null ? allDims() : dims, keepdim);
        }
        if (p == Double.POSITIVE_INFINITY) {
            return abs().amax(dims == null ? allDims() : dims, keepdim);
        }
        if (p == Double.NEGATIVE_INFINITY) {
            return abs().amin(dims == null ? allDims() : dims, keepdim);
        }
        if (p == 0) {
            return ne(0).sum(dims == null ? allDims() : dims, keepdim);
        }
        return abs().pow(p).sum(dims == null ? allDims() : dims, keepdim).pow(1 / p);
    }

    int[] allDims() {
        int[] d = new int[shape.length];
        for (int k = 0; k < d.length; k++) {
            d[k] = k;
        }
        return d;
    }

    /** {@code log(sum(exp(x)))} over dims, computed stably. */
    public Tensor logsumexp(int[] dims, boolean keepdim) {
        return Reduce.reduce(Reduce.Op.LOGSUMEXP, this, dims, keepdim, 0);
    }

    /** {@code log(sum(exp(x)))} over one dimension. */
    public Tensor logsumexp(int dim, boolean keepdim) {
        return logsumexp(new int[] {dim}, keepdim);
    }

    /** Softmax along {@code dim}, stable for large logits. */
    public Tensor softmax(int dim) {
        return Reduce.softmax(this, dim, false);
    }

    /** Log-softmax along {@code dim}, stable for large logits. */
    public Tensor logSoftmax(int dim) {
        return Reduce.softmax(this, dim, true);
    }

    /** Cumulative sum along {@code dim}. */
    public Tensor cumsum(int dim) {
        return Reduce.cumsum(this, dim);
    }

    // ------------------------------------------------------------------------------------------
    // Linear algebra
    // ------------------------------------------------------------------------------------------

    /**
     * Matrix product with PyTorch's semantics: 1-D x 1-D is a dot product, 2-D x 2-D a matrix
     * product, a 1-D operand is promoted to a matrix and the added dimension removed, and higher
     * ranks are batched with broadcast batch dimensions. Transposed operands are not copied.
     */
    public Tensor matmul(Tensor other) {
        return LinAlg.matmul(this, other);
    }

    /** {@code beta * bias + alpha * (a @ b)} for matrices, bias broadcast to the product's shape. */
    public static Tensor addmm(Tensor bias, Tensor a, Tensor b, double beta, double alpha) {
        return LinAlg.addmm(bias, a, b, beta, alpha);
    }

    /** {@code bias + a @ b} for matrices. */
    public static Tensor addmm(Tensor bias, Tensor a, Tensor b) {
        return LinAlg.addmm(bias, a, b, 1, 1);
    }

    /** Outer product of two vectors. */
    public Tensor outer(Tensor other) {
        return LinAlg.outer(this, other);
    }

    /** Dot product of two vectors (0-D result). */
    public Tensor dot(Tensor other) {
        return LinAlg.dot(this, other);
    }

    /**
     * Einstein summation for one or two operands, e.g. {@code "ij,jk->ik"}, {@code "bij,bjk->bik"},
     * {@code "ii->i"}, {@code "ij->"}, {@code "i,j->ij"}. Without {@code ->} the output holds the
     * indices that appear once, in alphabetical order.
     */
    public static Tensor einsum(String equation, Tensor... operands) {
        return LinAlg.einsum(equation, operands);
    }

    // ------------------------------------------------------------------------------------------
    // Joining and indexing
    // ------------------------------------------------------------------------------------------

    /**
     * Concatenates along {@code dim} into a new tensor; all other sizes must match and all dtypes must
     * be the same. As in PyTorch 1.13, 1-D empty tensors (shape {@code (0,)}) are skipped whatever the
     * other shapes.
     */
    public static Tensor cat(int dim, Tensor... tensors) {
        return Indexing.cat(dim, List.of(tensors));
    }

    /** Concatenates a list along {@code dim}; see {@link #cat(int, Tensor...)}. */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        return Indexing.cat(dim, tensors);
    }

    /** Stacks same-shaped tensors along a new dimension {@code dim} (in {@code [-rank-1, rank]}) into a new tensor. */
    public static Tensor stack(int dim, Tensor... tensors) {
        return Indexing.stack(dim, List.of(tensors));
    }

    /** Stacks a list along a new dimension. */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        return Indexing.stack(dim, tensors);
    }

    /**
     * Splits into views of {@code splitSize} along {@code dim} (the last may be smaller); a
     * {@code splitSize} of 0 is only allowed for an empty dimension.
     */
    public List<Tensor> split(int splitSize, int dim) {
        return Indexing.split(this, splitSize, dim);
    }

    /** Splits into views of the given sizes along {@code dim}; the sizes must sum to the dimension. */
    public List<Tensor> split(int[] sizes, int dim) {
        return Indexing.split(this, sizes, dim);
    }

    /**
     * Splits into views of {@code ceil(size / chunks)} along {@code dim}, like {@code torch.chunk}: the
     * last may be smaller and there may be fewer than {@code chunks} of them.
     */
    public List<Tensor> chunk(int chunks, int dim) {
        return Indexing.chunk(this, chunks, dim);
    }

    /** Padding modes for {@link #pad}. */
    public enum PadMode {
        /** Fill with a constant value. */
        CONSTANT,
        /** Mirror without repeating the edge: {@code [1,2,3]} padded by 2 gives {@code [3,2,1,2,3,2,1]}. */
        REFLECT,
        /** Repeat the edge value. */
        REPLICATE
    }

    /**
     * Pads the last dimensions like {@code torch.nn.functional.pad}, into a new tensor: {@code pads}
     * holds {@code (left, right)} of the last dimension, then of the one before, and so on, for any
     * number of dimensions in every mode. Negative padding crops. {@code value} is used by
     * {@link PadMode#CONSTANT} only. {@link PadMode#REFLECT} needs each padding to be less than the
     * size of its dimension, {@link PadMode#REPLICATE} a non-empty dimension.
     */
    public Tensor pad(int[] pads, PadMode mode, double value) {
        return Indexing.pad(this, pads, mode, value);
    }

    /** Constant zero padding of the last dimensions. */
    public Tensor pad(int... pads) {
        return Indexing.pad(this, pads, PadMode.CONSTANT, 0);
    }

    /**
     * A new tensor of the entries {@code index} (INT32 or INT64, 1-D or 0-D) along {@code dim}:
     * {@code out[i][j][k] = this[i][index[j]][k]} for dim 1. Indices must lie in {@code [0, size)};
     * others throw {@link IndexOutOfBoundsException}.
     */
    public Tensor indexSelect(int dim, Tensor index) {
        return Indexing.indexSelect(this, dim, index);
    }

    /**
     * {@code out[i][j][k] = this[i][index[i][j][k]][k]} for dim 1 (and likewise for other dims). The
     * INT32 or INT64 index has the rank of this tensor and sizes no larger outside {@code dim}; the result has
     * the index's shape. Indices must lie in {@code [0, size)}.
     */
    public Tensor gather(int dim, Tensor index) {
        return Indexing.gather(this, dim, index);
    }

    /**
     * A copy with {@code src} added at the positions {@code index} along {@code dim}:
     * {@code out[i][index[i][j][k]][k] += src[i][j][k]} for dim 1. The INT32 or INT64 index, {@code src} and
     * this tensor share a rank; the index is no larger than {@code src} and, outside {@code dim}, than
     * this tensor. Repeated indices accumulate. Indices must lie in {@code [0, size)}.
     */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        return Indexing.scatterAdd(clone(), dim, index, src);
    }

    /**
     * {@link #scatterAdd} in place. An index error leaves this tensor unchanged; an expanded view
     * (elements sharing memory) is rejected.
     */
    public Tensor scatterAdd_(int dim, Tensor index, Tensor src) {
        Indexing.scatterAdd(this, dim, index, src);
        storage.bump();
        return this;
    }

    /**
     * One-hot FLOAT32 encoding of an INT32 or INT64 tensor of class indices: shape {@code shape + (numClasses,)}.
     * Values must lie in {@code [0, numClasses)}; {@code numClasses} is positive, or -1 for the largest
     * value plus one.
     */
    public Tensor oneHot(int numClasses) {
        return Indexing.oneHot(this, numClasses);
    }

    /**
     * Repeats the tensor along each dimension into a new tensor ({@code torch.Tensor.repeat}); there
     * must be at least one repeat per dimension, extra ones add leading dimensions.
     */
    public Tensor repeat(int... repeats) {
        return Indexing.repeat(this, repeats);
    }

    /** {@code numpy.tile}: like {@link #repeat} but pads missing repeats with leading ones. */
    public Tensor tile(int... repeats) {
        return Indexing.tile(this, repeats);
    }

    /** Reverses the order along the given dimensions (a copy). */
    public Tensor flip(int... dims) {
        return Indexing.flip(this, dims);
    }

    /**
     * A copy keeping the lower triangle of the last two dimensions (each matrix of a batch), that is the
     * elements {@code (i, j)} with {@code j - i <= k}, and zero elsewhere.
     */
    public Tensor tril(int k) {
        return Indexing.triangle(this, k, true);
    }

    /**
     * A copy keeping the upper triangle of the last two dimensions (each matrix of a batch), that is the
     * elements {@code (i, j)} with {@code j - i >= k}, and zero elsewhere.
     */
    public Tensor triu(int k) {
        return Indexing.triangle(this, k, false);
    }

    // ------------------------------------------------------------------------------------------
    // Comparison and printing
    // ------------------------------------------------------------------------------------------

    /** True when the shapes match and every pair is within {@code atol + rtol * |other|} (NaN equal to NaN). */
    public boolean allClose(Tensor other, double rtol, double atol) {
        if (!Arrays.equals(shape, other.shape)) {
            return false;
        }
        double[] a = toDoubleArray();
        double[] b = other.toDoubleArray();
        for (int k = 0; k < a.length; k++) {
            if (Double.isNaN(a[k]) && Double.isNaN(b[k])) {
                continue;
            }
            if (a[k] == b[k]) {
                continue;
            }
            if (!(Math.abs(a[k] - b[k]) <= atol + rtol * Math.abs(b[k]))) {
                return false;
            }
        }
        return true;
    }

    /** True when shapes, types and all values are identical. */
    public boolean equal(Tensor other) {
        if (dtype() != other.dtype() || !Arrays.equals(shape, other.shape)) {
            return false;
        }
        return dtype() == DType.INT64
                ? Arrays.equals(toLongArray(), other.toLongArray())
                : Arrays.equals(toDoubleArray(), other.toDoubleArray());
    }

    /** Prints like PyTorch, summarizing large tensors. */
    @Override
    public String toString() {
        return Printer.format(this);
    }

    static void requireFloat(String op, DType dtype) {
        if (dtype.isStorageOnly()) {
            throw new IllegalArgumentException(op + ": " + dtype + " is a storage type without arithmetic; convert"
                    + " with to(DType.FLOAT32) first");
        }
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected a floating point dtype, got " + dtype);
        }
    }
}
