package io.jgrad.examples;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.Linear;
import io.jgrad.models.rbm.ContrastiveDivergence;
import io.jgrad.models.rbm.RBM;
import io.jgrad.optim.Adam;
import io.jgrad.train.FitOptions;
import io.jgrad.train.Metric;
import io.jgrad.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * RBM features for digit classification, following scikit-learn's "Restricted Boltzmann Machine
 * features for digit classification" example: the UCI digits shipped in the jar, each image also
 * shifted by one pixel in the four directions (five times the data, 8,985 images), values in [0, 1], a
 * random 80/20 split; an RBM with 100 hidden units trained by CD-1 (learning rate 0.06, batches of 10),
 * then logistic regression on its hidden probabilities, against logistic regression on the raw pixels.
 */
@Command(
        name = "rbm",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "RBM features + logistic regression on the UCI digits (shipped in the jar), against raw pixels, "
                    + "as scikit-learn's RBM example: images nudged by one pixel in 4 directions, 80/20 split.",
            "--data is ignored. With --out, writes rbm_filters.png (the learned filters)."
        })
public final class RbmExample implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--hidden",
            paramLabel = "N",
            defaultValue = "100",
            description = "Hidden units (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(
            names = "--lr",
            paramLabel = "LR",
            defaultValue = "0.06",
            description = "RBM learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(
            names = "--logistic-epochs",
            paramLabel = "N",
            defaultValue = "100",
            description = "Epochs of the logistic regressions (default: ${DEFAULT-VALUE}).")
    int logisticEpochs;

    /** The images {@code (n, 64)} shifted by one pixel: direction 0 up, 1 down, 2 left, 3 right; zeros enter. */
    static Tensor shift(Tensor x, int direction) {
        int n = x.size(0);
        float[] in = x.contiguous().toFloatArray();
        float[] out = new float[in.length];
        int dr = direction == 0 ? 1 : direction == 1 ? -1 : 0;
        int dc = direction == 2 ? 1 : direction == 3 ? -1 : 0;
        for (int k = 0; k < n; k++) {
            for (int r = 0; r < 8; r++) {
                for (int c = 0; c < 8; c++) {
                    int sr = r + dr;
                    int sc = c + dc;
                    if (sr >= 0 && sr < 8 && sc >= 0 && sc < 8) {
                        out[k * 64 + r * 8 + c] = in[k * 64 + sr * 8 + sc];
                    }
                }
            }
        }
        return Tensor.wrap(out, n, 64);
    }

    /** The digits and their four one-pixel shifts: {x (5n, 64), y (5n)}. */
    static TensorDataset nudged() {
        TensorDataset d = ExampleData.digits();
        Tensor x = d.input().reshape(d.size(), 64);
        List<Tensor> xs = new ArrayList<>(List.of(x));
        List<Tensor> ys = new ArrayList<>(List.of(d.target()));
        for (int dir = 0; dir < 4; dir++) {
            xs.add(shift(x, dir));
            ys.add(d.target());
        }
        return new TensorDataset(Tensor.cat(xs, 0), Tensor.cat(ys, 0));
    }

    /** Test accuracy of a logistic regression (one linear layer, cross entropy, Adam) on the features. */
    private double logistic(TensorDataset train, TensorDataset test) throws java.io.IOException {
        Linear model = new Linear(train.input().size(1), 10);
        model.resetParameters(new Generator(common.seed));
        Trainer t = Trainer.builder(model, new CrossEntropyLoss(), new Adam(model.parameters(), 0.01))
                .metrics(Metric.accuracy())
                .seed(common.seed)
                .build();
        t.fit(
                train,
                new FitOptions()
                        .epochs(logisticEpochs)
                        .batchSize(64)
                        .seed(common.seed)
                        .prefetch(0)
                        .verbose(false));
        return t.evaluate(test, 1024).get("accuracy");
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        if (hidden < 1) {
            throw new UsageError("--hidden must be at least 1, got " + hidden);
        }
        if (logisticEpochs < 1) {
            throw new UsageError("--logistic-epochs must be at least 1, got " + logisticEpochs);
        }
        long t0 = System.nanoTime();
        int epochs = common.epochsOr(20);
        TensorDataset all = nudged();
        int n = all.size();
        Tensor perm = Tensor.randperm(new Generator(common.seed), n);
        int nTest = n / 5;
        TensorDataset test = ExampleData.select(all, perm.narrow(0, 0, nTest));
        TensorDataset train = ExampleData.select(all, perm.narrow(0, nTest, n - nTest));
        common.stdout.printf(
                "rbm: %d training and %d test images (digits and their 1-pixel shifts), %d hidden units, "
                        + "%d epochs of CD-1%n",
                train.size(), test.size(), hidden, epochs);

        RBM rbm = new RBM(64, hidden);
        rbm.resetParameters(new Generator(common.seed));
        List<ContrastiveDivergence.Epoch> hist = new ContrastiveDivergence(
                        rbm,
                        new ContrastiveDivergence.Options()
                                .learningRate(lr)
                                .batchSize(10)
                                .epochs(epochs)
                                .seed(common.seed))
                .fit(train.input());
        for (ContrastiveDivergence.Epoch e : hist) {
            common.stdout.printf(
                    "epoch %d: reconstruction error %.4f, pseudo-likelihood %.2f (%.1f s)%n",
                    e.epoch(), e.reconstructionError(), e.pseudoLikelihood(), e.seconds());
        }
        TensorDataset trainF = new TensorDataset(rbm.transform(train.input()), train.target());
        TensorDataset testF = new TensorDataset(rbm.transform(test.input()), test.target());
        double rbmAcc = logistic(trainF, testF);
        double rawAcc = logistic(train, test);
        common.stdout.printf("logistic regression on RBM features: %.4f; on raw pixels: %.4f%n", rbmAcc, rawAcc);
        Path png = common.outFile("rbm_filters.png");
        if (png != null) {
            // each hidden unit's weights as an 8x8 image, rescaled to [0, 1] per filter
            Tensor w = rbm.weight();
            Tensor lo = w.amin(new int[] {1}, true);
            Tensor hi = w.amax(new int[] {1}, true);
            Tensor img = w.sub(lo).div(hi.sub(lo).add(1e-12)).reshape(hidden, 8, 8);
            List<Tensor> rows = new ArrayList<>();
            for (int r = 0; r < hidden; r += 10) {
                rows.add(img.narrow(0, r, Math.min(10, hidden - r)));
            }
            ImageGrid.write(png, rows, 4);
            common.stdout.println("wrote " + png);
        }
        new ResultLine()
                .put("rbm_acc", rbmAcc, 4)
                .put("raw_acc", rawAcc, 4)
                .put("epochs", epochs)
                .seconds(t0)
                .print(common.stdout);
        return 0;
    }
}
