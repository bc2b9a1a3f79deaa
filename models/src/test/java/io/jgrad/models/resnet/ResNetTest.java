package io.jgrad.models.resnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.layers.Module;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResNetTest {
    private static final double BN_SCALE = 1 / Math.sqrt(1 + 1e-5); // batch norm in eval mode with fresh running stats

    @Test
    void identityBlockKeepsTheShapeAndHasNoProjection() {
        BasicBlock b = new BasicBlock(8, 8, 1);
        assertFalse(b.hasProjection());
        assertFalse(b.namedModules().containsKey("downsample"));
        Variable y = b.call(Tensor.randn(new Generator(1), 2, 8, 5, 7));
        assertArrayEquals(new int[] {2, 8, 5, 7}, y.shape());
    }

    @Test
    void projectionBlockChangesChannelsAndResolution() {
        BasicBlock b = new BasicBlock(4, 8, 2);
        assertTrue(b.hasProjection());
        Map<String, Tensor> sd = b.stateDict();
        assertArrayEquals(new int[] {8, 4, 1, 1}, sd.get("downsample.0.weight").shape());
        assertArrayEquals(new int[] {8}, sd.get("downsample.1.running_var").shape());
        assertArrayEquals(
                new int[] {2, 8, 4, 3},
                b.call(Tensor.randn(new Generator(1), 2, 4, 7, 5)).shape());
        // a channel change alone also projects
        assertTrue(new BasicBlock(4, 8, 1).hasProjection());
        assertTrue(new BasicBlock(4, 4, 2).hasProjection());
    }

    @Test
    void identityShortcutCarriesTheInputWhenTheResidualBranchIsSilenced() {
        // with the second batch norm's scale and shift at 0 the residual branch is 0: y = relu(x)
        BasicBlock b = new BasicBlock(3, 3, 1);
        b.lastNorm().parameter("weight").data().zero_();
        b.eval();
        Tensor x = Tensor.randn(new Generator(2), DType.FLOAT32, 2, 3, 4, 4);
        float[] y = b.call(x).data().toFloatArray();
        float[] xs = x.toFloatArray();
        for (int i = 0; i < xs.length; i++) {
            assertEquals(Math.max(0, xs[i]), y[i], 1e-6, "element " + i);
        }
    }

    @Test
    void projectionShortcutIsAStridedOneByOneConvolutionWithBatchNorm() {
        BasicBlock b = new BasicBlock(2, 3, 2);
        b.lastNorm().parameter("weight").data().zero_();
        b.eval();
        Tensor x = Tensor.randn(new Generator(3), DType.FLOAT64, 1, 2, 5, 5);
        b.to(DType.FLOAT64);
        double[] w = b.stateDict().get("downsample.0.weight").to(DType.FLOAT64).toDoubleArray(); // (3, 2, 1, 1)
        double[] xs = x.toDoubleArray();
        double[] y = b.call(x).data().toDoubleArray(); // (1, 3, 3, 3)
        assertEquals(27, y.length);
        for (int o = 0; o < 3; o++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double s = 0;
                    for (int c = 0; c < 2; c++) {
                        s += w[o * 2 + c] * xs[(c * 5 + 2 * i) * 5 + 2 * j];
                    }
                    assertEquals(
                            Math.max(0, s * BN_SCALE),
                            y[(o * 3 + i) * 3 + j],
                            1e-12,
                            "output " + o + "," + i + "," + j);
                }
            }
        }
    }

    @Test
    void cifarResNet20HasThePapersLayout() {
        ResNet net = ResNet.cifar(20, 16, 10);
        assertEquals(3, net.numStages());
        for (int k = 0; k < 3; k++) {
            assertEquals(3, net.stage(k).size());
        }
        assertFalse(((BasicBlock) net.stage(0).get(0)).hasProjection());
        assertTrue(((BasicBlock) net.stage(1).get(0)).hasProjection());
        assertEquals(2, ((BasicBlock) net.stage(2).get(0)).stride());
        assertFalse(((BasicBlock) net.stage(2).get(1)).hasProjection());
        Set<String> keys = net.stateDict().keySet();
        for (String k : new String[] {
            "conv1.weight",
            "bn1.running_mean",
            "layer1.2.conv2.weight",
            "layer3.0.downsample.0.weight",
            "layer3.2.bn2.bias",
            "fc.weight",
            "fc.bias"
        }) {
            assertTrue(keys.contains(k), k + " missing from " + keys);
        }
        // 19 3x3 convolutions plus 2 projections, their batch norms, and the classifier
        long convs =
                16 * 3 * 9 + 6L * 16 * 16 * 9 + (16 * 32 * 9 + 5L * 32 * 32 * 9) + (32 * 64 * 9 + 5L * 64 * 64 * 9);
        long projections = 16 * 32 + 32 * 64;
        long norms = 2 * (16 + 6 * 16 + 6 * 32 + 6 * 64 + 32 + 64);
        assertEquals(convs + projections + norms + 64 * 10 + 10, net.numParameters());
        assertArrayEquals(
                new int[] {2, 10},
                net.call(Tensor.randn(new Generator(4), 2, 3, 32, 32)).shape());
    }

    @Test
    void grayscaleNetworkClassifies28By28Images() {
        ResNet net = ResNet.grayscale28(8, 4, 10);
        assertEquals(1, net.inChannels());
        assertEquals(10, net.numClasses());
        Variable x = Variable.constant(Tensor.randn(new Generator(5), 3, 1, 28, 28));
        assertArrayEquals(new int[] {3, 16}, net.features(x).shape());
        Variable y = net.call(x);
        assertArrayEquals(new int[] {3, 10}, y.shape());
        // every parameter gets a gradient
        y.square().mean().backward();
        for (Map.Entry<String, Parameter> e : net.namedParameters().entrySet()) {
            assertNotNull(e.getValue().grad(), e.getKey());
        }
    }

    @Test
    void zeroInitResidualStartsEveryBlockAsTheIdentityBranch() {
        ResNet net = new ResNet(1, 2, 4, 1, new int[] {4, 8}, new int[] {2, 1}, new int[] {1, 2}, true);
        net.resetParameters(new Generator(6));
        for (Map.Entry<String, Tensor> e : net.stateDict().entrySet()) {
            if (e.getKey().endsWith("bn2.weight")) {
                assertEquals(0, e.getValue().abs().sum().item(), e.getKey());
            } else if (e.getKey().endsWith("bn1.weight")) {
                assertEquals(e.getValue().numel(), e.getValue().sum().item(), 1e-6, e.getKey());
            }
        }
    }

    @Test
    void resetIsReproducible() {
        ResNet a = ResNet.grayscale28(8, 4, 10);
        ResNet b = ResNet.grayscale28(8, 4, 10);
        a.resetParameters(new Generator(7));
        b.resetParameters(new Generator(7));
        for (Map.Entry<String, Tensor> e : a.stateDict().entrySet()) {
            assertArrayEquals(
                    e.getValue().toDoubleArray(), b.stateDict().get(e.getKey()).toDoubleArray(), e.getKey());
        }
    }

    @Test
    void badArgumentsAndShapesAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ResNet.cifar(10, 16, 10));
        assertTrue(e.getMessage().contains("6n + 2") && e.getMessage().contains("10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ResNet.grayscale28(8, 0, 10));
        assertTrue(e.getMessage().contains("stemWidth") && e.getMessage().contains("got 1, 10, 0, 1"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new ResNet(1, 10, 4, 1, new int[] {4, 0}, new int[] {1, 1}, new int[] {1, 2}, false));
        assertTrue(e.getMessage().contains("stage 2"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> new ResNet(1, 10, 4, 1, new int[] {4, 8}, new int[] {1}, new int[] {1, 2}, false));
        assertTrue(e.getMessage().contains("equal length"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BasicBlock(0, 4, 1));
        assertTrue(e.getMessage().contains("inChannels=0"), e.getMessage());
        Module net = ResNet.grayscale28(8, 4, 10);
        e = assertThrows(IllegalArgumentException.class, () -> net.call(Tensor.zeros(2, 3, 28, 28)));
        assertTrue(
                e.getMessage().contains("(2, 3, 28, 28)") && e.getMessage().contains("(N, 1, H, W)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BasicBlock(4, 4, 1).call(Tensor.zeros(2, 4, 5)));
        assertTrue(e.getMessage().contains("(2, 4, 5)"), e.getMessage());
        assertThrows(
                IndexOutOfBoundsException.class, () -> ResNet.cifar(8, 4, 10).stage(3));
    }
}
