package io.jgrad.bench;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.Batch;
import io.jgrad.data.ByteImageDataset;
import io.jgrad.data.Mnist;
import io.jgrad.layers.Conv2d;
import io.jgrad.layers.Dropout;
import io.jgrad.layers.Flatten;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Losses;
import io.jgrad.layers.MaxPool2d;
import io.jgrad.layers.Module;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.Sequential;
import io.jgrad.optim.Adam;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code mlp} and {@code cnn}: Fashion-MNIST classifiers trained exactly like the PyTorch reference
 * script's {@code train()}: Adam (lr 1e-3), batch 128, a fresh random permutation each epoch, the last
 * partial batch kept, cross entropy on the logits. Each epoch's time covers the training loop only (the
 * permutation is drawn before the clock starts, as in the script); test accuracy is measured once at
 * the end, in eval mode without gradients, in batches of 1000.
 *
 * <p>The loop is written directly with layers and the optimizer (no Trainer). The images are kept as
 * bytes ({@link ByteImageDataset}, a quarter of the memory of the script's float tensor) and a batch is
 * converted to FLOAT32 when it is gathered; the values are the same as the script's.
 */
final class FashionWorkload {
    static final int BATCH = 128;
    static final double LR = 1e-3;

    private FashionWorkload() {}

    /** 784-512-ReLU-256-ReLU-10 on flattened images. */
    static Module mlp() {
        return new Sequential(
                new Flatten(), new Linear(784, 512), new ReLU(), new Linear(512, 256), new ReLU(), new Linear(256, 10));
    }

    /** Two 5x5 "same" convolutions with max-pooling, then 3136-1024-10 with dropout 0.5. */
    static Module cnn() {
        return new Sequential(
                new Conv2d(1, 32, 5, 1, 2),
                new ReLU(),
                new MaxPool2d(2),
                new Conv2d(32, 64, 5, 1, 2),
                new ReLU(),
                new MaxPool2d(2),
                new Flatten(),
                new Linear(64 * 7 * 7, 1024),
                new ReLU(),
                new Dropout(0.5),
                new Linear(1024, 10));
    }

    /** The mlp's forward FLOPs per image (2 per multiply-add of its products). */
    static final double MLP_FORWARD_FLOPS = 2.0 * (784 * 512 + 512 * 256 + 256 * 10);

    /** The cnn's forward FLOPs per image: the two convolutions (28x28 and 14x14 outputs) and the dense layers. */
    static final double CNN_FORWARD_FLOPS =
            2.0 * (28 * 28 * 32 * 25 + 14 * 14 * 64 * 32 * 25 + 3136 * 1024 + 1024 * 10);

    static String runMlp(Main.Options o) throws IOException {
        Generator.manualSeed(0); // torch.manual_seed(0): the same weights and dropout masks every run
        return "mlp " + train(mlp(), MLP_FORWARD_FLOPS, o);
    }

    static String runCnn(Main.Options o) throws IOException {
        Generator.manualSeed(0);
        return "cnn " + train(cnn(), CNN_FORWARD_FLOPS, o);
    }

    /**
     * Trains and returns {@code epoch_s=['4.12', ...] test_acc=0.8765} and the {@link StepStats} figures
     * over every epoch (the first 20 steps left out of the steady ones; training FLOPs counted as 3 times
     * the forward's, the usual convention for the two products of the backward).
     */
    static String train(Module model, double forwardFlopsPerImage, Main.Options o) throws IOException {
        Path dir = o.data == null ? null : Path.of(o.data);
        // pixels stay bytes (47 MB instead of 188 MB of floats) and become FLOAT32 per batch
        ByteImageDataset train = Mnist.loadFashionBytes(dir, Mnist.Split.TRAIN);
        ByteImageDataset test = Mnist.loadFashionBytes(dir, Mnist.Split.TEST);
        int n = train.size();
        // start training from a compacted heap, as JMH does before each iteration: the garbage of
        // reading the files goes, and G1 sizes the heap for what training keeps (about 60 MB)
        System.gc();
        Adam opt = new Adam(model.parameters(), LR);
        Generator shuffle = new Generator(0);
        List<String> times = new ArrayList<>();
        StepStats stats = new StepStats(20);
        for (int ep = 0; ep < o.epochs; ep++) {
            model.train();
            int[] perm = Tensor.randperm(shuffle, n).toIntArray();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i += BATCH) {
                stats.begin();
                int b = Math.min(BATCH, n - i);
                Batch batch = train.getBatch(java.util.Arrays.copyOfRange(perm, i, i + b));
                Variable x = Variable.constant(batch.input());
                Tensor y = batch.target();
                opt.zeroGrad();
                Variable loss = Losses.crossEntropy(model.call(x), y);
                loss.backward();
                opt.step();
                stats.end(3 * forwardFlopsPerImage * b);
            }
            times.add(String.format(Locale.ROOT, "'%.2f'", (System.nanoTime() - t0) / 1e9));
        }
        stats.finish();
        model.eval();
        int correct = 0;
        try (var off = Autograd.noGrad()) {
            for (int i = 0; i < test.size(); i += 1000) {
                int b = Math.min(1000, test.size() - i);
                Batch batch = test.range(i, b);
                int[] pred = model.call(batch.input()).data().argmax(1, false).toIntArray();
                int[] truth = batch.target().toIntArray();
                for (int k = 0; k < b; k++) {
                    correct += pred[k] == truth[k] ? 1 : 0;
                }
            }
        }
        return "epoch_s=[" + String.join(", ", times) + "]"
                + String.format(Locale.ROOT, " test_acc=%.4f ", correct / (double) test.size()) + stats.format();
    }
}
