package io.jgrad.autograd;

import static io.jgrad.autograd.Graph.record;

import io.jgrad.core.DType;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.KernelProvider;
import io.jgrad.core.kernel.Kernels;
import io.jgrad.core.kernel.Parallel;

/**
 * Element-wise operations on variables: each method computes the forward with core tensor ops and
 * records its backward rule right beside it. Rules use variable operations, so they can be
 * differentiated again.
 */
final class PointwiseOps {
    private PointwiseOps() {}

    static Variable[] one(Variable g) {
        return new Variable[] {g};
    }

    /** A float32 backward kernel of {@link Kernels}: out from a saved tensor and the output's gradient g. */
    @FunctionalInterface
    private interface BackwardKernel {
        void run(Kernels k, float[] a, int ao, float[] g, int go, float[] out, int oo, int n);
    }

    /**
     * A first-order backward in one fused float32 pass, {@code out = kernel(a, g)} over chunks of at least
     * {@code grain} elements; null when it does not apply (the backward pass records, so the result must
     * be differentiable in both a and g, or a and g are not contiguous float32 tensors of the same shape),
     * and the caller then composes differentiable ops.
     */
    private static Variable fusedBackward(Tensor a, Variable g, int grain, BackwardKernel kernel) {
        Tensor gt = g.data();
        if (Graph.recording()
                || a.dtype() != DType.FLOAT32
                || !a.isContiguous()
                || !gt.isContiguous()
                || !java.util.Arrays.equals(a.shape(), gt.shape())) {
            return null;
        }
        Tensor out = Tensor.emptyLike(a);
        Kernels k = KernelProvider.kernels();
        Parallel.forRange(
                a.numel(),
                grain,
                (from, to) -> kernel.run(
                        k,
                        a.floatData(),
                        a.offset() + from,
                        gt.floatData(),
                        gt.offset() + from,
                        out.floatData(),
                        from,
                        to - from));
        return c(out);
    }

    /** Sums {@code g} over broadcast dimensions so it has {@code shape}. */
    static Variable sumTo(Variable g, int[] shape) {
        int[] gs = g.data().shape();
        if (java.util.Arrays.equals(gs, shape)) {
            return g;
        }
        int lead = gs.length - shape.length;
        int cnt = 0;
        int[] dims = new int[gs.length];
        for (int k = 0; k < gs.length; k++) {
            if (k < lead || (shape[k - lead] == 1 && gs[k] != 1)) {
                dims[cnt++] = k;
            }
        }
        Variable s = cnt == 0 ? g : ReduceOps.sum(g, java.util.Arrays.copyOf(dims, cnt), true);
        return s.reshape(shape);
    }

    static Variable c(Tensor t) {
        return Variable.constant(t);
    }

