package io.jgrad.examples;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.Conv2d;
import io.jgrad.layers.ConvOptions;
import io.jgrad.layers.Flatten;
import io.jgrad.layers.Linear;
import io.jgrad.layers.MaxPool2d;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.Sequential;
import io.jgrad.optim.Adam;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Transfer learning on Fashion-MNIST: a CNN pretrained on classes 0-4 learns classes 5-9 from 100
 * labelled images per class by feature extraction (frozen body, new head), by fine-tuning everything
 * with a smaller learning rate for the body (two optimizer parameter groups), or from scratch.
 */
@Command(
        name = "transfer",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Transfer learning on Fashion-MNIST: a CNN (the fashion-mnist cnn with a 5-way head) is pretrained on the "
                    + "training images of classes 0-4 (T-shirt, trouser, pullover, dress, coat), then learns classes 5-9 (sandal, "
                    + "shirt, sneaker, bag, ankle boot) from --per-class labelled images of each, three ways:",
            "  extract   feature extraction: the pretrained body frozen, a new head trained",
            "  finetune  the pretrained body and a new head trained together, the body with a learning rate --body-lr-factor "
                    + "times the head's (two parameter groups of one Adam optimizer)",
            "  scratch   the same network from a random initialization",
            "Each is repeated for --seeds seeds (a new draw of the labelled images and of the new weights each time) and "
                    + "measured on the 5000 test images of classes 5-9; reports mean and spread (sample standard deviation).",
            "Needs the four IDX files of Fashion-MNIST (see --data)."
        })
