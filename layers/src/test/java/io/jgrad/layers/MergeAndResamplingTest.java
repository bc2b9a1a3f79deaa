package io.jgrad.layers;

import static io.jgrad.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.GradCheck;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.testing.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * The merge layers against PyTorch (fixtures {@code MERGE_*.txt} from
 * {@code make_resampling_fixtures.py}: outputs and the gradients of every input, in FLOAT64 and
 * FLOAT32), their first- and second-order gradient checks, and the clear errors of the merge and
 * resampling layers on bad shapes and settings. (The single-input resampling layers' parity and
 * gradient checks are in {@link ResamplingCases}.)
 */
class MergeAndResamplingTest {
    record MergeCase(String name, Supplier<MergeLayer> make) {}

    static List<MergeCase> mergeCases() {
        return List.of(
                new MergeCase("add", Add::new),
                new MergeCase("multiply", Multiply::new),
                new MergeCase("average", Average::new),
                new MergeCase("concatenate_last", Concatenate::new),
                new MergeCase("concatenate_axis1", () -> new Concatenate(1)));
    }

    @TestFactory
    Stream<DynamicTest> mergeParity() {
        return Stream.of(DType.FLOAT64, DType.FLOAT32)
                .flatMap(dt -> mergeCases().stream()
                        .map(c -> DynamicTest.dynamicTest(
                                c.name() + " " + dt,
                                () -> mergeParity(
                                        c,
                                        dt,
                                        dt == DType.FLOAT64 ? 1e-12 : 2e-5,
                                        dt == DType.FLOAT64 ? 1e-10 : 2e-5))));
    }

    static void mergeParity(MergeCase c, DType dt, double atol, double rtol) {
        Map<String, Tensor> f = Fixtures.load("/torch/MERGE_" + c.name() + ".txt");
        int n = 0;
        while (f.containsKey("x" + n)) {
            n++;
        }
        Variable[] xs = new Variable[n];
        for (int i = 0; i < n; i++) {
            xs[i] = new Variable(f.get("x" + i).to(dt), true);
        }
        Variable y = c.make().get().call(xs);
        assertEquals(dt, y.dtype());
        assertClose(f.get("y"), y.data(), atol, rtol, c.name() + " output");
        y.mul(Variable.constant(f.get("r").to(dt))).sum().backward();
        for (int i = 0; i < n; i++) {
            assertClose(f.get("g" + i), xs[i].grad(), atol, rtol, c.name() + " gradient of input " + i);
        }
    }

    @Test
    void mergeListForm() {
        Variable a = Variable.constant(Tensor.of(new double[] {1, 2}));
        Variable b = Variable.constant(Tensor.of(new double[] {3, 5}));
        assertArrayEquals(
                new double[] {4, 7}, new Add().forward(List.of(a, b)).data().toDoubleArray());
        assertArrayEquals(
                new double[] {2, 3.5},
                new Average().forward(List.of(a, b)).data().toDoubleArray());
        assertArrayEquals(
                new double[] {3, 10},
                new Multiply().forward(List.of(a, b)).data().toDoubleArray());
        assertArrayEquals(
                new double[] {1, 2, 3, 5},
                new Concatenate(0).forward(List.of(a, b)).data().toDoubleArray());
    }

    @TestFactory
    Stream<DynamicTest> mergeGradChecks() {
        Generator g = new Generator(11);
        Tensor a = Tensor.randn(g, DType.FLOAT64, 2, 3);
        Tensor b = Tensor.randn(g, DType.FLOAT64, 2, 3);
        Tensor c = Tensor.randn(g, DType.FLOAT64, 2, 3);
        Tensor d = Tensor.randn(g, DType.FLOAT64, 2, 1);
        return Stream.of(
                DynamicTest.dynamicTest("Add", () -> both(in -> new Add().forward(in), a, b, c)),
                DynamicTest.dynamicTest("Multiply", () -> both(in -> new Multiply().forward(in), a, b, c)),
                DynamicTest.dynamicTest("Average", () -> both(in -> new Average().forward(in), a, b, c)),
                DynamicTest.dynamicTest(
                        "Concatenate",
                        () -> both(in -> new Concatenate(-1).forward(in).square(), a, d, b)),
                // a non-linear use, so the second-order check has non-zero second derivatives
                DynamicTest.dynamicTest(
                        "MultiplyOfTanh", () -> both(in -> new Multiply().forward(in[0].tanh(), in[1]), a, b)));
    }

    private static void both(java.util.function.Function<Variable[], Variable> f, Tensor... in) {
        GradCheck.check(f, in);
        GradCheck.checkSecondOrder(f, in);
    }

    // ------------------------------------------------------------------------------------------ errors

    private static Variable v(int... shape) {
        return Variable.constant(Tensor.zeros(DType.FLOAT64, shape));
    }

