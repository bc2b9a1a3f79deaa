package io.jgrad.examples;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.DataPaths;
import io.jgrad.data.DatasetNotFoundException;
import io.jgrad.data.Mnist;
import io.jgrad.data.Normalize;
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
 * Where the examples get their data: the UCI digits and Fisher's iris shipped in the jar, and Fashion-MNIST and Tiny
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

    private ExampleData() {}

    /** The UCI digits: images {@code (1797, 1, 8, 8)} scaled to [0, 1] and INT32 labels {@code (1797)}. */
    static TensorDataset digits() {
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (InputStream raw = ExampleData.class.getResourceAsStream("data/digits.csv.gz")) {
            if (raw == null) {
                throw new IllegalStateException(
                        "digits: the embedded data set data/digits.csv.gz is missing from the jar");
            }
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] p = line.split(",");
                if (p.length != 65) {
                    throw new IllegalStateException(
                            "digits: expected 65 columns (64 pixels and the label), got " + p.length);
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

    /** The iris class names, in label order. */
    static final String[] IRIS_CLASSES = {"setosa", "versicolor", "virginica"};

    /** The ten Fashion-MNIST classes, by label. */
    static final String[] FASHION_CLASSES = {
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"
    };
    /** The iris feature names, in column order (cm). */
    static final String[] IRIS_FEATURES = {"sepal length", "sepal width", "petal length", "petal width"};

    /**
     * Fisher's iris (shipped in the jar as {@code data/iris.csv}, the copy distributed with scikit-learn:
     * a header line {@code 150,4,setosa,versicolor,virginica}, then four measurements in cm and the class
     * 0..2 per line): features {@code (150, 4)} FLOAT32 and INT32 labels {@code (150)}.
     */
    static TensorDataset iris() {
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (InputStream raw = ExampleData.class.getResourceAsStream("data/iris.csv")) {
            if (raw == null) {
                throw new IllegalStateException("iris: the embedded data set data/iris.csv is missing from the jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8));
            String line = r.readLine();
            if (line == null || !line.startsWith("150,4,")) {
                throw new IllegalStateException(
                        "iris: expected the header '150,4,setosa,versicolor,virginica', got '" + line + "'");
            }
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] p = line.split(",");
                if (p.length != 5) {
                    throw new IllegalStateException("iris: expected 5 columns (4 measurements and the class), got "
                            + p.length + " in '" + line + "'");
                }
                float[] x = new float[4];
                for (int k = 0; k < 4; k++) {
                    x[k] = Float.parseFloat(p[k].trim());
                }
                rows.add(x);
                labels.add(Integer.parseInt(p[4].trim()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int n = rows.size();
        if (n != 150) {
            throw new IllegalStateException("iris: expected 150 rows, got " + n);
        }
        float[] xs = new float[n * 4];
        int[] ys = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows.get(i), 0, xs, i * 4, 4);
            ys[i] = labels.get(i);
        }
        return new TensorDataset(Tensor.wrap(xs, n, 4), Tensor.wrap(ys, n));
    }

    /**
     * Iris split into a fixed, stratified training part (40 per class, 120) and test part (10 per
     * class, 30): the same split for every seed (a permutation from seed 12345 within each class).
     *
     * @return {train, test}
     */
    static TensorDataset[] irisSplit() {
        TensorDataset all = iris();
        int[] y = all.target().toIntArray();
        io.jgrad.core.Generator g = new io.jgrad.core.Generator(12345);
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int c = 0; c < IRIS_CLASSES.length; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (y[i] == c) {
                    members.add(i);
                }
            }
            int[] perm = Tensor.randperm(g, members.size()).toIntArray();
            int nTest = (members.size() + 4) / 5;
            for (int k = 0; k < perm.length; k++) {
                (k < nTest ? test : train).add(members.get(perm[k]));
            }
        }
        return new TensorDataset[] {select(all, indices(train)), select(all, indices(test))};
    }

    private static Tensor indices(List<Integer> idx) {
        int[] a = new int[idx.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = idx.get(i);
        }
        return Tensor.wrap(a, a.length);
    }

    /**
     * Standardizes features with the training part's statistics: {@code (x - mean) / std} per column
     * (a constant column is only centred).
     *
     * @param train training features (N, d)
     * @param others further feature sets (M, d) scaled the same way
     * @return the scaled training features then the scaled others, in order
     */
    static Tensor[] standardize(Tensor train, Tensor... others) {
        Tensor mean = train.mean(0, true);
        Tensor std = train.std(new int[] {0}, 0, true);
        Tensor safe = Tensor.where(std.gt(1e-12), std, Tensor.onesLike(std));
        Tensor[] out = new Tensor[1 + others.length];
        out[0] = train.sub(mean).div(safe);
        for (int i = 0; i < others.length; i++) {
            out[i + 1] = others[i].sub(mean).div(safe);
        }
        return out;
    }

    /** Rows {@code idx} of a one-input dataset. */
    static TensorDataset select(TensorDataset d, Tensor idx) {
        return new TensorDataset(
                d.input().indexSelect(0, idx),
                d.target() == null ? null : d.target().indexSelect(0, idx));
    }

    /** The first {@code n} rows of a one-input dataset (all when {@code n} is 0 or too large). */
    static TensorDataset head(TensorDataset d, int n) {
        if (n <= 0 || n >= d.size()) {
            return d;
        }
        return new TensorDataset(
                d.input().narrow(0, 0, n),
                d.target() == null ? null : d.target().narrow(0, 0, n));
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
     * Fashion-MNIST standardized with the training images' mean and standard deviation (one channel),
     * as {@code {train, test}}.
     *
     * @param dir the {@code --data} folder, or null to search the standard places
     * @param trainSize use only the first {@code trainSize} training images (all when 0)
     */
    static TensorDataset[] fashionStandardized(Path dir, int trainSize) throws IOException {
        TensorDataset train = head(fashion(dir, Mnist.Split.TRAIN), trainSize);
        TensorDataset test = fashion(dir, Mnist.Split.TEST);
        Normalize norm = Normalize.perChannel(train.input());
        Generator g = new Generator(0); // unused: standardizing draws nothing
        return new TensorDataset[] {
            new TensorDataset(norm.apply(train.input(), g), train.target()),
            new TensorDataset(norm.apply(test.input(), g), test.target())
        };
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
            throw new DatasetNotFoundException(e.getMessage()
                    + "\nThe text is the char-rnn corpus: mkdir -p ~/.jgrad/datasets/"
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