public final class TransferExample implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--finetune-epochs",
            paramLabel = "N",
            defaultValue = "30",
            description = "Epochs on the small labelled set " + "(default: ${DEFAULT-VALUE}).")
    int finetuneEpochs;

    @Option(
            names = "--per-class",
            paramLabel = "N",
            defaultValue = "100",
            description = "Labelled images per new class " + "(default: ${DEFAULT-VALUE}).")
    int perClass;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "3", description = "Seeds (default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(
            names = "--lr",
            paramLabel = "LR",
            defaultValue = "0.001",
            description =
                    "Adam's learning rate of the head and of " + "training from scratch (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(
            names = "--body-lr-factor",
            paramLabel = "F",
            defaultValue = "0.1",
            description = "The body's learning rate when "
                    + "fine-tuning, as a fraction of --lr (default: ${DEFAULT-VALUE}).")
    double bodyFactor;

    @Option(
            names = "--train-size",
            paramLabel = "N",
            defaultValue = "0",
            description = "Use only the first N training images (default: all 60000).")
    int trainSize;

    /** The body: two convolution blocks and a 128-unit hidden layer, (N, 1, 28, 28) to (N, 128). */
    static Sequential body() {
        ConvOptions same = ConvOptions.defaults().padding("same");
        return new Sequential(
                new Conv2d(1, 32, 3, same),
                new ReLU(),
                new MaxPool2d(2),
                new Conv2d(32, 64, 3, same),
                new ReLU(),
                new MaxPool2d(2),
                new Flatten(),
                new Linear(64 * 7 * 7, 128),
                new ReLU());
    }

    /** The rows of {@code data} whose label is in [from, from + 5), relabelled from 0; at most {@code perClass} of each class when positive. */
    static TensorDataset classes(TensorDataset data, int from, int perClass, Generator g) {
        int[] y = data.target().toIntArray();
        List<Integer> rows = new ArrayList<>();
        int[] order = Tensor.randperm(g, y.length).toIntArray();
        int[] taken = new int[5];
        for (int i : perClass > 0 ? order : identity(y.length)) {
            int c = y[i] - from;
            if (c >= 0 && c < 5 && (perClass <= 0 || taken[c] < perClass)) {
                taken[c]++;
                rows.add(i);
            }
        }
        int[] idx = rows.stream().mapToInt(Integer::intValue).toArray();
        Tensor t = Tensor.of(idx, idx.length);
        return new TensorDataset(
                data.input().indexSelect(0, t), data.target().indexSelect(0, t).sub(from));
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        long t0 = System.nanoTime();
        if (seeds < 1 || perClass < 1 || finetuneEpochs < 1 || !(bodyFactor > 0) || !(lr > 0)) {
            throw new UsageError("transfer: --seeds, --per-class and --finetune-epochs must be at least 1, --lr and "
                    + "--body-lr-factor positive");
        }
        int epochs = common.epochsOr(2);
        TensorDataset[] sets = ExampleData.fashionStandardized(common.data, trainSize);
        TensorDataset pretrain = classes(sets[0], 0, 0, new Generator(common.seed));
        TensorDataset test = classes(sets[1], 5, 0, new Generator(common.seed));
        common.stdout.printf(
                "transfer: pretraining on %d images of classes 0-4 for %d epochs; then %d labelled images per class "
                        + "of classes 5-9, %d epochs, %d seeds; %d test images%n",
                pretrain.size(), epochs, perClass, finetuneEpochs, seeds, test.size());

        Sequential pretrained = new Sequential(body(), new Linear(128, 5));
        pretrained.resetParameters(new Generator(common.seed));
        Classifiers.train(
                pretrained,
                pretrain,
                epochs,
                64,
                new Adam(pretrained.parameters(), 1e-3),
                common.seed,
                Classifiers.CROSS_ENTROPY,
                null);
        TensorDataset oldTest = classes(sets[1], 0, 0, new Generator(common.seed));
        common.stdout.printf(
                "pretrained network: test accuracy %.4f on classes 0-4%n", Classifiers.accuracy(pretrained, oldTest));
        Map<String, io.jgrad.core.Tensor> bodyState =
                ((Sequential) pretrained.namedChildren().get("0")).stateDict();

        double[][] acc = new double[3][seeds];
        String[] names = {"extract", "finetune", "scratch"};
        for (int s = 0; s < seeds; s++) {
            long seed = common.seed + 100 + s;
            TensorDataset few = classes(sets[0], 5, perClass, new Generator(seed));
            for (int way = 0; way < 3; way++) {
                Sequential b = body();
                Linear head = new Linear(128, 5);
                Sequential net = new Sequential(b, head);
                net.resetParameters(new Generator(seed));
                Adam opt;
                if (way == 0) {
                    b.loadStateDict(bodyState);
                    b.freeze();
                    opt = new Adam(head.parameters(), lr);
                } else if (way == 1) {
                    b.loadStateDict(bodyState);
                    // two parameter groups: the head at lr, the pretrained body at a fraction of it
                    opt = new Adam(head.parameters(), lr);
                    opt.addParamGroup(b.parameters(), Adam.options().lr(lr * bodyFactor));
                } else {
                    opt = new Adam(net.parameters(), lr);
                }
                Classifiers.train(net, few, finetuneEpochs, 32, opt, seed, Classifiers.CROSS_ENTROPY, null);
                acc[way][s] = Classifiers.accuracy(net, test);
            }
            common.stdout.printf(
                    "seed %d (%d images): extract %.4f, finetune %.4f, scratch %.4f%n",
                    seed, few.size(), acc[0][s], acc[1][s], acc[2][s]);
        }
        ResultLine r = new ResultLine().put("seeds", seeds);
        for (int way = 0; way < 3; way++) {
            double[] ms = Classifiers.meanStd(acc[way]);
            common.stdout.printf("%-9s test accuracy on classes 5-9: %.4f ± %.4f%n", names[way], ms[0], ms[1]);
            r.put(names[way] + "_acc", ms[0], 4);
        }
        for (int way = 0; way < 3; way++) {
            r.put(names[way] + "_std", Classifiers.meanStd(acc[way])[1], 4);
        }
        r.put("per_class", perClass).put("epochs", epochs).seconds(t0).print(common.stdout);
        return 0;
    }
}
