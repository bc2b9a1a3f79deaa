package io.jgrad.examples;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.Flatten;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Pruning;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.Sequential;
import io.jgrad.optim.Adam;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Magnitude pruning of a Fashion-MNIST MLP (LeNet-300-100, the network Han et al. 2015 prune) to
 * 50, 80, 90 and 95% sparsity with fine-tuning, gradually along the cubic schedule of Zhu and Gupta
 * (2017) or in one shot.
 */
@Command(
        name = "prune",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Magnitude pruning on Fashion-MNIST: a 784-300-100-10 MLP is trained dense, then copies of it are pruned to "
                    + "50, 80, 90 and 95%% of their weights and fine-tuned, the masks keeping pruned weights at zero through every "
                    + "optimizer step.",
            "With --schedule gradual (the default) the sparsity rises from 0 along the cubic schedule of Zhu and Gupta (2017) "
                    + "over the first two thirds of the fine-tuning steps; with oneshot the model is pruned once, before "
                    + "fine-tuning. --scope global uses one magnitude threshold over all layers, layerwise prunes each layer alike.",
            "Prints a table of test accuracy and per-layer sparsity; with --out writes prune-accuracy.png (accuracy against "
                    + "sparsity) and the 90%% model with its masks as prune-90.safetensors, reloaded to check it.",
            "Needs the four IDX files of Fashion-MNIST (see --data)."
        })
