package io.jgrad.models.unet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UNetTest {
    @Test
    void paddedNetworkKeepsTheInputSize() {
        UNet net = new UNet(3, 5, 2, 4);
        Variable y = net.call(Tensor.randn(new Generator(1), 2, 3, 16, 12));
        assertArrayEquals(new int[] {2, 5, 16, 12}, y.shape());
        assertEquals(16, net.outputSize(16));
        assertEquals(-1, net.outputSize(18));
    }

    @Test
    void channelsDoubleDownAndSkipsAreConcatenated() {
        UNet net = new UNet(1, 2, 3, 4);
        Map<String, Tensor> sd = net.stateDict();
        // contracting path: 1 -> 4 -> 8 -> 16, bottleneck 32 (3x3 kernels, no bias before batch norm)
        assertArrayEquals(new int[] {4, 1, 3, 3}, sd.get("down.0.0.weight").shape());
        assertArrayEquals(new int[] {16, 8, 3, 3}, sd.get("down.2.0.weight").shape());
        assertArrayEquals(
                new int[] {32, 16, 3, 3}, sd.get("bottleneck.0.weight").shape());
        // expanding path: up.k halves the channels (ConvTranspose2d weight is (in, out, 2, 2)), decoder.k sees skip +
        // up
        assertArrayEquals(new int[] {32, 16, 2, 2}, sd.get("up.2.weight").shape());
        assertArrayEquals(new int[] {16, 32, 3, 3}, sd.get("decoder.2.0.weight").shape());
        assertArrayEquals(new int[] {4, 8, 3, 3}, sd.get("decoder.0.0.weight").shape());
        assertArrayEquals(new int[] {2, 4, 1, 1}, sd.get("head.weight").shape());
    }

    @Test
    void withTheUpConvolutionsSilencedOnlyTheTopSkipReachesTheOutput() {
        // up.k = 0 cuts the deep path; what remains is down.0 -> skip -> decoder.0 -> head: four 3x3
        // convolutions, so a pixel change reaches outputs at most 4 pixels away. With the up-convolutions
        // in place the same change reaches the whole image through the bottleneck.
        UNet net = new UNet(1, 2, 2, 3);
        net.resetParameters(new Generator(2));
        net.eval();
        Tensor x = Tensor.randn(new Generator(3), DType.FLOAT32, 1, 1, 16, 16);
        Tensor x2 = x.clone();
        x2.set(5.0, 0, 0, 0, 0);
        int[][] reach = {changedRange(net, x, x2), null};
        for (Map.Entry<String, Parameter> e : net.namedParameters().entrySet()) {
            if (e.getKey().startsWith("up.")) {
                e.getValue().data().zero_();
            }
        }
        reach[1] = changedRange(net, x, x2);
        assertTrue(reach[0][0] > 8 && reach[0][1] > 8, "the deep path reaches far: " + reach[0][0] + "," + reach[0][1]);
        assertEquals(4, reach[1][0], "rows reached through the skip alone");
        assertEquals(4, reach[1][1], "columns reached through the skip alone");
    }

    /** The largest row and column (from the corner) where the outputs for x and x2 differ. */
    private static int[] changedRange(UNet net, Tensor x, Tensor x2) {
        float[] a = net.call(x).data().toFloatArray();
        float[] b = net.call(x2).data().toFloatArray();
        int[] r = {-1, -1};
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 16; i++) {
                for (int j = 0; j < 16; j++) {
                    int k = (c * 16 + i) * 16 + j;
                    if (Math.abs(a[k] - b[k]) > 1e-6) {
                        r[0] = Math.max(r[0], i);
                        r[1] = Math.max(r[1], j);
                    }
                }
            }
        }
        return r;
    }

    @Test
    void unpaddedNetworkFollowsThePapersSizes() {
        // the paper's network: 572x572 in, 388x388 out
        assertEquals(388, new UNet(1, 2, 4, 1, false, false).outputSize(572));
        UNet net = new UNet(2, 3, 1, 2, false, false);
        assertEquals(4, net.outputSize(20));
        assertEquals(-1, net.outputSize(16));
        assertEquals(-1, net.outputSize(21));
        Variable y = net.call(Tensor.randn(new Generator(4), 1, 2, 20, 28));
        assertArrayEquals(new int[] {1, 3, 4, net.outputSize(28)}, y.shape());
        assertTrue(
                net.namedParameters().containsKey("down.0.0.bias"), "without batch norm the convolutions have biases");
    }

    @Test
    void everyParameterGetsAGradient() {
        UNet net = new UNet(1, 4, 2, 2);
        net.call(Tensor.randn(new Generator(5), 2, 1, 8, 8)).square().mean().backward();
        for (Map.Entry<String, Parameter> e : net.namedParameters().entrySet()) {
            assertNotNull(e.getValue().grad(), e.getKey());
        }
    }

    @Test
    void badArgumentsAndShapesAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new UNet(1, 2, 0, 4));
        assertTrue(e.getMessage().contains("depth") && e.getMessage().contains("0"), e.getMessage());
        UNet net = new UNet(1, 2, 2, 2);
        e = assertThrows(IllegalArgumentException.class, () -> net.call(Tensor.zeros(1, 1, 18, 16)));
        assertTrue(
                e.getMessage().contains("(1, 1, 18, 16)") && e.getMessage().contains("multiples of 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> net.call(Tensor.zeros(1, 3, 16, 16)));
        assertTrue(e.getMessage().contains("(N, 1, H, W)"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new UNet(1, 2, 1, 2, false, true).call(Tensor.zeros(1, 1, 16, 16)));
        assertTrue(e.getMessage().contains("outputSize"), e.getMessage());
    }
}
