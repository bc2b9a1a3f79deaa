package io.jgrad.data;

import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import io.jgrad.core.kernel.Parallel;
import java.util.Arrays;

/**
 * Images kept in memory as unsigned bytes and turned into FLOAT32 ({@code byte * scale}) only when a
 * sample or a batch is read, like torchvision's datasets that hold {@code uint8} pixels and convert
 * them in {@code ToTensor}. It takes a quarter of the memory of the same images in a FLOAT32
 * {@link TensorDataset}: 47 MB instead of 188 MB for the 60,000 Fashion-MNIST training images.
 *
 * <p>Batches hold exactly the values {@link TensorDataset} would hold for the same images after
 * {@link Idx#readScaled}: both compute {@code (float) (v * scale)}.
 *
 * <pre>{@code
 * ByteImageDataset train = Mnist.loadFashionBytes(null, Mnist.Split.TRAIN);
 * Batch b = train.getBatch(new int[] {4, 8, 15});   // input (3, 1, 28, 28) FLOAT32, target (3) INT32
 * }</pre>
 */
public final class ByteImageDataset implements Dataset {
    /** Values converted per parallel chunk of {@link #getBatch} (a batch smaller than two runs on the caller). */
    private static final int CONVERT_GRAIN = 1 << 15;

    private final byte[] pixels;
    private final int[] itemShape;
    private final int itemSize;
    private final int size;
    private final Tensor target;
    private final float[] lut = new float[256];

    /**
     * Wraps the pixels of {@code size} images stored one after another (no copy).
     *
     * @param pixels unsigned bytes, {@code size * product(itemShape)} of them
     * @param itemShape the shape of one image, e.g. {@code {1, 28, 28}}
     * @param target one target per image (any dtype, first dimension {@code size}), or null
     * @param scale the factor applied to each byte value, e.g. {@code 1 / 255.0}
     * @throws IllegalArgumentException when the sizes do not match or the scale is not finite
     */
    public ByteImageDataset(byte[] pixels, int[] itemShape, Tensor target, double scale) {
        long item = 1;
        for (int d : itemShape) {
            if (d <= 0) {
                throw new IllegalArgumentException("ByteImageDataset: image shape " + Shape.format(itemShape)
                        + " has a dimension that is not positive");
            }
            // bounded at every step, so the product cannot wrap around
            item *= d;
            if (item > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("ByteImageDataset: image shape " + Shape.format(itemShape)
                        + " has more values than one tensor holds");
            }
        }
        if (pixels.length % item != 0) {
            throw new IllegalArgumentException("ByteImageDataset: " + pixels.length
                    + " bytes are not a whole number of " + Shape.format(itemShape) + " images");
        }
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException("ByteImageDataset: scale must be finite, got " + scale);
        }
        this.pixels = pixels;
        this.itemShape = itemShape.clone();
        this.itemSize = (int) item;
        this.size = (int) (pixels.length / item);
        if (target != null && (target.dim() == 0 || target.size(0) != size)) {
            throw new IllegalArgumentException(
                    "ByteImageDataset: " + size + " images but a target of shape " + Shape.format(target.shape()));
        }
        this.target = target;
        for (int v = 0; v < 256; v++) {
            lut[v] = (float) (v * scale);
        }
    }

    @Override
    public int size() {
        return size;
    }

    /**
     * The shape of one image.
     *
     * @return a copy of the item shape
     */
    public int[] itemShape() {
        return itemShape.clone();
    }

    /**
     * The targets, one per image, or null.
     *
     * @return the target tensor
     */
    public Tensor target() {
        return target;
    }

    @Override
    public Sample get(int index) {
        Dataset.checkIndex("ByteImageDataset.get", index, size);
        float[] out = new float[itemSize];
        convert(index, out, 0);
        return new Sample(Tensor.wrap(out, itemShape), target == null ? null : target.select(0, index));
    }

    @Override
    public Batch getBatch(int[] indices) {
        if (indices.length == 0) {
            throw new IllegalArgumentException("ByteImageDataset.getBatch: expected at least one index");
        }
        long values = (long) indices.length * itemSize;
        if (values > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("ByteImageDataset.getBatch: " + indices.length + " images of shape "
                    + Shape.format(itemShape) + " are " + values + " values, more than one tensor holds");
        }
        for (int index : indices) {
            Dataset.checkIndex("ByteImageDataset.getBatch", index, size);
        }
        float[] out = new float[(int) values];
        // a training step's batch is converted while the pool's other threads would wait for the step:
        // images in chunks of about 32K values (each image written by one thread, so the same values)
        Parallel.forRange(indices.length, Math.max(1, CONVERT_GRAIN / Math.max(1, itemSize)), (from, to) -> {
            for (int k = from; k < to; k++) {
                convert(indices[k], out, k * itemSize);
            }
        });
        Tensor y = null;
        if (target != null) {
            y = target.indexSelect(0, Tensor.wrap(indices.clone(), indices.length));
        }
        return new Batch(Tensor.wrap(out, batchShape(indices.length)), y);
    }

    /**
     * The images {@code from .. from + count - 1} in order, as one batch.
     *
     * @param from the first index
     * @param count how many, at least one
     * @return the batch
     * @throws IndexOutOfBoundsException when the range does not lie in the dataset
     */
    public Batch range(int from, int count) {
        if (count <= 0 || from < 0 || from > size - count) {
            throw new IndexOutOfBoundsException("ByteImageDataset.range: [" + from + ", " + ((long) from + count)
                    + ") is not a non-empty range inside a dataset of " + size);
        }
        int[] idx = new int[count];
        Arrays.setAll(idx, i -> from + i);
        return getBatch(idx);
    }

    /**
     * All images converted to FLOAT32 in one {@link TensorDataset} (four times the memory).
     *
     * @return the dataset
     */
    public TensorDataset toTensorDataset() {
        Batch all = range(0, size);
        return new TensorDataset(all.input(), target);
    }

    private void convert(int index, float[] out, int offset) {
        int base = index * itemSize;
        for (int k = 0; k < itemSize; k++) {
            out[offset + k] = lut[pixels[base + k] & 0xFF];
        }
    }

    private int[] batchShape(int n) {
        int[] s = new int[itemShape.length + 1];
        s[0] = n;
        System.arraycopy(itemShape, 0, s, 1, itemShape.length);
        return s;
    }
}
