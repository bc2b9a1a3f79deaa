package io.jgrad.examples;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.core.io.Npy;
import io.jgrad.data.DataLoader;
import io.jgrad.data.Mnist;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.LSTM;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Normalization;
import io.jgrad.layers.RecurrentOptions;
import io.jgrad.layers.Reshape;
import io.jgrad.layers.Sequential;
import io.jgrad.onnx.OnnxExporter;
import io.jgrad.optim.Adam;
import io.jgrad.train.FitOptions;
import io.jgrad.train.Metric;
import io.jgrad.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Trains a Fashion-MNIST classifier briefly (or loads its weights) and exports it to ONNX, with 16
 * test images and jgrad's outputs for them, so that any ONNX runtime can be checked against jgrad.
 */
@Command(
        name = "export",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Trains a Fashion-MNIST classifier briefly, or loads its weights with --checkpoint, and exports it to "
                    + "ONNX (opset 17, dynamic batch) for serving with ONNX Runtime or any other ONNX runtime.",
            "Writes into the --out folder: model.onnx (input 'input' of raw pixels in [0, 1], shape (N, 1, 28, 28); output "
                    + "'output', the logits (N, 10)), model.safetensors (the weights, for --checkpoint), sample_input.npy (the first "
                    + "16 test images, float32) and sample_output.npy (jgrad's logits for them).",
            "Models (the pixels are standardized inside the model, so the file takes raw images):",
            "  mlp   784-256-128-10 with dropout (the fashion-mnist example's mlp)",
            "  cnn   2 convolutions with pooling, 128 hidden units (the fashion-mnist example's cnn)",
            "  lstm  the 28 rows of an image as a sequence into an LSTM of 128 units, then 10 logits",
            "Needs the four IDX files of Fashion-MNIST (see --data)."
        })
public final class ExportExample implements Callable<Integer> {
    /** The number of test images written to sample_input.npy. */
    static final int SAMPLES = 16;

    /** The exportable models. */
    enum Model {
        mlp,
        cnn,
        lstm
    }

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--model",
            paramLabel = "MODEL",
            defaultValue = "cnn",
            description = "mlp, cnn or lstm (default: ${DEFAULT-VALUE}).")
    Model model;

    @Option(
            names = "--checkpoint",
            paramLabel = "FILE",
            description =
                    "Load the weights from this safetensors file (model.safetensors of an earlier run) instead of training.")
    Path checkpoint;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "64",
            description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--train-size",
            paramLabel = "N",
            defaultValue = "0",
            description = "Train on the first N training images only (default: all 60000).")
    int trainSize;

    @Option(
            names = "--test-size",
            paramLabel = "N",
            defaultValue = "0",
            description = "Measure the accuracy on the first N test images only (default: all 10000).")
    int testSize;

    /** The network for raw images {@code (N, 1, 28, 28)} in [0, 1], giving logits {@code (N, 10)}. */
    static Sequential network(Model m) {
        // standardization with the training images' mean and variance, filled in by standardize()
        Normalization norm = new Normalization(1, 28, 28);
        switch (m) {
            case mlp:
                return new Sequential(norm, FashionMnistExample.network(FashionMnistExample.Model.mlp, null));
            case cnn:
                return new Sequential(norm, FashionMnistExample.network(FashionMnistExample.Model.cnn, null));
            default:
                // (N, 1, 28, 28) -> 28 steps of 28 pixels -> last hidden state (N, 128) -> (N, 10)
                return new Sequential(
                        norm,
                        new Reshape(28, 28),
                        new LSTM(28, 128, RecurrentOptions.defaults().returnSequences(false)),
                        new Linear(128, 10));
        }
    }

    /** Sets the normalization to the mean and variance of all the pixels of {@code images}. */
    static void standardize(Sequential net, Tensor images) {
        Normalization norm = (Normalization) net.get(0);
        double mean = images.mean().item();
        double var = images.sub(mean).square().mean().item();
        norm.mean().fill_(mean);
        norm.variance().fill_(var);
    }

    @Override
    @SuppressWarnings("try") // the no-grad scope is used for its side effect
    public Integer call() throws Exception {
        common.apply();
        if (common.out == null) {
            throw new UsageError("export: give the folder for model.onnx and the samples with --out DIR");
        }
        long t0 = System.nanoTime();
        TensorDataset test = ExampleData.head(ExampleData.fashion(common.data, Mnist.Split.TEST), testSize);
        Sequential net = network(model);
        net.resetParameters(new Generator(common.seed));
        int epochs = 0;
        DataLoader testLoader = DataLoader.builder(test).batchSize(1000).build();
        Trainer trainer;
        if (checkpoint != null) {
            if (!Files.isRegularFile(checkpoint)) {
                throw new UsageError("export: --checkpoint " + checkpoint + " is not a file");
            }
            net.load(checkpoint);
            common.stdout.printf("export: model %s, weights loaded from %s%n", model, checkpoint);
            trainer = Trainer.builder(net, new CrossEntropyLoss(), new Adam(net.parameters(), 1e-3))
                    .metrics(Metric.accuracy())
                    .build();
        } else {
            epochs = common.epochsOr(1);
            TensorDataset train = ExampleData.head(ExampleData.fashion(common.data, Mnist.Split.TRAIN), trainSize);
            common.stdout.printf("export: model %s, %d training images, %d epoch(s)%n", model, train.size(), epochs);
            standardize(net, train.input());
            DataLoader trainLoader = DataLoader.builder(train)
                    .batchSize(batchSize)
                    .shuffle(true)
                    .seed(common.seed)
                    .build();
            trainer = Trainer.builder(net, new CrossEntropyLoss(), new Adam(net.parameters(), 1e-3))
                    .metrics(Metric.accuracy())
                    .seed(common.seed)
                    .build();
            common.writeHistory(trainer.fit(trainLoader, new FitOptions().epochs(epochs)), "export-" + model);
        }
        Map<String, Double> r = trainer.evaluate(testLoader);
        testLoader.close();
        net.eval();

        Path onnx = common.outFile("model.onnx");
        OnnxExporter.builder()
                .docString("jgrad Fashion-MNIST " + model + " classifier: input (N, 1, 28, 28) raw pixels in [0, 1], "
                        + "output (N, 10) logits")
                .build()
                .export(net, onnx, -1, 1, 28, 28);
        if (checkpoint == null) {
            net.save(common.outFile("model.safetensors"));
        }
        Tensor samples =
                test.input().narrow(0, 0, Math.min(SAMPLES, test.size())).contiguous();
        Tensor logits;
        try (var off = Autograd.noGrad()) {
            logits = net.forward(Variable.constant(samples)).data();
        }
        Npy.write(common.outFile("sample_input.npy"), samples);
        Npy.write(common.outFile("sample_output.npy"), logits);
        common.stdout.printf(
                "wrote %s (%d bytes), %s and the samples sample_input.npy %s and sample_output.npy %s%n",
                onnx,
                Files.size(onnx),
                checkpoint == null ? "model.safetensors" : "no weights (loaded)",
                io.jgrad.core.Shape.format(samples.shape()),
                io.jgrad.core.Shape.format(logits.shape()));
        String file = onnx.toString();
        new ResultLine()
                .put("file", file.chars().anyMatch(Character::isWhitespace) ? "model.onnx" : file)
                .put("opset", OnnxExporter.OPSET)
                .put("model", model.name())
                .put("test_acc", r.get("accuracy"), 4)
                .put("epochs", epochs)
                .seconds(t0)
                .print(common.stdout);
        return 0;
    }
}
