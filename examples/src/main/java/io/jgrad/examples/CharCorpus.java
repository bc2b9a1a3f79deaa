package io.jgrad.examples;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.CharVocabulary;
import io.jgrad.layers.Losses;
import io.jgrad.layers.Module;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * A text as character ids for the character-level language models, split as the usual char-rnn
 * set-up: the first 90% of the characters for training, the last 10% for validation; mini-batches
 * are {@code B} windows of {@code T + 1} characters at random offsets (inputs: the first T, targets:
 * the last T).
 */
final class CharCorpus {
    final CharVocabulary vocab;
    final int[] train;
    final int[] val;

    CharCorpus(String text) {
        this.vocab = CharVocabulary.of(text);
        int[] ids = vocab.encode(text);
        int n = (int) (0.9 * ids.length);
        this.train = java.util.Arrays.copyOfRange(ids, 0, n);
        this.val = java.util.Arrays.copyOfRange(ids, n, ids.length);
    }

    int vocabSize() {
        return vocab.size();
    }

    /**
     * A random mini-batch of {@code data}: {inputs, targets}, INT32 {@code (B, T)} each, the targets
     * being the inputs shifted by one character.
     */
    static Tensor[] batch(int[] data, int b, int t, Generator g) {
        if (data.length < t + 2) {
            throw new IllegalArgumentException(
                    "CharCorpus: a text of " + data.length + " characters is too short for windows of " + (t + 1));
        }
        int[] x = new int[b * t];
        int[] y = new int[b * t];
        for (int i = 0; i < b; i++) {
            int start = (int) (g.nextDouble() * (data.length - t - 1));
            System.arraycopy(data, start, x, i * t, t);
            System.arraycopy(data, start + 1, y, i * t, t);
        }
        return new Tensor[] {Tensor.wrap(x, b, t), Tensor.wrap(y, b, t)};
    }

    /** The cross entropy (nats per character) of logits {@code (B, T, V)} against targets {@code (B, T)}. */
    static Variable loss(Variable logits, Tensor targets) {
        int v = logits.size(logits.dim() - 1);
        return Losses.crossEntropy(logits.reshape(-1, v), targets.reshape(-1));
    }

    /**
     * The mean validation loss over {@code batches} fixed random batches (the same ones at every
     * call: their generator is seeded with 1), in evaluation mode without gradients.
     */
    double validationLoss(Module model, Function<Tensor, Variable> logits, int b, int t, int batches) {
        boolean wasTraining = model.isTraining();
        model.eval();
        Generator g = new Generator(1);
        double total = 0;
        try (var off = Autograd.noGrad()) {
            for (int k = 0; k < batches; k++) {
                Tensor[] xy = batch(val, b, t, g);
                total += loss(logits.apply(xy[0]), xy[1]).item();
            }
        } finally {
            model.train(wasTraining);
        }
        return total / batches;
    }

    /** The training curve of a step-based example: one row per evaluation. */
    static final class Log {
        private final List<double[]> rows = new ArrayList<>();

        void add(long step, double trainLoss, double valLoss, double seconds) {
            rows.add(new double[] {step, trainLoss, valLoss, seconds});
        }

        double lastVal() {
            return rows.isEmpty() ? Double.NaN : rows.get(rows.size() - 1)[2];
        }

        double lastTrain() {
            return rows.isEmpty() ? Double.NaN : rows.get(rows.size() - 1)[1];
        }

        /** With {@code --out}, writes {@code <prefix>-history.csv} (step, losses, seconds) and {@code <prefix>-history.png}. */
        void write(CommonOptions common, String prefix, PrintStream out) throws IOException {
            Path csv = common.outFile(prefix + "-history.csv");
            if (csv == null || rows.isEmpty()) {
                return;
            }
            StringBuilder sb = new StringBuilder("step,train_loss,val_loss,seconds\n");
            LineChart chart = new LineChart(prefix + ": loss (nats per character)", "step", "loss");
            for (double[] r : rows) {
                sb.append(String.format(Locale.ROOT, "%d,%.6f,%.6f,%.1f%n", (long) r[0], r[1], r[2], r[3]));
                chart.add("training (last batch)", r[0], r[1]);
                chart.add("validation", r[0], r[2]);
            }
            Files.writeString(csv, sb.toString(), StandardCharsets.UTF_8);
            Path png = common.outFile(prefix + "-history.png");
            chart.write(png, 800, 500);
            out.println("wrote " + csv + " and " + png);
        }
    }
}
