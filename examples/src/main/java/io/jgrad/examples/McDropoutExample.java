package io.jgrad.examples;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.DataLoader;
import io.jgrad.data.Mnist;
import io.jgrad.data.Normalize;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.Dropout;
import io.jgrad.layers.Flatten;
import io.jgrad.layers.Linear;
import io.jgrad.layers.MonteCarloDropout;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.Sequential;
import io.jgrad.layers.Softmax;
import io.jgrad.optim.Adam;
import io.jgrad.train.FitOptions;
import io.jgrad.train.History;
import io.jgrad.train.Metric;
import io.jgrad.train.Trainer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Monte Carlo dropout (Gal and Ghahramani, 2016): a network trained with dropout keeps its dropout
 * on at prediction time and is run many times; the spread of its answers measures how unsure it is.
 * Trained on Fashion-MNIST, it should be more unsure on inputs unlike its training data (images of
 * uniform noise, and the UCI handwritten digits enlarged to 28x28) than on Fashion-MNIST test images.
 */
@Command(
        name = "mc-dropout",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Monte Carlo dropout: predictive uncertainty on test images versus out-of-distribution inputs.",
            "Trains an MLP with dropout on Fashion-MNIST, then runs --passes stochastic forward passes "
                    + "(dropout on) on",
            "  test   Fashion-MNIST test images",
            "  noise  images of uniform noise in [0, 1]",
            "  digits the UCI handwritten digits (shipped in the jar) enlarged from 8x8 to 24x24 and centred in "
                    + "28x28",
            "and reports, per set, the mean predictive entropy (nats, of the mean of the passes' class "
                    + "probabilities; at most ln 10 = 2.303) and the mean standard deviation over passes of the "
                    + "probability of the predicted class."
        })
