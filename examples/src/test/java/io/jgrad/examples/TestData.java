package io.jgrad.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Small real data for the smoke tests, copied from the test resources into a temporary folder: 100
 * Fashion-MNIST test images under the four standard file names (the same images as training and
 * test split), and the first 20 KB of Tiny Shakespeare.
 */
final class TestData {
    private TestData() {}

    static Path fashionSlice(Path dir) throws IOException {
        Path d = Files.createDirectories(dir.resolve("fashion-slice"));
        copy("data/t10k-images-idx3-ubyte.gz", d.resolve("train-images-idx3-ubyte.gz"));
        copy("data/t10k-labels-idx1-ubyte.gz", d.resolve("train-labels-idx1-ubyte.gz"));
        copy("data/t10k-images-idx3-ubyte.gz", d.resolve("t10k-images-idx3-ubyte.gz"));
        copy("data/t10k-labels-idx1-ubyte.gz", d.resolve("t10k-labels-idx1-ubyte.gz"));
        return d;
    }

    static Path shakespeareSlice(Path dir) throws IOException {
        Path f = dir.resolve("slice.txt");
        copy("data/tinyshakespeare.txt", f);
        return f;
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = TestData.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("test resource " + resource + " is missing");
            }
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
