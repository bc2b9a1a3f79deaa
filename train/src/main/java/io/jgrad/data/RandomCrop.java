package io.jgrad.data;

import io.jgrad.core.Generator;
import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;

/**
 * Pads each image of a batch with zeros on all four sides, then cuts a window of the requested size
 * at a random position (the CIFAR-style "random crop with padding"): for a batch {@code (N, C, H, W)}
 * or {@code (N, H, W)} the result is {@code (N, C, height, width)} or {@code (N, height, width)}.
 * Per sample, the top offset is drawn before the left one.
 */
public final class RandomCrop implements Transform {
    private final int height;
    private final int width;
    private final int padding;

    /**
     * A crop of {@code size x size} after padding.
     *
     * @param size the output height and width
     * @param padding zeros added on each side (0 or more)
     */
    public RandomCrop(int size, int padding) {
        this(size, size, padding);
    }

    /**
     * A crop of {@code height x width} after padding.
     *
     * @param height the output height
     * @param width the output width
     * @param padding zeros added on each side (0 or more)
     */
    public RandomCrop(int height, int width, int padding) {
        if (height <= 0 || width <= 0 || padding < 0) {
            throw new IllegalArgumentException(
                    "RandomCrop: height and width must be positive and padding >= 0, got height=" + height + ", width="
                            + width + ", padding=" + padding);
        }
        this.height = height;
        this.width = width;
        this.padding = padding;
    }

    @Override
    public Tensor apply(Tensor batch, Generator generator) {
        if (batch.dim() < 3) {
            throw new IllegalArgumentException(
                    "RandomCrop: expected a batch (N, [C,] H, W), got " + Shape.format(batch.shape()));
        }
        int rank = batch.dim();
        int ph = batch.size(rank - 2) + 2 * padding;
        int pw = batch.size(rank - 1) + 2 * padding;
        if (ph < height || pw < width) {
            throw new IllegalArgumentException("RandomCrop: cannot cut " + height + "x" + width + " from "
                    + Shape.format(batch.shape()) + " padded by " + padding);
        }
        Tensor padded = padding == 0 ? batch : batch.pad(padding, padding, padding, padding);
        int[] outShape = batch.shape();
        outShape[rank - 2] = height;
        outShape[rank - 1] = width;
        Tensor out = Tensor.zeros(batch.dtype(), outShape);
        int n = batch.size(0);
        for (int i = 0; i < n; i++) {
            int top = generator.nextInt(ph - height + 1);
            int left = generator.nextInt(pw - width + 1);
            Tensor window = padded.select(0, i).narrow(rank - 3, top, height).narrow(rank - 2, left, width);
            out.select(0, i).copy_(window);
        }
        return out;
    }
}
