package io.jgrad.examples;

import io.jgrad.core.Generator;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.BatchNorm2d;
import io.jgrad.layers.Conv2d;
import io.jgrad.layers.ConvOptions;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.Dropout;
import io.jgrad.layers.Flatten;
import io.jgrad.layers.Linear;
import io.jgrad.layers.MaxPool2d;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.Sequential;
import io.jgrad.optim.Adam;
import io.jgrad.optim.CosineAnnealingLR;
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
 * The default example: a small CNN on the UCI optical digits (1797 images of 8x8 pixels) shipped
 * inside the jar, trained with the {@link Trainer} and tested on a fixed 20% split (360 images).
 */
@Command(
        name = "digits",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "A small CNN on the UCI digits (8x8 images) shipped in the jar: the default example.",
            "Trains on a fixed 80%% split (1437 images), reports accuracy on the other 20%% (360 images).",
            "No download needed; --data is ignored."
        })
public final class DigitsExample implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "32",
            description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--lr",
            paramLabel = "LR",
            defaultValue = "0.003",
            description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    /**
     * The CNN: two 3x3 convolutions with batch normalization and max pooling, then two linear layers
     * with dropout before them.
     * <pre>
     * (N, 1, 8, 8) -conv 16-&gt; (N, 16, 8, 8) -pool-&gt; (N, 16, 4, 4) -conv 32-&gt; (N, 32, 4, 4) -pool-&gt; (N, 32, 2, 2)
     *   -flatten-&gt; (N, 128) -linear-&gt; (N, 64) -linear-&gt; (N, 10)
     * </pre>
     */
    static Sequential model() {
        ConvOptions same = ConvOptions.defaults().padding("same");
        return new Sequential(
                new Conv2d(1, 16, 3, same),
                new BatchNorm2d(16),
                new ReLU(),
                new MaxPool2d(2),
                new Conv2d(16, 32, 3, same),
                new BatchNorm2d(32),
                new ReLU(),
                new MaxPool2d(2),
                new Flatten(),
                new Dropout(0.2),
                new Linear(128, 64),
                new ReLU(),
                new Linear(64, 10));
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        long t0 = System.nanoTime();
        int epochs = common.epochsOr(12);
        TensorDataset[] split = ExampleData.digitsSplit();
        TensorDataset train = split[0];
        TensorDataset test = split[1];
        common.stdout.printf(
                "digits: %d training and %d test images of 8x8 pixels, %d epochs%n", train.size(), test.size(), epochs);

        Sequential model = model();
        model.resetParameters(new Generator(common.seed));
        Adam adam = new Adam(model.parameters(), lr);
        Trainer trainer = Trainer.builder(model, new CrossEntropyLoss(), adam)
                .metrics(Metric.accuracy())
                .seed(common.seed)
                .build();
        // the learning rate decays to 0 along a half cosine over all the training steps
        int steps = epochs * ((train.size() + batchSize - 1) / batchSize);
        History h = trainer.fit(
                train,
                new FitOptions()
                        .epochs(epochs)
                        .batchSize(batchSize)
                        .seed(common.seed)
                        .validationData(test)
                        .prefetch(0)
                        .callbacks(new ScheduleCallback(new CosineAnnealingLR(adam, steps))));
        Map<String, Double> r = trainer.evaluate(test, 360);
        common.writeHistory(h, "digits");
        new ResultLine()
                .put("test_acc", r.get("accuracy"), 4)
                .put("test_loss", r.get("loss"), 4)
                .put("epochs", epochs)
                .seconds(t0)
                .print(common.stdout);
        return 0;
    }
}
