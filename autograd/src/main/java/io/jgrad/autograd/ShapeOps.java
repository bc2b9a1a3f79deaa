package io.jgrad.autograd;

import static io.jgrad.autograd.Graph.record;
import static io.jgrad.autograd.PointwiseOps.c;
import static io.jgrad.autograd.PointwiseOps.one;

import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Shape operations and views on variables, with their backward rules. */
final class ShapeOps {
    private ShapeOps() {}

    static Variable reshape(Variable a, int[] shape) {
        Tensor out = a.data().reshape(shape);
        if (java.util.Arrays.equals(out.shape(), a.data().shape()) && out == a.data()) {
            return a;
        }
        return record("reshape", out, 0, (n, g) -> one(g.reshape(n.inputShape(0))), a);
    }

    static Variable view(Variable a, int[] shape) {
        return record("view", a.data().view(shape), 0, (n, g) -> one(g.reshape(n.inputShape(0))), a);
    }

    static Variable permute(Variable a, int[] dims) {
        Tensor out = a.data().permute(dims);
        int[] inv = new int[dims.length];
        for (int k = 0; k < dims.length; k++) {
            inv[Shape.wrapDim("permute", dims[k], dims.length)] = k;
        }
        return record("permute", out, 0, (n, g) -> one(g.permute(inv)), a);
    }

    static Variable transpose(Variable a, int d0, int d1) {
        return record("transpose", a.data().transpose(d0, d1), 0, (n, g) -> one(g.transpose(d0, d1)), a);
    }

    static Variable expand(Variable a, int[] sizes) {
        return record("expand", a.data().expand(sizes), 0, (n, g) -> one(PointwiseOps.sumTo(g, n.inputShape(0))), a);
    }

    static Variable contiguous(Variable a) {
        return record("contiguous", a.data().contiguous(), 0, (n, g) -> one(g), a);
    }

    /**
     * A view given by {@code view} (narrow, slice, select...). Its backward embeds the gradient into
     * zeros of the input's shape through the same view; that embedding's backward is the view again,
     * so both are differentiable.
     */
    static Variable viewOp(String name, Variable a, UnaryOperator<Tensor> view) {
        return record(name, view.apply(a.data()), 0, (n, g) -> one(embed(name, g, n.inputShape(0), view)), a);
    }

    static Variable embed(String name, Variable g, int[] shape, UnaryOperator<Tensor> view) {
        Tensor z = Tensor.zeros(g.dtype(), shape);
        view.apply(z).copy_(g.data());
        return record(name + "Backward", z, 0, (n, gg) -> one(viewOp(name, gg, view)), g);
    }

    static Variable narrow(Variable a, int dim, int start, int length) {
        return viewOp("narrow", a, t -> t.narrow(dim, start, length));
    }

    static Variable slice(Variable a, int dim, int start, int end, int step) {
        return viewOp("slice", a, t -> t.slice(dim, start, end, step));
    }

    static Variable select(Variable a, int dim, int index) {
        return viewOp("select", a, t -> t.select(dim, index));
    }

    static Variable cat(List<Variable> vs, int dim) {
        if (vs.isEmpty()) {
            throw new IllegalArgumentException("cat: expected at least one variable");
        }
        List<Tensor> ts = new ArrayList<>();
        for (Variable v : vs) {
            ts.add(v.data());
        }
        Tensor out = Tensor.cat(ts, dim);
        int d = Shape.wrapDim("cat", dim, out.dim());
        int[] starts = new int[vs.size()];
        int[] lens = new int[vs.size()];
        int pos = 0;
        for (int i = 0; i < vs.size(); i++) {
            starts[i] = pos;
            lens[i] = ts.get(i).dim() == 1 && ts.get(i).numel() == 0
                    ? 0
                    : ts.get(i).size(d);
            pos += lens[i];
        }
        return record(
                "cat",
                out,
                0,
                (n, g) -> {
                    Variable[] r = new Variable[starts.length];
                    for (int i = 0; i < r.length; i++) {
                        r[i] = g.narrow(d, starts[i], lens[i]);
                    }
                    return r;
                },
                vs.toArray(new Variable[0]));
    }

    static Variable stack(List<Variable> vs, int dim) {
        if (vs.isEmpty()) {
            throw new IllegalArgumentException("stack: expected at least one variable");
        }
        int d = Shape.wrapDim("stack", dim, vs.get(0).dim() + 1);
        List<Variable> us = new ArrayList<>();
        for (Variable v : vs) {
            if (!java.util.Arrays.equals(v.shape(), vs.get(0).shape())) {
                throw new IllegalArgumentException("stack: all variables must have the same shape, got "
                        + Shape.format(vs.get(0).shape()) + " and " + Shape.format(v.shape()));
            }
            us.add(v.unsqueeze(d));
        }
        return cat(us, d);
    }

    static List<Variable> split(Variable a, int size, int dim) {
        int d = Shape.wrapDim("split", dim, a.dim());
        if (size <= 0) {
            throw new IllegalArgumentException("split: split size must be positive, got " + size);
        }
        int total = a.shape()[d];
        List<Variable> out = new ArrayList<>();
        for (int s = 0; s < total; s += size) {
            out.add(narrow(a, d, s, Math.min(size, total - s)));
        }
        return out;
    }

