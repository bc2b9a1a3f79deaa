package io.jgrad.autograd;

import static io.jgrad.autograd.Graph.record;
import static io.jgrad.autograd.PointwiseOps.c;
import static io.jgrad.autograd.PointwiseOps.one;

import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/** Reductions, softmax and cumulative sums on variables, forward and backward side by side. */
final class ReduceOps {
    private ReduceOps() {}

    /** The reduced dims as a boolean mask over the input's rank (null or empty = all). */
    static boolean[] mask(String op, int[] dims, int rank) {
        boolean[] red = new boolean[rank];
        if (dims == null || dims.length == 0) {
            java.util.Arrays.fill(red, true);
        } else {
            for (int d : dims) {
                if (rank > 0) {
                    red[Shape.wrapDim(op, d, rank)] = true;
                }
            }
        }
        return red;
    }

    /** The shape of a keepdim reduction of {@code shape}. */
    static int[] keptShape(int[] shape, boolean[] red) {
        int[] ks = shape.clone();
        for (int k = 0; k < ks.length; k++) {
            if (red[k]) {
                ks[k] = 1;
            }
        }
        return ks;
    }

    /** Brings a reduced gradient (keepdim or not) back to the input's shape by broadcasting. */
    static Variable expandBack(Variable g, int[] inShape, boolean[] red) {
        return g.reshape(keptShape(inShape, red)).expand(inShape);
    }

    static int count(int[] shape, boolean[] red) {
        int n = 1;
        for (int k = 0; k < shape.length; k++) {
            if (red[k]) {
                n *= shape[k];
            }
        }
        return n;
    }

    static Variable sum(Variable a, int[] dims, boolean keepdim) {
        boolean[] red = mask("sum", dims, a.dim());
        Tensor out = dims == null
                ? reshapeKeep(a.data().sum(), a.data().shape(), red, keepdim)
                : a.data().sum(dims, keepdim);
        return record("sum", out, 0, (n, g) -> one(expandBack(g, n.inputShape(0), red)), a);
    }

    private static Tensor reshapeKeep(Tensor full, int[] shape, boolean[] red, boolean keepdim) {
        return keepdim ? full.reshape(keptShape(shape, red)) : full;
    }

    static Variable mean(Variable a, int[] dims, boolean keepdim) {
        boolean[] red = mask("mean", dims, a.dim());
        Tensor out = dims == null
                ? reshapeKeep(a.data().mean(), a.data().shape(), red, keepdim)
                : a.data().mean(dims, keepdim);
        int cnt = count(a.data().shape(), red);
        return record(
                "mean",
                out,
                0,
                (n, g) -> one(expandBack(g, n.inputShape(0), red).div(cnt)),
                a);
    }

    static Variable prod(Variable a, int[] dims, boolean keepdim) {
        boolean[] red = mask("prod", dims, a.dim());
        Tensor out = dims == null
                ? reshapeKeep(a.data().prod(), a.data().shape(), red, keepdim)
                : a.data().prod(dims, keepdim);
        return record(
                "prod",
                out,
                0b1 | Node.SAVE_OUT,
                (n, g) -> {
                    Variable x = n.input(0);
                    int[] in = n.inputShape(0);
                    if (x.data().eq(0).sum().item() == 0) {
                        // no zeros: d prod / d x_i = prod / x_i
                        return one(expandBack(g.mul(n.output()), in, red).div(x));
                    }
                    if (Graph.recording()) {
                        // with zeros and a recording backward: differentiate the product written as a tree of
                        // pairwise multiplications, which stays exact (and differentiable) at zeros
                        int[] os = g.data().shape();
                        return Graph.composedGradient(new Variable[] {x}, g, v -> prodTree(v[0], red, os));
                    }
                    // with zeros, first order: product of all the other elements, computed directly
                    Tensor xt = x.data();
                    double[] xv = xt.contiguous().toDoubleArray();
                    int[] st = Shape.contiguousStrides(in);
                    int total = xv.length;
                    int[] ks = keptShape(in, red);
                    Tensor gk = g.data().reshape(ks).expand(in).contiguous();
                    double[] gv = gk.toDoubleArray();
                    double[] rv = new double[total];
                    for (int i = 0; i < total; i++) {
                        double p = 1;
                        for (int j = 0; j < total; j++) {
                            if (j != i && sameGroup(i, j, in, st, red)) {
                                p *= xv[j];
                            }
                        }
                        rv[i] = p * gv[i];
                    }
                    return one(c(Tensor.of(rv, in).to(xt.dtype())));
                },
                a);
    }

    /**
     * The product over the dims marked in {@code red}, as pairwise multiplications of the halves (log2 of
     * the reduced size levels of recorded {@code mul}), reshaped to {@code outShape}.
     */
    private static Variable prodTree(Variable x, boolean[] red, int[] outShape) {
        int r = x.dim();
        int[] shape = x.shape();
        int[] perm = new int[r];
        int p = 0;
        int m = 1;
        int k = 1;
        for (int d = 0; d < r; d++) {
            if (!red[d]) {
                perm[p++] = d;
                m *= shape[d];
            }
        }
        for (int d = 0; d < r; d++) {
            if (red[d]) {
                perm[p++] = d;
                k *= shape[d];
            }
        }
        Variable v = x.permute(perm).reshape(m, k);
        while (k > 1) {
            if (k % 2 == 1) {
                v = Variable.cat(java.util.List.of(v, c(Tensor.ones(x.dtype(), m, 1))), 1);
                k++;
            }
            v = v.slice(1, 0, k, 2).mul(v.slice(1, 1, k, 2));
            k /= 2;
        }
        return v.reshape(outShape);
    }