    private static void assertError(Executable e, String... parts) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String p : parts) {
            assertTrue(ex.getMessage().contains(p), "message '" + ex.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void mergeErrors() {
        assertError(() -> new Add().forward(v(2, 3), v(2, 4)), "Add", "same shape", "(2, 3)", "(2, 4)");
        assertError(() -> new Multiply().forward(v(2, 3), v(3, 2)), "Multiply", "(2, 3)", "(3, 2)");
        assertError(() -> new Average().forward(v(2, 3), v(2, 3), v(2)), "Average", "(2,)");
        assertError(() -> new Add().forward(v(2, 3)), "Add", "at least 2 inputs", "1");
        assertError(() -> new Add().forward(new Variable[] {v(2, 3)}), "Add", "at least 2 inputs");
        assertError(
                () -> new Concatenate(1).forward(v(2, 3, 4), v(2, 3, 5)),
                "Concatenate",
                "except along axis 1",
                "(2, 3, 4)",
                "(2, 3, 5)");
        assertError(() -> new Concatenate().forward(v(2, 3), v(2, 3, 1)), "Concatenate", "(2, 3)", "(2, 3, 1)");
        assertError(() -> new Concatenate(3).forward(v(2, 3), v(2, 3)), "Concatenate", "axis 3", "rank 2");
        assertError(() -> new Add().forward(v(2), null), "Add", "input 1 is null");
    }

    @Test
    void resamplingErrors() {
        InterpolationMode bilinear = InterpolationMode.BILINEAR;
        assertError(() -> new Upsample(2, bilinear).forward(v(2, 3, 4)), "Upsample", "bilinear", "4-D", "(2, 3, 4)");
        assertError(
                () -> new Upsample(2, InterpolationMode.LINEAR).forward(v(1, 2, 3, 4)),
                "Upsample",
                "linear",
                "3-D",
                "(1, 2, 3, 4)");
        assertError(() -> new Upsample(2).forward(v(2, 3)), "Upsample", "(2, 3)");
        assertError(
                () -> new Upsample(new int[] {2, 3}, InterpolationMode.NEAREST, true),
                "Upsample",
                "alignCorners",
                "nearest");
        assertError(() -> new Upsample(-1), "Upsample", "scale factor must be positive");
        assertError(() -> new Upsample(new int[] {0, 3}, bilinear, false), "Upsample", "output size must be positive");
        assertError(
                () -> new Upsample(new int[] {2, 3, 4}, bilinear, false).forward(v(1, 1, 2, 2)),
                "Upsample",
                "[2, 3, 4]",
                "(1, 1, 2, 2)");
        assertError(() -> new Upsample(0.1).forward(v(1, 1, 2, 2)), "Upsample", "empty output", "(1, 1, 2, 2)");
        assertError(
                () -> Functional.interpolate(v(1, 1, 2, 2), new int[] {3}, new double[] {2}, bilinear, false, false),
                "interpolate",
                "exactly one");
        assertError(
                () -> new AdaptiveMaxPool2d(2).forward(v(2, 3, 4)), "AdaptiveMaxPool2d", "(N, C, H, W)", "(2, 3, 4)");
        assertError(
                () -> new AdaptiveMaxPool1d(2).forward(v(2, 3, 4, 4)),
                "AdaptiveMaxPool1d",
                "(N, C, L)",
                "(2, 3, 4, 4)");
        assertError(() -> new AdaptiveMaxPool2d(0, 2), "AdaptiveMaxPool2d", "positive");
        assertError(
                () -> new PixelShuffle(2).forward(v(1, 6, 2, 2)), "PixelShuffle", "(N, C * 4, H, W)", "(1, 6, 2, 2)");
        assertError(
                () -> new PixelUnshuffle(2).forward(v(1, 2, 3, 4)), "PixelUnshuffle", "divisible by 2", "(1, 2, 3, 4)");
        assertError(() -> new PixelShuffle(0), "PixelShuffle", "positive");
        assertError(
                () -> new ConvTranspose1d(3, 2, 3).forward(v(2, 4, 5)), "ConvTranspose1d", "(N, 3, L)", "(2, 4, 5)");
        assertError(() -> new ConvTranspose1d(3, 2, 3).forward(v(2, 3, 5, 1)), "ConvTranspose1d", "(2, 3, 5, 1)");
        assertError(
                () -> new ConvTranspose1d(
                        3, 2, 3, ConvOptions.defaults().stride(2).outputPadding(2)),
                "ConvTranspose1d",
                "outputPadding");
    }

    /** Nearest upsampling by 2 repeats each pixel, bilinear by 2 of a constant image stays constant. */
    @Test
    void simpleValues() {
        Variable x = Variable.constant(Tensor.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2));
        assertArrayEquals(
                new double[] {1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4},
                new Upsample(2).forward(x).data().toDoubleArray());
        Variable c = Variable.constant(Tensor.full(DType.FLOAT64, 5.0, 1, 1, 3, 3));
        for (double e : Functional.interpolate(c, new int[] {7, 4}, InterpolationMode.BILINEAR, true)
                .data()
                .toDoubleArray()) {
            assertEquals(5, e, 1e-12);
        }
        Variable p = Variable.constant(Tensor.arange(DType.FLOAT64, 0, 32, 1).reshape(2, 4, 2, 2));
        assertArrayEquals(
                p.data().toDoubleArray(),
                new PixelUnshuffle(2)
                        .forward(new PixelShuffle(2).forward(p))
                        .data()
                        .toDoubleArray());
        assertArrayEquals(
                new int[] {2, 3, 9},
                new ConvTranspose1d(4, 3, 3, ConvOptions.defaults().stride(2))
                        .forward(Variable.constant(Tensor.zeros(2, 4, 4)))
                        .shape());
        assertEquals(
                "weight",
                new ConvTranspose1d(4, 3, 3)
                        .namedParameters()
                        .keySet()
                        .iterator()
                        .next());
    }
}
