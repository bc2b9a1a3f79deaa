package io.jgrad.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.layers.Module;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.Map;

/**
 * Exports a model, runs the file in ONNX Runtime and compares its output with jgrad's on the same
 * random inputs, at batch sizes 1 and 7.
 *
 * <p>Tolerance, per element: {@code |ort - jgrad| <= 1e-5 |jgrad| + 1e-5 max(1, max |jgrad|)}: the
 * 1e-5 relative bound, with an absolute floor scaled to the output's magnitude, since float32 sums
 * of hundreds of terms carry rounding errors of order 1e-6 of their largest terms, and an output
 * element that cancels to near zero keeps those absolute errors.
 */
final class OrtCheck {
    static final double RTOL = 1e-5;
    static final double ATOL = 1e-5;
    static final int[] BATCHES = {1, 7};

    private OrtCheck() {}

    /** Checks a float-input model; {@code shape} holds -1 for the batch (and other dynamic) dimensions. */
    static byte[] check(Module model, int... shape) {
        return check(OnnxExporter.create(), model, DType.FLOAT32, 0, shape);
    }

    /** Checks a model of int32 inputs drawn from [0, vocab). */
    static byte[] checkInts(Module model, int vocab, int... shape) {
        return check(OnnxExporter.builder().inputType(DType.INT32).build(), model, DType.INT32, vocab, shape);
    }

    @SuppressWarnings("try") // the no-grad scope is used for its side effect
    static byte[] check(OnnxExporter exporter, Module model, DType inputType, int vocab, int... shape) {
        byte[] bytes = exporter.toBytes(model, shape);
        dump(model, bytes);
        model.eval();
        Generator g = new Generator(42);
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
                opts.setIntraOpNumThreads(1);
                try (OrtSession session = env.createSession(bytes, opts)) {
                    for (int batch : BATCHES) {
                        int[] s = shape.clone();
                        for (int i = 0; i < s.length; i++) {
                            if (s[i] < 0) {
                                s[i] = batch;
                            }
                        }
                        Tensor x;
                        if (inputType == DType.INT32) {
                            int[] v = new int[Shape.numel(s)];
                            for (int k = 0; k < v.length; k++) {
                                v[k] = (int) Math.floor(g.nextDouble() * vocab);
                            }
                            x = Tensor.of(v, s);
                        } else {
                            x = Tensor.randn(g, s);
                        }
                        Tensor expected;
                        try (var off = Autograd.noGrad()) {
                            // a FLOAT64 model computes in FLOAT64 (its file in float32)
                            Tensor xm = x.dtype().isFloatingPoint()
                                            && !model.parameters().isEmpty()
                                    ? x.to(model.parameters().get(0).dtype())
                                    : x;
                            expected = model.forward(Variable.constant(xm))
                                    .data()
                                    .to(DType.FLOAT32)
                                    .contiguous();
                        }
                        long[] ls = new long[s.length];
                        for (int i = 0; i < s.length; i++) {
                            ls[i] = s[i];
                        }
                        OnnxTensor in = inputType == DType.INT32
                                ? OnnxTensor.createTensor(
                                        env, IntBuffer.wrap(x.contiguous().toIntArray()), ls)
                                : OnnxTensor.createTensor(
                                        env, FloatBuffer.wrap(x.contiguous().toFloatArray()), ls);
                        try (in;
                                OrtSession.Result r = session.run(Map.of("input", in))) {
                            OnnxTensor out = (OnnxTensor) r.get("output").orElseThrow();
                            long[] os = out.getInfo().getShape();
                            int[] got = new int[os.length];
                            for (int i = 0; i < os.length; i++) {
                                got[i] = (int) os[i];
                            }
                            assertArrayEquals(expected.shape(), got, "output shape at batch " + batch);
                            FloatBuffer fb = out.getFloatBuffer();
                            float[] actual = new float[fb.remaining()];
                            fb.get(actual);
                            compare(expected.toFloatArray(), actual, model.typeName() + " at batch " + batch);
                        }
                    }
                }
            }
        } catch (OrtException e) {
            throw new AssertionError(
                    "ONNX Runtime rejected the model of " + model.typeName() + ": " + e.getMessage(), e);
        }
        return bytes;
    }

    private static int dumped;

    /**
     * With {@code -Donnx.dump=DIR}, every checked model is also written to DIR (to run other tools
     * on them, such as ONNX's own checker: see the module's README).
     */
    private static synchronized void dump(Module model, byte[] bytes) {
        String dir = System.getProperty("onnx.dump");
        if (dir == null) {
            return;
        }
        try {
            java.nio.file.Path d = java.nio.file.Files.createDirectories(java.nio.file.Path.of(dir));
            java.nio.file.Files.write(d.resolve(String.format("%03d-%s.onnx", ++dumped, model.typeName())), bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void compare(float[] expected, float[] actual, String what) {
        assertTrue(
                expected.length == actual.length, what + ": " + actual.length + " values, expected " + expected.length);
        double max = 1;
        for (float e : expected) {
            max = Math.max(max, Math.abs(e));
        }
        double floor = ATOL * max;
        int worst = -1;
        double worstExcess = 0;
        for (int k = 0; k < expected.length; k++) {
            double err = Math.abs((double) actual[k] - expected[k]);
            double tol = RTOL * Math.abs(expected[k]) + floor;
            if (!(err <= tol) && (worst < 0 || err - tol > worstExcess)) {
                worst = k;
                worstExcess = err - tol;
            }
        }
        if (worst >= 0) {
            throw new AssertionError(what + ": element " + worst + " is " + actual[worst] + " in ONNX Runtime, "
                    + expected[worst] + " in jgrad (difference " + Math.abs(actual[worst] - expected[worst]) + ")");
        }
    }
}