public final class PruneExample implements Callable<Integer> {
    static final double[] LEVELS = {0.5, 0.8, 0.9, 0.95};

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--finetune-epochs",
            paramLabel = "N",
            defaultValue = "3",
            description = "Fine-tuning epochs at each " + "sparsity (default: ${DEFAULT-VALUE}).")
    int finetuneEpochs;

    @Option(
            names = "--schedule",
            paramLabel = "KIND",
            defaultValue = "gradual",
            description = "gradual or oneshot (default: " + "${DEFAULT-VALUE}).")
    String schedule;

    @Option(
            names = "--scope",
            paramLabel = "SCOPE",
            defaultValue = "global",
            description = "global or layerwise (default: " + "${DEFAULT-VALUE}).")
    String scope;

    @Option(
            names = "--train-size",
            paramLabel = "N",
            defaultValue = "0",
            description = "Use only the first N training images (default: all 60000).")
    int trainSize;

    static Sequential network() {
        return new Sequential(
                new Flatten(), new Linear(784, 300), new ReLU(), new Linear(300, 100), new ReLU(), new Linear(100, 10));
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        long t0 = System.nanoTime();
        if (!schedule.equals("gradual") && !schedule.equals("oneshot")) {
            throw new UsageError("prune: --schedule must be gradual or oneshot, got '" + schedule + "'");
        }
        if (!scope.equals("global") && !scope.equals("layerwise")) {
            throw new UsageError("prune: --scope must be global or layerwise, got '" + scope + "'");
        }
        if (finetuneEpochs < 1) {
            throw new UsageError("prune: --finetune-epochs must be at least 1, got " + finetuneEpochs);
        }
        int epochs = common.epochsOr(8);
        TensorDataset[] sets = ExampleData.fashionStandardized(common.data, trainSize);
        TensorDataset train = sets[0];
        TensorDataset test = sets[1];
        int batch = 128;
        int stepsPerEpoch = (train.size() + batch - 1) / batch;
        common.stdout.printf(
                "prune: MLP 784-300-100-10, %d dense epochs, %d fine-tuning epochs per level, %s %s pruning, %d training"
                        + " images%n",
                epochs, finetuneEpochs, schedule, scope, train.size());

        Sequential dense = network();
        dense.resetParameters(new Generator(common.seed));
        Classifiers.train(
                dense,
                train,
                epochs,
                batch,
                new Adam(dense.parameters(), 1e-3),
                common.seed,
                Classifiers.CROSS_ENTROPY,
                null);
        double denseAcc = Classifiers.accuracy(dense, test);
        Map<String, Tensor> denseState = new LinkedHashMap<>();
        dense.stateDict().forEach((k, v) -> denseState.put(k, v.clone()));
        common.stdout.printf(
                "dense test accuracy %.4f (%d weights in Linear layers)%n%n",
                denseAcc, 784 * 300 + 300 * 100 + 100 * 10);

        boolean global = scope.equals("global");
        double[] acc = new double[LEVELS.length];
        LineChart chart =
                new LineChart("Fashion-MNIST MLP: test accuracy against sparsity", "sparsity (%)", "test accuracy");
        chart.add("dense", 0, denseAcc).add("dense", 100 * LEVELS[LEVELS.length - 1], denseAcc);
        chart.add("pruned and fine-tuned", 0, denseAcc);
        common.stdout.printf(
                "%-9s %9s %9s %9s %9s %9s%n", "target", "overall", "1.weight", "3.weight", "5.weight", "test acc");
        common.stdout.printf("%-9s %9s %9s %9s %9s %9.4f%n", "dense", "0.0%", "0.0%", "0.0%", "0.0%", denseAcc);
        Sequential ninety = null;
        for (int i = 0; i < LEVELS.length; i++) {
            double s = LEVELS[i];
            Sequential net = network();
            net.loadStateDict(denseState);
            Runnable afterStep = null;
            if (schedule.equals("gradual")) {
                int total = finetuneEpochs * stepsPerEpoch;
                int events = Math.max(1, Math.min(20, 2 * total / 3));
                int frequency = Math.max(1, 2 * total / 3 / events);
                Pruning.Scheduled pruner =
                        new Pruning.Scheduled(net, new Pruning.Schedule(0, s, 0, events, frequency), global);
                afterStep = pruner::step;
            } else if (global) {
                Pruning.global(net, s);
            } else {
                Pruning.layerwise(net, s);
            }
            Classifiers.train(
                    net,
                    train,
                    finetuneEpochs,
                    batch,
                    new Adam(net.parameters(), 5e-4),
                    common.seed + 1 + i,
                    Classifiers.CROSS_ENTROPY,
                    afterStep);
            acc[i] = Classifiers.accuracy(net, test);
            Map<String, Double> per = Pruning.sparsity(net);
            common.stdout.printf(
                    "%-9s %9s %9s %9s %9s %9.4f%n",
                    pct(s),
                    pct(Pruning.globalSparsity(net)),
                    pct(per.get("1.weight")),
                    pct(per.get("3.weight")),
                    pct(per.get("5.weight")),
                    acc[i]);
            chart.add("pruned and fine-tuned", 100 * s, acc[i]);
            if (s == 0.9) {
                ninety = net;
            }
        }
        Path png = common.outFile("prune-accuracy.png");
        if (png != null) {
            chart.write(png, 800, 500);
            Path file = common.outFile("prune-90.safetensors");
            ninety.save(file);
            Sequential reloaded = network();
            Pruning.load(reloaded, file);
            common.stdout.printf(
                    "%nwrote %s and %s; reloaded with its masks: sparsity %s, test accuracy %.4f%n",
                    png, file, pct(Pruning.globalSparsity(reloaded)), Classifiers.accuracy(reloaded, test));
        }
        Pruning.removePruning(ninety);
        common.stdout.printf(
                "90%% model after removePruning: sparsity %s, test accuracy %.4f, %d state-dict entries%n",
                pct(Pruning.globalSparsity(ninety)),
                Classifiers.accuracy(ninety, test),
                ninety.stateDict().size());
        new ResultLine()
                .put("dense_acc", denseAcc, 4)
                .put("acc_50", acc[0], 4)
                .put("acc_80", acc[1], 4)
                .put("acc_90", acc[2], 4)
                .put("acc_95", acc[3], 4)
                .put("schedule", schedule)
                .put("scope", scope)
                .put("epochs", epochs)
                .seconds(t0)
                .print(common.stdout);
        return 0;
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
