package io.jgrad.core;

import io.jgrad.core.kernel.KernelProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Joining, splitting, padding and index-based gathering/scattering, with PyTorch 1.13's semantics.
 *
 * <p>Splits are views; everything else returns a new contiguous tensor (scatterAdd writes into its
 * target). Index tensors are INT32 or INT64; an index outside {@code [0, size)} (negative ones
 * included) is an {@link IndexOutOfBoundsException} naming the op, the value, the dimension and its
 * size. Every dtype can be joined, padded, selected and gathered; scatterAdd adds floats and integers.
 */
final class Indexing {
    /** Below this many elements per block, a plain loop beats {@link System#arraycopy}. */
    private static final int MIN_ARRAYCOPY = 16;

    private Indexing() {}

    // ------------------------------------------------------------------------------------ helpers

    /** The primitive array behind a storage, for {@link System#arraycopy}. */
    private static Object array(Storage s) {
        return s.array();
    }

    private static int prod(int[] shape, int from, int to) {
        int p = 1;
        for (int k = from; k < to; k++) {
            p *= shape[k];
        }
        return p;
    }

    /**
     * The index as INT32: an INT32 tensor as it is, an INT64 one converted (a value outside the int32
     * range is out of bounds for every dimension, and is reported so).
     */
    static Tensor intIndex(String op, Tensor index, Tensor input) {
        if (index.dtype() == DType.INT32) {
            return index;
        }
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": index must be int32 or int64, got " + index.dtype()
                    + " of shape " + Shape.format(index.shape) + "; convert with to(DType.INT64)");
        }
        Tensor c = index.contiguous();
        int n = c.numel();
        for (int k = 0; k < n; k++) {
            long v = c.storage.l[c.offset + k];
            if (v != (int) v) {
                throw new IndexOutOfBoundsException(
                        op + ": index " + v + " is out of bounds for the input of shape " + Shape.format(input.shape));
            }
        }
        return index.to(DType.INT32);
    }

    private static IndexOutOfBoundsException outOfBounds(String op, int value, int dim, int size, int[] shape) {
        return new IndexOutOfBoundsException(op + ": index " + value + " is out of bounds for dimension " + dim
                + " with size " + size + " (shape " + Shape.format(shape) + ")");
    }

    /** {@code t} as a 1-D view of one element when it is 0-D (PyTorch treats scalars so in gather/scatter). */
    private static Tensor atLeast1d(Tensor t) {
        return t.dim() == 0 ? new Tensor(t.storage, t.offset, new int[] {1}, new int[] {1}) : t;
    }

    /**
     * A new contiguous tensor with {@code out[i0, i1, ...] = t[m0[i0], m1[i1], ...]}, where a null map
     * is the identity. Maps hold valid positions (checked by the callers).
     */
    private static Tensor remap(Tensor t, int[] outShape, int[][] maps) {
        Tensor out = Tensor.allocate(t.dtype(), outShape);
        int rank = outShape.length;
        int n = out.numel();
        if (n == 0) {
            return out;
        }
        Storage s = t.storage;
        Storage o = out.storage;
        if (rank == 0) {
            Storage.convert(s, t.offset, o, 0);
            return out;
        }
        // offs[k][i] is the storage distance of output position i along dim k.
        int[][] offs = new int[rank][];
        int base = t.offset;
        for (int k = 0; k < rank; k++) {
            offs[k] = new int[outShape[k]];
            for (int i = 0; i < outShape[k]; i++) {
                offs[k][i] = (maps[k] == null ? i : maps[k][i]) * t.strides[k];
            }
            if (k < rank - 1) {
                base += offs[k][0];
            }
        }
        int last = rank - 1;
        int len = outShape[last];
        int[] lo = offs[last];
        int[] idx = new int[rank];
        for (int pos = 0; pos < n; pos += len) {
            switch (s.dtype) {
                case FLOAT32:
                    for (int j = 0; j < len; j++) {
                        o.f[pos + j] = s.f[base + lo[j]];
                    }
                    break;
                case FLOAT64:
                    for (int j = 0; j < len; j++) {
                        o.d[pos + j] = s.d[base + lo[j]];
                    }
                    break;
                case INT32:
                    for (int j = 0; j < len; j++) {
                        o.i[pos + j] = s.i[base + lo[j]];
                    }
                    break;
                default:
                    for (int j = 0; j < len; j++) {
                        Storage.convert(s, base + lo[j], o, pos + j);
                    }
            }
            for (int d = last - 1; d >= 0; d--) {
                base -= offs[d][idx[d]];
                if (++idx[d] < outShape[d]) {
                    base += offs[d][idx[d]];
                    break;
                }
                idx[d] = 0;
                base += offs[d][0];
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------- cat / stack

    static Tensor cat(int dim, List<Tensor> tensors) {
        return join("cat", dim, tensors);
    }

    static Tensor stack(int dim, List<Tensor> tensors) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("stack: expected a non-empty list of tensors");
        }
        Tensor first = tensors.get(0);
        int d = Shape.wrapDim("stack", dim, first.dim() + 1);
        List<Tensor> parts = new ArrayList<>(tensors.size());
        for (int k = 0; k < tensors.size(); k++) {
            Tensor t = tensors.get(k);
            if (!Arrays.equals(t.shape, first.shape)) {
                throw new IllegalArgumentException("stack: expects tensors of equal shape, but got "
                        + Shape.format(first.shape) + " at entry 0 and " + Shape.format(t.shape) + " at entry " + k);
            }
            parts.add(t.unsqueeze(d));
        }
        return join("stack", d, parts);
    }

    private static Tensor join(String op, int dim, List<Tensor> tensors) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException(op + ": expected a non-empty list of tensors");
        }
        DType dtype = tensors.get(0).dtype();
        int ref = -1;
        for (int k = 0; k < tensors.size(); k++) {
            Tensor t = tensors.get(k);
            if (t.dtype() != dtype) {
                throw new IllegalArgumentException(op + ": dtype mismatch: tensor 0 is " + dtype + " but tensor " + k
                        + " is " + t.dtype() + "; convert with to(DType)");
            }
            if (t.dim() == 0) {
                throw new IllegalArgumentException(
                        op + ": zero-dimensional tensor (at position " + k + ") cannot be concatenated");
            }
            if (ref < 0 && !isLegacyEmpty(t)) {
                ref = k;
            }
        }
        if (ref < 0) {
            // Every tensor is 1-D and empty.
            return Tensor.allocate(dtype, new int[] {0});
        }
        int[] refShape = tensors.get(ref).shape;
        int rank = refShape.length;
        int d = Shape.wrapDim(op, dim, rank);
        long total = 0;
        for (int k = 0; k < tensors.size(); k++) {
            Tensor t = tensors.get(k);
            if (isLegacyEmpty(t)) {
                continue;
            }
            if (t.dim() != rank) {
                throw new IllegalArgumentException(op + ": tensors must have the same number of dimensions, but tensor "
                        + ref + " has shape " + Shape.format(refShape) + " and tensor " + k + " has shape "
                        + Shape.format(t.shape));
            }
            for (int j = 0; j < rank; j++) {
                if (j != d && t.shape[j] != refShape[j]) {
                    throw new IllegalArgumentException(
                            op + ": sizes must match except in dimension " + d + ", but tensor "
                                    + ref + " has shape " + Shape.format(refShape) + " and tensor " + k + " has shape "
                                    + Shape.format(t.shape) + " (dimension " + j + ": " + refShape[j] + " vs "
                                    + t.shape[j] + ")");
                }
            }
            total += t.shape[d];
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    op + ": the result would have " + total + " entries along dimension " + d);
        }
        int[] outShape = refShape.clone();
        outShape[d] = (int) total;
        Tensor out = Tensor.allocate(dtype, outShape);
        int outer = prod(outShape, 0, d);
        int inner = prod(outShape, d + 1, rank);
        int outBlock = outShape[d] * inner;
        Object dst = array(out.storage);
        int pos = 0;
        for (Tensor t : tensors) {
            if (isLegacyEmpty(t)) {
                continue;
            }
            int len = t.shape[d];
            int block = len * inner;
            if (block > 0 && outer > 0) {
                if (t.isContiguous() && (block >= MIN_ARRAYCOPY || outer == 1)) {
                    // Each outer index owns one contiguous block of the input and of the output.
                    Object src = array(t.storage);
                    for (int o = 0; o < outer; o++) {
                        System.arraycopy(src, t.offset + o * block, dst, o * outBlock + pos * inner, block);
                    }
                } else {
                    out.narrow(d, pos, len).copyFrom(t);
                }
            }
            pos += len;
        }
        return out;
    }

    /** PyTorch 1.13 still skips 1-D empty tensors in cat, whatever the other shapes. */
    private static boolean isLegacyEmpty(Tensor t) {
        return t.dim() == 1 && t.shape[0] == 0;
    }

    // ------------------------------------------------------------------------------ split / chunk

    static List<Tensor> split(Tensor t, int splitSize, int dim) {
        if (t.dim() == 0) {
            throw new IllegalArgumentException("split: expects at least a 1-dimensional tensor");
        }
        int d = Shape.wrapDim("split", dim, t.dim());
        int n = t.shape[d];
        if (splitSize < 0) {
            throw new IllegalArgumentException("split: splitSize must be non-negative, got " + splitSize);
        }
        if (splitSize == 0 && n != 0) {
            throw new IllegalArgumentException(
                    "split: splitSize can only be 0 if the dimension is empty, but dimension " + d + " of shape "
                            + Shape.format(t.shape) + " has size " + n);
        }
        int count = splitSize == 0 ? 1 : Math.max(1, (int) (((long) n + splitSize - 1) / splitSize));
        List<Tensor> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            int start = k * splitSize;
            out.add(t.narrow(d, start, Math.min(splitSize, n - start)));
        }
        return List.copyOf(out);
    }

    static List<Tensor> split(Tensor t, int[] sizes, int dim) {
        if (t.dim() == 0) {
            throw new IllegalArgumentException("split: expects at least a 1-dimensional tensor");
        }
        int d = Shape.wrapDim("split", dim, t.dim());
        long sum = 0;
        for (int s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException("split: sizes must be non-negative, got " + Arrays.toString(sizes));
            }
            sum += s;
        }
        if (sum != t.shape[d]) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " sum to " + sum
                    + " but dimension " + d + " of shape " + Shape.format(t.shape) + " has size " + t.shape[d]);
        }
        List<Tensor> out = new ArrayList<>(sizes.length);
        int start = 0;
        for (int s : sizes) {
            out.add(t.narrow(d, start, s));
            start += s;
        }
        return List.copyOf(out);
    }

    static List<Tensor> chunk(Tensor t, int chunks, int dim) {
        if (t.dim() == 0) {
            throw new IllegalArgumentException("chunk: expects at least a 1-dimensional tensor");
        }
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk: chunks must be positive, got " + chunks);
        }
        int d = Shape.wrapDim("chunk", dim, t.dim());
        int n = t.shape[d];
        if (n == 0) {
            // An empty dimension gives `chunks` empty views, as in PyTorch.
            return split(t, new int[chunks], d);
        }
        return split(t, (int) (((long) n + chunks - 1) / chunks), d);
    }

    // ---------------------------------------------------------------------------------------- pad

    static Tensor pad(Tensor t, int[] pads, Tensor.PadMode mode, double value) {
        int rank = t.dim();
        if (pads.length % 2 != 0) {
            throw new IllegalArgumentException(
                    "pad: padding needs (left, right) pairs, got an odd number of values " + Arrays.toString(pads));
        }
        int np = pads.length / 2;
        if (np > rank) {
            throw new IllegalArgumentException("pad: padding " + Arrays.toString(pads) + " covers " + np
                    + " dimensions but the tensor of shape " + Shape.format(t.shape) + " has only " + rank);
        }
        int[] outShape = t.shape.clone();
        for (int p = 0; p < np; p++) {
            int d = rank - 1 - p;
            int n = t.shape[d];
            int l = pads[2 * p];
            int r = pads[2 * p + 1];
            long size = (long) n + l + r;
            if (size < 0 || size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("pad: padding (" + l + ", " + r + ") of dimension " + d
                        + " of shape " + Shape.format(t.shape) + " gives an invalid size " + size);
            }
            if (mode == Tensor.PadMode.REFLECT && ((l > 0 && l >= n) || (r > 0 && r >= n))) {
                throw new IllegalArgumentException(
                        "pad: reflect padding (" + l + ", " + r + ") must be less than the size " + n + " of dimension "
                                + d + " of shape " + Shape.format(t.shape));
            }
            if (mode == Tensor.PadMode.REPLICATE && (l > 0 || r > 0) && n == 0) {
                throw new IllegalArgumentException(
                        "pad: replicate padding (" + l + ", " + r + ") needs a non-empty dimension, " + "but dimension "
                                + d + " of shape " + Shape.format(t.shape) + " has size 0");
            }
            outShape[d] = (int) size;
        }
        Shape.numel(outShape);
        if (mode == Tensor.PadMode.CONSTANT) {
            Tensor out = Tensor.full(t.dtype(), value, outShape);
            // Copy the part of the input that survives cropping into its place in the output.
            Tensor src = t;
            Tensor dst = out;
            for (int p = 0; p < np; p++) {
                int d = rank - 1 - p;
                int l = pads[2 * p];
                int r = pads[2 * p + 1];
                int len = t.shape[d] - Math.max(-l, 0) - Math.max(-r, 0);
                if (len <= 0) {
                    return out;
                }
                src = src.narrow(d, Math.max(-l, 0), len);
                dst = dst.narrow(d, Math.max(l, 0), len);
            }
            dst.copyFrom(src);
            return out;
        }
        int[][] maps = new int[rank][];
        for (int p = 0; p < np; p++) {
            int d = rank - 1 - p;
            int n = t.shape[d];
            int l = pads[2 * p];
            int[] m = new int[outShape[d]];
            for (int o = 0; o < m.length; o++) {
                int i = o - l;
                if (mode == Tensor.PadMode.REFLECT) {
                    m[o] = i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
                } else {
                    m[o] = Math.min(Math.max(i, 0), n - 1);
                }
            }
            maps[d] = m;
        }
        return remap(t, outShape, maps);
    }

    // ------------------------------------------------------------------------ indexSelect / gather

    static Tensor indexSelect(Tensor t, int dim, Tensor index) {
        index = intIndex("indexSelect", index, t);
        if (index.dim() > 1) {
            throw new IllegalArgumentException(
                    "indexSelect: index must be 0-D or 1-D, got shape " + Shape.format(index.shape));
        }
        int d = Shape.wrapDim("indexSelect", dim, t.dim());
        int n = t.dim() == 0 ? 1 : t.shape[d];
        int[] idx = index.toIntArray();
        for (int v : idx) {
            if (v < 0 || v >= n) {
                throw outOfBounds("indexSelect", v, d, n, t.shape);
            }
        }
        if (t.dim() == 0) {
            // PyTorch returns a scalar for a scalar input.
            Tensor out = Tensor.allocate(t.dtype(), new int[0]);
            if (idx.length > 0) {
                Storage.convert(t.storage, t.offset, out.storage, 0);
            }
            return out;
        }
        int[] outShape = t.shape.clone();
        outShape[d] = idx.length;
        int inner = prod(t.shape, d + 1, t.dim());
        if (!t.isContiguous() || inner < MIN_ARRAYCOPY) {
            int[][] maps = new int[t.dim()][];
            maps[d] = idx;
            return remap(t, outShape, maps);
        }
        // Contiguous input: each selected entry is a block of `inner` elements (a whole row for dim 0).
        Tensor out = Tensor.allocate(t.dtype(), outShape);
        int outer = prod(t.shape, 0, d);
        Object src = array(t.storage);
        Object dst = array(out.storage);
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            int base = t.offset + o * n * inner;
            for (int v : idx) {
                System.arraycopy(src, base + v * inner, dst, pos, inner);
                pos += inner;
            }
        }
        return out;
    }

    static Tensor gather(Tensor t, int dim, Tensor index) {
        index = intIndex("gather", index, t);
        int d = Shape.wrapDim("gather", dim, t.dim());
        Tensor out = Tensor.allocate(t.dtype(), index.shape);
        if (index.numel() == 0) {
            return out;
        }
        Tensor src = atLeast1d(t);
        Tensor ix = atLeast1d(index);
        int rank = src.dim();
        if (ix.dim() != rank) {
            throw new IllegalArgumentException(
                    "gather: index must have as many dimensions as the input, but index has shape "
                            + Shape.format(index.shape) + " and input has shape " + Shape.format(t.shape));
        }
        for (int k = 0; k < rank; k++) {
            if (k != d && ix.shape[k] > src.shape[k]) {
                throw new IllegalArgumentException("gather: index shape " + Shape.format(index.shape)
                        + " must not exceed input shape " + Shape.format(t.shape) + " apart from dimension " + d
                        + " (dimension " + k + ": " + ix.shape[k] + " > " + src.shape[k] + ")");
            }
        }
        int n = src.shape[d];
        int sd = src.strides[d];
        // Walk the index; the input follows it in every dimension but d, where the index value decides.
        int[] srcStrides = src.strides.clone();
        srcStrides[d] = 0;
        int is = Rows.inner(ix.strides);
        int ss = Rows.inner(srcStrides);
        int[] ii = ix.storage.i;
        Storage s = src.storage;
        Storage o = out.storage;
        int[] pos = {0};
        Rows.forEach(ix.shape, new int[][] {ix.strides, srcStrides}, new int[] {ix.offset, src.offset}, (off, len) -> {
            int ip = off[0];
            int sp = off[1];
            int op = pos[0];
            int bad;
            switch (s.dtype) {
                case FLOAT32:
                    bad = gatherRow(ii, ip, is, n, len, s.f, sp, ss, sd, o.f, op);
                    break;
                case FLOAT64:
                    bad = gatherRow(ii, ip, is, n, len, s.d, sp, ss, sd, o.d, op);
                    break;
                case INT32:
                    bad = gatherRow(ii, ip, is, n, len, s.i, sp, ss, sd, o.i, op);
                    break;
                default:
                    bad = gatherRowAny(ii, ip, is, n, len, s, sp, ss, sd, o, op);
            }
            if (bad >= 0) {
                throw outOfBounds("gather", ii[ip + bad * is], d, n, t.shape);
            }
            pos[0] = op + len;
        });
        return out;
    }

    // One row of gather: out[op + k] = s[sp + k * ss + idx[ip + k * is] * sd]. Returns the position of
    // the first out-of-range index, or -1.
    private static int gatherRow(
            int[] idx, int ip, int is, int n, int len, float[] s, int sp, int ss, int sd, float[] out, int op) {
        for (int k = 0; k < len; k++, ip += is, sp += ss) {
            int v = idx[ip];
            if (v < 0 || v >= n) {
                return k;
            }
            out[op + k] = s[sp + v * sd];
        }
        return -1;
    }

    private static int gatherRow(
            int[] idx, int ip, int is, int n, int len, double[] s, int sp, int ss, int sd, double[] out, int op) {
        for (int k = 0; k < len; k++, ip += is, sp += ss) {
            int v = idx[ip];
            if (v < 0 || v >= n) {
                return k;
            }
            out[op + k] = s[sp + v * sd];
        }
        return -1;
    }

    private static int gatherRow(
            int[] idx, int ip, int is, int n, int len, int[] s, int sp, int ss, int sd, int[] out, int op) {
        for (int k = 0; k < len; k++, ip += is, sp += ss) {
            int v = idx[ip];
            if (v < 0 || v >= n) {
                return k;
            }
            out[op + k] = s[sp + v * sd];
        }
        return -1;
    }

    private static int gatherRowAny(
            int[] idx, int ip, int is, int n, int len, Storage s, int sp, int ss, int sd, Storage out, int op) {
        for (int k = 0; k < len; k++, ip += is, sp += ss) {
            int v = idx[ip];
            if (v < 0 || v >= n) {
                return k;
            }
            Storage.convert(s, sp + v * sd, out, op + k);
        }
        return -1;
    }

    // ---------------------------------------------------------------------------------- scatterAdd

    /** Adds src into target (in place, no version bump) at index along dim; returns target. */
    static Tensor scatterAdd(Tensor target, int dim, Tensor index, Tensor src) {
        index = intIndex("scatterAdd", index, target);
        if (!target.dtype().isFloatingPoint() && !target.dtype().isInteger()) {
            throw new IllegalArgumentException("scatterAdd: not supported for " + target.dtype() + " tensors of shape "
                    + Shape.format(target.shape) + "; convert with to(DType)");
        }
        if (src.dtype() != target.dtype()) {
            throw new IllegalArgumentException("scatterAdd: dtype mismatch: the tensor is " + target.dtype()
                    + " but src is " + src.dtype() + "; convert with to(DType)");
        }
        int d = Shape.wrapDim("scatterAdd", dim, target.dim());
        if (index.numel() == 0) {
            return target;
        }
        Tensor tg = atLeast1d(target);
        Tensor ix = atLeast1d(index);
        Tensor sr = atLeast1d(src);
        int rank = tg.dim();
        if (ix.dim() != rank || sr.dim() != rank) {
            throw new IllegalArgumentException("scatterAdd: the tensor, index and src must have the same number of "
                    + "dimensions, got shapes " + Shape.format(target.shape) + ", " + Shape.format(index.shape)
                    + " and "
                    + Shape.format(src.shape));
        }
        for (int k = 0; k < rank; k++) {
            if (ix.shape[k] > sr.shape[k] || (k != d && ix.shape[k] > tg.shape[k])) {
                throw new IllegalArgumentException("scatterAdd: index shape " + Shape.format(index.shape)
                        + " must not exceed src shape " + Shape.format(src.shape) + ", nor the tensor's shape "
                        + Shape.format(target.shape) + " apart from dimension " + d + " (dimension " + k + ")");
            }
        }
        for (int k = 0; k < rank; k++) {
            if (tg.strides[k] == 0 && tg.shape[k] > 1) {
                throw new IllegalArgumentException("scatterAdd: cannot add in place into a tensor whose elements share "
                        + "memory (an expanded view of shape " + Shape.format(target.shape) + " and strides "
                        + Shape.format(target.strides) + "); clone() it first");
            }
        }
        // Reading from the storage being written would make the result depend on the visiting order.
        if (sr.storage == tg.storage) {
            sr = sr.clone();
        }
        if (ix.storage == tg.storage) {
            ix = ix.clone();
        }
        int n = tg.shape[d];
        int[] ii = ix.storage.i;
        int is = Rows.inner(ix.strides);
        // First pass: validate every index so an error leaves the target untouched.
        Rows.forEach(ix.shape, new int[][] {ix.strides}, new int[] {ix.offset}, (off, len) -> {
            for (int k = 0, ip = off[0]; k < len; k++, ip += is) {
                int v = ii[ip];
                if (v < 0 || v >= n) {
                    throw outOfBounds("scatterAdd", v, d, n, target.shape);
                }
            }
        });
        int td = tg.strides[d];
        int[] tgStrides = tg.strides.clone();
        tgStrides[d] = 0;
        int ts = Rows.inner(tgStrides);
        int ss = Rows.inner(sr.strides);
        Storage t = tg.storage;
        Storage s = sr.storage;
        // The index is constant along its last dimension (e.g. an expanded (N, 1) index for embedding
        // rows scattered along dim 0): read it once per row and add whole rows.
        boolean rowIndex = d != rank - 1 && (is == 0 || ix.shape[rank - 1] == 1);
        Rows.forEach(
                ix.shape,
                new int[][] {ix.strides, sr.strides, tgStrides},
                new int[] {ix.offset, sr.offset, tg.offset},
                (off, len) -> {
                    if (rowIndex) {
                        addRow(t, off[2] + ii[off[0]] * td, ts, s, off[1], ss, len);
                        return;
                    }
                    int ip = off[0];
                    int sp = off[1];
                    int tp = off[2];
                    switch (t.dtype) {
                        case FLOAT32:
                            for (int k = 0; k < len; k++, ip += is, sp += ss, tp += ts) {
                                t.f[tp + ii[ip] * td] += s.f[sp];
                            }
                            break;
                        case FLOAT64:
                            for (int k = 0; k < len; k++, ip += is, sp += ss, tp += ts) {
                                t.d[tp + ii[ip] * td] += s.d[sp];
                            }
                            break;
                        case INT32:
                            for (int k = 0; k < len; k++, ip += is, sp += ss, tp += ts) {
                                t.i[tp + ii[ip] * td] += s.i[sp];
                            }
                            break;
                        default:
                            for (int k = 0; k < len; k++, ip += is, sp += ss, tp += ts) {
                                t.l[tp + ii[ip] * td] += s.l[sp];
                            }
                    }
                });
        return target;
    }

    /** {@code t[tp + k * ts] += s[sp + k * ss]} for {@code k < len}. */
    private static void addRow(Storage t, int tp, int ts, Storage s, int sp, int ss, int len) {
        switch (t.dtype) {
            case FLOAT32:
                if (ts == 1 && ss == 1) {
                    KernelProvider.kernels().add(t.f, tp, s.f, sp, t.f, tp, len);
                } else {
                    for (int k = 0; k < len; k++, tp += ts, sp += ss) {
                        t.f[tp] += s.f[sp];
                    }
                }
                break;
            case FLOAT64:
                for (int k = 0; k < len; k++, tp += ts, sp += ss) {
                    t.d[tp] += s.d[sp];
                }
                break;
            case INT32:
                for (int k = 0; k < len; k++, tp += ts, sp += ss) {
                    t.i[tp] += s.i[sp];
                }
                break;
            default:
                for (int k = 0; k < len; k++, tp += ts, sp += ss) {
                    t.l[tp] += s.l[sp];
                }
        }
    }

    // ------------------------------------------------------------------------------------ oneHot

    static Tensor oneHot(Tensor t, int numClasses) {
        if (!t.dtype().isInteger()) {
            throw new IllegalArgumentException("oneHot: expected an int32 or int64 tensor of class indices, got "
                    + t.dtype() + " of shape " + Shape.format(t.shape));
        }
        int[] v = intIndex("oneHot", t, t).toIntArray();
        long classes = numClasses;
        if (numClasses == -1) {
            if (v.length == 0) {
                throw new IllegalArgumentException(
                        "oneHot: cannot infer the number of classes from an empty tensor of shape "
                                + Shape.format(t.shape) + "; pass numClasses");
            }
            int max = Integer.MIN_VALUE;
            for (int x : v) {
                max = Math.max(max, x);
            }
            classes = (long) max + 1;
        } else if (numClasses <= 0) {
            throw new IllegalArgumentException(
                    "oneHot: numClasses must be positive, or -1 to infer it, got " + numClasses);
        }
        for (int k = 0; k < v.length; k++) {
            if (v[k] < 0 || v[k] >= classes) {
                throw new IndexOutOfBoundsException("oneHot: class value " + v[k] + " (at flat position " + k
                        + " of shape " + Shape.format(t.shape) + ") is out of range [0, " + classes + ")");
            }
        }
        int c = (int) classes;
        int[] outShape = Arrays.copyOf(t.shape, t.dim() + 1);
        outShape[t.dim()] = c;
        Tensor out = Tensor.allocate(DType.FLOAT32, outShape);
        float[] o = out.storage.f;
        for (int k = 0; k < v.length; k++) {
            o[k * c + v[k]] = 1f;
        }
        return out;
    }

    // ------------------------------------------------------------------------------ repeat / tile

    static Tensor repeat(Tensor t, int[] repeats) {
        return repeat("repeat", t, repeats);
    }

    static Tensor tile(Tensor t, int[] repeats) {
        int rank = t.dim();
        int[] r = repeats;
        if (r.length < rank) {
            // numpy.tile: missing repeats are leading ones.
            r = new int[rank];
            Arrays.fill(r, 0, rank - repeats.length, 1);
            System.arraycopy(repeats, 0, r, rank - repeats.length, repeats.length);
        }
        return repeat("tile", t, r);
    }

    private static Tensor repeat(String op, Tensor t, int[] repeats) {
        if (repeats.length < t.dim()) {
            throw new IllegalArgumentException(op + ": got " + repeats.length + " repeats " + Arrays.toString(repeats)
                    + " for a tensor of shape " + Shape.format(t.shape) + "; need at least one per dimension");
        }
        for (int r : repeats) {
            if (r < 0) {
                throw new IllegalArgumentException(
                        op + ": repeats must be non-negative, got " + Arrays.toString(repeats));
            }
        }
        int n = repeats.length;
        int lead = n - t.dim();
        // The input seen as (r0, s0, r1, s1, ...) with stride 0 on each repeat dimension.
        int[] xs = new int[2 * n];
        int[] xst = new int[2 * n];
        int[] outShape = new int[n];
        for (int k = 0; k < n; k++) {
            int size = k < lead ? 1 : t.shape[k - lead];
            xs[2 * k] = repeats[k];
            xs[2 * k + 1] = size;
            xst[2 * k + 1] = k < lead ? 0 : t.strides[k - lead];
        }
        Tensor big = Tensor.allocate(t.dtype(), xs);
        for (int k = 0; k < n; k++) {
            outShape[k] = xs[2 * k] * xs[2 * k + 1];
        }
        big.copyFrom(new Tensor(t.storage, t.offset, xs, xst));
        return new Tensor(big.storage, 0, outShape, Shape.contiguousStrides(outShape));
    }

    // -------------------------------------------------------------------------------- flip / tril

    static Tensor flip(Tensor t, int[] dims) {
        int rank = t.dim();
        boolean[] seen = new boolean[Math.max(rank, 1)];
        int offset = t.offset;
        int[] strides = t.strides.clone();
        for (int dim : dims) {
            int d = Shape.wrapDim("flip", dim, rank);
            if (seen[d]) {
                throw new IllegalArgumentException(
                        "flip: dimension " + d + " appears more than once in " + Arrays.toString(dims));
            }
            seen[d] = true;
            if (rank > 0 && t.shape[d] > 0) {
                // A view walking the dimension backwards; clone() then copies it in order.
                offset += (t.shape[d] - 1) * strides[d];
                strides[d] = -strides[d];
            }
        }
        return new Tensor(t.storage, offset, t.shape.clone(), strides).clone();
    }

    static Tensor triangle(Tensor t, int k, boolean lower) {
        String op = lower ? "tril" : "triu";
        int rank = t.dim();
        if (rank < 2) {
            throw new IllegalArgumentException(
                    op + ": expected a tensor of at least 2 dimensions, got shape " + Shape.format(t.shape));
        }
        Tensor out = t.clone();
        int rows = t.shape[rank - 2];
        int cols = t.shape[rank - 1];
        int mat = rows * cols;
        if (mat == 0) {
            return out;
        }
        int batches = out.numel() / mat;
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < rows; i++) {
                int row = b * mat + i * cols;
                // Element (i, j) lies on diagonal j - i: tril keeps j <= i + k, triu keeps j >= i + k.
                long edge = (long) i + k;
                if (lower) {
                    int from = (int) Math.min(Math.max(edge + 1, 0), cols);
                    zero(out.storage, row + from, row + cols);
                } else {
                    int to = (int) Math.min(Math.max(edge, 0), cols);
                    zero(out.storage, row, row + to);
                }
            }
        }
        return out;
    }

    private static void zero(Storage s, int from, int to) {
        if (from >= to) {
            return;
        }
        if (s.f != null) {
            Arrays.fill(s.f, from, to, 0f);
        } else if (s.d != null) {
            Arrays.fill(s.d, from, to, 0.0);
        } else if (s.i != null) {
            Arrays.fill(s.i, from, to, 0);
        } else if (s.l != null) {
            Arrays.fill(s.l, from, to, 0L);
        } else if (s.b != null) {
            Arrays.fill(s.b, from, to, (byte) 0);
        } else {
            Arrays.fill(s.h, from, to, (short) 0);
        }
    }
}
