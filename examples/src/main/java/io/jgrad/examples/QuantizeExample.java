package io.jgrad.examples;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.Module;
import io.jgrad.layers.Quantization;
import io.jgrad.layers.Sequential;
import io.jgrad.optim.Adam;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Post-training int8 quantization of a Fashion-MNIST CNN: symmetric per-output-channel int8 weights
 * for its convolutions and fully connected layers, float activations; accuracy, size on disk and
 * inference time before and after.
 */
@Command(
        name = "quantize",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Post-training int8 quantization on Fashion-MNIST: the fashion-mnist cnn (2 convolutions, 128 hidden "
                    + "units) is trained in float, then every Conv2d and Linear gets int8 weights with one scale per output channel "
                    + "(activations stay float).",
            "Reports the test accuracy of both models, their safetensors files' sizes (the int8 file is written, reloaded into "
                    + "a fresh quantized model and checked), and the median time of a forward pass on batches of 1 and of 256 "
                    + "images, float and int8 runs interleaved. Times depend on the machine and its load.",
            "Needs the four IDX files of Fashion-MNIST (see --data)."
        })
public final class QuantizeExample implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--reps",
            paramLabel = "N",
            defaultValue = "51",
            description = "Timed runs of each forward pass (default: " + "${DEFAULT-VALUE}).")
    int reps;

    @Option(
            names = "--train-size",
            paramLabel = "N",
            defaultValue = "0",
            description = "Use only the first N training images (default: all 60000).")
    int trainSize;

    /** A forward pass in evaluation mode without gradients. */
    @SuppressWarnings("try")
    static Runnable forward(Module net, Tensor x) {
        net.eval();
        return () -> {
            try (var off = Autograd.noGrad()) {
                net.call(Variable.constant(x));
            }
        };
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        long t0 = System.nanoTime();
        if (reps < 1) {
            throw new UsageError("quantize: --reps must be at least 1, got " + reps);
        }
        int epochs = common.epochsOr(2);
        TensorDataset[] sets = ExampleData.fashionStandardized(common.data, trainSize);
        TensorDataset train = sets[0];
        TensorDataset test = sets[1];
        common.stdout.printf("quantize: fashion-mnist cnn, %d epochs on %d images%n", epochs, train.size());
        Sequential net = FashionMnistExample.network(FashionMnistExample.Model.cnn, null);
        net.resetParameters(new Generator(common.seed));
        Classifiers.train(
                net, train, epochs, 64, new Adam(net.parameters(), 1e-3), common.seed, Classifiers.CROSS_ENTROPY, null);
        double floatAcc = Classifiers.accuracy(net, test);

        Path dir =
                common.out != null ? Files.createDirectories(common.out) : Files.createTempDirectory("jgrad-quantize");
        Path floatFile = dir.resolve("quantize-float.safetensors");
        Path int8File = dir.resolve("quantize-int8.safetensors");
        net.save(floatFile);
        Sequential quantized = FashionMnistExample.network(FashionMnistExample.Model.cnn, null);
        quantized.load(floatFile);
        Quantization.quantize(quantized);
        quantized.save(int8File);
        // a fresh quantized model loads the int8 file
        Sequential reloaded = FashionMnistExample.network(FashionMnistExample.Model.cnn, null);
        Quantization.quantize(reloaded);
        reloaded.load(int8File);
        double int8Acc = Classifiers.accuracy(reloaded, test);
        long floatBytes = Files.size(floatFile);
        long int8Bytes = Files.size(int8File);
        if (common.out == null) {
            Files.delete(floatFile);
            Files.delete(int8File);
            Files.delete(dir);
        }
        common.stdout.printf(
                "%ntest accuracy: float %.4f, int8 %.4f (difference %+.4f)%n", floatAcc, int8Acc, int8Acc - floatAcc);
        common.stdout.printf(
                "file size: float %d bytes, int8 %d bytes (%.1f%%)%n",
                floatBytes, int8Bytes, 100.0 * int8Bytes / floatBytes);

        Tensor one = test.input().narrow(0, 0, 1).contiguous();
        Tensor many = test.input().narrow(0, 0, Math.min(256, test.size())).contiguous();
        double[] t1 = Classifiers.interleavedMillis(reps, forward(net, one), forward(reloaded, one));
        double[] t256 =
                Classifiers.interleavedMillis(Math.max(1, reps / 5), forward(net, many), forward(reloaded, many));
        common.stdout.printf("forward pass, median ms (float and int8 interleaved; on a shared machine these vary):%n");
        common.stdout.printf("  batch 1:   float %.3f, int8 %.3f%n", t1[0], t1[1]);
        common.stdout.printf("  batch %d: float %.3f, int8 %.3f%n", many.size(0), t256[0], t256[1]);
        new ResultLine()
                .put("float_acc", floatAcc, 4)
                .put("int8_acc", int8Acc, 4)
                .put("float_bytes", floatBytes)
                .put("int8_bytes", int8Bytes)
                .put("float_ms", t1[0], 3)
                .put("int8_ms", t1[1], 3)
                .put("float_ms_256", t256[0], 3)
                .put("int8_ms_256", t256[1], 3)
                .put("epochs", epochs)
                .seconds(t0)
                .print(common.stdout);
        return 0;
    }
}
