package io.jgrad.core;

import io.jgrad.core.kernel.KernelProvider;
import io.jgrad.core.kernel.Parallel;
import java.util.Arrays;

/** Reductions over sets of dimensions, arg-reductions, softmax and cumulative sums. */
final class Reduce {
    private Reduce() {}

    enum Op {
        SUM("sum"),
        MEAN("mean"),
        PROD("prod"),
        MAX("max"),
        MIN("min"),
        VAR("var"),
        SUMSQ("norm"),
        LOGSUMEXP("logsumexp");

        final String opName;

        Op(String opName) {
            this.opName = opName;
        }
    }

    /** Normalized, sorted, de-duplicated reduction dims; null or empty means all. */
    static boolean[] reducedMask(String op, int[] dims, int rank) {
        boolean[] red = new boolean[rank];
        if (dims == null || dims.length == 0) {
            Arrays.fill(red, true);
            return red;
        }
        for (int d : dims) {
            int w = Shape.wrapDim(op, d, rank);
            if (rank == 0) {
                continue;
            }
            if (red[w]) {
                throw new IllegalArgumentException(op + ": dimension " + d + " appears twice in " + Shape.format(dims));
            }
            red[w] = true;
        }
        return red;
    }

    static int[] outShape(int[] shape, boolean[] red, boolean keepdim) {
        int cnt = 0;
        for (int k = 0; k < shape.length; k++) {
            if (!red[k] || keepdim) {
                cnt++;
            }
        }
        int[] os = new int[cnt];
        for (int k = 0, p = 0; k < shape.length; k++) {
            if (!red[k]) {
                os[p++] = shape[k];
            } else if (keepdim) {
                os[p++] = 1;
            }
        }
        return os;
    }

    /** The tensor permuted so that kept dims come first and reduced dims last, made contiguous. */
    static Tensor keptFirst(Tensor x, boolean[] red) {
        int r = x.shape.length;
        int[] perm = new int[r];
        int p = 0;
        for (int k = 0; k < r; k++) {
            if (!red[k]) {
                perm[p++] = k;
            }
        }
        for (int k = 0; k < r; k++) {
            if (red[k]) {
                perm[p++] = k;
            }
        }
        return x.permute(perm).contiguous();
    }

    static Tensor reduce(Op op, Tensor x, int[] dims, boolean keepdim, int correction) {
        int rank = x.shape.length;
        boolean[] red = reducedMask(op.opName, dims, rank);
        int[] os = outShape(x.shape, red, keepdim);
        int outN = Shape.numel(os);
        int total = x.numel();
        int rowLen = outN == 0 ? 0 : total / outN;
        if (x.dtype().isStorageOnly()) {
            throw Elementwise.storageOnly(op.opName, x);
        }
        if (!x.dtype().isFloatingPoint() && (op == Op.MEAN || op == Op.VAR || op == Op.LOGSUMEXP || op == Op.SUMSQ)) {
            throw new IllegalArgumentException(op.opName + ": expected a floating point tensor, got " + x.dtype() + " "
                    + Shape.format(x.shape) + "; convert with to(DType.FLOAT32)");
        }
        if (rowLen == 0 && outN > 0 && (op == Op.MAX || op == Op.MIN)) {
            throw new IllegalArgumentException(
                    op.opName + ": cannot reduce over an empty dimension of shape " + Shape.format(x.shape));
        }
        // as in PyTorch, the sum or product of a mask counts in INT64
        boolean countBool = x.dtype() == DType.BOOL && (op == Op.SUM || op == Op.PROD);
        Tensor out = Tensor.allocate(countBool ? DType.INT64 : x.dtype(), os);
        if (outN == 0) {
            return out;
        }
        // Fast path: sum/mean over leading dims of a contiguous tensor (e.g. bias gradients): add rows.
        int lead = 0;
        while (lead < rank && red[lead]) {
            lead++;
        }
        boolean prefixOnly = true;
        for (int k = lead; k < rank; k++) {
            prefixOnly &= !red[k];
        }
        if (prefixOnly
                && lead > 0
                && lead < rank
                && x.isContiguous()
                && x.dtype() == DType.FLOAT32
                && (op == Op.SUM || op == Op.MEAN)) {
            float[] src = x.storage.f;
            float[] dst = out.storage.f;
            int rows = rowLen;
            int base = x.offset;
            Parallel.forRange(outN, 1024, (from, to) -> {
                for (int rr = 0; rr < rows; rr++) {
                    KernelProvider.kernels().axpy(to - from, 1f, src, base + rr * outN + from, dst, from);
                }
            });
            if (op == Op.MEAN) {
                KernelProvider.kernels().mulScalar(dst, 0, 1f / rows, dst, 0, outN);
            }
            return out;
        }
        Tensor c = keptFirst(x, red);
        Storage s = c.storage;
        int base = c.offset;
        Storage o = out.storage;
        Parallel.forRange(outN, Math.max(1, (1 << 15) / Math.max(1, rowLen)), (from, to) -> {
            for (int m = from; m < to; m++) {
                int p = base + m * rowLen;
                if (s.dtype == DType.INT32) {
                    o.i[m] = (int) reduceLong(op, s, p, rowLen); // wrapping int32 arithmetic, like C
                } else if (s.dtype == DType.INT64 || s.dtype == DType.BOOL) {
                    long v = reduceLong(op, s, p, rowLen);
                    if (o.dtype == DType.BOOL) {
                        o.b[m] = (byte) v;
                    } else {
                        o.l[m] = v;
                    }
                } else if (s.dtype == DType.FLOAT32) {
                    o.f[m] = (float) FloatRowReduce.reduce(op, s.f, p, rowLen, correction);
                } else {
                    o.d[m] = DoubleRowReduce.reduce(op, s.d, p, rowLen, correction);
                }
            }
        });
        return out;
    }

