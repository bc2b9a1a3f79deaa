package io.jgrad.examples;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.NN;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Trains a small network on the UCI optical digits (8x8 images, 1797 samples) shipped inside the jar,
 * and reports test accuracy on a fixed 20% split.
 */
@Command(name = "digits", mixinStandardHelpOptions = true,
        description = "Small network on the UCI digits data shipped in the jar (the default example).")
public final class DigitsExample implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    /** Features (n, 64) scaled to [0, 1] and INT32 labels (n). */
    static Tensor[] load() {
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (InputStream raw = DigitsExample.class.getResourceAsStream("data/digits.csv.gz")) {
            if (raw == null) {
                throw new IllegalStateException("digits: the embedded data set is missing from the jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.UTF_8));
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
        float[] xs = new float[rows.size() * 64];
        int[] ys = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, xs, i * 64, 64);
            ys[i] = labels.get(i);
        }
        return new Tensor[] {Tensor.wrap(xs, rows.size(), 64), Tensor.wrap(ys, rows.size())};
    }

    @Override
    public Integer call() {
        common.apply();
        long t0 = System.nanoTime();
        int epochs = common.epochsOr(30);
        Generator gen = new Generator(common.seed);
        Tensor[] data = load();
        int n = data[0].size(0);
        Tensor perm = Tensor.randperm(new Generator(12345), n);
        int nTest = n / 5;
        int[] p = perm.toIntArray();
        int[] trainIdx = java.util.Arrays.copyOfRange(p, nTest, n);
        int[] testIdx = java.util.Arrays.copyOfRange(p, 0, nTest);
        Tensor xTrain = rows(data[0], trainIdx);
        int[] yTrain = pick(data[1].toIntArray(), trainIdx);
        Tensor xTest = rows(data[0], testIdx);
        int[] yTest = pick(data[1].toIntArray(), testIdx);

        // 64 -> 128 -> 10 MLP, ReLU, PyTorch-style uniform init, SGD with momentum
        Variable w1 = Variable.param(Tensor.rand(gen, 128, 64).sub(0.5).mul(2 / Math.sqrt(64)));
        Variable b1 = Variable.param(Tensor.zeros(128));
        Variable w2 = Variable.param(Tensor.rand(gen, 10, 128).sub(0.5).mul(2 / Math.sqrt(128)));
        Variable b2 = Variable.param(Tensor.zeros(10));
        List<Variable> params = List.of(w1, b1, w2, b2);
        List<Tensor> velocity = new ArrayList<>();
        for (Variable v : params) {
            velocity.add(Tensor.zerosLike(v.data()));
        }
        int batch = 32;
        double lr = 0.05;
        int nTrain = trainIdx.length;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            int[] order = Tensor.randperm(gen, nTrain).toIntArray();
            double total = 0;
            for (int s = 0; s < nTrain; s += batch) {
                int[] bi = java.util.Arrays.copyOfRange(order, s, Math.min(s + batch, nTrain));
                Variable x = Variable.constant(rows(xTrain, bi));
                Tensor y = Tensor.wrap(pick(yTrain, bi));
                Variable logits = NN.linear(NN.linear(x, w1, b1).relu(), w2, b2);
                Variable loss = logits.logSoftmax(1).gather(1, y.reshape(-1, 1)).mean().neg();
                for (Variable v : params) {
                    v.zeroGrad();
                }
                loss.backward();
                try (var off = Autograd.noGrad()) {
                    for (int k = 0; k < params.size(); k++) {
                        velocity.get(k).mul_(0.9).add_(params.get(k).grad());
                        params.get(k).data().add_(velocity.get(k), -lr);
                    }
                }
                total += loss.item() * bi.length;
            }
            if (epoch == epochs || epoch % 10 == 0) {
                System.out.printf(Locale.ROOT, "epoch %d/%d loss=%.4f%n", epoch, epochs, total / nTrain);
            }
        }
        double acc;
        try (var off = Autograd.noGrad()) {
            Variable logits = NN.linear(NN.linear(Variable.constant(xTest), w1, b1).relu(), w2, b2);
            int[] pred = logits.data().argmax(1, false).toIntArray();
            int correct = 0;
            for (int i = 0; i < pred.length; i++) {
                correct += pred[i] == yTest[i] ? 1 : 0;
            }
            acc = correct / (double) pred.length;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "result: test_acc=%.4f epochs=%d seconds=%.1f%n", acc, epochs, secs);
        return 0;
    }

    static Tensor rows(Tensor x, int[] idx) {
        int d = x.size(1);
        float[] src = x.contiguous().toFloatArray();
        float[] out = new float[idx.length * d];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(src, idx[i] * d, out, i * d, d);
        }
        return Tensor.wrap(out, idx.length, d);
    }

    static int[] pick(int[] a, int[] idx) {
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = a[idx[i]];
        }
        return out;
    }
}
