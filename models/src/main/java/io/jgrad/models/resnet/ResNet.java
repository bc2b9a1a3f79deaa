package io.jgrad.models.resnet;

import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.layers.BatchNorm2d;
import io.jgrad.layers.Conv2d;
import io.jgrad.layers.ConvOptions;
import io.jgrad.layers.Init;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Module;
import io.jgrad.layers.Sequential;
import java.util.Arrays;

/**
 * A residual network of {@link BasicBlock}s for small images, after He, Zhang, Ren and Sun 2016, "Deep
 * residual learning for image recognition" (section 4.2, the CIFAR-10 networks):
 * <pre>
 *   conv1 3x3 (stemStride) - bn1 - relu
 *   layer1 .. layerK: blocks[k] basic blocks of widths[k] channels, the first with strides[k]
 *   global average pooling - fc
 * </pre>
 * The first block of a stage that changes the channels or the resolution has a projection shortcut
 * (a 1x1 convolution and batch norm, the paper's option B). Module names follow
 * {@code torchvision.models.resnet} ({@code conv1}, {@code bn1}, {@code layer1.0.conv1},
 * {@code layer2.0.downsample.0}, {@code fc}).
 *
 * <p>Two factories give the usual sizes:
 * <ul>
 *   <li>{@link #cifar(int, int, int)}: 3-channel 32x32 images, the paper's 6n+2 layers with widths
 *       {@code (w, 2w, 4w)} at 32x32, 16x16 and 8x8 ({@code cifar(20, 16, 10)} is ResNet-20, 0.27M
 *       parameters).</li>
 *   <li>{@link #grayscale28(int, int, int)}: 1-channel 28x28 images (MNIST, Fashion-MNIST), 6n+2 layers
 *       with widths {@code (w, 2w, 4w)} at 14x14, 7x7 and 4x4: the stem keeps 28x28 and every stage
 *       halves the resolution, which costs about a quarter of the CIFAR layout on such small images.</li>
 * </ul>
 *
 * <p>Initialization ({@link #resetParameters(Generator)}): convolution weights from He et al. 2015's
 * normal distribution with fan-out and ReLU gain (as torchvision), batch norm scale 1 and shift 0, the
 * classifier as {@link Linear}; with {@code zeroInitResidual} the last batch norm of every block starts
 * with scale 0, so that each block starts as the identity (Goyal et al. 2017, "Accurate, large
 * minibatch SGD", section 5.1).
 *
 * <p>Shapes: {@code (N, inChannels, H, W)} &rarr; logits {@code (N, numClasses)}; any H and W large
 * enough for the strides work.
 */
public final class ResNet extends Module {
    private final int inChannels;
    private final int numClasses;
    private final boolean zeroInitResidual;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Sequential[] stages;
    private final Linear fc;

    /**
     * A network of the given layout.
     *
     * @param inChannels the image channels, at least 1
     * @param numClasses the number of outputs, at least 1
     * @param stemWidth the channels of the first 3x3 convolution, at least 1
     * @param stemStride the stride of the first convolution, at least 1
     * @param widths the channels of each stage, each at least 1 (at least one stage)
     * @param blocks the number of blocks of each stage, each at least 1
     * @param strides the stride of each stage's first block, each at least 1
     * @param zeroInitResidual whether the last batch norm of each block starts with scale 0
     */
    public ResNet(
            int inChannels,
            int numClasses,
            int stemWidth,
            int stemStride,
            int[] widths,
            int[] blocks,
            int[] strides,
            boolean zeroInitResidual) {
        if (inChannels < 1 || numClasses < 1 || stemWidth < 1 || stemStride < 1) {
            throw new IllegalArgumentException(
                    "ResNet: inChannels, numClasses, stemWidth and stemStride must be at least 1, got " + inChannels
                            + ", " + numClasses + ", " + stemWidth + ", " + stemStride);
        }
        if (widths == null
                || blocks == null
                || strides == null
                || widths.length == 0
                || widths.length != blocks.length
                || widths.length != strides.length) {
            throw new IllegalArgumentException(
                    "ResNet: widths, blocks and strides must be non-empty and of equal length, got "
                            + Arrays.toString(widths) + ", " + Arrays.toString(blocks) + ", "
                            + Arrays.toString(strides));
        }
        for (int k = 0; k < widths.length; k++) {
            if (widths[k] < 1 || blocks[k] < 1 || strides[k] < 1) {
                throw new IllegalArgumentException(
                        "ResNet: stage " + (k + 1) + " needs width, blocks and stride of at least 1, got " + widths[k]
                                + ", " + blocks[k] + ", " + strides[k]);
            }
        }
        this.inChannels = inChannels;
        this.numClasses = numClasses;
        this.zeroInitResidual = zeroInitResidual;
        conv1 = registerModule(
                "conv1",
                new Conv2d(
                        inChannels,
                        stemWidth,
                        3,
                        ConvOptions.defaults().stride(stemStride).padding(1).bias(false)));
        bn1 = registerModule("bn1", new BatchNorm2d(stemWidth));
        stages = new Sequential[widths.length];
        int c = stemWidth;
        for (int k = 0; k < widths.length; k++) {
            Sequential stage = new Sequential();
            for (int b = 0; b < blocks[k]; b++) {
                stage.add(new BasicBlock(c, widths[k], b == 0 ? strides[k] : 1));
                c = widths[k];
            }
            stages[k] = registerModule("layer" + (k + 1), stage);
        }
        fc = registerModule("fc", new Linear(c, numClasses));
        resetParameters(Generator.global());
    }

