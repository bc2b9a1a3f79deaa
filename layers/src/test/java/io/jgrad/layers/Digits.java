package io.jgrad.layers;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.optim.Adam;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The UCI digits (see {@code src/test/resources/data/README.txt}) with a fixed 80/20 split, and a
 * small training loop (cross entropy, Adam from the optim module) for the learning tests.
 */
final class Digits {
    final Tensor trainX;
    final Tensor trainY;
    final Tensor testX;
    final Tensor testY;

    private Digits(Tensor trainX, Tensor trainY, Tensor testX, Tensor testY) {
        this.trainX = trainX;
        this.trainY = trainY;
        this.testX = testX;
        this.testY = testY;
    }

    /** Pixels scaled to [0, 1] as (N, 64), labels INT32 (N); a seeded shuffle then the first 80% for training. */
    static Digits load() {
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (InputStream in = Digits.class.getResourceAsStream("/data/digits.csv.gz")) {
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                String[] p = line.split(",");
                float[] x = new float[64];
                for (int k = 0; k < 64; k++) {
                    x[k] = Float.parseFloat(p[k]) / 16f;
                }
                rows.add(x);
                labels.add(Integer.parseInt(p[64].trim()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int n = rows.size();
        int[] perm = Tensor.randperm(new Generator(2024), n).toIntArray();
        int nTrain = n * 8 / 10;
        return new Digits(
                gather(rows, perm, 0, nTrain),
                labels(labels, perm, 0, nTrain),
                gather(rows, perm, nTrain, n),
                labels(labels, perm, nTrain, n));
    }

    private static Tensor gather(List<float[]> rows, int[] perm, int from, int to) {
        float[] x = new float[(to - from) * 64];
        for (int i = from; i < to; i++) {
            System.arraycopy(rows.get(perm[i]), 0, x, (i - from) * 64, 64);
        }
        return Tensor.wrap(x, to - from, 64);
    }

    private static Tensor labels(List<Integer> labels, int[] perm, int from, int to) {
        int[] y = new int[to - from];
        for (int i = from; i < to; i++) {
            y[i - from] = labels.get(perm[i]);
        }
        return Tensor.wrap(y, to - from);
    }

    /**
     * Trains {@code model} with cross entropy and Adam on mini-batches of the training split; inputs
     * are reshaped per sample to {@code sampleShape} (e.g. (64) or (1, 8, 8)).
     */
    void train(Module model, int epochs, int batch, double lr, int[] sampleShape) {
        Adam opt = new Adam(model.parameters(), lr);
        Generator g = new Generator(7);
        int n = trainX.size(0);
        model.train();
        for (int e = 0; e < epochs; e++) {
            int[] perm = Tensor.randperm(g, n).toIntArray();
            for (int s = 0; s + batch <= n; s += batch) {
                Tensor idx = Tensor.wrap(java.util.Arrays.copyOfRange(perm, s, s + batch));
                Tensor xb = trainX.indexSelect(0, idx).reshape(shape(batch, sampleShape));
                Tensor yb = trainY.indexSelect(0, idx);
                opt.zeroGrad();
                Losses.crossEntropy(model.forward(Variable.constant(xb)), yb).backward();
                opt.step();
            }
        }
    }

    /** Accuracy of {@code model} on the test split, in evaluation mode. */
    double testAccuracy(Module model, int[] sampleShape) {
        model.eval();
        try (var off = Autograd.noGrad()) {
            int n = testX.size(0);
            Tensor pred = model.forward(Variable.constant(testX.reshape(shape(n, sampleShape))))
                    .data()
                    .argmax(1, false);
            return pred.eq(testY).to(io.jgrad.core.DType.FLOAT64).mean().item();
        }
    }

    private static int[] shape(int n, int[] sample) {
        int[] s = new int[sample.length + 1];
        s[0] = n;
        System.arraycopy(sample, 0, s, 1, sample.length);
        return s;
    }
}