    /** Sum, product, max or min of integer or BOOL elements (wrapping, like C). */
    private static long reduceLong(Op op, Storage a, int p, int n) {
        long s = op == Op.SUM ? 0 : op == Op.PROD ? 1 : op == Op.MAX ? Long.MIN_VALUE : Long.MAX_VALUE;
        if (n == 0 && a.dtype == DType.BOOL && (op == Op.MAX || op == Op.MIN)) {
            return op == Op.MIN ? 1 : 0;
        }
        for (int i = 0; i < n; i++) {
            long v = a.getLong(p + i);
            switch (op) {
                case SUM:
                    s += v;
                    break;
                case PROD:
                    s *= v;
                    break;
                case MAX:
                    s = Math.max(s, v);
                    break;
                default:
                    s = Math.min(s, v);
            }
        }
        return s;
    }

    static Tensor.ValuesIndices argReduce(boolean isMax, Tensor x, int dim, boolean keepdim) {
        String op = isMax ? "max" : "min";
        int rank = x.shape.length;
        int d = Shape.wrapDim(op, dim, rank);
        boolean[] red = new boolean[rank];
        if (rank > 0) {
            red[d] = true;
        }
        int[] os = outShape(x.shape, red, keepdim);
        int n = rank == 0 ? 1 : x.shape[d];
        if (n == 0) {
            throw new IllegalArgumentException(
                    op + ": cannot reduce over the empty dimension " + dim + " of shape " + Shape.format(x.shape));
        }
        if (x.dtype().isStorageOnly()) {
            throw Elementwise.storageOnly(op, x);
        }
        Tensor c = rank == 0 ? x.contiguous() : keptFirst(x, red);
        int outN = Shape.numel(os);
        if (!x.dtype().isFloatingPoint()) {
            return argReduceLong(isMax, x, c, os, outN, n);
        }
        Tensor vals = Tensor.allocate(x.dtype(), os);
        Tensor idx = Tensor.allocate(DType.INT32, os);
        Storage s = c.storage;
        for (int m = 0; m < outN; m++) {
            int p = c.offset + m * n;
            int best = 0;
            double bv = s.get(p);
            if (!Double.isNaN(bv)) {
                for (int i = 1; i < n; i++) {
                    double v = s.get(p + i);
                    if (Double.isNaN(v)) { // NaN wins, like PyTorch
                        best = i;
                        bv = v;
                        break;
                    }
                    if (isMax ? v > bv : v < bv) {
                        best = i;
                        bv = v;
                    }
                }
            }
            vals.storage.set(m, bv);
            idx.storage.i[m] = best;
        }
        return new Tensor.ValuesIndices(vals, idx);
    }

    /** argReduce for the integer types and BOOL, comparing exactly as longs. */
    private static Tensor.ValuesIndices argReduceLong(boolean isMax, Tensor x, Tensor c, int[] os, int outN, int n) {
        Tensor vals = Tensor.allocate(x.dtype(), os);
        Tensor idx = Tensor.allocate(DType.INT32, os);
        Storage s = c.storage;
        for (int m = 0; m < outN; m++) {
            int p = c.offset + m * n;
            int best = 0;
            long bv = s.getLong(p);
            for (int i = 1; i < n; i++) {
                long v = s.getLong(p + i);
                if (isMax ? v > bv : v < bv) {
                    best = i;
                    bv = v;
                }
            }
            vals.storage.setLong(m, bv);
            idx.storage.i[m] = best;
        }
        return new Tensor.ValuesIndices(vals, idx);
    }

