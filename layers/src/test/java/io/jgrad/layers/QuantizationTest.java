package io.jgrad.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Post-training int8 quantization: error bounds, layers against their float counterparts, save and load. */
class QuantizationTest {
    @TempDir
    Path tmp;

    @Test
    void quantizeDequantizeErrorIsAtMostHalfAScaleStep() {
        Tensor w = Tensor.randn(new Generator(1), 5, 3, 2, 2).mul(0.3);
        w.narrow(0, 2, 1).zero_(); // an all-zero channel
        Quantization.QuantizedWeight q = Quantization.quantizeWeight(w);
        assertArrayEquals(w.shape(), q.values().shape());
        assertEquals(DType.INT32, q.values().dtype());
        float[] scale = q.scale().toFloatArray();
        assertEquals(1f, scale[2]);
        int[] v = q.values().toIntArray();
        float[] x = w.contiguous().toFloatArray();
        int per = 12;
        for (int j = 0; j < 5; j++) {
            int maxAbs = 0;
            for (int i = 0; i < per; i++) {
                int k = j * per + i;
                assertTrue(v[k] >= -127 && v[k] <= 127, "value " + v[k]);
                assertTrue(
                        Math.abs(x[k] - (double) v[k] * scale[j]) <= scale[j] / 2 * (1 + 1e-6),
                        "channel " + j + ": |" + x[k] + " - " + v[k] + " * " + scale[j] + "| > s/2");
                maxAbs = Math.max(maxAbs, Math.abs(v[k]));
            }
            assertEquals(j == 2 ? 0 : 127, maxAbs, "the largest weight of channel " + j + " maps to +-127");
        }
        // by hand: channel (0.5, -1.27, 0.004) -> scale 0.01, values (50, -127, 0)
        Quantization.QuantizedWeight h =
                Quantization.quantizeWeight(Tensor.of(new float[] {0.5f, -1.27f, 0.004f}, 1, 3));
        assertArrayEquals(new int[] {50, -127, 0}, h.values().toIntArray());
        assertEquals(0.01f, h.scale().toFloatArray()[0], 1e-9f);
        assertArrayEquals(new float[] {0.5f, -1.27f, 0f}, h.dequantize().toFloatArray(), 1e-6f);
    }

    @Test
    void quantizedLinearComputesWithTheDequantizedWeight() {
        Generator g = new Generator(2);
        Linear l = new Linear(19, 7);
        l.resetParameters(g);
        QuantizedLinear q = QuantizedLinear.from(l);
        for (int[] shape : new int[][] {{1, 19}, {9, 19}, {2, 3, 19}}) {
            Tensor x = Tensor.randn(g, shape);
            Tensor expected = x.matmul(q.dequantizedWeight().t()).add(l.bias().data());
            Tensor got = q.call(Variable.constant(x)).data();
            assertArrayEquals(expected.shape(), got.shape());
            assertArrayEquals(expected.toFloatArray(), got.toFloatArray(), 1e-5f);
            // and close to the float layer: each weight is off by at most half a step
            Tensor exact = l.call(Variable.constant(x)).data();
            float[] s = q.scale().toFloatArray();
            double maxScale = 0;
            for (float v : s) {
                maxScale = Math.max(maxScale, v);
            }
            double bound = maxScale / 2 * x.abs().sum(x.dim() - 1, false).max().item() + 1e-5;
            assertTrue(exact.sub(got).abs().max().item() <= bound);
        }
    }

    @Test
    void quantizedConvolutionMatchesTheFloatConvolutionOfTheDequantizedWeight() {
        Generator g = new Generator(3);
        ConvOptions[] configs = {
            ConvOptions.defaults(),
            ConvOptions.defaults().padding("same"),
            ConvOptions.defaults().stride(2).padding(1),
            ConvOptions.defaults().dilation(2).padding(2),
            ConvOptions.defaults().padding("same").paddingMode(Tensor.PadMode.REFLECT),
            ConvOptions.defaults().bias(false)
        };
        for (ConvOptions o : configs) {
            Conv2d c = new Conv2d(3, 4, new int[] {3, 2}, o);
            c.resetParameters(g);
            QuantizedConv2d q = QuantizedConv2d.from(c);
            c.weight().data().copy_(q.dequantizedWeight());
            // many output positions (the float convolution of the widened weights) and at most 8 (im2col and the int8
            // kernel)
            for (int[] shape : new int[][] {{2, 3, 7, 6}, {1, 3, 4, 3}}) {
                Tensor x = Tensor.randn(g, shape);
                Tensor expected = c.call(Variable.constant(x)).data();
                Tensor got = q.call(Variable.constant(x)).data();
                assertArrayEquals(expected.shape(), got.shape(), c.toString());
                assertArrayEquals(
                        expected.contiguous().toFloatArray(), got.contiguous().toFloatArray(), 1e-4f, c.toString());
            }
        }
    }