    static Variable pad(Variable a, int[] pads, Tensor.PadMode mode, double value) {
        if (pads.length % 2 != 0 || pads.length / 2 > a.dim()) {
            throw new IllegalArgumentException(
                    "pad: padding length must be even and at most 2 * rank (" + 2 * a.dim() + "), got " + pads.length);
        }
        if (mode == Tensor.PadMode.CONSTANT) {
            Tensor out = a.data().pad(pads, mode, value);
            // the input sits at [max(left,0) ...] in the output, cropped where padding is negative
            return record(
                    "pad",
                    out,
                    0,
                    (n, g) -> {
                        Variable r = g;
                        int[] in = n.inputShape(0);
                        for (int k = 0; k < pads.length / 2; k++) {
                            int dim = in.length - 1 - k;
                            int left = pads[2 * k];
                            int right = pads[2 * k + 1];
                            int start = Math.max(left, 0);
                            int len = in[dim] + Math.min(left, 0) + Math.min(right, 0);
                            r = r.narrow(dim, start, len);
                            if (left < 0 || right < 0) {
                                r = r.pad(
                                        padFor(in.length, dim, Math.max(-left, 0), Math.max(-right, 0)),
                                        Tensor.PadMode.CONSTANT,
                                        0);
                            }
                        }
                        return one(r);
                    },
                    a);
        }
        // reflect / replicate: index selection along each padded dim (differentiable)
        Variable r = a;
        for (int k = 0; k < pads.length / 2; k++) {
            int dim = a.dim() - 1 - k;
            int size = a.shape()[dim];
            int left = pads[2 * k];
            int right = pads[2 * k + 1];
            if (left == 0 && right == 0) {
                continue;
            }
            if (left < 0 || right < 0) {
                throw new IllegalArgumentException("pad: negative padding is only supported in constant mode, got "
                        + java.util.Arrays.toString(pads));
            }
            if (mode == Tensor.PadMode.REFLECT && (left >= size || right >= size)) {
                throw new IllegalArgumentException("pad: reflect padding (" + left + ", " + right
                        + ") must be smaller than the dimension size " + size + " of shape " + Shape.format(a.shape()));
            }
            int[] idx = new int[size + left + right];
            for (int i = 0; i < idx.length; i++) {
                int p = i - left;
                if (mode == Tensor.PadMode.REFLECT) {
                    p = p < 0 ? -p : p >= size ? 2 * (size - 1) - p : p;
                } else {
                    p = Math.min(Math.max(p, 0), size - 1);
                }
                idx[i] = p;
            }
            r = r.indexSelect(dim, Tensor.of(idx));
        }
        return r;
    }

    private static int[] padFor(int rank, int dim, int left, int right) {
        int k = rank - 1 - dim;
        int[] p = new int[2 * (k + 1)];
        p[2 * k] = left;
        p[2 * k + 1] = right;
        return p;
    }

    static Variable gather(Variable a, int dim, Tensor index) {
        return record(
                "gather",
                a.data().gather(dim, index),
                0,
                (n, g) -> {
                    Variable z = c(Tensor.zeros(g.dtype(), n.inputShape(0)));
                    return one(z.scatterAdd(dim, index, g));
                },
                a);
    }

    static Variable scatterAdd(Variable a, int dim, Tensor index, Variable src) {
        return record(
                "scatterAdd",
                a.data().scatterAdd(dim, index, src.data()),
                0,
                (n, g) -> new Variable[] {g, g.gather(dim, index)},
                a,
                src);
    }

    static Variable indexSelect(Variable a, int dim, Tensor indexIn) {
        Tensor index = indexIn.asInt32Index("indexSelect"); // INT64 indices work like INT32 ones
        if (index.dtype() != DType.INT32 || index.dim() > 1) {
            throw new IllegalArgumentException("indexSelect: index must be a 1-D int32 or int64 tensor, got "
                    + index.dtype() + " " + Shape.format(index.shape()));
        }
        return record(
                "indexSelect",
                a.data().indexSelect(dim, index),
                0,
                (n, g) -> {
                    int[] in = n.inputShape(0);
                    int d = Shape.wrapDim("indexSelect", dim, in.length);
                    // scatter-add rows back: the index broadcast along the other dims
                    int[] view = new int[in.length];
                    java.util.Arrays.fill(view, 1);
                    view[d] = index.numel();
                    Tensor idx = index.reshape(view).expand(g.shape()).contiguous();
                    Variable z = c(Tensor.zeros(g.dtype(), in));
                    return one(z.scatterAdd(d, idx, g));
                },
                a);
    }

    static Variable repeat(Variable a, int[] repeats) {
        Tensor out = a.data().repeat(repeats);
        return record(
                "repeat",
                out,
                0,
                (n, g) -> {
                    int[] in = n.inputShape(0);
                    int lead = repeats.length - in.length;
                    // view the gradient as (r0, s0, r1, s1, ...) and sum the r dims
                    int[] v = new int[2 * repeats.length];
                    int[] sumDims = new int[repeats.length];
                    for (int k = 0; k < repeats.length; k++) {
                        v[2 * k] = repeats[k];
                        v[2 * k + 1] = k < lead ? 1 : in[k - lead];
                        sumDims[k] = 2 * k;
                    }
                    return one(g.reshape(v).sum(sumDims, false).reshape(in));
                },
                a);
    }

    static Variable flip(Variable a, int[] dims) {
        return record("flip", a.data().flip(dims), 0, (n, g) -> one(g.flip(dims)), a);
    }

    static Variable triangle(Variable a, int k, boolean lower) {
        Tensor out = lower ? a.data().tril(k) : a.data().triu(k);
        return record(lower ? "tril" : "triu", out, 0, (n, g) -> one(lower ? g.tril(k) : g.triu(k)), a);
    }
}
