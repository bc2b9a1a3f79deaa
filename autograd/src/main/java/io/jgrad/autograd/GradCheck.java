package io.jgrad.autograd;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Checks backward rules against central finite differences in FLOAT64, like
 * {@code torch.autograd.gradcheck}: every element of the analytical Jacobian (from backward with a
 * one-hot output gradient) must be within {@code atol + rtol * |numerical|} of the numerical one
 * {@code (f(x + eps) - f(x - eps)) / (2 eps)}. Defaults are PyTorch's: eps 1e-6, atol 1e-5, rtol 1e-3.
 *
 * <pre>{@code
 * GradCheck.check(in -> in[0].matmul(in[1]).tanh().sum(), a, b);   // throws GradCheck.Failure
 * GradCheck.checkSecondOrder(in -> in[0].sigmoid(), a);
 * }</pre>
 *
 * <p>Inputs must be FLOAT64 and must not overlap in memory (no expanded views); they may be
 * non-contiguous. Each is perturbed in place and restored.
 */
public final class GradCheck {
    /** PyTorch's default finite-difference step. */
    public static final double EPS = 1e-6;
    /** PyTorch's default absolute tolerance. */
    public static final double ATOL = 1e-5;
    /** PyTorch's default relative tolerance. */
    public static final double RTOL = 1e-3;

    private GradCheck() {}

    /** Thrown when an analytical gradient differs from the numerical one. */
    public static final class Failure extends AssertionError {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    /** Checks with the default tolerances; throws {@link Failure} on a mismatch. */
    public static void check(Function<Variable[], Variable> f, Tensor... inputs) {
        check(f, inputs, EPS, ATOL, RTOL);
    }

    /** Checks with explicit step and tolerances. */
    public static void check(Function<Variable[], Variable> f, Tensor[] inputs, double eps, double atol, double rtol) {
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("GradCheck: input " + i + " must be float64 for an exact check, got "
                        + inputs[i].dtype() + " " + Shape.format(inputs[i].shape()) + "; use to(DType.FLOAT64)");
            }
        }
        Variable[] vars = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            vars[i] = new Variable(inputs[i], true);
        }
        Variable out = f.apply(vars);
        if (out.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException("GradCheck: the function's output must be float64, got " + out.dtype());
        }
        Tensor y0 = out.data().clone();
        int nOut = y0.numel();
        // analytical Jacobian rows: one backward per output element
        double[][][] analytical = new double[inputs.length][nOut][];
        for (int o = 0; o < nOut; o++) {
            double[] seed = new double[nOut];
            seed[o] = 1;
            List<Variable> gs;
            if (!out.requiresGrad()) {
                gs = new ArrayList<>();
                for (Tensor t : inputs) {
                    gs.add(new Variable(Tensor.zerosLike(t)));
                }
            } else {
                gs = Autograd.grad(
                        List.of(out), List.of(vars), List.of(Tensor.of(seed).reshape(y0.shape())), true, false);
            }
            for (int i = 0; i < inputs.length; i++) {
                analytical[i][o] = gs.get(i).data().toDoubleArray();
            }
        }
        for (int i = 0; i < inputs.length; i++) {
            Tensor x = inputs[i];
            int[] shape = x.shape();
            int n = x.numel();
            int[] idx = new int[shape.length];
            for (int j = 0; j < n; j++) {
                double orig = x.getDouble(idx);
                x.set(orig + eps, idx);
                double[] plus = eval(f, inputs);
                x.set(orig - eps, idx);
                double[] minus = eval(f, inputs);
                x.set(orig, idx);
                for (int o = 0; o < nOut; o++) {
                    double num = (plus[o] - minus[o]) / (2 * eps);
                    double ana = analytical[i][o][j];
                    if (!(Math.abs(ana - num) <= atol + rtol * Math.abs(num))) {
                        throw new Failure(String.format(
                                Locale.ROOT,
                                "GradCheck: Jacobian mismatch for input %d (shape %s) element %d and output element %d: "
                                        + "analytical %.10g, numerical %.10g (atol %.1e, rtol %.1e)",
                                i,
                                Shape.format(shape),
                                j,
                                o,
                                ana,
                                num,
                                atol,
                                rtol));
                    }
                }
                for (int d = shape.length - 1; d >= 0; d--) {
                    if (++idx[d] < shape[d]) {
                        break;
                    }
                    idx[d] = 0;
                }
            }
        }
    }

    private static double[] eval(Function<Variable[], Variable> f, Tensor[] inputs) {
        // recording stays on: second-order checks differentiate inside f
        Variable[] vs = new Variable[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            vs[i] = new Variable(inputs[i], true);
        }
        return f.apply(vs).data().toDoubleArray();
    }

    /**
     * Checks second-order gradients (like {@code gradgradcheck}): the first-order gradients, computed
     * with graph creation for a fixed random output gradient, are themselves checked against finite
     * differences with respect to the inputs and that output gradient.
     */
    public static void checkSecondOrder(Function<Variable[], Variable> f, Tensor... inputs) {
        int k = inputs.length;
        Variable[] probe;
        try (Tape.Scope off = Autograd.noGrad()) {
            Variable[] vs = new Variable[k];
            for (int i = 0; i < k; i++) {
                vs[i] = new Variable(inputs[i]);
            }
            probe = new Variable[] {f.apply(vs)};
        }
        Tensor v =
                Tensor.randn(new Generator(1234), DType.FLOAT64, probe[0].data().shape());
        Tensor[] all = new Tensor[k + 1];
        System.arraycopy(inputs, 0, all, 0, k);
        all[k] = v;
        check(
                in -> {
                    Variable[] xs = new Variable[k];
                    System.arraycopy(in, 0, xs, 0, k);
                    Variable y = f.apply(xs);
                    if (!y.requiresGrad()) {
                        return new Variable(Tensor.zeros(DType.FLOAT64, 1));
                    }
                    // <y, v> so that its gradient is the vector-Jacobian product, differentiable in x and v
                    Variable s = y.mul(in[k]).sum();
                    List<Variable> gs = Autograd.grad(List.of(s), List.of(xs), null, true, true);
                    List<Variable> flat = new ArrayList<>();
                    for (Variable g : gs) {
                        flat.add(g.reshape(-1));
                    }
                    return Variable.cat(flat, 0);
                },
                all,
                EPS,
                ATOL,
                RTOL);
    }
}
