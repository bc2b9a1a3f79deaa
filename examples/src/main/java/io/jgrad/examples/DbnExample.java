package io.jgrad.examples;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.Mnist;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.Sequential;
import io.jgrad.models.rbm.ContrastiveDivergence;
import io.jgrad.models.rbm.DBN;
import io.jgrad.optim.Adam;
import io.jgrad.train.FitOptions;
import io.jgrad.train.Metric;
import io.jgrad.train.Trainer;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Semi-supervised learning with a deep belief network (Hinton, Osindero and Teh 2006): every
 * Fashion-MNIST training image pretrains the DBN without its label, then only a few labelled images
 * (1,000 by default) fine-tune the unrolled network; the same network from random initialization gets
 * the same fine-tuning budget. Both are tested on the 10,000 test images, over several seeds.
 */
@Command(
        name = "dbn",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "A DBN pretrained on all Fashion-MNIST training images (unlabelled), fine-tuned on a few labelled "
                    + "ones, against the same network from random initialization; mean and spread over seeds."
        })
public final class DbnExample implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--labels",
            paramLabel = "N",
            defaultValue = "1000",
            description = "Labelled training images (default: ${DEFAULT-VALUE}).")
    int labels;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "3", description = "Seeds (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(
            names = "--hidden",
            paramLabel = "A,B",
            split = ",",
            defaultValue = "500,500",
            description = "Hidden layer sizes (default: ${DEFAULT-VALUE}).")
    int[] hiddenSizes;

    @Option(
            names = "--pretrain-epochs",
            paramLabel = "N",
            defaultValue = "5",
            description = "CD-1 epochs per layer over the unlabelled images (default: ${DEFAULT-VALUE}).")
    int pretrainEpochs;

    @Option(
            names = "--unlabelled",
            paramLabel = "N",
            defaultValue = "60000",
            description = "Unlabelled images for pretraining (default: ${DEFAULT-VALUE}, all).")
    int unlabelled;

    @Option(
            names = "--test-size",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Test images (default: ${DEFAULT-VALUE}).")
    int testSize;

    @Override
    public Integer call() throws Exception {
        common.apply();
        if (labels < 10 || seeds < 1 || pretrainEpochs < 1 || unlabelled < 1 || testSize < 1) {
            throw new UsageError(
                    "--labels must be at least 10 and --seeds, --pretrain-epochs, --unlabelled, --test-size at least 1");
        }
        for (int h : hiddenSizes) {
            if (h < 1) {
                throw new UsageError("--hidden sizes must be positive, got " + Arrays.toString(hiddenSizes));
            }
        }
        long t0 = System.nanoTime();
        int epochs = common.epochsOr(50);
        TensorDataset trainAll = ExampleData.fashion(common.data, Mnist.Split.TRAIN);
        TensorDataset test = ExampleData.head(ExampleData.fashion(common.data, Mnist.Split.TEST), testSize);
        Tensor pixels = trainAll.input().reshape(trainAll.size(), 784);
        Tensor unl = pixels.narrow(0, 0, Math.min(unlabelled, pixels.size(0)));
        TensorDataset testFlat = new TensorDataset(test.input().reshape(test.size(), 784), test.target());
        int[] sizes = new int[hiddenSizes.length + 1];
        sizes[0] = 784;
        System.arraycopy(hiddenSizes, 0, sizes, 1, hiddenSizes.length);
        common.stdout.printf(
                "dbn: %s pretrained on %d unlabelled images (%d CD-1 epochs per layer), fine-tuned on %d "
                        + "labelled images for %d epochs, %d seeds, tested on %d images%n",
                Arrays.toString(sizes), unl.size(0), pretrainEpochs, labels, epochs, seeds, test.size());
        double[] dbnAcc = new double[seeds];
        double[] randAcc = new double[seeds];
        for (int s = 0; s < seeds; s++) {
            long seed = common.seed + s;
            // the labelled subset: a random choice of the training images
            Tensor idx = Tensor.randperm(new Generator(seed), pixels.size(0)).narrow(0, 0, labels);
            TensorDataset few = new TensorDataset(
                    pixels.indexSelect(0, idx), trainAll.target().indexSelect(0, idx));
            DBN dbn = new DBN(sizes);
            dbn.resetParameters(new Generator(seed));
            long p0 = System.nanoTime();
            dbn.pretrain(
                    unl,
                    new ContrastiveDivergence.Options()
                            .learningRate(0.05)
                            .momentum(0.5)
                            .batchSize(64)
                            .epochs(pretrainEpochs)
                            .seed(seed));
            double pretrainSecs = (System.nanoTime() - p0) / 1e9;
            dbnAcc[s] = fineTune(dbn.toMlp(10, new Generator(seed + 1000)), few, testFlat, seed, epochs);
            DBN fresh = new DBN(sizes);
            fresh.resetParameters(new Generator(seed));
            Sequential random = fresh.toMlp(10, new Generator(seed + 1000));
            // random initialization: PyTorch's default for each linear layer
            random.resetParameters(new Generator(seed + 2000));
            randAcc[s] = fineTune(random, few, testFlat, seed, epochs);
            common.stdout.printf(
                    "seed %d: DBN-initialized %.4f, random %.4f (pretraining %.1f s)%n",
                    seed, dbnAcc[s], randAcc[s], pretrainSecs);
        }
        new ResultLine()
                .put("labels", labels)
                .put("seeds", seeds)
                .put("dbn_acc", mean(dbnAcc), 4)
                .put("dbn_std", std(dbnAcc), 4)
                .put("random_acc", mean(randAcc), 4)
                .put("random_std", std(randAcc), 4)
                .put("epochs", epochs)
                .seconds(t0)
                .print(common.stdout);
        return 0;
    }

    private double fineTune(Sequential net, TensorDataset train, TensorDataset test, long seed, int epochs)
            throws java.io.IOException {
        Trainer t = Trainer.builder(net, new CrossEntropyLoss(), new Adam(net.parameters(), 1e-3))
                .metrics(Metric.accuracy())
                .seed(seed)
                .build();
        t.fit(
                train,
                new FitOptions()
                        .epochs(epochs)
                        .batchSize(32)
                        .seed(seed)
                        .prefetch(0)
                        .verbose(false));
        return t.evaluate(test, 1000).get("accuracy");
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Sample standard deviation (0 for one value). */
    static double std(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