    static void sameDtype(String op, Variable a, Variable b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtype mismatch (" + a.dtype() + " " + Shape.format(a.shape())
                    + " and " + b.dtype() + " " + Shape.format(b.shape()) + "); convert one with to(DType)");
        }
    }

    static Variable add(Variable a, Variable b) {
        return record(
                "add",
                a.data().add(b.data()),
                0,
                (n, g) -> new Variable[] {sumTo(g, n.inputShape(0)), sumTo(g, n.inputShape(1))},
                a,
                b);
    }

    static Variable sub(Variable a, Variable b) {
        return record(
                "sub",
                a.data().sub(b.data()),
                0,
                (n, g) -> new Variable[] {sumTo(g, n.inputShape(0)), sumTo(g.neg(), n.inputShape(1))},
                a,
                b);
    }

    static Variable mul(Variable a, Variable b) {
        return record(
                "mul",
                a.data().mul(b.data()),
                0b11,
                (n, g) -> new Variable[] {
                    n.input(0).requiresGrad() ? sumTo(g.mul(n.input(1)), n.inputShape(0)) : null,
                    n.input(1).requiresGrad() ? sumTo(g.mul(n.input(0)), n.inputShape(1)) : null
                },
                a,
                b);
    }

    static Variable div(Variable a, Variable b) {
        return record(
                "div",
                a.data().div(b.data()),
                0b11,
                (n, g) -> {
                    Variable x = n.input(0);
                    Variable y = n.input(1);
                    return new Variable[] {
                        x.requiresGrad() ? sumTo(g.div(y), n.inputShape(0)) : null,
                        y.requiresGrad() ? sumTo(g.mul(x).div(y.square()).neg(), n.inputShape(1)) : null
                    };
                },
                a,
                b);
    }

    static Variable pow(Variable a, Variable b) {
        return record(
                "pow",
                a.data().pow(b.data()),
                0b11 | Node.SAVE_OUT,
                (n, g) -> {
                    Variable x = n.input(0);
                    Variable y = n.input(1);
                    Variable gx = null;
                    Variable gy = null;
                    if (x.requiresGrad()) {
                        gx = sumTo(g.mul(y).mul(x.pow(y.sub(1))), n.inputShape(0));
                    }
                    if (y.requiresGrad()) {
                        // d/dy x^y = x^y log x, defined as 0 where x == 0 (PyTorch's convention)
                        Tensor zero = x.data().eq(0);
                        Variable logx = where(
                                zero,
                                c(Tensor.zerosLike(x.data())),
                                x.maskedFill(zero, 1).log());
                        gy = sumTo(g.mul(n.output()).mul(logx), n.inputShape(1));
                    }
                    return new Variable[] {gx, gy};
                },
                a,
                b);
    }

    static Variable maximum(Variable a, Variable b, boolean max) {
        Tensor out = max ? a.data().maximum(b.data()) : a.data().minimum(b.data());
        return record(
                max ? "maximum" : "minimum",
                out,
                0b11,
                (n, g) -> {
                    Tensor x = n.input(0).data();
                    Tensor y = n.input(1).data();
                    // ties split the gradient in half, like PyTorch
                    // the masks are BOOL: as the gradient's float type
                    Tensor wa = (max ? x.gt(y) : x.lt(y)).to(g.dtype());
                    Tensor tie = x.eq(y).to(g.dtype());
                    Tensor ma = wa.add(tie.mul(0.5));
                    Tensor mb = ma.rsub(1);
                    return new Variable[] {sumTo(g.mul(c(ma)), n.inputShape(0)), sumTo(g.mul(c(mb)), n.inputShape(1))};
                },
                a,
                b);
    }

    static Variable addScalar(Variable a, double s) {
        return record("add", a.data().add(s), 0, (n, g) -> one(g), a);
    }

    static Variable mulScalar(Variable a, double s) {
        return record("mul", a.data().mul(s), 0, (n, g) -> one(g.mul(s)), a);
    }

    static Variable powScalar(Variable a, double p) {
        if (p == 2) {
            return square(a);
        }
        if (p == 1) {
            return a;
        }
        return record(
                "pow",
                a.data().pow(p),
                0b1,
                (n, g) -> one(p == 0 ? g.mul(0) : g.mul(n.input(0).pow(p - 1)).mul(p)),
                a);
    }

    static Variable neg(Variable a) {
        return record("neg", a.data().neg(), 0, (n, g) -> one(g.neg()), a);
    }

    static Variable abs(Variable a) {
        return record(
                "abs",
                a.data().abs(),
                0b1,
                (n, g) -> one(g.mul(c(n.input(0).data().sign()))),
                a);
    }

    static Variable exp(Variable a) {
        return record("exp", a.data().exp(), Node.SAVE_OUT, (n, g) -> one(g.mul(n.output())), a);
    }

    static Variable log(Variable a) {
        return record("log", a.data().log(), 0b1, (n, g) -> one(g.div(n.input(0))), a);
    }

    static Variable log1p(Variable a) {
        return record(
                "log1p", a.data().log1p(), 0b1, (n, g) -> one(g.div(n.input(0).add(1))), a);
    }

    static Variable expm1(Variable a) {
        return record(
                "expm1",
                a.data().expm1(),
                Node.SAVE_OUT,
                (n, g) -> one(g.mul(n.output().add(1))),
                a);
    }

    static Variable sqrt(Variable a) {
        return record(
                "sqrt",
                a.data().sqrt(),
                Node.SAVE_OUT,
                (n, g) -> one(g.div(n.output().mul(2))),
                a);
    }

    static Variable rsqrt(Variable a) {
        return record(
                "rsqrt",
                a.data().rsqrt(),
                Node.SAVE_OUT,
                (n, g) -> one(g.mul(n.output().pow(3)).mul(-0.5)),
                a);
    }

    static Variable square(Variable a) {
        return record(
                "square",
                a.data().square(),
                0b1,
                (n, g) -> one(g.mul(n.input(0)).mul(2)),
                a);
    }

    static Variable reciprocal(Variable a) {
        return record(
                "reciprocal",
                a.data().reciprocal(),
                Node.SAVE_OUT,
                (n, g) -> one(g.mul(n.output().square()).neg()),
                a);
    }

    static Variable sin(Variable a) {
        return record("sin", a.data().sin(), 0b1, (n, g) -> one(g.mul(n.input(0).cos())), a);
    }

    static Variable cos(Variable a) {
        return record(
                "cos",
                a.data().cos(),
                0b1,
                (n, g) -> one(g.mul(n.input(0).sin()).neg()),
                a);
    }

    static Variable tanh(Variable a) {
        return record(
                "tanh",
                a.data().tanh(),
                Node.SAVE_OUT,
                (n, g) -> one(g.mul(n.output().square().rsub(1))),
                a);
    }

    static Variable sigmoid(Variable a) {
        return record(
                "sigmoid",
                a.data().sigmoid(),
                Node.SAVE_OUT,
                (n, g) -> {
                    Variable y = n.output();
                    return one(g.mul(y.mul(y.rsub(1))));
                },
                a);
    }

    static Variable relu(Variable a) {
        return record(
                "relu",
                a.data().relu(),
                Node.SAVE_OUT,
                (n, g) -> {
                    Tensor y = n.output().data();
                    // first order: one fused pass (g where y > 0, else 0)
                    Variable fused = fusedBackward(y, g, 1 << 15, Kernels::reluBackward);
                    return one(fused != null ? fused : g.mul(c(y.gt(0).to(y.dtype()))));
                },
                a);
    }

    static Variable leakyRelu(Variable a, double slope) {
        return record(
                "leakyRelu",
                a.data().leakyRelu(slope),
                0b1,
                (n, g) -> {
                    Tensor x = n.input(0).data();
                    Tensor pos = x.gt(0).to(x.dtype());
                    return one(g.mul(c(pos.mul(1 - slope).add(slope))));
                },
                a);
    }

    static Variable elu(Variable a, double alpha) {
        return record(
                "elu",
                a.data().elu(alpha),
                0b1,
                (n, g) -> {
                    Variable x = n.input(0);
                    Tensor pos = x.data().gt(0);
                    // x > 0: 1; else alpha * e^x
                    Variable d =
                            where(pos, c(Tensor.onesLike(x.data())), x.exp().mul(alpha));
                    return one(g.mul(d));
                },
                a);
    }

    static Variable selu(Variable a) {
        double scale = 1.0507009873554804934193349852946;
        double alpha = 1.6732632423543772848170429916717;
        return record(
                "selu",
                a.data().selu(),
                0b1,
                (n, g) -> {
                    Variable x = n.input(0);
                    Tensor pos = x.data().gt(0);
                    Variable d =
                            where(pos, c(Tensor.full(x.dtype(), scale)), x.exp().mul(scale * alpha));
                    return one(g.mul(d));
                },
                a);
    }

    static Variable gelu(Variable a) {
        return record(
                "gelu",
                a.data().gelu(),
                0b1,
                (n, g) -> {
                    Variable x = n.input(0);
                    // first order: one fused pass, g (Phi(x) + x phi(x)), Phi without forming 1 + erf
                    Variable fused = fusedBackward(x.data(), g, 1 << 14, Kernels::geluBackward);
                    if (fused != null) {
                        return one(fused);
                    }
                    // d/dx x*Phi(x) = Phi(x) + x * pdf(x)
                    Variable cdf = x.mul(Math.sqrt(0.5)).erf().add(1).mul(0.5);
                    Variable pdf = x.square().mul(-0.5).exp().mul(1 / Math.sqrt(2 * Math.PI));
                    return one(g.mul(cdf.add(x.mul(pdf))));
                },
                a);
    }

    static Variable geluTanh(Variable x) {
        // composed of differentiable primitives: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
        Variable inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
        return x.mul(inner.tanh().add(1)).mul(0.5);
    }

    static Variable softplus(Variable a) {
        return record(
                "softplus",
                a.data().softplus(),
                0b1,
                (n, g) -> {
                    Variable x = n.input(0);
                    Tensor lin = x.data().gt(20);
                    return one(g.mul(where(lin, c(Tensor.onesLike(x.data())), x.sigmoid())));
                },
                a);
    }

    static Variable silu(Variable a) {
        return record(
                "silu",
                a.data().silu(),
                0b1,
                (n, g) -> {
                    Variable x = n.input(0);
                    Variable s = x.sigmoid();
                    // s + x s (1 - s)
                    return one(g.mul(s.add(x.mul(s).mul(s.rsub(1)))));
                },
                a);
    }

    static Variable erf(Variable a) {
        return record(
                "erf",
                a.data().erf(),
                0b1,
                (n, g) -> one(g.mul(n.input(0).square().neg().exp().mul(2 / Math.sqrt(Math.PI)))),
                a);
    }

    static Variable clamp(Variable a, double min, double max) {
        return record(
                "clamp",
                a.data().clamp(min, max),
                0b1,
                (n, g) -> {
                    Tensor x = n.input(0).data();
                    return one(g.mul(c(x.ge(min).logicalAnd(x.le(max)).to(x.dtype()))));
                },
                a);
    }

    static Variable where(Tensor cond, Variable a, Variable b) {
        sameDtype("where", a, b);
        return record(
                "where",
                Tensor.where(cond, a.data(), b.data()),
                0,
                (n, g) -> {
                    Variable z = c(Tensor.zeros(g.dtype()));
                    return new Variable[] {
                        sumTo(where(cond, g, z), n.inputShape(0)), sumTo(where(cond, z, g), n.inputShape(1))
                    };
                },
                a,
                b);
    }

    static Variable maskedFill(Variable a, Tensor mask, double value) {
        return record("maskedFill", a.data().maskedFill(mask, value), 0, (n, g) -> one(g.maskedFill(mask, 0)), a);
    }
}
