package io.jgrad.examples;

import io.jgrad.core.Generator;
import io.jgrad.data.DataLoader;
import io.jgrad.data.Mnist;
import io.jgrad.data.Normalize;
import io.jgrad.data.RandomCrop;
import io.jgrad.data.RandomHorizontalFlip;
import io.jgrad.data.TensorDataset;
import io.jgrad.data.Transform;
import io.jgrad.layers.BatchNorm2d;
import io.jgrad.layers.Conv2d;
import io.jgrad.layers.ConvOptions;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.Dropout;
import io.jgrad.layers.Flatten;
import io.jgrad.layers.Linear;
import io.jgrad.layers.MaxPool2d;
import io.jgrad.layers.Module;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.Sequential;
import io.jgrad.models.resnet.ResNet;
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
 * Fashion-MNIST (60,000 training and 10,000 test images of 28x28 pixels, 10 kinds of clothing)
 * with an MLP, a CNN, a CNN with batch normalization, or a residual network; the last two are trained
 * on randomly flipped and cropped images.
 */
@Command(
        name = "fashion-mnist",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Fashion-MNIST classification with an MLP, a CNN, a batch-norm CNN or a ResNet, the last two "
                    + "with augmentation.",
            "Models (published test accuracies of similar ones in parentheses, from the data set's benchmark):",
            "  mlp     784-256-128-10 with dropout, 10 epochs (MLP 256-128-100: 0.883)",
            "  cnn     2 conv + pooling, 128 hidden units, 3 epochs (2 conv + pooling: 0.916)",
            "  cnn-bn  2 conv + pooling + batch norm, random flips and crops, 25 epochs (0.934)",
            "  resnet  ResNet-8 of basic blocks, widths 48-96-192 at 14x14, 7x7 and 4x4, random flips and crops, "
                    + "25 epochs (ResNet-18: 0.949)",
            "Needs the four IDX files of Fashion-MNIST (see --data)."
        })
public final class FashionMnistExample implements Callable<Integer> {
    /** The models. */
    enum Model {
        mlp,
        cnn,
        cnn_bn,
        resnet;

