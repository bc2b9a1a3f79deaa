package io.jgrad.core;

import io.jgrad.core.kernel.KernelProvider;
import io.jgrad.core.kernel.Kernels;
import io.jgrad.core.kernel.Parallel;
import java.util.Arrays;

/** Element-wise maps, broadcast binary operations, where, clamp and the in-place variants. */
final class Elementwise {
    /** Elements per task below which work stays on the calling thread. */
    static final int GRAIN = 1 << 15;

    private Elementwise() {}

    static Kernels k() {
        return KernelProvider.kernels();
    }

    static void checkSameDtype(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtype mismatch (" + a.dtype() + " " + Shape.format(a.shape)
                    + " and " + b.dtype() + " " + Shape.format(b.shape) + "); convert one with to(DType)");
        }
    }

    /** The error for arithmetic on a 16-bit storage type. */
    static IllegalArgumentException storageOnly(String op, Tensor t) {
        return new IllegalArgumentException(op + ": " + t.dtype() + " " + Shape.format(t.shape)
                + " is a storage type without arithmetic; convert with to(DType.FLOAT32) first");
    }

    // ---------------------------------------------------------------------------------- unary

    static Tensor unary(UnaryOp op, Tensor x) {
        return unaryParam(op, x, 0, 0);
    }

    static Tensor unaryParam(UnaryOp op, Tensor x, double p) {
        return unaryParam(op, x, p, 0);
    }

    static Tensor clamp(Tensor x, double min, double max) {
        if (x.dtype().isInteger()) {
            // exact integer bounds
            return unaryParam(UnaryOp.CLAMP, x, Math.ceil(min), Math.floor(max));
        }
        return unaryParam(UnaryOp.CLAMP, x, min, max);
    }

    static Tensor unaryParam(UnaryOp op, Tensor x, double p, double q) {
        if (x.dtype().isStorageOnly()) {
            throw storageOnly(op.opName, x);
        }
        if (x.dtype() == DType.BOOL) {
            throw new IllegalArgumentException(op.opName + ": not supported for bool tensors " + Shape.format(x.shape)
                    + "; use logicalNot, or convert with to(DType)");
        }
        if (x.dtype().isInteger() && !op.intOk) {
            throw new IllegalArgumentException(op.opName + ": expected a floating point tensor, got " + x.dtype() + " "
                    + Shape.format(x.shape) + "; convert with to(DType.FLOAT32)");
        }
        long pl = (long) p;
        long ql = (long) q;
        Tensor c = x.contiguous();
        Tensor out = Tensor.allocateScratch(x.dtype(), x.shape);
        int n = out.numel();
        Storage s = c.storage;
        Storage o = out.storage;
        int co = c.offset;
        Parallel.forRange(n, GRAIN, (from, to) -> {
            switch (s.dtype) {
                case FLOAT32:
                    unaryF(op, s.f, co + from, o.f, from, to - from, (float) p, (float) q, p, q);
                    break;
                case FLOAT64:
                    for (int i = from; i < to; i++) {
                        o.d[i] = op.apply(s.d[co + i], p, q);
                    }
                    break;
                case INT32:
                    for (int i = from; i < to; i++) {
                        o.i[i] = (int) op.apply(s.i[co + i], p, q);
                    }
                    break;
                default:
                    for (int i = from; i < to; i++) {
                        o.l[i] = op.applyL(s.l[co + i], pl, ql);
                    }
            }
        });
        return out;
    }

    private static void unaryF(
            UnaryOp op, float[] a, int ao, float[] o, int oo, int n, float pf, float qf, double p, double q) {
        Kernels k = k();
        switch (op) {
            case RELU:
                k.relu(a, ao, o, oo, n);
                return;
            case EXP:
                k.exp(a, ao, o, oo, n);
                return;
            case TANH:
                k.tanh(a, ao, o, oo, n);
                return;
            case SIGMOID:
                k.sigmoid(a, ao, o, oo, n);
                return;
            case NEG:
                k.mulScalar(a, ao, -1f, o, oo, n);
                return;
            case SQUARE:
                k.mul(a, ao, a, ao, o, oo, n);
                return;
            case ABS:
                for (int i = 0; i < n; i++) {
                    o[oo + i] = Math.abs(a[ao + i]);
                }
                return;
            case CLAMP:
                for (int i = 0; i < n; i++) {
                    float v = a[ao + i];
                    o[oo + i] = Float.isNaN(v) ? v : Math.min(Math.max(v, pf), qf);
                }
                return;
            case SQRT:
                for (int i = 0; i < n; i++) {
                    o[oo + i] = (float) Math.sqrt(a[ao + i]);
                }
                return;
            case LOG:
                for (int i = 0; i < n; i++) {
                    o[oo + i] = (float) Math.log(a[ao + i]);
                }
                return;
            case GELU:
                k.gelu(a, ao, o, oo, n);
                return;
            case ERF:
                k.erf(a, ao, o, oo, n);
                return;
            case SILU:
                // x sigmoid(x), in two vector passes
                k.sigmoid(a, ao, o, oo, n);
                k.mul(a, ao, o, oo, o, oo, n);
                return;
            case GELU_TANH:
                geluTanhF(k, a, ao, o, oo, n);
                return;
            default:
                for (int i = 0; i < n; i++) {
                    o[oo + i] = (float) op.apply(a[ao + i], p, q);
                }
        }
    }

    /** Elements per block of {@link #geluTanhF}: its passes meet in the output while it is in L1. */
    private static final int GELU_TANH_BLOCK = 2048;

    /**
     * The tanh approximation of GELU, {@code x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, in FLOAT32 as
     * vector passes over blocks of the output: about 60 times faster than the scalar double loop, within
     * a few ulps where it is not small, and like PyTorch's float kernel, 1 + tanh cancels for x below about
     * -3 (absolute error near 1e-7 there).
     */
    private static void geluTanhF(Kernels k, float[] a, int ao, float[] o, int oo, int n) {
        for (int b = 0; b < n; b += GELU_TANH_BLOCK) {
            int len = Math.min(GELU_TANH_BLOCK, n - b);
            int x = ao + b;
            int u = oo + b;
            k.mul(a, x, a, x, o, u, len); // x^2
            k.mulScalar(o, u, (float) UnaryOp.GELU_TANH_CUBIC, o, u, len);
            k.addScalar(o, u, 1f, o, u, len); // 1 + 0.044715 x^2
            k.mul(o, u, a, x, o, u, len); // x + 0.044715 x^3
            k.mulScalar(o, u, (float) UnaryOp.SQRT_2_OVER_PI, o, u, len);
            k.tanh(o, u, o, u, len);
            k.addScalar(o, u, 1f, o, u, len);
            k.mul(o, u, a, x, o, u, len);
            k.mulScalar(o, u, 0.5f, o, u, len);
        }
    }

    // ---------------------------------------------------------------------------------- binary

    static Tensor binaryScalar(BinaryOp op, Tensor a, double s) {
        return binary(op, a, scalarFor(op.opName, a, s));
    }

    static Tensor scalarBinary(BinaryOp op, double s, Tensor a) {
        return binary(op, scalarFor(op.opName, a, s), a);
    }

    /**
     * {@code s} as a 0-d operand for a binary op with {@code a}: of a's dtype, except for a BOOL tensor,
     * where an integer scalar is INT64 and another FLOAT32 (PyTorch's promotion, so that
     * {@code mask.eq(2)} is false and {@code mask.add(1)} counts).
     */
    static Tensor scalarFor(String op, Tensor a, double s) {
        if (a.dtype() == DType.BOOL) {
            return s == Math.rint(s) && Math.abs(s) < 0x1p63 ? Tensor.scalar(DType.INT64, s) : Tensor.scalar(s);
        }
        return scalarLike(op, a, s);
    }

    /** {@code s} as a 0-d tensor of a's dtype; an integer tensor only takes integers (no silent truncation). */
    static Tensor scalarLike(String op, Tensor a, double s) {
        boolean fits = a.dtype() == DType.INT32
                ? s >= Integer.MIN_VALUE && s <= Integer.MAX_VALUE
                : s >= -0x1p63 && s < 0x1p63;
        if (a.dtype().isInteger() && !(s == Math.rint(s) && fits)) {
            throw new IllegalArgumentException(op + ": scalar " + s
                    + (s == Math.rint(s) ? " is out of the range of " : " is not an integer, but the tensor is ")
                    + a.dtype() + " " + Shape.format(a.shape) + "; convert with to(DType.FLOAT32)");
        }
        return Tensor.scalar(a.dtype(), s);
    }

    /** {@code t op= s} in place. */
    static Tensor inPlaceScalar(BinaryOp op, Tensor t, double s) {
        return inPlace(op, t, scalarLike(op.opName + "_", t, s));
    }

    /**
     * Throws unless {@code op} computes on operands of type {@code dt} (after promotion); {@code inPlace}
     * names the in-place form ({@code add_}). The message is built only when it throws: this runs for
     * every element-wise operation.
     */
    static void checkSupported(BinaryOp op, boolean inPlace, DType dt, Tensor a, Tensor b) {
        if (dt.isStorageOnly() || (dt == DType.BOOL && op == BinaryOp.SUB) || (!dt.isFloatingPoint() && !op.intOk)) {
            unsupported(inPlace ? op.opName + "_" : op.opName, op, dt, a, b);
        }
    }

    private static void unsupported(String name, BinaryOp op, DType dt, Tensor a, Tensor b) {
        String shapes = Shape.format(a.shape) + " and " + Shape.format(b.shape);
        if (dt.isStorageOnly()) {
            throw new IllegalArgumentException(name + ": " + a.dtype() + " and " + b.dtype() + " tensors " + shapes
                    + ": " + dt + " is a storage type without arithmetic; convert with to(DType.FLOAT32) first");
        }
        if (dt == DType.BOOL && op == BinaryOp.SUB) {
            throw new IllegalArgumentException(name + ": subtraction of two bool tensors " + shapes
                    + " is not supported (as in PyTorch); use logicalXor or logicalNot to invert a mask");
        }
        if (!dt.isFloatingPoint() && !op.intOk) {
            throw new IllegalArgumentException(
                    name + ": not supported for " + dt + " tensors " + shapes + "; convert with to(DType.FLOAT32)");
        }
    }

    /** A comparison or logical op on any two types (promoted), giving a BOOL mask. */
    static Tensor logical(BinaryOp op, Tensor a, Tensor b) {
        if (a.dtype().isStorageOnly() || b.dtype().isStorageOnly()) {
            throw storageOnly(op.opName, a.dtype().isStorageOnly() ? a : b);
        }
        return binary(op, a, b);
    }

    static Tensor logicalNot(Tensor x) {
        if (x.dtype().isStorageOnly()) {
            throw storageOnly("logicalNot", x);
        }
        Tensor c = x.contiguous();
        Tensor out = Tensor.allocate(DType.BOOL, x.shape);
        byte[] o = out.storage.b;
        for (int k = 0; k < o.length; k++) {
            o[k] = c.storage.isTrue(c.offset + k) ? (byte) 0 : (byte) 1;
        }
        return out;
    }

    /** True when both are the very same view (same storage, offset, shape and strides). */
    static boolean sameView(Tensor a, Tensor b) {
        return a.storage == b.storage
                && a.offset == b.offset
                && Arrays.equals(a.shape, b.shape)
                && Arrays.equals(a.strides, b.strides);
    }

    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        DType dt = a.dtype() == b.dtype() ? a.dtype() : DType.promote(a.dtype(), b.dtype());
        checkSupported(op, false, dt, a, b);
        int[] os = Shape.broadcast(op.opName, a.shape, b.shape);
        if (a.dtype() != dt || b.dtype() != dt) {
            // promote the operand of the narrower type (PyTorch computes in the common type)
            return binary(op, a.to(dt), b.to(dt));
        }
        Tensor out = Tensor.allocateScratch(op.isMask() ? DType.BOOL : dt, os);
        int n = out.numel();
        if (n == 0) {
            return out;
        }
        boolean aFull = Arrays.equals(a.shape, os) && a.isContiguous();
        boolean bFull = Arrays.equals(b.shape, os) && b.isContiguous();
        if ((aFull || a.numel() == 1) && (bFull || b.numel() == 1)) {
            // flat fast path: both contiguous over the output, or one is a single value
            int as = aFull ? 1 : 0;
            int bs = bFull ? 1 : 0;
            Parallel.forRange(
                    n,
                    GRAIN,
                    (from, to) -> loop(
                            op,
                            a.storage,
                            a.offset + from * as,
                            as,
                            b.storage,
                            b.offset + from * bs,
                            bs,
                            out.storage,
                            from,
                            1,
                            to - from));
            return out;
        }
        int[][] st = {out.strides, Rows.broadcastStrides(a, os), Rows.broadcastStrides(b, os)};
        int[] inner = {Rows.inner(st[0]), Rows.inner(st[1]), Rows.inner(st[2])};
        Rows.forEach(
                os,
                st,
                new int[] {0, a.offset, b.offset},
                (off, len) -> loop(
                        op,
                        a.storage,
                        off[1],
                        inner[1],
                        b.storage,
                        off[2],
                        inner[2],
                        out.storage,
                        off[0],
                        inner[0],
                        len));
        return out;
    }

    /** One strided row: {@code o[oo + i*os] = a[ao + i*as] op b[bo + i*bs]}. */
    static void loop(
            BinaryOp op, Storage a, int ao, int as, Storage b, int bo, int bs, Storage o, int oo, int os, int n) {
        if (op.isMask()) {
            maskLoop(op, a, ao, as, b, bo, bs, o.b, oo, os, n);
            return;
        }
        switch (o.dtype) {
            case FLOAT32:
                loopF(op, a.f, ao, as, b.f, bo, bs, o.f, oo, os, n);
                break;
            case FLOAT64:
                loopD(op, a.d, ao, as, b.d, bo, bs, o.d, oo, os, n);
                break;
            case INT32:
                for (int i = 0; i < n; i++) {
                    o.i[oo + i * os] = op.applyI(a.i[ao + i * as], b.i[bo + i * bs]);
                }
                break;
            case INT64:
                for (int i = 0; i < n; i++) {
                    o.l[oo + i * os] = op.applyL(a.l[ao + i * as], b.l[bo + i * bs]);
                }
                break;
            default:
                for (int i = 0; i < n; i++) {
                    o.b[oo + i * os] = op.applyB(a.b[ao + i * as], b.b[bo + i * bs]);
                }
        }
    }

    /** One strided row of a comparison or logical op on operands of one type: a BOOL result. */
    static void maskLoop(
            BinaryOp op, Storage a, int ao, int as, Storage b, int bo, int bs, byte[] o, int oo, int os, int n) {
        switch (a.dtype) {
            case FLOAT32:
                for (int i = 0; i < n; i++) {
                    o[oo + i * os] = op.test(a.f[ao + i * as], b.f[bo + i * bs]) ? (byte) 1 : (byte) 0;
                }
                break;
            case FLOAT64:
                for (int i = 0; i < n; i++) {
                    o[oo + i * os] = op.test(a.d[ao + i * as], b.d[bo + i * bs]) ? (byte) 1 : (byte) 0;
                }
                break;
            case INT32:
                for (int i = 0; i < n; i++) {
                    o[oo + i * os] = op.testL(a.i[ao + i * as], b.i[bo + i * bs]) ? (byte) 1 : (byte) 0;
                }
                break;
            case INT64:
                for (int i = 0; i < n; i++) {
                    o[oo + i * os] = op.testL(a.l[ao + i * as], b.l[bo + i * bs]) ? (byte) 1 : (byte) 0;
                }
                break;
            default:
                for (int i = 0; i < n; i++) {
                    o[oo + i * os] = op.testL(a.b[ao + i * as], b.b[bo + i * bs]) ? (byte) 1 : (byte) 0;
                }
        }
    }

    static void loopF(
            BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int os, int n) {
        if (os == 1 && as == 1 && bs == 1) {
            switch (op) {
                case ADD:
                    k().add(a, ao, b, bo, o, oo, n);
                    return;
                case SUB:
                    k().sub(a, ao, b, bo, o, oo, n);
                    return;
                case MUL:
                    k().mul(a, ao, b, bo, o, oo, n);
                    return;
                case DIV:
                    k().div(a, ao, b, bo, o, oo, n);
                    return;
                default:
                    break;
            }
        } else if (os == 1 && as == 1 && bs == 0) {
            switch (op) {
                case ADD:
                    k().addScalar(a, ao, b[bo], o, oo, n);
                    return;
                case SUB:
                    k().addScalar(a, ao, -b[bo], o, oo, n);
                    return;
                case MUL:
                    k().mulScalar(a, ao, b[bo], o, oo, n);
                    return;
                default:
                    break;
            }
        } else if (os == 1 && as == 0 && bs == 1) {
            switch (op) {
                case ADD:
                    k().addScalar(b, bo, a[ao], o, oo, n);
                    return;
                case MUL:
                    k().mulScalar(b, bo, a[ao], o, oo, n);
                    return;
                default:
                    break;
            }
        }
        switch (op) {
            case ADD:
                for (int i = 0; i < n; i++) {
                    o[oo + i * os] = a[ao + i * as] + b[bo + i * bs];
                }
                break;
            case SUB:
                for (int i = 0; i < n; i++) {
                    o[oo + i * os] = a[ao + i * as] - b[bo + i * bs];
                }
                break;
            case MUL:
                for (int i = 0; i < n; i++) {
                    o[oo + i * os] = a[ao + i * as] * b[bo + i * bs];
                }
                break;
            case DIV:
                for (int i = 0; i < n; i++) {
                    o[oo + i * os] = a[ao + i * as] / b[bo + i * bs];
                }
                break;
            default:
                for (int i = 0; i < n; i++) {
                    o[oo + i * os] = op.applyF(a[ao + i * as], b[bo + i * bs]);
                }
        }
    }

    static void loopD(
            BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs, double[] o, int oo, int os, int n) {
        switch (op) {
            case ADD:
                for (int i = 0; i < n; i++) {
                    o[oo + i * os] = a[ao + i * as] + b[bo + i * bs];
                }
                break;
            case SUB:
                for (int i = 0; i < n; i++) {
                    o[oo + i * os] = a[ao + i * as] - b[bo + i * bs];
                }
                break;
            case MUL:
                for (int i = 0; i < n; i++) {
                    o[oo + i * os] = a[ao + i * as] * b[bo + i * bs];
                }
                break;
            case DIV:
                for (int i = 0; i < n; i++) {
                    o[oo + i * os] = a[ao + i * as] / b[bo + i * bs];
                }
                break;
            default:
                for (int i = 0; i < n; i++) {
                    o[oo + i * os] = op.apply(a[ao + i * as], b[bo + i * bs]);
                }
        }
    }

    // ---------------------------------------------------------------------------------- in place

    static Tensor inPlace(BinaryOp op, Tensor t, Tensor other) {
        if (t.dtype() != other.dtype()) {
            DType r = DType.promote(t.dtype(), other.dtype());
            boolean sameKind = (r.isFloatingPoint() && t.dtype().isFloatingPoint())
                    || (r.isInteger() && t.dtype().isInteger());
            if (r != t.dtype() && !sameKind) {
                throw new IllegalArgumentException(op.opName + "_: the result type " + r + " of " + t.dtype() + " "
                        + Shape.format(t.shape) + " and " + other.dtype() + " " + Shape.format(other.shape)
                        + " cannot be stored in place in a " + t.dtype() + " tensor; use the out-of-place op");
            }
            checkSupported(op, true, t.dtype(), t, other);
            Shape.broadcast(op.opName + "_", t.shape, other.shape);
            other = other.to(t.dtype());
        }
        checkSupported(op, true, t.dtype(), t, other);
        // a scalar or an operand of the target's shape needs no broadcast shape (ClipGrad scales every
        // gradient in place by a scalar)
        if (other.shape.length != 0
                && !Arrays.equals(other.shape, t.shape)
                && !Arrays.equals(Shape.broadcast(op.opName + "_", t.shape, other.shape), t.shape)) {
            throw new IllegalArgumentException(op.opName + "_: operand of shape " + Shape.format(other.shape)
                    + " cannot be broadcast to the in-place target's shape " + Shape.format(t.shape));
        }
        t.requireNoInternalOverlap(op.opName, "_");
        if (t.sharesStorage(other) && !sameView(t, other)) {
            other = other.clone(); // overlapping views (x -= x[0], a += a.t()): read a snapshot
        }
        final Tensor src = other;
        int n = t.numel();
        if (t.isContiguous() && (src.numel() == 1 || (src.isContiguous() && Arrays.equals(src.shape, t.shape)))) {
            int ss = src.numel() == 1 && n != 1 ? 0 : 1;
            Parallel.forRange(
                    n,
                    GRAIN,
                    (from, to) -> loop(
                            op,
                            t.storage,
                            t.offset + from,
                            1,
                            src.storage,
                            src.offset + from * ss,
                            ss,
                            t.storage,
                            t.offset + from,
                            1,
                            to - from));
        } else {
            int[][] st = {t.strides, Rows.broadcastStrides(src, t.shape)};
            int ti = Rows.inner(st[0]);
            int si = Rows.inner(st[1]);
            Rows.forEach(
                    t.shape,
                    st,
                    new int[] {t.offset, src.offset},
                    (off, len) -> loop(op, t.storage, off[0], ti, src.storage, off[1], si, t.storage, off[0], ti, len));
        }
        t.storage.bump();
        return t;
    }

    static Tensor axpyInPlace(Tensor t, Tensor x, double alpha) {
        if (t.dtype() == DType.FLOAT32
                && x.dtype() == DType.FLOAT32
                && t.isContiguous()
                && x.isContiguous()
                && Arrays.equals(t.shape, x.shape)
                && !t.sharesStorage(x)) {
            int n = t.numel();
            float a = (float) alpha;
            Parallel.forRange(
                    n,
                    GRAIN,
                    (from, to) -> k().axpy(to - from, a, x.storage.f, x.offset + from, t.storage.f, t.offset + from));
            t.storage.bump();
            return t;
        }
        return inPlace(BinaryOp.ADD, t, alpha == 1 ? x : x.mul(alpha));
    }

    // ---------------------------------------------------------------------------------- where

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        checkSameDtype("where", a, b);
        int[] os = Shape.broadcast("where", Shape.broadcast("where", cond.shape, a.shape), b.shape);
        Tensor out = Tensor.allocateScratch(a.dtype(), os);
        int[][] st = {
            out.strides, Rows.broadcastStrides(cond, os), Rows.broadcastStrides(a, os), Rows.broadcastStrides(b, os)
        };
        int[] in = {Rows.inner(st[0]), Rows.inner(st[1]), Rows.inner(st[2]), Rows.inner(st[3])};
        Storage c = cond.storage;
        Storage o = out.storage;
        Storage sa = a.storage;
        Storage sb = b.storage;
        Rows.forEach(os, st, new int[] {0, cond.offset, a.offset, b.offset}, (off, len) -> {
            int po = off[0];
            int pc = off[1];
            int pa = off[2];
            int pb = off[3];
            for (int i = 0; i < len; i++, po += in[0], pc += in[1], pa += in[2], pb += in[3]) {
                boolean t = c.b != null ? c.b[pc] != 0 : c.isTrue(pc);
                switch (o.dtype) {
                    case FLOAT32:
                        o.f[po] = t ? sa.f[pa] : sb.f[pb];
                        break;
                    case FLOAT64:
                        o.d[po] = t ? sa.d[pa] : sb.d[pb];
                        break;
                    case INT32:
                        o.i[po] = t ? sa.i[pa] : sb.i[pb];
                        break;
                    case INT64:
                        o.l[po] = t ? sa.l[pa] : sb.l[pb];
                        break;
                    case BOOL:
                        o.b[po] = t ? sa.b[pa] : sb.b[pb];
                        break;
                    default:
                        o.h[po] = t ? sa.h[pa] : sb.h[pb];
                }
            }
        });
        return out;
    }
}