public final class McDropoutExample implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--passes",
            paramLabel = "N",
            defaultValue = "50",
            description = "Stochastic forward passes (default: ${DEFAULT-VALUE}).")
    int passes;

    @Option(
            names = "--dropout",
            paramLabel = "P",
            defaultValue = "0.5",
            description = "Dropout probability (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(
            names = "--samples",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Images per set scored (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(
            names = "--train-size",
            paramLabel = "N",
            defaultValue = "0",
            description = "Use only the first N training images (default: all 60000).")
    int trainSize;

    static Sequential network(double p) {
        return new Sequential(
                new Flatten(),
                new Linear(784, 512),
                new ReLU(),
                new Dropout(p),
                new Linear(512, 512),
                new ReLU(),
                new Dropout(p),
                new Linear(512, 10));
    }

    /** Uncertainty of the class probabilities over the passes. */
    record Uncertainty(double entropy, double std, double confidence, double accuracy) {}

    /**
     * Summarizes a Monte Carlo prediction.
     *
     * @param mc the mean {@code (N, C)} and standard deviation of the class probabilities over the passes
     * @param labels the true classes, or null
     */
    static Uncertainty summarize(MonteCarloDropout.Result mc, int[] labels) {
        int n = mc.mean().size(0);
        int c = mc.mean().size(1);
        double[] mean = mc.mean().contiguous().toDoubleArray();
        double[] std = mc.std().contiguous().toDoubleArray();
        double h = 0;
        double s = 0;
        double conf = 0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int k = 0; k < c; k++) {
                double p = mean[i * c + k];
                if (p > 0) {
                    h -= p * Math.log(p);
                }
                if (p > mean[i * c + best]) {
                    best = k;
                }
            }
            s += std[i * c + best];
            conf += mean[i * c + best];
            if (labels != null && labels[i] == best) {
                correct++;
            }
        }
        return new Uncertainty(h / n, s / n, conf / n, labels == null ? Double.NaN : correct / (double) n);
    }

    /**
     * The UCI digits {@code (N, 1, 8, 8)} enlarged three times by repeating pixels to 24x24 and padded
     * with 2 black pixels on each side: {@code (N, 1, 28, 28)}, framed as MNIST frames its digits.
     */
    static Tensor digitsAs28(Tensor digits) {
        int n = digits.size(0);
        float[] src = digits.contiguous().toFloatArray();
        float[] out = new float[n * 28 * 28];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < 24; i++) {
                for (int j = 0; j < 24; j++) {
                    out[k * 784 + (i + 2) * 28 + (j + 2)] = src[k * 64 + (i / 3) * 8 + j / 3];
                }
            }
        }
        return Tensor.wrap(out, n, 1, 28, 28);
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        long t0 = System.nanoTime();
        if (passes < 2) {
            throw new UsageError("mc-dropout: --passes must be at least 2, got " + passes);
        }
        int epochs = common.epochsOr(5);
        TensorDataset train = ExampleData.head(ExampleData.fashion(common.data, Mnist.Split.TRAIN), trainSize);
        TensorDataset test = ExampleData.fashion(common.data, Mnist.Split.TEST);
        common.stdout.printf(
                "mc-dropout: MLP with dropout %.2f, %d training images, %d epochs%n", dropout, train.size(), epochs);

        Normalize norm = Normalize.perChannel(train.input());
        DataLoader loader = DataLoader.builder(train)
                .batchSize(128)
                .shuffle(true)
                .seed(common.seed)
                .inputTransform(norm)
                .build();
        Sequential net = network(dropout);
        net.resetParameters(new Generator(common.seed));
        Trainer trainer = Trainer.builder(net, new CrossEntropyLoss(), new Adam(net.parameters(), 1e-3))
                .metrics(Metric.accuracy())
                .seed(common.seed)
                .build();
        History h = trainer.fit(loader, new FitOptions().epochs(epochs));
        common.writeHistory(h, "mc-dropout");

        // the three sets, standardized as the training images were
        int n = Math.min(samples, test.size());
        Tensor testX = test.input().narrow(0, 0, n).contiguous();
        int[] testY = test.target().narrow(0, 0, n).contiguous().toIntArray();
        Tensor noise = Tensor.rand(new Generator(common.seed + 1), n, 1, 28, 28);
        Tensor digits = digitsAs28(ExampleData.digits().input());
        digits = digits.narrow(0, 0, Math.min(n, digits.size(0))).contiguous();
        Generator g = new Generator(common.seed + 2);
        net.setGenerator(g);
        // Monte Carlo over class probabilities: the model followed by a softmax
        Sequential probs = new Sequential(net, new Softmax(1));
        Uncertainty uTest = summarize(MonteCarloDropout.predict(probs, norm.apply(testX, g), passes), testY);
        Uncertainty uNoise = summarize(MonteCarloDropout.predict(probs, norm.apply(noise, g), passes), null);
        Uncertainty uDigits = summarize(MonteCarloDropout.predict(probs, norm.apply(digits, g), passes), null);
        double plainAcc = trainer.evaluate(new TensorDataset(norm.apply(testX, g), Tensor.wrap(testY, n)), 500)
                .get("accuracy");

        common.stdout.printf(
                "%n%d passes with dropout on; per set: mean predictive entropy, mean std of the predicted class's"
                        + " probability, mean probability of the predicted class%n",
                passes);
        common.stdout.printf("  %-30s %8s %8s %11s%n", "set", "entropy", "std", "confidence");
        print("Fashion-MNIST test (" + n + ")", uTest);
        print("uniform noise (" + n + ")", uNoise);
        print("UCI digits 28x28 (" + digits.size(0) + ")", uDigits);
        common.stdout.printf(
                "test accuracy: %.4f with the mean of the passes, %.4f with dropout off%n", uTest.accuracy(), plainAcc);
        boolean higher = uNoise.entropy() > uTest.entropy() && uDigits.entropy() > uTest.entropy();
        common.stdout.println(
                higher
                        ? "the out-of-distribution sets get a higher predictive entropy than the test images"
                        : "note: an out-of-distribution set did NOT get a higher predictive entropy than the test images");
        new ResultLine()
                .put("test_acc", uTest.accuracy(), 4)
                .put("entropy_test", uTest.entropy(), 4)
                .put("entropy_noise", uNoise.entropy(), 4)
                .put("entropy_digits", uDigits.entropy(), 4)
                .put("std_test", uTest.std(), 4)
                .put("std_noise", uNoise.std(), 4)
                .put("std_digits", uDigits.std(), 4)
                .put("passes", passes)
                .put("epochs", epochs)
                .seconds(t0)
                .print(common.stdout);
        return 0;
    }

    private void print(String name, Uncertainty u) {
        common.stdout.printf("  %-30s %8.4f %8.4f %11.4f%n", name, u.entropy(), u.std(), u.confidence());
    }
}