    @Test
    void aQuantizedModelSavesInt8AndLoadsBack() throws Exception {
        Generator g = new Generator(4);
        Sequential model = new Sequential(
                new Conv2d(1, 8, 3),
                new ReLU(),
                new Flatten(),
                new Linear(8 * 6 * 6, 50),
                new ReLU(),
                new Linear(50, 10));
        model.resetParameters(g);
        Tensor x = Tensor.randn(g, 3, 1, 8, 8);
        Path floatFile = tmp.resolve("float.safetensors");
        model.save(floatFile);
        Module q = Quantization.quantize(model);
        assertSame(model, q);
        assertTrue(model.children().get(0) instanceof QuantizedConv2d);
        assertTrue(model.children().get(3) instanceof QuantizedLinear);
        assertTrue(model.children().get(5) instanceof QuantizedLinear);
        assertEquals(0, model.parameters().size());
        assertEquals(
                List.of(
                        "0.weight",
                        "0.scale",
                        "0.bias",
                        "3.weight",
                        "3.scale",
                        "3.bias",
                        "5.weight",
                        "5.scale",
                        "5.bias"),
                List.copyOf(model.stateDict().keySet()));
        Tensor y = model.call(x).data();
        Path int8File = tmp.resolve("int8.safetensors");
        model.save(int8File);
        long floatBytes = Files.size(floatFile);
        long int8Bytes = Files.size(int8File);
        assertTrue(int8Bytes < 0.3 * floatBytes, int8Bytes + " bytes against " + floatBytes);

        Sequential fresh = new Sequential(
                new Conv2d(1, 8, 3),
                new ReLU(),
                new Flatten(),
                new Linear(8 * 6 * 6, 50),
                new ReLU(),
                new Linear(50, 10));
        Quantization.quantize(fresh);
        assertTrue(fresh.call(x).data().abs().sum().item() != y.abs().sum().item());
        fresh.load(int8File);
        assertArrayEquals(y.toFloatArray(), fresh.call(x).data().toFloatArray(), 0f);
    }

    @Test
    void badUsesAreRefusedWithClearMessages() {
        QuantizedLinear q = QuantizedLinear.from(new Linear(4, 2));
        String m = assertThrows(IllegalStateException.class, () -> q.call(Variable.param(Tensor.zeros(1, 4))))
                .getMessage();
        assertTrue(m.contains("is inference-only"), m);
        m = assertThrows(IllegalArgumentException.class, () -> q.call(Variable.constant(Tensor.zeros(1, 5))))
                .getMessage();
        assertTrue(m.contains("expected an input (..., 4), got (1, 5)"), m);
        m = assertThrows(
                        IllegalArgumentException.class,
                        () -> q.call(Variable.constant(Tensor.zeros(DType.FLOAT64, 1, 4))))
                .getMessage();
        assertTrue(m.contains("expected a FLOAT32 input, got float64"), m);
        m = assertThrows(
                        IllegalArgumentException.class,
                        () -> QuantizedConv2d.from(
                                new Conv2d(4, 4, 3, ConvOptions.defaults().groups(2))))
                .getMessage();
        assertTrue(m.contains("grouped convolutions are not supported, got groups=2"), m);
        m = assertThrows(IllegalArgumentException.class, () -> Quantization.quantize(new Sequential(new ReLU())))
                .getMessage();
        assertTrue(m.contains("has no Linear or Conv2d layer"), m);
        m = assertThrows(
                        IllegalArgumentException.class,
                        () -> Quantization.quantizeWeight(Tensor.of(new float[] {1, Float.NaN}, 1, 2)))
                .getMessage();
        assertTrue(m.contains("weight of output channel 0 holds NaN"), m);
        assertTrue(Quantization.quantize(new Linear(3, 2)) instanceof QuantizedLinear);
    }
}