        @Override
        public String toString() {
            return name().replace('_', '-');
        }
    }

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--model",
            paramLabel = "MODEL",
            defaultValue = "cnn",
            converter = ModelConverter.class,
            description = "mlp, cnn, cnn-bn or resnet (default: ${DEFAULT-VALUE}).")
    Model model;

    @Option(names = "--batch-size", paramLabel = "N", description = "Mini-batch size (default: 64, resnet 128).")
    Integer batchSize;

    @Option(
            names = "--lr",
            paramLabel = "LR",
            description = "Adam's peak learning rate (default: 0.001, cnn-bn and resnet 0.002).")
    Double lr;

    @Option(
            names = "--depth",
            paramLabel = "D",
            defaultValue = "8",
            description = "Layers of the resnet model, 6n + 2: 8, 14, 20, ... (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(
            names = "--width",
            paramLabel = "W",
            defaultValue = "48",
            description =
                    "Channels of the resnet model's first stage; the others have 2W and 4W (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(
            names = "--augment",
            paramLabel = "KIND",
            converter = AugmentConverter.class,
            description =
                    "Training-image augmentation: none, flip (mirror half the images) or flip-crop (also shift by up to "
                            + "2 pixels) (default: flip-crop for cnn-bn, none otherwise).")
    Augment augment;

    @Option(
            names = "--dropout",
            paramLabel = "P",
            description = "Dropout probability of the mlp and cnn-bn models (default: 0.2 for mlp, none for cnn-bn).")
    Double dropout;

    @Option(
            names = "--train-size",
            paramLabel = "N",
            defaultValue = "0",
            description = "Use only the first N training images (default: all 60000).")
    int trainSize;

    @Option(
            names = "--test-size",
            paramLabel = "N",
            defaultValue = "0",
            description = "Use only the first N test images (default: all 10000).")
    int testSize;

    /** The augmentations of the training images. */
    enum Augment {
        none,
        flip,
        flip_crop;

        @Override
        public String toString() {
            return name().replace('_', '-');
        }
    }

    static final class AugmentConverter implements picocli.CommandLine.ITypeConverter<Augment> {
        @Override
        public Augment convert(String value) {
            return byName(Augment.values(), value, "augmentation");
        }
    }

    static final class ModelConverter implements picocli.CommandLine.ITypeConverter<Model> {
        @Override
        public Model convert(String value) {
            return byName(Model.values(), value, "model");
        }
    }

    /** The constant whose {@code toString} is value, else an error listing them as "a, b or c". */
    private static <E extends Enum<E>> E byName(E[] values, String value, String what) {
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (values[i].toString().equals(value)) {
                return values[i];
            }
            expected.append(i == 0 ? "" : i == values.length - 1 ? " or " : ", ")
                    .append(values[i]);
        }
        throw new picocli.CommandLine.TypeConversionException(
                "unknown " + what + " '" + value + "' (expected " + expected + ")");
    }

    static int defaultEpochs(Model m) {
        switch (m) {
            case mlp:
                return 10;
            case cnn:
                return 3;
            case resnet:
                return 25;
            default:
                return 25;
        }
    }

    /** The augmentation of each model when --augment is not given. */
    static Augment defaultAugment(Model m) {
        return m == Model.cnn_bn || m == Model.resnet ? Augment.flip_crop : Augment.none;
    }

    /** The network for images {@code (N, 1, 28, 28)}, giving logits {@code (N, 10)}. */
    Module network() {
        if (model == Model.resnet) {
            if (dropout != null) {
                throw new UsageError("fashion-mnist: --dropout is not used by the resnet model");
            }
            try {
                return ResNet.grayscale28(depth, width, 10);
            } catch (IllegalArgumentException e) {
                throw new UsageError("fashion-mnist: " + e.getMessage());
            }
        }
        return network(model, dropout);
    }

    /** The non-residual networks for images {@code (N, 1, 28, 28)}, giving logits {@code (N, 10)}. */
    static Sequential network(Model m, Double dropout) {
        double p = dropout != null ? dropout : m == Model.mlp ? 0.2 : 0.0;
        ConvOptions same = ConvOptions.defaults().padding("same");
        switch (m) {
            case mlp:
                return new Sequential(
                        new Flatten(),
                        new Linear(784, 256),
                        new ReLU(),
                        new Dropout(p),
                        new Linear(256, 128),
                        new ReLU(),
                        new Dropout(p),
                        new Linear(128, 10));
            case cnn:
                // (N, 1, 28, 28) -> (N, 32, 14, 14) -> (N, 64, 7, 7) -> 128 -> 10
                return new Sequential(
                        new Conv2d(1, 32, 3, same),
                        new ReLU(),
                        new MaxPool2d(2),
                        new Conv2d(32, 64, 3, same),
                        new ReLU(),
                        new MaxPool2d(2),
                        new Flatten(),
                        new Linear(64 * 7 * 7, 128),
                        new ReLU(),
                        new Linear(128, 10));
            default:
                // the same shape with batch normalization after each convolution and a wider hidden layer;
                // dropout before and after it only when asked (the augmentation regularizes enough)
                Sequential s = new Sequential(
                        new Conv2d(1, 32, 3, same),
                        new BatchNorm2d(32),
                        new ReLU(),
                        new MaxPool2d(2),
                        new Conv2d(32, 64, 3, same),
                        new BatchNorm2d(64),
                        new ReLU(),
                        new MaxPool2d(2),
                        new Flatten());
                if (p > 0) {
                    s.add(new Dropout(p));
                }
                s.add(new Linear(64 * 7 * 7, 256)).add(new ReLU());
                if (p > 0) {
                    s.add(new Dropout(p));
                }
                return s.add(new Linear(256, 10));
        }
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        if (dropout != null && !(dropout >= 0 && dropout < 1)) {
            throw new UsageError("fashion-mnist: --dropout must be in [0, 1), got " + dropout);
        }
        long t0 = System.nanoTime();
        int epochs = common.epochsOr(defaultEpochs(model));
        TensorDataset train = ExampleData.head(ExampleData.fashion(common.data, Mnist.Split.TRAIN), trainSize);
        TensorDataset test = ExampleData.head(ExampleData.fashion(common.data, Mnist.Split.TEST), testSize);
        common.stdout.printf(
                "fashion-mnist: model %s, %d training and %d test images, %d epochs%n",
                model, train.size(), test.size(), epochs);

        // standardized with the training images' mean and standard deviation (one channel)
        Normalize norm = Normalize.perChannel(train.input());
        Augment aug = augment != null ? augment : defaultAugment(model);
        Transform trainTransform = norm;
        if (aug == Augment.flip) {
            // mirror half the images
            trainTransform = Transform.compose(new RandomHorizontalFlip(), norm);
        } else if (aug == Augment.flip_crop) {
            // mirror half the images, shift them by up to 2 pixels (zero padding, then crop)
            trainTransform = Transform.compose(new RandomHorizontalFlip(), new RandomCrop(28, 2), norm);
        }
        int batch = batchSize != null ? batchSize : model == Model.resnet ? 128 : 64;
        if (batch < 1) {
            throw new UsageError("fashion-mnist: --batch-size must be at least 1, got " + batch);
        }
        DataLoader trainLoader = DataLoader.builder(train)
                .batchSize(batch)
                .shuffle(true)
                .seed(common.seed)
                .inputTransform(trainTransform)
                .build();
        DataLoader testLoader =
                DataLoader.builder(test).batchSize(1000).inputTransform(norm).build();

        Module net = network();
        net.resetParameters(new Generator(common.seed));
        double peak = lr != null ? lr : model == Model.cnn_bn || model == Model.resnet ? 0.002 : 0.001;
        Adam adam = new Adam(net.parameters(), peak);
        Trainer trainer = Trainer.builder(net, new CrossEntropyLoss(), adam)
                .metrics(Metric.accuracy())
                .seed(common.seed)
                .build();
        // the learning rate decays from its peak to 0 along a half cosine over all the steps
        FitOptions fit = new FitOptions()
                .epochs(epochs)
                .validationData(testLoader)
                .callbacks(new ScheduleCallback(new CosineAnnealingLR(adam, epochs * trainLoader.numBatches())));
        History h = trainer.fit(trainLoader, fit);
        Map<String, Double> r = trainer.evaluate(testLoader);
        testLoader.close();
        common.writeHistory(h, "fashion-mnist-" + model);
        new ResultLine()
                .put("model", model.toString())
                .put("augment", aug.toString())
                .put("test_acc", r.get("accuracy"), 4)
                .put("test_loss", r.get("loss"), 4)
                .put("epochs", epochs)
                .seconds(t0)
                .print(common.stdout);
        return 0;
    }
}