    static Tensor softmax(Tensor x, int dim, boolean log) {
        String op = log ? "logSoftmax" : "softmax";
        Tensor.requireFloat(op, x.dtype());
        if (x.shape.length == 0) {
            return log ? Tensor.zerosLike(x) : Tensor.onesLike(x);
        }
        int d = Shape.wrapDim(op, dim, x.shape.length);
        Tensor c = x.movedim(d, -1).contiguous();
        int cols = c.shape[c.shape.length - 1];
        int rows = cols == 0 ? 0 : c.numel() / cols;
        Tensor out = Tensor.allocate(x.dtype(), c.shape);
        if (x.dtype() == DType.FLOAT32 && !log) {
            Parallel.forRange(
                    rows,
                    Math.max(1, (1 << 14) / Math.max(1, cols)),
                    (from, to) -> KernelProvider.kernels()
                            .softmaxRows(
                                    c.storage.f,
                                    c.offset + from * cols,
                                    out.storage.f,
                                    from * cols,
                                    to - from,
                                    cols,
                                    false));
        } else if (x.dtype() == DType.FLOAT32) {
            // Not the kernel's log mode: it forms x - (max + log(sum)), which rounds max + log(sum) to the
            // float spacing of max (1e-3 at logits of 1e4). (x - max) - log(sum) keeps full precision.
            Parallel.forRange(
                    rows,
                    Math.max(1, (1 << 14) / Math.max(1, cols)),
                    (from, to) -> logSoftmaxRows(
                            c.storage.f, c.offset + from * cols, out.storage.f, from * cols, to - from, cols));
        } else {
            double[] a = c.storage.d;
            double[] o = out.storage.d;
            for (int r = 0; r < rows; r++) {
                int p = c.offset + r * cols;
                double mx = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < cols; j++) {
                    mx = Math.max(mx, a[p + j]);
                }
                if (mx == Double.NEGATIVE_INFINITY) {
                    mx = 0;
                }
                double s = 0;
                for (int j = 0; j < cols; j++) {
                    s += Math.exp(a[p + j] - mx);
                }
                double ls = Math.log(s);
                for (int j = 0; j < cols; j++) {
                    o[r * cols + j] = log ? (a[p + j] - mx) - ls : Math.exp(a[p + j] - mx) / s;
                }
            }
        }
        return out.movedim(-1, d);
    }

    /** Log-softmax of {@code rows} contiguous rows of length {@code cols}. */
    private static void logSoftmaxRows(float[] in, int io, float[] out, int oo, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            int pi = io + r * cols;
            int po = oo + r * cols;
            float mx = KernelProvider.kernels().max(in, pi, cols);
            if (mx == Float.NEGATIVE_INFINITY) {
                mx = 0; // all -inf: every output is -inf - log(0) = NaN, like PyTorch
            }
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += Math.exp(in[pi + j] - mx);
            }
            float ls = (float) Math.log(s);
            for (int j = 0; j < cols; j++) {
                out[po + j] = (in[pi + j] - mx) - ls;
            }
        }
    }

    static Tensor cumsum(Tensor x, int dim) {
        if (x.shape.length == 0) {
            return x.clone();
        }
        int d = Shape.wrapDim("cumsum", dim, x.shape.length);
        Tensor c = x.movedim(d, -1).contiguous();
        int cols = c.shape[c.shape.length - 1];
        int rows = cols == 0 ? 0 : c.numel() / cols;
        if (x.dtype().isStorageOnly()) {
            throw Elementwise.storageOnly("cumsum", x);
        }
        if (!x.dtype().isFloatingPoint()) {
            // integers add exactly in longs; a mask counts in INT64, as in PyTorch
            Tensor out = Tensor.allocate(x.dtype() == DType.BOOL ? DType.INT64 : x.dtype(), c.shape);
            for (int r = 0; r < rows; r++) {
                long s = 0;
                for (int j = 0; j < cols; j++) {
                    s += c.storage.getLong(c.offset + r * cols + j);
                    out.storage.setLong(r * cols + j, s);
                }
            }
            return out.movedim(-1, d);
        }
        Tensor out = Tensor.allocate(x.dtype(), c.shape);
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += c.storage.get(c.offset + r * cols + j);
                out.storage.set(r * cols + j, s);
            }
        }
        return out.movedim(-1, d);
    }
}
