package io.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/** GELU's fused float32 backward against the composed float64 one (itself gradient-checked). */
class GeluFloatGradientTest {
    @Test
    void fusedFloat32BackwardMatchesFloat64() {
        Tensor x64 = Tensor.randn(new Generator(3), DType.FLOAT64, 37, 41).mul(3);
        Tensor w64 = Tensor.randn(new Generator(4), DType.FLOAT64, 37, 41);
        Variable a64 = Variable.param(x64);
        a64.gelu().mul(Variable.constant(w64)).sum().backward();
        Variable a32 = Variable.param(x64.to(DType.FLOAT32));
        a32.gelu().mul(Variable.constant(w64.to(DType.FLOAT32))).sum().backward();
        Tensor want = a64.grad();
        Tensor got = a32.grad();
        assertEquals(DType.FLOAT32, got.dtype());
        for (int i = 0; i < 37; i++) {
            for (int j = 0; j < 41; j++) {
                double w = want.getDouble(i, j);
                assertEquals(w, got.getDouble(i, j), 1e-6 * (1 + Math.abs(w)), "gradient at (" + i + ", " + j + ")");
            }
        }
    }

    @Test
    void secondOrderStillWorksInFloat32() {
        // with createGraph the composed (differentiable) backward is used: d2/dx2 gelu = phi(x) (2 - x^2)
        Tensor x = Tensor.of(new float[] {-2f, -0.5f, 0f, 0.7f, 1.9f}, 5);
        Variable a = Variable.param(x);
        Variable g = Autograd.grad(a.gelu().sum(), java.util.List.of(a), true).get(0);
        Variable h = Autograd.grad(g.sum(), java.util.List.of(a), false).get(0);
        for (int i = 0; i < 5; i++) {
            double xi = x.getDouble(i);
            double want = Math.exp(-xi * xi / 2) / Math.sqrt(2 * Math.PI) * (2 - xi * xi);
            assertEquals(want, h.data().getDouble(i), 2e-6, "second derivative at " + xi);
        }
    }

    /**
     * Second order through a weighted sum (the incoming gradient is w, a contiguous constant, not an
     * expanded one): d/dx of grad = w * gelu''(x), and d/dw = gelu'(x). A fused first-order kernel chosen
     * here would lose both terms.
     */
    @Test
    void secondOrderThroughWeightedSumFloat32MatchesFloat64() {
        Tensor x64 = Tensor.randn(new Generator(5), DType.FLOAT64, 6, 7).mul(2);
        Tensor w64 = Tensor.randn(new Generator(6), DType.FLOAT64, 6, 7);
        for (String op : new String[] {"gelu", "relu"}) {
            Tensor[] want = hessianTerms(op, x64, w64);
            Tensor[] got = hessianTerms(op, x64.to(DType.FLOAT32), w64.to(DType.FLOAT32));
            for (int k = 0; k < 2; k++) {
                assertEquals(DType.FLOAT32, got[k].dtype());
                double[] a = want[k].toDoubleArray();
                double[] b = got[k].toDoubleArray();
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i], b[i], 1e-5 * (1 + Math.abs(a[i])), op + " term " + k + " at " + i);
                }
            }
        }
        // and the values themselves: relu's terms are 0 (d/dx) and the step (d/dw); gelu's d/dw is gelu'
        Tensor[] relu = hessianTerms("relu", x64, w64);
        Tensor[] gelu = hessianTerms("gelu", x64, w64);
        for (int i = 0; i < 42; i++) {
            double xi = x64.toDoubleArray()[i];
            double wi = w64.toDoubleArray()[i];
            double pdf = Math.exp(-xi * xi / 2) / Math.sqrt(2 * Math.PI);
            assertEquals(0, relu[0].toDoubleArray()[i], 0);
            assertEquals(xi > 0 ? 1 : 0, relu[1].toDoubleArray()[i], 0);
            assertEquals(wi * pdf * (2 - xi * xi), gelu[0].toDoubleArray()[i], 1e-12);
            assertEquals(Erf.cdf(xi) + xi * pdf, gelu[1].toDoubleArray()[i], 1e-12);
        }
    }

    /**
     * d/dx of sum(grad_x (sum(f(x) * w))) with w a constant (the incoming gradient then needs no
     * gradient of its own), and d/dw of the same with w a parameter; the gradient taken with createGraph.
     */
    private static Tensor[] hessianTerms(String op, Tensor x, Tensor w) {
        Tensor[] r = new Tensor[2];
        for (int k = 0; k < 2; k++) {
            Variable a = Variable.param(x);
            Variable wv = k == 0 ? Variable.constant(w) : Variable.param(w);
            Variable y = op.equals("gelu") ? a.gelu() : a.relu();
            Variable g =
                    Autograd.grad(y.mul(wv).sum(), java.util.List.of(a), true).get(0);
            if (!g.requiresGrad()) {
                // relu's gradient with a constant w is w * step(x): constant in x, so it has no graph
                assertEquals("relu", op);
                r[k] = Tensor.zerosLike(x);
                continue;
            }
            r[k] = Autograd.grad(g.sum(), java.util.List.of(k == 0 ? a : wv), false)
                    .get(0)
                    .data();
        }
        return r;
    }

    /** The standard normal distribution function, from the erf of the JDK-free series in double. */
    private static final class Erf {
        static double cdf(double x) {
            return 0.5 * (1 + erf(x / Math.sqrt(2)));
        }

        static double erf(double z) {
            // Taylor series, exact to double precision for |z| < 4 with enough terms
            double sum = 0;
            double term = z;
            for (int n = 0; n < 200; n++) {
                sum += term / (2 * n + 1);
                term *= -z * z / (n + 1);
            }
            return 2 / Math.sqrt(Math.PI) * sum;
        }
    }
}
