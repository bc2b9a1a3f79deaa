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
}
