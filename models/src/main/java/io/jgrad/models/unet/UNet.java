package io.jgrad.models.unet;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Shape;
import io.jgrad.layers.BatchNorm2d;
import io.jgrad.layers.Conv2d;
import io.jgrad.layers.ConvOptions;
import io.jgrad.layers.ConvTranspose2d;
import io.jgrad.layers.MaxPool2d;
import io.jgrad.layers.Module;
import io.jgrad.layers.ModuleList;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.Sequential;
import java.util.ArrayList;
import java.util.List;

/**
 * U-Net, after Ronneberger, Fischer and Brox 2015, "U-Net: convolutional networks for biomedical
 * image segmentation": a contracting path of {@code depth} levels, each two 3x3 convolutions with ReLU
 * followed by 2x2 max pooling that halves the resolution while the channels double, a bottleneck of
 * two more convolutions, and an expanding path that mirrors it: at each level a 2x2 transposed
 * convolution with stride 2 ("up-convolution") doubles the resolution and halves the channels, its
 * output is concatenated along the channels with the contracting path's feature map of the same level
 * (the skip connection), and two 3x3 convolutions with ReLU follow. A final 1x1 convolution maps the
 * {@code baseWidth} channels to one score per class and pixel.
 * <pre>
 *   x (N, C, H, W) - down.0 [base] ------------------------------------ concat - decoder.0 [base] - head
 *                      pool - down.1 [2 base] ------------ concat - decoder.1 [2 base] - up.0
 *                               pool - ... bottleneck [2^depth base] - up.(depth-1)
 * </pre>
 * Two variants of the 3x3 convolutions:
 * <ul>
 *   <li>{@code padded = true}: padding 1, so the output has the input's size; H and W must be
 *       divisible by {@code 2^depth}.</li>
 *   <li>{@code padded = false}: the paper's unpadded convolutions; every convolution loses a
 *       border pixel, the skip feature maps are centre-cropped to the up-convolution's size, and the
 *       output is smaller than the input ({@link #outputSize(int)}; the paper tiles its inputs to
 *       predict whole images).</li>
 * </ul>
 * With {@code batchNorm} each 3x3 convolution is followed by batch normalization before its ReLU (a
 * common addition that lets the network train quickly without the paper's careful initialization);
 * the convolutions then have no bias.
 *
 * <p>Shapes: {@code (N, inChannels, H, W)} &rarr; logits {@code (N, numClasses, H', W')} with
 * {@code H' = H} when padded. Parameters start with the layers' default (PyTorch) initialization.
 * Children: {@code down.k} and {@code decoder.k} ({@link Sequential}s of convolution, optional batch
 * norm and ReLU), {@code pool}, {@code bottleneck}, {@code up.k} (the up-convolutions, {@code up.0} the one nearest to
 * the output) and {@code head}.
 */
public final class UNet extends Module {
    private final int inChannels;
    private final int numClasses;
    private final int depth;
    private final int baseWidth;
    private final boolean padded;
    private final ModuleList down;
    private final MaxPool2d pool;
    private final Sequential bottleneck;
    private final ModuleList up;
    private final ModuleList decoder;
    private final Conv2d head;

    /**
     * A U-Net with batch normalization and size-preserving (padded) convolutions.
     *
     * @param inChannels the input channels, at least 1
     * @param numClasses the output channels (classes), at least 1
     * @param depth the number of poolings (the paper has 4), at least 1
     * @param baseWidth the channels of the first level (the paper has 64), at least 1
     */
    public UNet(int inChannels, int numClasses, int depth, int baseWidth) {
        this(inChannels, numClasses, depth, baseWidth, true, true);
    }

    /**
     * A U-Net.
     *
     * @param inChannels the input channels, at least 1
     * @param numClasses the output channels (classes), at least 1
     * @param depth the number of poolings (the paper has 4), at least 1
     * @param baseWidth the channels of the first level (the paper has 64), at least 1
     * @param padded whether the 3x3 convolutions are padded so that the output keeps the input's size
     * @param batchNorm whether batch normalization follows each 3x3 convolution
     */
    public UNet(int inChannels, int numClasses, int depth, int baseWidth, boolean padded, boolean batchNorm) {
        if (inChannels < 1 || numClasses < 1 || depth < 1 || baseWidth < 1) {
            throw new IllegalArgumentException(
                    "UNet: inChannels, numClasses, depth and baseWidth must be at least 1, got " + inChannels + ", "
                            + numClasses + ", " + depth + ", " + baseWidth);
        }
        if ((long) baseWidth << depth > Integer.MAX_VALUE / 16) {
            throw new IllegalArgumentException(
                    "UNet: baseWidth " + baseWidth + " * 2^" + depth + " channels is too many");
        }
        this.inChannels = inChannels;
        this.numClasses = numClasses;
        this.depth = depth;
        this.baseWidth = baseWidth;
        this.padded = padded;
        down = registerModule("down", new ModuleList());
        int c = inChannels;
        for (int k = 0; k < depth; k++) {
            int w = baseWidth << k;
            down.add(doubleConv(c, w, padded, batchNorm));
            c = w;
        }
        pool = registerModule("pool", new MaxPool2d(2));
        bottleneck = registerModule("bottleneck", doubleConv(c, baseWidth << depth, padded, batchNorm));
        up = registerModule("up", new ModuleList());
        decoder = registerModule("decoder", new ModuleList());
        for (int k = 0; k < depth; k++) {
            int w = baseWidth << k;
            // up.k takes level k+1's 2w channels to w; decoder.k sees w (up) + w (skip) channels
            up.add(new ConvTranspose2d(2 * w, w, 2, ConvOptions.defaults().stride(2)));
            decoder.add(doubleConv(2 * w, w, padded, batchNorm));
        }
        head = registerModule("head", new Conv2d(baseWidth, numClasses, 1));
    }

