package io.jgrad.autograd;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/** Finite-difference checks of the convolution and pooling operations (first order). */
class ConvOpsGradCheckTest {
    private final Generator g = new Generator(11);

    Tensor rnd(int... s) {
        return Tensor.randn(g, DType.FLOAT64, s);
    }

    @Test
    void conv2dWithStridePaddingDilationGroups() {
        GradCheck.check(v -> NN.conv2d(v[0], v[1], v[2], new int[] {2, 1}, new int[] {1, 2}, new int[] {1, 2}, 2),
                rnd(2, 4, 5, 6), rnd(6, 2, 3, 2), rnd(6));
    }

    @Test
    void conv2dNoBiasNonContiguousInput() {
        GradCheck.check(v -> NN.conv2d(v[0], v[1], null, new int[] {1}, new int[] {1}, new int[] {1}, 1),
                rnd(2, 3, 5, 4).transpose(2, 3), rnd(2, 3, 3, 3));
    }

    @Test
    void conv1d() {
        GradCheck.check(v -> NN.conv1d(v[0], v[1], v[2], 2, 1, 1, 1), rnd(2, 3, 7), rnd(4, 3, 3), rnd(4));
    }

    @Test
    void convTranspose2d() {
        GradCheck.check(v -> NN.convTranspose2d(v[0], v[1], v[2], new int[] {2}, new int[] {1}, new int[] {1},
                new int[] {1}, 1), rnd(1, 2, 3, 3), rnd(2, 3, 3, 3), rnd(3));
    }

    @Test
    void pooling() {
        // distinct values so the max is unique and the numerical gradient is well defined
        Tensor x = Tensor.randperm(g, 2 * 3 * 6 * 5).to(DType.FLOAT64).mul(0.1).reshape(2, 3, 6, 5);
        GradCheck.check(v -> NN.maxPool2d(v[0], new int[] {2}, new int[] {2}, new int[] {1}, new int[] {1}, true), x);
        GradCheck.check(v -> NN.avgPool2d(v[0], new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, false, false),
                rnd(2, 3, 6, 5));
        GradCheck.check(v -> NN.adaptiveAvgPool2d(v[0], 3, 2), rnd(1, 2, 7, 5));
        Tensor y = Tensor.randperm(g, 2 * 3 * 8).to(DType.FLOAT64).mul(0.1).reshape(2, 3, 8);
        GradCheck.check(v -> NN.maxPool1d(v[0], 3, 2, 1, 1, false), y);
        GradCheck.check(v -> NN.avgPool1d(v[0], 3, 2, 1, false, true), rnd(2, 3, 8));
        GradCheck.check(v -> NN.adaptiveAvgPool1d(v[0], 3), rnd(2, 3, 8));
    }
}
