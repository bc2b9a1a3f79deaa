package io.jgrad.core;

import io.jgrad.core.kernel.KernelProvider;
import io.jgrad.core.kernel.Parallel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Matrix products (through the GEMM kernel), outer and dot products, einsum. */
final class LinAlg {
    private LinAlg() {}

    /** How a 2-D strided view is handed to GEMM without copying: transposed flag and leading dim. */
    private static final class Mat {
        final Storage s;
        final int off;
        final boolean trans;
        final int ld;

        Mat(Storage s, int off, boolean trans, int ld) {
            this.s = s;
            this.off = off;
            this.trans = trans;
            this.ld = ld;
        }
    }

    /** Describes rows x cols with strides (sr, sc) for GEMM, or null when a copy is needed. */
    private static Mat describe(Storage s, int off, int rows, int cols, int sr, int sc) {
        if ((cols == 1 || sc == 1) && (rows == 1 || sr >= Math.max(cols, 1))) {
            return new Mat(s, off, false, rows == 1 ? Math.max(cols, 1) : sr);
        }
        if ((rows == 1 || sr == 1) && (cols == 1 || sc >= Math.max(rows, 1))) {
            return new Mat(s, off, true, cols == 1 ? Math.max(rows, 1) : sc);
        }
        return null;
    }

