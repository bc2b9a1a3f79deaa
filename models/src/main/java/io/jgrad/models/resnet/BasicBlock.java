package io.jgrad.models.resnet;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Shape;
import io.jgrad.layers.BatchNorm2d;
import io.jgrad.layers.Conv2d;
import io.jgrad.layers.ConvOptions;
import io.jgrad.layers.Module;
import io.jgrad.layers.Sequential;

/**
 * The basic residual block of He, Zhang, Ren and Sun 2016, "Deep residual learning for image
 * recognition" (section 3, figure 2 left):
 * <pre>
 *   y = relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))
 * </pre>
 * {@code conv1} is a 3x3 convolution with the block's stride, {@code conv2} a 3x3 convolution with
 * stride 1, both padded by 1 and without bias (batch norm follows each). The shortcut is the identity
 * when the block keeps the shape (same channels, stride 1), else the projection of the paper's
 * option B: a 1x1 convolution with the block's stride followed by batch norm, registered as
 * {@code downsample} ({@code downsample.0} the convolution, {@code downsample.1} the batch norm), the
 * names of {@code torchvision.models.resnet.BasicBlock}, whose state dict loads into this block.
 *
 * <p>Shapes: {@code (N, inChannels, H, W)} &rarr; {@code (N, outChannels, ceil(H / stride), ceil(W / stride))}.
 * Parameters start with the layers' default initialization; {@link ResNet} re-initializes them the
 * way the paper does.
 */
public final class BasicBlock extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int stride;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Sequential downsample;

    /**
     * A block from {@code inChannels} to {@code outChannels} channels; the shortcut is a projection
     * exactly when {@code inChannels != outChannels} or {@code stride != 1}.
     *
     * @param inChannels the input's channels, at least 1
     * @param outChannels the output's channels, at least 1
     * @param stride the stride of the first convolution and of the projection, at least 1
     */
    public BasicBlock(int inChannels, int outChannels, int stride) {
        if (inChannels < 1 || outChannels < 1 || stride < 1) {
            throw new IllegalArgumentException("BasicBlock: channels and stride must be at least 1, got inChannels="
                    + inChannels + ", outChannels=" + outChannels + ", stride=" + stride);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.stride = stride;
        ConvOptions first = ConvOptions.defaults().stride(stride).padding(1).bias(false);
        ConvOptions second = ConvOptions.defaults().padding(1).bias(false);
        conv1 = registerModule("conv1", new Conv2d(inChannels, outChannels, 3, first));
        bn1 = registerModule("bn1", new BatchNorm2d(outChannels));
        conv2 = registerModule("conv2", new Conv2d(outChannels, outChannels, 3, second));
        bn2 = registerModule("bn2", new BatchNorm2d(outChannels));
        if (stride != 1 || inChannels != outChannels) {
            downsample = registerModule(
                    "downsample",
                    new Sequential(
                            new Conv2d(
                                    inChannels,
                                    outChannels,
                                    1,
                                    ConvOptions.defaults().stride(stride).bias(false)),
                            new BatchNorm2d(outChannels)));
        } else {
            downsample = null;
        }
    }

    /** Returns whether the shortcut is a projection (1x1 convolution and batch norm) rather than the identity. */
    public boolean hasProjection() {
        return downsample != null;
    }

    /** Returns the input's channels. */
    public int inChannels() {
        return inChannels;
    }

    /** Returns the output's channels. */
    public int outChannels() {
        return outChannels;
    }

    /** Returns the stride. */
    public int stride() {
        return stride;
    }

    /** Returns the second batch norm, whose scale {@link ResNet} may start at zero. */
    BatchNorm2d lastNorm() {
        return bn2;
    }

    @Override
    public Variable forward(Variable x) {
        // x is (N, inChannels, H, W)
        if (x.dim() != 4 || x.size(1) != inChannels) {
            throw new IllegalArgumentException("BasicBlock(" + inChannels + " -> " + outChannels + "): expected an (N, "
                    + inChannels + ", H, W) input, got " + Shape.format(x.shape()));
        }
        Variable y = bn1.call(conv1.call(x)).relu();
        y = bn2.call(conv2.call(y)); // (N, outChannels, H', W')
        Variable identity = downsample == null ? x : downsample.call(x);
        return y.add(identity).relu();
    }
}
