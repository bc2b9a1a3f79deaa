package io.jgrad.data;

import io.jgrad.core.Shape;
import io.jgrad.core.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads MNIST and Fashion-MNIST from their IDX files: images as FLOAT32 {@code (N, 1, 28, 28)}
 * scaled to {@code [0, 1]}, labels as INT32 {@code (N)} in {@code 0..9}.
 *
 * <pre>{@code
 * TensorDataset train = Mnist.loadFashion(null, Mnist.Split.TRAIN);  // searches the standard places
 * }</pre>
 *
 * <p>The files keep their standard names, plain or gzip: {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}
 * (MNIST's variant {@code train-images.idx3-ubyte} with a dot is accepted too).
 */
public final class Mnist {
    /** The data set name of Fashion-MNIST for {@link DataPaths}. */
    public static final String FASHION_MNIST = "fashion-mnist";
    /** The data set name of MNIST for {@link DataPaths}. */
    public static final String MNIST = "mnist";
    /** The four files of both data sets. */
    public static final List<String> FILES = List.of(
            "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    /** Fashion-MNIST's class names, by label. */
    public static final List<String> FASHION_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private Mnist() {}

    /** Which part of the data set. */
    public enum Split {
        /** The 60,000 training examples ({@code train-*}). */
        TRAIN("train"),
        /** The 10,000 test examples ({@code t10k-*}). */
        TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }

        /**
         * The file name prefix.
         *
         * @return {@code train} or {@code t10k}
         */
        public String prefix() {
            return prefix;
        }
    }

    /**
     * Loads one split of Fashion-MNIST, finding its folder with {@link DataPaths#find}.
     *
     * @param explicitDirOrNull a folder given by the user, or null to search the standard places
     * @param split training or test part
     * @return images {@code (N, 1, 28, 28)} in {@code [0, 1]} and labels {@code (N)}
     * @throws DatasetNotFoundException when the files are nowhere to be found
     * @throws IOException when a file cannot be read or is malformed
     */
    public static TensorDataset loadFashion(Path explicitDirOrNull, Split split) throws IOException {
        return load(DataPaths.find(FASHION_MNIST, explicitDirOrNull, FILES.toArray(new String[0])), split);
    }

    /**
     * Loads one split of MNIST, finding its folder with {@link DataPaths#find}.
     *
     * @param explicitDirOrNull a folder given by the user, or null to search the standard places
     * @param split training or test part
     * @return images {@code (N, 1, 28, 28)} in {@code [0, 1]} and labels {@code (N)}
     * @throws DatasetNotFoundException when the files are nowhere to be found
     * @throws IOException when a file cannot be read or is malformed
     */
    public static TensorDataset loadMnist(Path explicitDirOrNull, Split split) throws IOException {
        return load(DataPaths.find(MNIST, explicitDirOrNull, FILES.toArray(new String[0])), split);
    }

    /**
     * Loads one split from a folder holding the standard file names.
     *
     * @param dir the folder
     * @param split training or test part
     * @return images {@code (N, 1, H, W)} in {@code [0, 1]} and labels {@code (N)}
     * @throws IOException when a file is missing, cannot be read or is malformed
     */
    public static TensorDataset load(Path dir, Split split) throws IOException {
        return load(file(dir, split.prefix + "-images-idx3-ubyte"), file(dir, split.prefix + "-labels-idx1-ubyte"));
    }

    /**
     * Loads an images file and a labels file.
     *
     * @param images an {@code idx3-ubyte} file {@code (N, H, W)}
     * @param labels an {@code idx1-ubyte} file {@code (N)}
     * @return images {@code (N, 1, H, W)} in {@code [0, 1]} and INT32 labels {@code (N)}
     * @throws IOException when a file cannot be read, is malformed or the two do not match
     */
    public static TensorDataset load(Path images, Path labels) throws IOException {
        int[] d = checkPair(images, labels);
        Tensor x = Idx.readScaled(images, 1.0 / 255.0);
        Tensor y = Idx.read(labels);
        return new TensorDataset(x.reshape(d[0], 1, d[1], d[2]), y);
    }

    /**
     * Loads one split of Fashion-MNIST with the images kept as bytes, finding its folder with
     * {@link DataPaths#find}: a quarter of the memory of {@link #loadFashion}, same values per batch.
     *
     * @param explicitDirOrNull a folder given by the user, or null to search the standard places
     * @param split training or test part
     * @return images {@code (1, 28, 28)} each, read as FLOAT32 in {@code [0, 1]}, and INT32 labels
     * @throws DatasetNotFoundException when the files are nowhere to be found
     * @throws IOException when a file cannot be read or is malformed
     */
    public static ByteImageDataset loadFashionBytes(Path explicitDirOrNull, Split split) throws IOException {
        return loadBytes(DataPaths.find(FASHION_MNIST, explicitDirOrNull, FILES.toArray(new String[0])), split);
    }

    /**
     * Loads one split from a folder holding the standard file names, with the images kept as bytes.
     *
     * @param dir the folder
     * @param split training or test part
     * @return images {@code (1, H, W)} each, read as FLOAT32 in {@code [0, 1]}, and INT32 labels
     * @throws IOException when a file is missing, cannot be read or is malformed
     */
    public static ByteImageDataset loadBytes(Path dir, Split split) throws IOException {
        return loadBytes(
                file(dir, split.prefix + "-images-idx3-ubyte"), file(dir, split.prefix + "-labels-idx1-ubyte"));
    }

    /**
     * Loads an images file and a labels file with the images kept as bytes (see
     * {@link ByteImageDataset}).
     *
     * @param images an {@code idx3-ubyte} file {@code (N, H, W)}
     * @param labels an {@code idx1-ubyte} file {@code (N)}
     * @return images {@code (1, H, W)} each, read as FLOAT32 in {@code [0, 1]}, and INT32 labels
     * @throws IOException when a file cannot be read, is malformed or the two do not match
     */
    public static ByteImageDataset loadBytes(Path images, Path labels) throws IOException {
        int[] d = checkPair(images, labels);
        byte[] pixels = Idx.readUnsignedBytes(images);
        return new ByteImageDataset(pixels, new int[] {1, d[1], d[2]}, Idx.read(labels), 1.0 / 255.0);
    }

    private static int[] checkPair(Path images, Path labels) throws IOException {
        Idx.Header ih = Idx.readHeader(images);
        if (ih.dims().length != 3 || ih.type() != Idx.Type.UBYTE) {
            throw new MalformedDataException(
                    images,
                    "expected unsigned-byte images (N, H, W), got " + ih.type() + " " + Shape.format(ih.dims()));
        }
        Idx.Header lh = Idx.readHeader(labels);
        if (lh.dims().length != 1 || lh.type() != Idx.Type.UBYTE) {
            throw new MalformedDataException(
                    labels, "expected unsigned-byte labels (N), got " + lh.type() + " " + Shape.format(lh.dims()));
        }
        if (lh.dims()[0] != ih.dims()[0]) {
            throw new MalformedDataException(
                    labels, lh.dims()[0] + " labels for " + ih.dims()[0] + " images in " + images);
        }
        return ih.dims();
    }

    private static Path file(Path dir, String name) throws IOException {
        Path p = DataPaths.resolve(dir, name);
        if (p == null) {
            // MNIST's own site names the files with a dot: train-images.idx3-ubyte
            p = DataPaths.resolve(dir, name.replace("-idx", ".idx"));
        }
        if (p == null) {
            throw new java.io.FileNotFoundException(dir.resolve(name) + " (nor " + name + ".gz) not found");
        }
        return p;
    }
}