    static void checkFloat(String op, Tensor a, Tensor b) {
        Elementwise.checkSameDtype(op, a, b);
        if (!a.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": " + a.dtype() + " tensors are not supported (shapes "
                    + Shape.format(a.shape)
                    + " and " + Shape.format(b.shape) + "); convert with to(DType.FLOAT32)");
        }
    }

    static Tensor matmul(Tensor a, Tensor b) {
        checkFloat("matmul", a, b);
        int ra = a.dim();
        int rb = b.dim();
        if (ra == 0 || rb == 0) {
            throw new IllegalArgumentException("matmul: both operands need at least one dimension, got shapes "
                    + Shape.format(a.shape) + " and " + Shape.format(b.shape));
        }
        // the contracted sizes, checked here so the message shows the shapes the caller passed
        int ka = a.shape[ra - 1];
        int kb = rb == 1 ? b.shape[0] : b.shape[rb - 2];
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: shapes " + Shape.format(a.shape) + " and "
                    + Shape.format(b.shape) + " cannot be multiplied (" + ka + " != " + kb + ")");
        }
        if (ra > 2 || rb > 2) {
            int[] ba = Arrays.copyOf(a.shape, Math.max(0, ra - 2));
            int[] bb = Arrays.copyOf(b.shape, Math.max(0, rb - 2));
            try {
                Shape.broadcast("matmul", ba, bb);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("matmul: shapes " + Shape.format(a.shape) + " and "
                        + Shape.format(b.shape) + " cannot be broadcast (batch dimensions " + Shape.format(ba) + " and "
                        + Shape.format(bb) + ")");
            }
        }
        if (ra == 1 && rb == 1) {
            return dot(a, b);
        }
        if (ra == 1) {
            return matmul(a.unsqueeze(0), b).squeeze(-2);
        }
        if (rb == 1) {
            return matmul(a, b.unsqueeze(1)).squeeze(-1);
        }
        int n = a.shape[ra - 2];
        int k = a.shape[ra - 1];
        int k2 = b.shape[rb - 2];
        int m = b.shape[rb - 1];
        if (k != k2) {
            throw new IllegalArgumentException("matmul: shapes " + Shape.format(a.shape) + " and "
                    + Shape.format(b.shape) + " cannot be multiplied (" + k + " != " + k2 + ")");
        }
        if (ra == 2 && rb == 2) {
            Tensor out = Tensor.allocateScratch(a.dtype(), new int[] {n, m});
            gemm2d(a, b, out, 1, 0);
            return out;
        }
        int[] ba = Arrays.copyOf(a.shape, ra - 2);
        int[] bb = Arrays.copyOf(b.shape, rb - 2);
        int[] batch = Shape.broadcast("matmul", ba, bb);
        if (rb == 2 && a.dim() > 2) {
            // (..., n, k) @ (k, m): one GEMM over all rows
            // explicit row count: reshape(-1, 0) would be ambiguous when k = 0
            Tensor a2 = a.reshape(Shape.numel(Arrays.copyOf(a.shape, ra - 1)), k);
            Tensor out = Tensor.allocateScratch(a.dtype(), new int[] {a2.shape[0], m});
            gemm2d(a2, b, out, 1, 0);
            int[] os = Arrays.copyOf(a.shape, ra);
            os[ra - 1] = m;
            return out.view(os);
        }
        int[] ashape = concat(batch, new int[] {n, k});
        int[] bshape = concat(batch, new int[] {k, m});
        Tensor ae = a.expand(ashape);
        Tensor be = b.expand(bshape);
        int nb = Shape.numel(batch);
        int[] os = concat(batch, new int[] {n, m});
        Tensor out = Tensor.allocateScratch(a.dtype(), os);
        int[] aOffs = batchOffsets(ae, batch);
        int[] bOffs = batchOffsets(be, batch);
        int r = batch.length;
        int asr = ae.strides[r];
        int asc = ae.strides[r + 1];
        int bsr = be.strides[r];
        int bsc = be.strides[r + 1];
        Tensor aC = describe(ae.storage, 0, n, k, asr, asc) == null ? ae.contiguous() : ae;
        Tensor bC = describe(be.storage, 0, k, m, bsr, bsc) == null ? be.contiguous() : be;
        int[] aO = aC == ae ? aOffs : batchOffsets(aC, batch);
        int[] bO = bC == be ? bOffs : batchOffsets(bC, batch);
        Mat ma = describe(aC.storage, 0, n, k, aC.strides[r], aC.strides[r + 1]);
        Mat mb = describe(bC.storage, 0, k, m, bC.strides[r], bC.strides[r + 1]);
        long flops = 2L * n * m * k;
        int grain = (int) Math.max(1, Math.min(nb, (1L << 18) / Math.max(1, flops)));
        Parallel.forRange(nb, grain, (from, to) -> {
            for (int q = from; q < to; q++) {
                gemmRaw(
                        new Mat(aC.storage, aO[q], ma.trans, ma.ld),
                        new Mat(bC.storage, bO[q], mb.trans, mb.ld),
                        out.storage,
                        q * n * m,
                        m,
                        n,
                        m,
                        k,
                        1,
                        0);
            }
        });
        return out;
    }

    private static int[] concat(int[] x, int[] y) {
        int[] r = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, r, x.length, y.length);
        return r;
    }

    /** Storage offsets of each batch matrix of t (batch dims first). */
    private static int[] batchOffsets(Tensor t, int[] batch) {
        int nb = Shape.numel(batch);
        int[] offs = new int[nb];
        int[] idx = new int[batch.length];
        for (int q = 0; q < nb; q++) {
            int o = t.offset;
            for (int d = 0; d < batch.length; d++) {
                o += idx[d] * t.strides[d];
            }
            offs[q] = o;
            for (int d = batch.length - 1; d >= 0; d--) {
                if (++idx[d] < batch[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return offs;
    }

    /** out (contiguous n x m) = alpha * a @ b + beta * out for 2-D a, b. */
    static void gemm2d(Tensor a, Tensor b, Tensor out, double alpha, double beta) {
        int n = a.shape[0];
        int k = a.shape[1];
        int m = b.shape[1];
        Mat ma = describe(a.storage, a.offset, n, k, a.strides[0], a.strides[1]);
        if (ma == null) {
            Tensor c = a.contiguous();
            ma = new Mat(c.storage, c.offset, false, Math.max(k, 1));
        }
        Mat mb = describe(b.storage, b.offset, k, m, b.strides[0], b.strides[1]);
        if (mb == null) {
            Tensor c = b.contiguous();
            mb = new Mat(c.storage, c.offset, false, Math.max(m, 1));
        }
        gemmRaw(ma, mb, out.storage, out.offset, Math.max(m, 1), n, m, k, alpha, beta);
    }

    private static void gemmRaw(
            Mat a, Mat b, Storage c, int cOff, int ldc, int n, int m, int k, double alpha, double beta) {
        if (n == 0 || m == 0) {
            return;
        }
        if (c.dtype == DType.FLOAT32) {
            KernelProvider.kernels()
                    .sgemm(
                            a.trans,
                            b.trans,
                            n,
                            m,
                            k,
                            (float) alpha,
                            a.s.f,
                            a.off,
                            a.ld,
                            b.s.f,
                            b.off,
                            b.ld,
                            (float) beta,
                            c.f,
                            cOff,
                            ldc);
        } else {
            KernelProvider.kernels()
                    .dgemm(
                            a.trans, b.trans, n, m, k, alpha, a.s.d, a.off, a.ld, b.s.d, b.off, b.ld, beta, c.d, cOff,
                            ldc);
        }
    }

    static Tensor addmm(Tensor bias, Tensor a, Tensor b, double beta, double alpha) {
        checkFloat("addmm", a, b);
        Elementwise.checkSameDtype("addmm", bias, a);
        if (a.dim() != 2 || b.dim() != 2) {
            throw new IllegalArgumentException(
                    "addmm: expected matrices, got shapes " + Shape.format(a.shape) + " and " + Shape.format(b.shape));
        }
        if (a.shape[1] != b.shape[0]) {
            throw new IllegalArgumentException("addmm: shapes " + Shape.format(a.shape) + " and "
                    + Shape.format(b.shape) + " cannot be multiplied (" + a.shape[1] + " != " + b.shape[0] + ")");
        }
        int[] os = {a.shape[0], b.shape[1]};
        if (!Arrays.equals(Shape.broadcast("addmm", bias.shape, os), os)) {
            throw new IllegalArgumentException("addmm: bias of shape " + Shape.format(bias.shape)
                    + " does not broadcast to the product's shape " + Shape.format(os));
        }
        Tensor out = Tensor.allocateScratch(a.dtype(), os);
        if (beta != 0) {
            out.copyFrom(bias);
            if (beta != 1) {
                Elementwise.inPlace(BinaryOp.MUL, out, Tensor.scalar(out.dtype(), beta));
            }
        }
        gemm2d(a, b, out, alpha, beta == 0 ? 0 : 1);
        return out;
    }

    static Tensor outer(Tensor a, Tensor b) {
        Elementwise.checkSameDtype("outer", a, b);
        if (a.dim() != 1 || b.dim() != 1) {
            throw new IllegalArgumentException("outer: expected two vectors, got shapes " + Shape.format(a.shape)
                    + " and " + Shape.format(b.shape));
        }
        return a.unsqueeze(1).mul(b.unsqueeze(0));
    }

    static Tensor dot(Tensor a, Tensor b) {
        checkFloat("dot", a, b);
        if (a.dim() != 1 || b.dim() != 1 || a.shape[0] != b.shape[0]) {
            throw new IllegalArgumentException("dot: expected two vectors of the same length, got shapes "
                    + Shape.format(a.shape) + " and " + Shape.format(b.shape));
        }
        return a.mul(b).sum();
    }

    // ------------------------------------------------------------------------------------------ einsum

    static Tensor einsum(String equation, Tensor[] ops) {
        String eq = equation.replace(" ", "");
        String lhs;
        String rhs;
        int arrow = eq.indexOf("->");
        if (arrow >= 0) {
            lhs = eq.substring(0, arrow);
            rhs = eq.substring(arrow + 2);
        } else {
            lhs = eq;
            rhs = null;
        }
        String[] terms = lhs.split(",", -1);
        if (terms.length != ops.length) {
            throw new IllegalArgumentException("einsum: equation '" + equation + "' has " + terms.length
                    + " operand(s) but " + ops.length + " tensor(s) were given");
        }
        if (ops.length < 1 || ops.length > 2) {
            throw new IllegalArgumentException("einsum: supports one or two operands, got " + ops.length);
        }
        Map<Character, Integer> count = new LinkedHashMap<>();
        Map<Character, Integer> size = new LinkedHashMap<>();
        Tensor[] vs = new Tensor[ops.length];
        String[] ts = new String[ops.length];
        for (int q = 0; q < ops.length; q++) {
            String t = terms[q];
            if (t.length() != ops[q].dim()) {
                throw new IllegalArgumentException("einsum: term '" + t + "' has " + t.length()
                        + " indices but operand " + q + " has shape " + Shape.format(ops[q].shape));
            }
            // collapse repeated indices to a diagonal view
            StringBuilder uniq = new StringBuilder();
            List<Integer> sz = new ArrayList<>();
            List<Integer> st = new ArrayList<>();
            for (int d = 0; d < t.length(); d++) {
                char ch = t.charAt(d);
                if (!Character.isLetter(ch)) {
                    throw new IllegalArgumentException("einsum: invalid index '" + ch + "' in '" + equation
                            + "' (only letters; ellipsis is not supported)");
                }
                int pos = uniq.indexOf(String.valueOf(ch));
                if (pos >= 0) {
                    if (sz.get(pos) != ops[q].shape[d]) {
                        throw new IllegalArgumentException("einsum: repeated index '" + ch + "' has sizes "
                                + sz.get(pos) + " and " + ops[q].shape[d] + " in operand " + q);
                    }
                    st.set(pos, st.get(pos) + ops[q].strides[d]);
                } else {
                    uniq.append(ch);
                    sz.add(ops[q].shape[d]);
                    st.add(ops[q].strides[d]);
                }
            }
            vs[q] = new Tensor(
                    ops[q].storage,
                    ops[q].offset,
                    sz.stream().mapToInt(Integer::intValue).toArray(),
                    st.stream().mapToInt(Integer::intValue).toArray());
            ts[q] = uniq.toString();
            for (int d = 0; d < t.length(); d++) {
                // counted before collapsing, so the implicit output of "ii" is the trace (as NumPy)
                count.merge(t.charAt(d), 1, Integer::sum);
            }
            for (int d = 0; d < ts[q].length(); d++) {
                char ch = ts[q].charAt(d);
                Integer prev = size.putIfAbsent(ch, vs[q].shape[d]);
                if (prev != null && prev != vs[q].shape[d] && prev != 1 && vs[q].shape[d] != 1) {
                    throw new IllegalArgumentException("einsum: index '" + ch + "' has sizes " + prev + " and "
                            + vs[q].shape[d] + " in '" + equation + "'");
                }
                if (prev != null && prev == 1) {
                    size.put(ch, vs[q].shape[d]);
                }
            }
        }
        if (rhs == null) {
            StringBuilder sb = new StringBuilder();
            count.keySet().stream().filter(c -> count.get(c) == 1).sorted().forEach(sb::append);
            rhs = sb.toString();
        }
        for (int d = 0; d < rhs.length(); d++) {
            char ch = rhs.charAt(d);
            if (rhs.indexOf(ch) != d) {
                throw new IllegalArgumentException(
                        "einsum: output index '" + ch + "' appears more than once in '" + equation + "'");
            }
            if (!size.containsKey(ch)) {
                throw new IllegalArgumentException(
                        "einsum: output index '" + ch + "' does not appear in the inputs of '" + equation + "'");
            }
        }
        final String out = rhs;
        // sum out indices that appear in one operand only and not in the output
        for (int q = 0; q < vs.length; q++) {
            StringBuilder keep = new StringBuilder();
            List<Integer> sumDims = new ArrayList<>();
            for (int d = 0; d < ts[q].length(); d++) {
                char ch = ts[q].charAt(d);
                boolean inOther = vs.length == 2 && ts[1 - q].indexOf(ch) >= 0;
                if (out.indexOf(ch) < 0 && !inOther) {
                    sumDims.add(d);
                } else {
                    keep.append(ch);
                }
            }
            if (!sumDims.isEmpty()) {
                vs[q] = vs[q].sum(sumDims.stream().mapToInt(Integer::intValue).toArray(), false);
                ts[q] = keep.toString();
            }
        }
        if (vs.length == 1) {
            return permuteTo(vs[0], ts[0], out).contiguous();
        }
        String a = ts[0];
        String b = ts[1];
        StringBuilder batch = new StringBuilder();
        StringBuilder left = new StringBuilder();
        StringBuilder right = new StringBuilder();
        StringBuilder contr = new StringBuilder();
        for (int i = 0; i < a.length(); i++) {
            char ch = a.charAt(i);
            if (b.indexOf(ch) >= 0) {
                (out.indexOf(ch) >= 0 ? batch : contr).append(ch);
            } else {
                left.append(ch);
            }
        }
        for (int i = 0; i < b.length(); i++) {
            char ch = b.charAt(i);
            if (a.indexOf(ch) < 0) {
                right.append(ch);
            }
        }
        Tensor ta = permuteTo(vs[0], a, batch.toString() + left + contr);
        Tensor tb = permuteTo(vs[1], b, batch.toString() + contr + right);
        int[] bs = sizes(batch.toString(), size);
        int nb = Shape.numel(bs);
        int nl = Shape.numel(sizes(left.toString(), size));
        int nc = Shape.numel(sizes(contr.toString(), size));
        int nr = Shape.numel(sizes(right.toString(), size));
        // broadcast size-1 operand dims to the index size before flattening
        ta = ta.expand(sizes(batch.toString() + left + contr, size)).reshape(nb, nl, nc);
        tb = tb.expand(sizes(batch.toString() + contr + right, size)).reshape(nb, nc, nr);
        Tensor prod = ta.matmul(tb);
        String have = batch.toString() + left + right;
        Tensor res = prod.reshape(sizes(have, size));
        return permuteTo(res, have, out).contiguous();
    }

    private static int[] sizes(String idx, Map<Character, Integer> size) {
        int[] s = new int[idx.length()];
        for (int k = 0; k < s.length; k++) {
            s[k] = size.get(idx.charAt(k));
        }
        return s;
    }

    private static Tensor permuteTo(Tensor t, String have, String want) {
        int[] perm = new int[want.length()];
        for (int k = 0; k < perm.length; k++) {
            perm[k] = have.indexOf(want.charAt(k));
        }
        return t.permute(perm);
    }
}
