package io.jgrad.autograd;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of the convolution and pooling operations, at first and second order (the
 * second order checks the recorded adjoint products: the input and weight gradients of a convolution
 * are convolutions again, pooling's backward is recorded).
 */
class ConvOpsGradCheckTest {
    private final Generator g = new Generator(11);

    Tensor rnd(int... s) {
        return Tensor.randn(g, DType.FLOAT64, s);
    }

    @Test
    void conv2dWithStridePaddingDilationGroups() {
        GradCheck.check(
                v -> NN.conv2d(v[0], v[1], v[2], new int[] {2, 1}, new int[] {1, 2}, new int[] {1, 2}, 2),
                rnd(2, 4, 5, 6),
                rnd(6, 2, 3, 2),
                rnd(6));
    }

    @Test
    void conv2dNoBiasNonContiguousInput() {
        GradCheck.check(
                v -> NN.conv2d(v[0], v[1], null, new int[] {1}, new int[] {1}, new int[] {1}, 1),
                rnd(2, 3, 5, 4).transpose(2, 3),
                rnd(2, 3, 3, 3));
    }

    @Test
    void conv1d() {
        GradCheck.check(v -> NN.conv1d(v[0], v[1], v[2], 2, 1, 1, 1), rnd(2, 3, 7), rnd(4, 3, 3), rnd(4));
    }

    @Test
    void convTranspose2d() {
        GradCheck.check(
                v -> NN.convTranspose2d(
                        v[0], v[1], v[2], new int[] {2}, new int[] {1}, new int[] {1}, new int[] {1}, 1),
                rnd(1, 2, 3, 3),
                rnd(2, 3, 3, 3),
                rnd(3));
    }

    @Test
    void pooling() {
        // distinct values so the max is unique and the numerical gradient is well defined
        Tensor x = Tensor.randperm(g, 2 * 3 * 6 * 5).to(DType.FLOAT64).mul(0.1).reshape(2, 3, 6, 5);
        GradCheck.check(v -> NN.maxPool2d(v[0], new int[] {2}, new int[] {2}, new int[] {1}, new int[] {1}, true), x);
        GradCheck.check(
                v -> NN.avgPool2d(v[0], new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, false, false),
                rnd(2, 3, 6, 5));
        GradCheck.check(v -> NN.adaptiveAvgPool2d(v[0], 3, 2), rnd(1, 2, 7, 5));
        Tensor y = Tensor.randperm(g, 2 * 3 * 8).to(DType.FLOAT64).mul(0.1).reshape(2, 3, 8);
        GradCheck.check(v -> NN.maxPool1d(v[0], 3, 2, 1, 1, false), y);
        GradCheck.check(v -> NN.avgPool1d(v[0], 3, 2, 1, false, true), rnd(2, 3, 8));
        GradCheck.check(v -> NN.adaptiveAvgPool1d(v[0], 3), rnd(2, 3, 8));
    }

    /** First and second order for one function. */
    private static void both(java.util.function.Function<Variable[], Variable> f, Tensor... in) {
        GradCheck.check(f, in);
        GradCheck.checkSecondOrder(f, in);
    }

    @Test
    void conv2dSecondOrder() {
        both(
                v -> NN.conv2d(v[0], v[1], v[2], new int[] {2, 1}, new int[] {1, 2}, new int[] {1, 2}, 2),
                rnd(2, 4, 5, 6),
                rnd(6, 2, 3, 2),
                rnd(6));
        both(
                v -> NN.conv2d(v[0], v[1], null, new int[] {1}, new int[] {1}, new int[] {1}, 1)
                        .tanh(),
                rnd(1, 2, 4, 3).transpose(2, 3),
                rnd(2, 2, 3, 3));
    }

    @Test
    void conv2dUnbatchedSecondOrder() {
        both(
                v -> NN.conv2d(v[0], v[1], v[2], new int[] {1}, new int[] {0}, new int[] {1}, 1)
                        .square(),
                rnd(2, 4, 4),
                rnd(3, 2, 2, 2),
                rnd(3));
    }

    @Test
    void conv1dSecondOrder() {
        both(v -> NN.conv1d(v[0], v[1], v[2], 2, 1, 1, 1).sigmoid(), rnd(2, 3, 7), rnd(4, 3, 3), rnd(4));
        both(v -> NN.conv1d(v[0], v[1], null, 1, 2, 2, 2), rnd(1, 4, 6), rnd(2, 2, 3));
    }

    @Test
    void convTranspose2dSecondOrder() {
        both(
                v -> NN.convTranspose2d(v[0], v[1], v[2], new int[] {2}, new int[] {1}, new int[] {1}, new int[] {1}, 1)
                        .tanh(),
                rnd(1, 2, 3, 3),
                rnd(2, 3, 3, 3),
                rnd(3));
        // groups, dilation and an output padding only the dilation allows (not smaller than the stride)
        both(
                v -> NN.convTranspose2d(
                        v[0], v[1], null, new int[] {1, 2}, new int[] {0, 1}, new int[] {1, 1}, new int[] {2, 2}, 2),
                rnd(2, 4, 3, 2),
                rnd(4, 1, 2, 2));
    }

    @Test
    void poolingSecondOrder() {
        Tensor x = Tensor.randperm(g, 2 * 2 * 4 * 5).to(DType.FLOAT64).mul(0.1).reshape(2, 2, 4, 5);
        // max pooling is piecewise linear: its second derivative flows through the scatter of g only;
        // square() makes the output's own second derivative non-zero
        both(
                v -> NN.maxPool2d(v[0], new int[] {2}, new int[] {2}, new int[] {1}, new int[] {1}, true)
                        .square(),
                x);
        both(
                v -> NN.avgPool2d(v[0], new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, false, false)
                        .square(),
                rnd(1, 2, 5, 4));
        both(v -> NN.adaptiveAvgPool2d(v[0], 3, 2).square(), rnd(1, 2, 5, 3));
        Tensor y = Tensor.randperm(g, 2 * 3 * 8).to(DType.FLOAT64).mul(0.1).reshape(2, 3, 8);
        both(v -> NN.maxPool1d(v[0], 3, 2, 1, 1, false).square(), y);
        both(v -> NN.avgPool1d(v[0], 3, 2, 1, false, true).square(), rnd(2, 3, 8));
        both(v -> NN.adaptiveAvgPool1d(v[0], 3).square(), rnd(2, 3, 8));
        Tensor z = Tensor.randperm(g, 3 * 4 * 4).to(DType.FLOAT64).mul(0.1).reshape(3, 4, 4);
        both(
                v -> NN.maxPool2d(v[0], new int[] {2}, new int[] {2}, new int[] {0}, new int[] {1}, false)
                        .square(),
                z);
    }

    @Test
    void gradientPenaltyThroughConvCritic() {
        // d/dw of ||d critic / d x||^2 for conv -> leakyRelu -> maxPool -> conv -> mean: a WGAN-GP term
        Tensor x = rnd(2, 1, 5, 5);
        both(
                v -> {
                    Variable h = NN.conv2d(v[0], v[1], null, new int[] {1}, new int[] {1}, new int[] {1}, 1)
                            .leakyRelu(0.2);
                    h = NN.maxPool2d(h, new int[] {2}, new int[] {2}, new int[] {0}, new int[] {1}, false);
                    return NN.conv2d(h, v[2], null, new int[] {1}, new int[] {0}, new int[] {1}, 1)
                            .sum();
                },
                x,
                rnd(3, 1, 3, 3),
                rnd(1, 3, 2, 2));
    }
}