    /**
     * He et al.'s CIFAR-10 network for 3-channel 32x32 images: {@code depth = 6n + 2} layers, three
     * stages of n blocks with widths {@code (width, 2 width, 4 width)} and strides (1, 2, 2), the stem at
     * stride 1 and {@code width} channels. {@code cifar(20, 16, 10)} is ResNet-20.
     *
     * @param depth 8, 14, 20, 32, 44, 56, ... (6n + 2, n at least 1)
     * @param width the first stage's channels, at least 1
     * @param numClasses the number of outputs
     * @return the network, initialized from {@link Generator#global()}
     */
    public static ResNet cifar(int depth, int width, int numClasses) {
        int n = blocksPerStage("cifar", depth);
        return new ResNet(
                3,
                numClasses,
                width,
                1,
                new int[] {width, 2 * width, 4 * width},
                new int[] {n, n, n},
                new int[] {1, 2, 2},
                false);
    }

    /**
     * A network for 1-channel 28x28 images (MNIST, Fashion-MNIST): {@code depth = 6n + 2} layers, the
     * stem at 28x28 with {@code width} channels, then three stages of n blocks with widths
     * {@code (width, 2 width, 4 width)}, each halving the resolution (14x14, 7x7, 4x4).
     *
     * @param depth 8, 14, 20, ... (6n + 2, n at least 1)
     * @param width the stem's and first stage's channels, at least 1
     * @param numClasses the number of outputs
     * @return the network, initialized from {@link Generator#global()}
     */
    public static ResNet grayscale28(int depth, int width, int numClasses) {
        int n = blocksPerStage("grayscale28", depth);
        return new ResNet(
                1,
                numClasses,
                width,
                1,
                new int[] {width, 2 * width, 4 * width},
                new int[] {n, n, n},
                new int[] {2, 2, 2},
                false);
    }

    private static int blocksPerStage(String factory, int depth) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException(
                    "ResNet." + factory + ": depth must be 6n + 2 with n >= 1 (8, 14, 20, 32, ...), got " + depth);
        }
        return (depth - 2) / 6;
    }

    /** Returns the image channels. */
    public int inChannels() {
        return inChannels;
    }

    /** Returns the number of outputs. */
    public int numClasses() {
        return numClasses;
    }

    /**
     * Stage {@code k} (0-based), a {@link Sequential} of {@link BasicBlock}s named {@code layer(k+1)}.
     *
     * @param k the stage index
     * @return the stage
     */
    public Sequential stage(int k) {
        if (k < 0 || k >= stages.length) {
            throw new IndexOutOfBoundsException(
                    "ResNet.stage: index " + k + " out of range for " + stages.length + " stages");
        }
        return stages[k];
    }

    /** Returns the number of stages. */
    public int numStages() {
        return stages.length;
    }

    @Override
    public void resetParameters(Generator g) {
        super.resetParameters(g);
        for (Module m : modules()) {
            if (m instanceof Conv2d) {
                Init.kaimingNormal(m.parameter("weight").data(), 0, Init.FanMode.FAN_OUT, "relu", g);
            } else if (m instanceof BatchNorm2d) {
                Parameter w = m.parameter("weight");
                Init.ones(w.data());
                m.parameter("bias").data().zero_();
            }
        }
        if (zeroInitResidual) {
            for (Sequential stage : stages) {
                for (Module b : stage) {
                    ((BasicBlock) b).lastNorm().parameter("weight").data().zero_();
                }
            }
        }
    }

    /**
     * The features before the classifier: the globally average-pooled output of the last stage.
     *
     * @param x images {@code (N, inChannels, H, W)}
     * @return {@code (N, widths[last])}
     */
    public Variable features(Variable x) {
        if (x.dim() != 4 || x.size(1) != inChannels) {
            throw new IllegalArgumentException(
                    "ResNet: expected images (N, " + inChannels + ", H, W), got " + Shape.format(x.shape()));
        }
        Variable y = bn1.call(conv1.call(x)).relu();
        for (Sequential stage : stages) {
            y = stage.call(y);
        }
        return y.mean(new int[] {2, 3}, false);
    }

    @Override
    public Variable forward(Variable x) {
        return fc.call(features(x));
    }
}
