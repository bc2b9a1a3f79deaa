package io.jgrad.autograd;

import static io.jgrad.autograd.Graph.record;
import static io.jgrad.autograd.PointwiseOps.sumTo;

import io.jgrad.core.Tensor;

/** Matrix products on variables. */
final class LinalgOps {
    private LinalgOps() {}

    static Variable matmul(Variable a, Variable b) {
        int ra = a.dim();
        int rb = b.dim();
        if (ra == 1 && rb == 1) {
            PointwiseOps.sameDtype("matmul", a, b);
            a.data().dot(b.data()); // validates shapes with the core's message
            return a.mul(b).sum();
        }
        if (ra == 1) {
            return matmul(a.unsqueeze(0), b).squeeze(-2);
        }
        if (rb == 1) {
            return matmul(a, b.unsqueeze(1)).squeeze(-1);
        }
        Tensor out = a.data().matmul(b.data());
        return record(
                "matmul",
                out,
                0b11,
                (n, g) -> {
                    Variable x = n.input(0);
                    Variable y = n.input(1);
                    Variable gx = null;
                    Variable gy = null;
                    if (x.requiresGrad()) {
                        // dX = dY @ Y^T, summed over broadcast batch dims
                        gx = sumTo(g.matmul(y.transpose(-1, -2)), n.inputShape(0));
                    }
                    if (y.requiresGrad()) {
                        if (y.dim() == 2 && x.dim() > 2) {
                            // (..., n, k) @ (k, m): fold the batch into rows -> one GEMM, no (B, k, m) temporary
                            int k = x.size(-1);
                            int m = y.size(-1);
                            gy = x.reshape(-1, k).transpose(0, 1).matmul(g.reshape(-1, m));
                        } else {
                            gy = sumTo(x.transpose(-1, -2).matmul(g), n.inputShape(1));
                        }
                    }
                    return new Variable[] {gx, gy};
                },
                a,
                b);
    }

    /**
     * {@code x @ weight^T + bias} for x of shape (..., in), weight (out, in), bias (out) or null:
     * the fully connected layer, with the bias added by the GEMM.
     */
    static Variable linear(Variable x, Variable weight, Variable bias) {
        if (x.dim() == 0 || weight.dim() != 2) {
            throw new IllegalArgumentException("linear: expected input (..., in) and weight (out, in), got "
                    + io.jgrad.core.Shape.format(x.shape()) + " and " + io.jgrad.core.Shape.format(weight.shape()));
        }
        if (x.size(-1) != weight.size(1)) {
            throw new IllegalArgumentException("linear: input features " + x.size(-1) + " (input shape "
                    + io.jgrad.core.Shape.format(x.shape()) + ") do not match weight shape "
                    + io.jgrad.core.Shape.format(weight.shape()) + " (expected in = " + weight.size(1) + ")");
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(0))) {
            throw new IllegalArgumentException("linear: bias of shape " + io.jgrad.core.Shape.format(bias.shape())
                    + " does not match weight shape " + io.jgrad.core.Shape.format(weight.shape()));
        }
        if (x.dim() != 2) {
            int[] os = x.shape();
            os[os.length - 1] = weight.size(0);
            Variable flat = x.reshape(-1, x.size(-1));
            return linear(flat, weight, bias).reshape(os);
        }
        Tensor xt = x.data();
        Tensor wt = weight.data().t();
        Tensor out = bias == null ? xt.matmul(wt) : Tensor.addmm(bias.data(), xt, wt);
        Variable[] ins = bias == null ? new Variable[] {x, weight} : new Variable[] {x, weight, bias};
        return record(
                "linear",
                out,
                0b11,
                (n, g) -> {
                    Variable xi = n.input(0);
                    Variable w = n.input(1);
                    Variable[] r = new Variable[ins.length];
                    if (xi.requiresGrad()) {
                        r[0] = g.matmul(w); // (N, out) @ (out, in)
                    }
                    if (w.requiresGrad()) {
                        r[1] = g.transpose(0, 1).matmul(xi); // (out, N) @ (N, in)
                    }
                    if (ins.length == 3 && n.input(2).requiresGrad()) {
                        r[2] = g.sum(0, false);
                    }
                    return r;
                },
                ins);
    }
}
