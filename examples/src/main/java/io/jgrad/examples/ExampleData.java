package io.jgrad.examples;

import io.jgrad.core.Tensor;
import io.jgrad.data.DataPaths;
import io.jgrad.data.DatasetNotFoundException;
import io.jgrad.data.Mnist;
import io.jgrad.data.TensorDataset;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Where the examples get their data: the UCI digits shipped in the jar, and Fashion-MNIST and Tiny
 * Shakespeare found with {@link DataPaths} ({@code --data DIR}, else {@code /usr/share/datasets/<name>},
 * {@code ~/.jgrad/datasets/<name>} and the current folder).
 */
final class ExampleData {
    /** The data set name of Tiny Shakespeare for {@link DataPaths}. */
    static final String SHAKESPEARE = "tinyshakespeare";
    /** Its file name. */
    static final String SHAKESPEARE_FILE = "tinyshakespeare.txt";
    private static final String SHAKESPEARE_URL =
            "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt";

    private ExampleData() {
    }

    /** The UCI digits: images {@code (1797, 1, 8, 8)} scaled to [0, 1] and INT32 labels {@code (1797)}. */
    static TensorDataset digits() {
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (InputStream raw = ExampleData.class.getResourceAsStream("data/digits.csv.gz")) {
            if (raw == null) {
                throw new IllegalStateException("digits: the embedded data set data/digits.csv.gz is missing from the jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] p = line.split(",");
                if (p.length != 65) {
                    throw new IllegalStateException("digits: expected 65 columns (64 pixels and the label), got " + p.length);
                }
                float[] x = new float[64];
                for (int k = 0; k < 64; k++) {
                    x[k] = Float.parseFloat(p[k]) / 16f; // pixels are counts 0..16
                }
                rows.add(x);
                labels.add(Integer.parseInt(p[64].trim()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int n = rows.size();
        float[] xs = new float[n * 64];
        int[] ys = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows.get(i), 0, xs, i * 64, 64);
            ys[i] = labels.get(i);
        }
        return new TensorDataset(Tensor.wrap(xs, n, 1, 8, 8), Tensor.wrap(ys, n));
    }

    /**
     * The digits split into a fixed training part (80%) and test part (20%): the same split for every
     * seed, so accuracies are comparable between runs.
     *
     * @return {train, test}
     */
    static TensorDataset[] digitsSplit() {
        TensorDataset all = digits();
        int n = all.size();
        int[] perm = Tensor.randperm(new io.jgrad.core.Generator(12345), n).toIntArray();
        int nTest = (n + 4) / 5;
        Tensor testIdx = Tensor.wrap(java.util.Arrays.copyOfRange(perm, 0, nTest), nTest);
        Tensor trainIdx = Tensor.wrap(java.util.Arrays.copyOfRange(perm, nTest, n), n - nTest);
        return new TensorDataset[] {select(all, trainIdx), select(all, testIdx)};
    }

    /** Rows {@code idx} of a one-input dataset. */
    static TensorDataset select(TensorDataset d, Tensor idx) {
        return new TensorDataset(d.input().indexSelect(0, idx), d.target() == null ? null : d.target().indexSelect(0, idx));
    }

    /** The first {@code n} rows of a one-input dataset (all when {@code n} is 0 or too large). */
    static TensorDataset head(TensorDataset d, int n) {
        if (n <= 0 || n >= d.size()) {
            return d;
        }
        return new TensorDataset(d.input().narrow(0, 0, n), d.target() == null ? null : d.target().narrow(0, 0, n));
    }

    /**
     * One split of Fashion-MNIST: images {@code (N, 1, 28, 28)} in [0, 1], INT32 labels.
     *
     * @param dir the {@code --data} folder, or null to search the standard places
     * @param split training or test part
     * @throws DatasetNotFoundException when the files are nowhere; the message says how to get them
     */
    static TensorDataset fashion(Path dir, Mnist.Split split) throws IOException {
        return Mnist.loadFashion(dir, split);
    }

    /**
     * The Tiny Shakespeare text file.
     *
     * @param data the {@code --data} option: the file itself, a folder holding
     *     {@code tinyshakespeare.txt}, or null to search the standard places
     * @return the file
     * @throws DatasetNotFoundException when it is nowhere; the message says how to get it
     */
    static Path shakespeareFile(Path data) {
        if (data != null && Files.isRegularFile(data)) {
            return data;
        }
        try {
            Path dir = DataPaths.find(SHAKESPEARE, data, SHAKESPEARE_FILE);
            return DataPaths.resolve(dir, SHAKESPEARE_FILE);
        } catch (DatasetNotFoundException e) {
            throw new DatasetNotFoundException(e.getMessage() + "\nThe text is the char-rnn corpus: mkdir -p ~/.jgrad/datasets/"
                    + SHAKESPEARE + " && curl -L -o ~/.jgrad/datasets/" + SHAKESPEARE + "/" + SHAKESPEARE_FILE + " "
                    + SHAKESPEARE_URL + "   (or pass the file itself: --data path/to/input.txt)");
        }
    }

    /** The Tiny Shakespeare text (UTF-8, plain or gzip). */
    static String shakespeare(Path data) throws IOException {
        Path file = shakespeareFile(data);
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