    private static boolean sameGroup(int i, int j, int[] shape, int[] st, boolean[] red) {
        for (int k = 0; k < shape.length; k++) {
            if (!red[k] && (i / st[k]) % shape[k] != (j / st[k]) % shape[k]) {
                return false;
            }
        }
        return true;
    }

    /** amax/amin (and max()/min() of everything): ties share the gradient evenly. */
    static Variable amax(Variable a, int[] dims, boolean keepdim, boolean max) {
        boolean[] red = mask(max ? "amax" : "amin", dims, a.dim());
        int[] all = new int[a.dim()];
        for (int k = 0; k < all.length; k++) {
            all[k] = k;
        }
        int[] d = dims == null || dims.length == 0 ? all : dims;
        Tensor out = a.dim() == 0
                ? a.data().clone()
                : max ? a.data().amax(d, keepdim) : a.data().amin(d, keepdim);
        return record(
                max ? "amax" : "amin",
                out,
                0b1 | Node.SAVE_OUT,
                (n, g) -> {
                    int[] in = n.inputShape(0);
                    Tensor x = n.input(0).data();
                    Tensor o = n.output().data().reshape(keptShape(in, red));
                    Tensor hit = x.eq(o).to(x.dtype());
                    Tensor cnt = a.dim() == 0 ? Tensor.onesLike(hit) : hit.sum(d, true);
                    Tensor w = hit.div(cnt);
                    return one(expandBack(g, in, red).mul(c(w)));
                },
                a);
    }

    /** max/min along one dim: the gradient goes to the selected index. */
    static Variable maxDim(Variable a, int dim, boolean keepdim, boolean max) {
        Tensor.ValuesIndices vi = max ? a.data().max(dim, keepdim) : a.data().min(dim, keepdim);
        int d = Shape.wrapDim(max ? "max" : "min", dim, a.dim());
        Tensor idx = keepdim ? vi.indices() : vi.indices().unsqueeze(d);
        return record(
                max ? "max" : "min",
                vi.values(),
                0,
                (n, g) -> {
                    Variable gk = keepdim ? g : g.unsqueeze(d);
                    Variable z = c(Tensor.zeros(g.dtype(), n.inputShape(0)));
                    return one(z.scatterAdd(d, idx, gk));
                },
                a);
    }

    static Variable var(Variable a, int[] dims, int correction, boolean keepdim) {
        boolean[] red = mask("var", dims, a.dim());
        int[] all = dims == null || dims.length == 0 ? null : dims;
        Tensor out = all == null
                ? reshapeKeep(
                        a.data().var(allDims(a.dim()), correction, false),
                        a.data().shape(),
                        red,
                        keepdim)
                : a.data().var(all, correction, keepdim);
        int cnt = count(a.data().shape(), red);
        return record(
                "var",
                out,
                0b1,
                (n, g) -> {
                    Variable x = n.input(0);
                    int[] in = n.inputShape(0);
                    int[] rd = all == null ? allDims(in.length) : all;
                    Variable centered = x.sub(x.mean(rd, true));
                    return one(expandBack(g, in, red).mul(centered).mul(2.0 / Math.max(0, cnt - correction)));
                },
                a);
    }

    static int[] allDims(int rank) {
        int[] d = new int[rank];
        for (int k = 0; k < rank; k++) {
            d[k] = k;
        }
        return d;
    }

    static Variable norm2(Variable a, int[] dims, boolean keepdim) {
        boolean[] red = mask("norm", dims, a.dim());
        Tensor out = a.data().norm(2, dims, keepdim);
        return record(
                "norm",
                out,
                0b1 | Node.SAVE_OUT,
                (n, g) -> {
                    int[] in = n.inputShape(0);
                    Variable o = n.output().reshape(keptShape(in, red));
                    // x / ||x||, defined as 0 where the norm is 0
                    Tensor zero = o.data().eq(0);
                    Variable safe = o.add(c(zero.to(o.dtype())));
                    Variable q = n.input(0).div(safe).maskedFill(zero, 0);
                    return one(expandBack(g, in, red).mul(q));
                },
                a);
    }

    static Variable logsumexp(Variable a, int[] dims, boolean keepdim) {
        boolean[] red = mask("logsumexp", dims, a.dim());
        int[] d = dims == null || dims.length == 0 ? allDims(a.dim()) : dims;
        Tensor out = a.data().logsumexp(d, keepdim);
        return record(
                "logsumexp",
                out,
                0b1 | Node.SAVE_OUT,
                (n, g) -> {
                    int[] in = n.inputShape(0);
                    Variable o = n.output().reshape(keptShape(in, red));
                    return one(expandBack(g, in, red).mul(n.input(0).sub(o).exp()));
                },
                a);
    }

    static Variable softmax(Variable a, int dim) {
        return record(
                "softmax",
                a.data().softmax(dim),
                Node.SAVE_OUT,
                (n, g) -> {
                    Variable y = n.output();
                    // y * (g - sum(g * y))
                    return one(y.mul(g.sub(g.mul(y).sum(dim, true))));
                },
                a);
    }

    static Variable logSoftmax(Variable a, int dim) {
        return record(
                "logSoftmax",
                a.data().logSoftmax(dim),
                Node.SAVE_OUT,
                (n, g) -> {
                    Variable y = n.output();
                    // g - softmax * sum(g)
                    return one(g.sub(y.exp().mul(g.sum(dim, true))));
                },
                a);
    }

    static Variable cumsum(Variable a, int dim) {
        return record(
                "cumsum",
                a.data().cumsum(dim),
                0,
                (n, g) -> one(g.flip(dim).cumsum(dim).flip(dim)),
                a);
    }
}