    /** Two 3x3 convolutions, each followed by optional batch norm and ReLU. */
    private static Sequential doubleConv(int in, int out, boolean padded, boolean batchNorm) {
        ConvOptions o = ConvOptions.defaults().padding(padded ? 1 : 0).bias(!batchNorm);
        Sequential s = new Sequential(new Conv2d(in, out, 3, o));
        if (batchNorm) {
            s.add(new BatchNorm2d(out));
        }
        s.add(new ReLU()).add(new Conv2d(out, out, 3, o));
        if (batchNorm) {
            s.add(new BatchNorm2d(out));
        }
        return s.add(new ReLU());
    }

    /** Returns the input channels. */
    public int inChannels() {
        return inChannels;
    }

    /** Returns the output channels (classes). */
    public int numClasses() {
        return numClasses;
    }

    /** Returns the number of poolings. */
    public int depth() {
        return depth;
    }

    /** Returns the channels of the first level. */
    public int baseWidth() {
        return baseWidth;
    }

    /** Returns whether the output keeps the input's size. */
    public boolean isPadded() {
        return padded;
    }

    /**
     * The output's height (or width) for an input of height (or width) {@code size}, or -1 when the
     * size does not fit the network (padded: not divisible by {@code 2^depth}; unpadded: a feature map
     * with an odd size before a pooling or no pixels left).
     *
     * @param size the input's height or width
     * @return the output's, or -1
     */
    public int outputSize(int size) {
        if (padded) {
            return size >= 1 && size % (1 << depth) == 0 ? size : -1;
        }
        int s = size;
        for (int k = 0; k < depth; k++) {
            s -= 4;
            if (s < 2 || s % 2 != 0) {
                return -1;
            }
            s /= 2;
        }
        s -= 4;
        for (int k = 0; k < depth; k++) {
            if (s < 1) {
                return -1;
            }
            s = 2 * s - 4;
        }
        return s >= 1 ? s : -1;
    }

    @Override
    public Variable forward(Variable x) {
        // x is (N, inChannels, H, W)
        if (x.dim() != 4 || x.size(1) != inChannels) {
            throw new IllegalArgumentException(
                    "UNet: expected images (N, " + inChannels + ", H, W), got " + Shape.format(x.shape()));
        }
        if (outputSize(x.size(2)) < 0 || outputSize(x.size(3)) < 0) {
            throw new IllegalArgumentException("UNet: input " + Shape.format(x.shape()) + " does not fit depth " + depth
                    + (padded
                            ? ": H and W must be multiples of " + (1 << depth)
                            : ": the unpadded convolutions need even sizes before every pooling (see outputSize)"));
        }
        List<Variable> skips = new ArrayList<>(depth);
        Variable y = x;
        for (int k = 0; k < depth; k++) {
            y = down.get(k).call(y); // (N, base 2^k, H_k, W_k)
            skips.add(y);
            y = pool.call(y);
        }
        y = bottleneck.call(y); // (N, base 2^depth, ., .)
        for (int k = depth - 1; k >= 0; k--) {
            y = up.get(k).call(y); // (N, base 2^k, 2h, 2w)
            Variable skip = centerCrop(skips.get(k), y.size(2), y.size(3));
            y = decoder.get(k).call(Variable.cat(List.of(skip, y), 1));
        }
        return head.call(y); // (N, numClasses, H', W')
    }

    /** The centre {@code h x w} window of {@code (N, C, H, W)} (the paper's cropping of skip maps). */
    private static Variable centerCrop(Variable v, int h, int w) {
        int dh = v.size(2) - h;
        int dw = v.size(3) - w;
        if (dh == 0 && dw == 0) {
            return v;
        }
        return v.narrow(2, dh / 2, h).narrow(3, dw / 2, w);
    }
}
