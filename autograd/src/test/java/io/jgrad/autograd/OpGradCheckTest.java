package io.jgrad.autograd;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Central-difference gradient checks, first and second order, for every differentiable operation (the
 * neural-network primitives of {@link NN} included; no case is exempt from the second order),
 * on contiguous, non-contiguous and broadcast inputs.
 */
class OpGradCheckTest {
    private static final Generator G = new Generator(42);

    static Tensor rnd(int... shape) {
        return Tensor.randn(G, DType.FLOAT64, shape);
    }

    /** Values in (lo, hi). */
    static Tensor uni(double lo, double hi, int... shape) {
        return Tensor.rand(G, DType.FLOAT64, shape).mul(hi - lo).add(lo);
    }

    /** A (rows, cols) matrix stored transposed (non-contiguous). */
    static Tensor rndT(int rows, int cols) {
        return rnd(cols, rows).t();
    }

    /** A (n,) vector sliced with step 2 from a longer one (non-contiguous). */
    static Tensor rndStep(int n) {
        return rnd(2 * n).slice(0, 0, 2 * n, 2);
    }

    record Case(String name, Function<Variable[], Variable> f, Tensor[] inputs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, Function<Variable[], Variable> f, Tensor... in) {
        return new Case(name, f, in);
    }

    static Stream<Arguments> cases() {
        List<Case> l = new ArrayList<>();
        // binary, with broadcasting and non-contiguous operands
        l.add(c("add", v -> v[0].add(v[1]), rnd(3, 4), rnd(4)));
        l.add(c("add-col", v -> v[0].add(v[1]), rndT(3, 4), rnd(3, 1)));
        l.add(c("sub", v -> v[0].sub(v[1]), rnd(2, 3), rndT(2, 3)));
        l.add(c("mul", v -> v[0].mul(v[1]), rnd(2, 1, 3), rnd(4, 1)));
        l.add(c("div", v -> v[0].div(v[1]), rnd(3, 4), uni(0.5, 2, 4)));
        l.add(c("pow", v -> v[0].pow(v[1]), uni(0.5, 2, 3, 2), rnd(2)));
        l.add(c("maximum", v -> v[0].maximum(v[1]), rnd(3, 4), rnd(3, 4)));
        l.add(c("minimum", v -> v[0].minimum(v[1]), rnd(3, 4), rndT(3, 4)));
        l.add(c("scalar ops", v -> v[0].add(2).mul(3).sub(1).div(2).rsub(1).rdiv(5), uni(0.5, 2, 5)));
        l.add(c("powScalar", v -> v[0].pow(2.5), uni(0.5, 2, 5)));
        l.add(c("powScalar3", v -> v[0].pow(3), rnd(5)));
        // unary
        l.add(c("neg", v -> v[0].neg(), rnd(3)));
        l.add(c("abs", v -> v[0].abs(), uni(0.1, 1, 4).mul(Tensor.of(new double[] {1, -1, 1, -1}))));
        l.add(c("exp", v -> v[0].exp(), rndStep(4)));
        l.add(c("log", v -> v[0].log(), uni(0.5, 3, 4)));
        l.add(c("log1p", v -> v[0].log1p(), uni(0, 3, 4)));
        l.add(c("expm1", v -> v[0].expm1(), rnd(4)));
        l.add(c("sqrt", v -> v[0].sqrt(), uni(0.5, 3, 4)));
        l.add(c("rsqrt", v -> v[0].rsqrt(), uni(0.5, 3, 4)));
        l.add(c("square", v -> v[0].square(), rndT(2, 3)));
        l.add(c("reciprocal", v -> v[0].reciprocal(), uni(0.5, 3, 4)));
        l.add(c("sin", v -> v[0].sin(), rnd(4)));
        l.add(c("cos", v -> v[0].cos(), rnd(4)));
        l.add(c("tanh", v -> v[0].tanh(), rnd(2, 3)));
        l.add(c("sigmoid", v -> v[0].sigmoid(), rnd(2, 3)));
        l.add(c("relu", v -> v[0].relu(), awayFromZero(6)));
        l.add(c("leakyRelu", v -> v[0].leakyRelu(0.1), awayFromZero(6)));
        l.add(c("elu", v -> v[0].elu(1.3), awayFromZero(6)));
        l.add(c("selu", v -> v[0].selu(), awayFromZero(6)));
        l.add(c("gelu", v -> v[0].gelu(), rnd(6)));
        l.add(c("geluTanh", v -> v[0].geluTanh(), rnd(6)));
        l.add(c("softplus", v -> v[0].softplus(), rnd(6)));
        l.add(c("mish", v -> v[0].mish(), rnd(6)));
        l.add(c("silu", v -> v[0].silu(), rnd(6)));
        l.add(c("erf", v -> v[0].erf(), rnd(6)));
        l.add(c("clamp", v -> v[0].clamp(-0.5, 0.5), Tensor.of(new double[] {-1, -0.3, 0.2, 0.9, 0.1})));
        l.add(c("where", v -> Variable.where(Tensor.of(new double[] {1, 0, 1}), v[0], v[1]), rnd(2, 3), rnd(3)));
        l.add(c("maskedFill", v -> v[0].maskedFill(Tensor.of(new double[] {0, 1, 0}), 7), rnd(2, 3)));
        // reductions
        l.add(c("sum", v -> v[0].sum(), rndT(3, 4)));
        l.add(c("sum dims", v -> v[0].sum(new int[] {0, 2}, false), rnd(2, 3, 4)));
        l.add(c("sum keepdim", v -> v[0].sum(1, true), rnd(2, 3, 4)));
        l.add(c("mean", v -> v[0].mean(new int[] {-1}, false), rnd(3, 4)));
        l.add(c("prod", v -> v[0].prod(new int[] {1}, false), uni(0.5, 2, 3, 4)));
        l.add(c("prod with zero", v -> v[0].prod(), Tensor.of(new double[] {2, 0, 3, 1.5})));
        l.add(c("prod with two zeros", v -> v[0].prod(), Tensor.of(new double[] {2, 0, 3, 0, 1.5})));
        l.add(c(
                "prod dims with zero",
                v -> v[0].prod(new int[] {0, 2}, true),
                Tensor.of(new double[] {2, 0, 3, 1.5, -1, 0.5, 2, 1.1, 0, 3, 1, 2})
                        .reshape(2, 3, 2)));
        l.add(c("amax", v -> v[0].amax(new int[] {1}, false), rnd(3, 5)));
        l.add(c("amin", v -> v[0].amin(new int[] {0}, true), rnd(3, 5)));
        l.add(c("max all", v -> v[0].max(), rnd(3, 5)));
        l.add(c("max dim", v -> v[0].max(1, false), rnd(3, 5)));
        l.add(c("min dim keepdim", v -> v[0].min(0, true), rndT(3, 5)));
        l.add(c("var", v -> v[0].var(new int[] {1}, 1, false), rnd(3, 5)));
        l.add(c("var0", v -> v[0].var(null, 0, false), rnd(3, 5)));
        l.add(c("std", v -> v[0].std(new int[] {0}, 1, true), rnd(3, 5)));
        l.add(c("norm", v -> v[0].norm(), rnd(3, 5)));
        l.add(c("norm dim", v -> v[0].norm(2, new int[] {1}, false), rnd(3, 5)));
        l.add(c("norm p3", v -> v[0].norm(3, null, false), uni(0.5, 1, 4)));
        l.add(c("logsumexp", v -> v[0].logsumexp(1, false), rnd(3, 5)));
        l.add(c("softmax", v -> v[0].softmax(1), rnd(3, 5)));
        l.add(c("softmax dim0", v -> v[0].softmax(0), rndT(3, 5)));
        l.add(c("logSoftmax", v -> v[0].logSoftmax(-1), rnd(2, 3, 5)));
        l.add(c("cumsum", v -> v[0].cumsum(1), rnd(3, 4)));
        // matmul family
        l.add(c("matmul 2d", v -> v[0].matmul(v[1]), rnd(3, 4), rnd(4, 2)));
        l.add(c("matmul transposed", v -> v[0].matmul(v[1]), rndT(3, 4), rndT(4, 2)));
        l.add(c("matmul 1d-1d", v -> v[0].matmul(v[1]), rnd(4), rndStep(4)));
        l.add(c("matmul 1d-2d", v -> v[0].matmul(v[1]), rnd(4), rnd(4, 3)));
        l.add(c("matmul 2d-1d", v -> v[0].matmul(v[1]), rnd(3, 4), rnd(4)));
        l.add(c("matmul batched broadcast", v -> v[0].matmul(v[1]), rnd(2, 1, 3, 4), rnd(3, 4, 2)));
        l.add(c("matmul 3d-2d", v -> v[0].matmul(v[1]), rnd(2, 3, 4), rnd(4, 2)));
        l.add(c("nn.linear", v -> NN.linear(v[0], v[1], v[2]), rnd(3, 4), rnd(5, 4), rnd(5)));
        l.add(c("nn.linear 3d no bias", v -> NN.linear(v[0], v[1], null), rnd(2, 3, 4), rnd(5, 4)));
        l.add(c("dot", v -> v[0].dot(v[1]), rnd(4), rnd(4)));
        l.add(c("outer", v -> v[0].outer(v[1]), rnd(3), rnd(2)));
        // shapes and views
        l.add(c("reshape", v -> v[0].reshape(2, 6).mul(v[0].reshape(2, 6)), rndT(3, 4)));
        l.add(c("view", v -> v[0].view(4, 3).exp(), rnd(3, 4)));
        l.add(c("permute", v -> v[0].permute(2, 0, 1).mul(v[1]), rnd(2, 3, 4), rnd(4, 2, 3)));
        l.add(c("transpose", v -> v[0].transpose(0, 1).mul(v[1]), rnd(2, 3), rnd(3, 2)));
        l.add(c("t", v -> v[0].t().mul(v[1]), rnd(2, 3), rnd(3, 2)));
        l.add(c("movedim", v -> v[0].movedim(0, 2).mul(v[1]), rnd(2, 3, 4), rnd(3, 4, 2)));
        l.add(c("flatten", v -> v[0].flatten(1, 2).mul(v[1]), rnd(2, 3, 4), rnd(12)));
        l.add(c("sign", v -> v[0].sign().mul(v[0]), uni(0.1, 1, 4).mul(Tensor.of(new double[] {1, -1, 1, -1}))));
        l.add(c("expand", v -> v[0].expand(3, 4).mul(v[1]), rnd(3, 1), rnd(3, 4)));
        l.add(c(
                "squeeze/unsqueeze",
                v -> v[0].unsqueeze(1).squeeze(1).unsqueeze(0).mul(2),
                rnd(3)));
        l.add(c("narrow", v -> v[0].narrow(1, 1, 2).square(), rnd(3, 4)));
        l.add(c("slice step", v -> v[0].slice(0, 0, 5, 2).square(), rnd(5, 2)));
        l.add(c("select", v -> v[0].select(1, 2).square(), rnd(3, 4)));
        l.add(c("contiguous", v -> v[0].contiguous().square(), rndT(3, 4)));
        l.add(c("cat", v -> Variable.cat(List.of(v[0], v[1]), 1).square(), rnd(2, 3), rnd(2, 2)));
        l.add(c("stack", v -> Variable.stack(List.of(v[0], v[1]), 0).square(), rnd(2, 3), rndT(2, 3)));
        l.add(c("split", v -> v[0].split(2, 1).get(1).square(), rnd(2, 5)));
        l.add(c("chunk", v -> v[0].chunk(2, 0).get(0).mul(v[0].chunk(2, 0).get(1)), rnd(4, 3)));
        l.add(c(
                "pad constant",
                v -> v[0].pad(new int[] {1, 2, 0, 1}, Tensor.PadMode.CONSTANT, 3)
                        .square(),
                rnd(2, 3)));
        l.add(c(
                "pad crop",
                v -> v[0].pad(new int[] {-1, 1}, Tensor.PadMode.CONSTANT, 0).square(),
                rnd(2, 4)));
        l.add(c(
                "pad reflect",
                v -> v[0].pad(new int[] {2, 1}, Tensor.PadMode.REFLECT, 0).square(),
                rnd(2, 4)));
        l.add(c(
                "pad replicate",
                v -> v[0].pad(new int[] {1, 2, 2, 0}, Tensor.PadMode.REPLICATE, 0)
                        .square(),
                rnd(2, 3)));
        l.add(c(
                "gather",
                v -> v[0].gather(1, Tensor.of(new int[] {0, 2, 2, 1, 0, 0}, 3, 2))
                        .square(),
                rnd(3, 4)));
        l.add(c(
                "indexSelect",
                v -> v[0].indexSelect(0, Tensor.of(new int[] {2, 0, 2})).square(),
                rnd(3, 4)));
        l.add(c(
                "scatterAdd",
                v -> v[0].scatterAdd(0, Tensor.of(new int[] {1, 0, 1, 1}, 1, 4), v[1])
                        .square(),
                rnd(2, 4),
                rnd(1, 4)));
        l.add(c("repeat", v -> v[0].repeat(2, 1, 3).square(), rnd(2, 3)));
        l.add(c("flip", v -> v[0].flip(0, 1).mul(v[1]), rnd(2, 3), rnd(2, 3)));
        l.add(c("tril", v -> v[0].tril(0).square(), rnd(3, 3)));
        l.add(c("triu", v -> v[0].triu(1).square(), rnd(2, 3, 4)));
        // neural-network primitives (NN): every one is in the table, so every one is checked at both orders
        l.add(c(
                "nn.embedding",
                v -> NN.embedding(Tensor.of(new int[] {2, 0, 2, 1}, 2, 2), v[0]).square(),
                rnd(3, 2)));
        l.add(c(
                "nn.dropout",
                v -> NN.dropout(v[0], 0.5, true, new io.jgrad.core.Generator(3)).square(),
                rnd(2, 4)));
        l.add(c(
                "nn.lstmCell",
                v -> {
                    Variable[] hc = NN.lstmCell(v[0], v[1]);
                    return hc[0].add(hc[1].square());
                },
                rnd(2, 8),
                rnd(2, 2)));
        l.add(c("nn.gruCell", v -> NN.gruCell(v[0], v[1], v[2]), rnd(2, 6), rnd(2, 6), rnd(2, 2)));
        l.add(c("nn.conv1d", v -> NN.conv1d(v[0], v[1], v[2], 2, 1, 1, 1).tanh(), rnd(1, 2, 5), rnd(2, 2, 3), rnd(2)));
        l.add(c(
                "nn.conv2d",
                v -> NN.conv2d(v[0], v[1], v[2], new int[] {1}, new int[] {1}, new int[] {1}, 1)
                        .tanh(),
                rnd(1, 2, 3, 3),
                rnd(2, 2, 2, 2),
                rnd(2)));
        l.add(c(
                "nn.convTranspose2d",
                v -> NN.convTranspose2d(v[0], v[1], v[2], new int[] {2}, new int[] {0}, new int[] {1}, new int[] {1}, 1)
                        .tanh(),
                rnd(1, 2, 2, 2),
                rnd(2, 1, 2, 2),
                rnd(1)));
        Tensor distinct4d =
                Tensor.randperm(G, 2 * 4 * 4).to(DType.FLOAT64).mul(0.1).reshape(1, 2, 4, 4);
        Tensor distinct3d = Tensor.randperm(G, 2 * 6).to(DType.FLOAT64).mul(0.1).reshape(1, 2, 6);
        l.add(c(
                "nn.maxPool2d",
                v -> NN.maxPool2d(v[0], new int[] {2}, new int[] {2}, new int[] {0}, new int[] {1}, false)
                        .square(),
                distinct4d));
        l.add(c("nn.maxPool1d", v -> NN.maxPool1d(v[0], 2, 2, 0, 1, false).square(), distinct3d));
        l.add(c(
                "nn.avgPool2d",
                v -> NN.avgPool2d(v[0], new int[] {2}, new int[] {1}, new int[] {0}, false, true)
                        .square(),
                rnd(1, 2, 3, 3)));
        l.add(c("nn.avgPool1d", v -> NN.avgPool1d(v[0], 2, 1, 0, false, true).square(), rnd(1, 2, 4)));
        l.add(c("nn.adaptiveAvgPool2d", v -> NN.adaptiveAvgPool2d(v[0], 2, 2).square(), rnd(1, 2, 3, 3)));
        l.add(c("nn.adaptiveAvgPool1d", v -> NN.adaptiveAvgPool1d(v[0], 2).square(), rnd(1, 2, 5)));
        return l.stream().map(Arguments::of);
    }

    /** Values at least 0.1 away from 0 (kinks), alternating signs. */
    static Tensor awayFromZero(int n) {
        Tensor t = uni(0.1, 1.5, n);
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = i % 2 == 0 ? 1 : -1;
        }
        return t.mul(Tensor.of(s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void firstOrder(Case k) {
        GradCheck.check(k.f, k.inputs);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void secondOrder(Case k) {
        // every op is differentiable at every order: no case is exempt
        GradCheck.checkSecondOrder(k.f, k.inputs);
    }
}
