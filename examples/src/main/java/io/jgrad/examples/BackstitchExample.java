package io.jgrad.examples;

import io.jgrad.core.Generator;
import io.jgrad.data.DataLoader;
import io.jgrad.data.Mnist;
import io.jgrad.data.Normalize;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.Flatten;
import io.jgrad.layers.Linear;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.Sequential;
import io.jgrad.optim.Backstitch;
import io.jgrad.optim.Optimizer;
import io.jgrad.optim.SGD;
import io.jgrad.train.FitOptions;
import io.jgrad.train.History;
import io.jgrad.train.Metric;
import io.jgrad.train.Trainer;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Plain SGD against Backstitch (Wang et al., Interspeech 2017) over the same SGD: the same network,
 * initial weights and mini-batches, trained on a small subset of Fashion-MNIST where overfitting
 * is the problem, over several seeds; prints test accuracy and time of each run.
 */
@Command(
        name = "backstitch",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "SGD versus Backstitch (alpha 0.3, every mini-batch) on a small Fashion-MNIST training subset.",
            "For each seed both runs start from the same weights and see the same mini-batches; an MLP "
                    + "784-256-128-10 (no dropout) is trained on the first --train-size training images and tested on "
                    + "all 10000 test images.",
            "Backstitch takes, on each mini-batch, a step of alpha * lr UP the gradient, then a step of (1 + "
                    + "alpha) * lr down the gradient recomputed there: two forward/backward passes per mini-batch."
        })
public final class BackstitchExample implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--seeds",
            paramLabel = "N",
            defaultValue = "3",
            description = "Runs per optimizer, seeds S, S+1, ... (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(
            names = "--train-size",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Training images (default: ${DEFAULT-VALUE}).")
    int trainSize;

    @Option(
            names = "--test-size",
            paramLabel = "N",
            defaultValue = "0",
            description = "Test images (default: all 10000).")
    int testSize;

    @Option(
            names = "--lr",
            paramLabel = "LR",
            defaultValue = "0.05",
            description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(
            names = "--alpha",
            paramLabel = "A",
            defaultValue = "0.3",
            description = "Backstitch scale (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(
            names = "--interval",
            paramLabel = "N",
            defaultValue = "1",
            description = "Backstitch every N-th mini-batch (default: ${DEFAULT-VALUE}).")
    int interval;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "32",
            description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    static Sequential network() {
        return new Sequential(
                new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10));
    }

    /** One run's outcome. */
    record Run(double accuracy, double seconds, History history) {}

    Run run(TensorDataset train, DataLoader testLoader, Normalize norm, long seed, boolean backstitch, int epochs)
            throws Exception {
        long t0 = System.nanoTime();
        Sequential net = network();
        net.resetParameters(new Generator(seed));
        SGD sgd = new SGD(net.parameters(), lr);
        Trainer.Builder tb;
        Optimizer opt = sgd;
        if (backstitch) {
            opt = new Backstitch(sgd, alpha, interval, new Generator(seed));
        }
        tb = Trainer.builder(net, new CrossEntropyLoss(), opt);
        Trainer trainer = tb.metrics(Metric.accuracy()).seed(seed).build();
        if (backstitch) {
            // both passes of a mini-batch must see the same dropout masks (none in this network, but
            // this is how a model with dropout would be trained)
            ((Backstitch) opt).trackGenerator(trainer.generator());
        }
        DataLoader loader = DataLoader.builder(train)
                .batchSize(batchSize)
                .shuffle(true)
                .seed(seed)
                .inputTransform(norm)
                .prefetch(0)
                .build();
        History h = trainer.fit(loader, new FitOptions().epochs(epochs).verbose(false));
        Map<String, Double> r = trainer.evaluate(testLoader);
        return new Run(r.get("accuracy"), (System.nanoTime() - t0) / 1e9, h);
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        long t0 = System.nanoTime();
        if (seeds < 1) {
            throw new UsageError("backstitch: --seeds must be at least 1, got " + seeds);
        }
        int epochs = common.epochsOr(30);
        TensorDataset train = ExampleData.head(ExampleData.fashion(common.data, Mnist.Split.TRAIN), trainSize);
        TensorDataset test = ExampleData.head(ExampleData.fashion(common.data, Mnist.Split.TEST), testSize);
        common.stdout.printf(
                "backstitch: MLP on %d training images, tested on %d, SGD lr %s, %d epochs of batches of %d,"
                        + " Backstitch alpha %s every %d mini-batch(es), %d seed(s)%n",
                train.size(), test.size(), lr, epochs, batchSize, alpha, interval, seeds);
        Normalize norm = Normalize.perChannel(train.input());
        DataLoader testLoader = DataLoader.builder(test)
                .batchSize(1000)
                .inputTransform(norm)
                .prefetch(0)
                .build();

        common.stdout.printf("%n%6s | %9s %8s | %10s %8s%n", "seed", "SGD acc", "time", "Backst acc", "time");
        double[] sgdAcc = new double[seeds];
        double[] bsAcc = new double[seeds];
        double sgdTime = 0;
        double bsTime = 0;
        for (int k = 0; k < seeds; k++) {
            long seed = common.seed + k;
            Run a = run(train, testLoader, norm, seed, false, epochs);
            Run b = run(train, testLoader, norm, seed, true, epochs);
            sgdAcc[k] = a.accuracy();
            bsAcc[k] = b.accuracy();
            sgdTime += a.seconds();
            bsTime += b.seconds();
            common.stdout.printf(
                    "%6d | %9.4f %7.1fs | %10.4f %7.1fs%n", seed, a.accuracy(), a.seconds(), b.accuracy(), b.seconds());
            if (k == 0) {
                common.writeHistory(a.history(), "backstitch-sgd");
                common.writeHistory(b.history(), "backstitch-backstitch");
            }
        }
        testLoader.close();
        common.stdout.printf(
                "%6s | %9.4f %7.1fs | %10.4f %7.1fs%n",
                "mean", mean(sgdAcc), sgdTime / seeds, mean(bsAcc), bsTime / seeds);
        if (seeds > 1) {
            common.stdout.printf("%6s | %9.4f %8s | %10.4f%n", "std", std(sgdAcc), "", std(bsAcc));
        }
        int wins = 0;
        for (int k = 0; k < seeds; k++) {
            wins += bsAcc[k] > sgdAcc[k] ? 1 : 0;
        }
        common.stdout.printf("Backstitch beats SGD on %d of %d seeds%n", wins, seeds);
        new ResultLine()
                .put("sgd_acc", mean(sgdAcc), 4)
                .put("backstitch_acc", mean(bsAcc), 4)
                .put("sgd_seconds", sgdTime / seeds, 1)
                .put("backstitch_seconds", bsTime / seeds, 1)
                .put("seeds", seeds)
                .put("train_size", train.size())
                .put("epochs", epochs)
                .seconds(t0)
                .print(common.stdout);
        return 0;
    }

    static double mean(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s / a.length;
    }

    /** Sample standard deviation. */
    static double std(double[] a) {
        double m = mean(a);
        double s = 0;
        for (double v : a) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (a.length - 1));
    }
}
