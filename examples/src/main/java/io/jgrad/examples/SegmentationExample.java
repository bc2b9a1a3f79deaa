package io.jgrad.examples;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.DataLoader;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.models.unet.UNet;
import io.jgrad.optim.Adam;
import io.jgrad.optim.CosineAnnealingLR;
import io.jgrad.train.FitOptions;
import io.jgrad.train.History;
import io.jgrad.train.Trainer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Semantic segmentation with a U-Net on a synthetic data set the example generates itself
 * ({@link SyntheticShapes}): grey-scale images of ellipses, rectangles and triangles on noisy textured
 * backgrounds, a class per pixel. It reports the mean intersection over union of the four classes and
 * the pixel accuracy on held-out images generated with another seed, and with {@code --out} writes a
 * PNG of held-out inputs, their true masks and the predicted masks.
 */
@Command(
        name = "segmentation",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Semantic segmentation with a U-Net (Ronneberger et al. 2015, padded convolutions with batch norm) "
                    + "on synthetic images of ellipses, rectangles and triangles on noisy textured backgrounds that the "
                    + "example generates; each pixel is background, ellipse, rectangle or triangle. Reports the mean "
                    + "intersection over union of the four classes (miou) and the pixel accuracy on held-out images.",
            "--data is ignored. With --out, writes segmentation.png (rows: inputs, true masks, predicted masks; black "
                    + "background, red ellipses, green rectangles, blue triangles) and the training history."
        })
public final class SegmentationExample implements Callable<Integer> {
    /** The colours of the classes in the PNG: black, red, green, blue. */
    static final float[][] PALETTE = {{0f, 0f, 0f}, {0.9f, 0.15f, 0.15f}, {0.15f, 0.8f, 0.15f}, {0.2f, 0.35f, 1f}};

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--size",
            paramLabel = "PX",
            defaultValue = "32",
            description = "Image height and width, a multiple of 2^depth (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(
            names = "--train-size",
            paramLabel = "N",
            defaultValue = "3000",
            description = "Training images (default: ${DEFAULT-VALUE}).")
    int trainSize;

    @Option(
            names = "--test-size",
            paramLabel = "N",
            defaultValue = "500",
            description = "Held-out images (default: ${DEFAULT-VALUE}).")
    int testSize;

    @Option(
            names = "--noise",
            paramLabel = "SD",
            defaultValue = "0.08",
            description = "Standard deviation of the pixel noise (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(
            names = "--depth",
            paramLabel = "D",
            defaultValue = "3",
            description = "U-Net poolings (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(
            names = "--width",
            paramLabel = "W",
            defaultValue = "12",
            description = "Channels of the first level; they double at each level (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "16",
            description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--lr",
            paramLabel = "LR",
            defaultValue = "0.002",
            description = "Adam's peak learning rate, decayed to 0 along a half cosine (default: ${DEFAULT-VALUE}).")
    double lr;

    @Override
    public Integer call() throws Exception {
        common.apply();
        if (trainSize < 1 || testSize < 1 || batchSize < 1 || !(noise >= 0) || !(lr > 0)) {
            throw new UsageError(
                    "segmentation: --train-size, --test-size and --batch-size must be at least 1, --noise at least 0 "
                            + "and --lr positive");
        }
        UNet net;
        try {
            net = new UNet(1, SyntheticShapes.CLASSES, depth, width);
        } catch (IllegalArgumentException e) {
            throw new UsageError("segmentation: " + e.getMessage());
        }
        if (size < 16 || net.outputSize(size) != size) {
            throw new UsageError("segmentation: --size must be at least 16 and a multiple of 2^depth = " + (1 << depth)
                    + ", got " + size);
        }
        long t0 = System.nanoTime();
        int epochs = common.epochsOr(10);
        // training and held-out images from independent streams of the seed
        TensorDataset train = SyntheticShapes.generate(trainSize, size, noise, new Generator(common.seed));
        TensorDataset test = SyntheticShapes.generate(testSize, size, noise, new Generator(common.seed + 1_000_003L));
        common.stdout.printf(
                "segmentation: %d training and %d held-out %dx%d images, U-Net depth %d width %d, %d epochs%n",
                trainSize, testSize, size, size, depth, width, epochs);

        net.resetParameters(new Generator(common.seed));
        DataLoader trainLoader = DataLoader.builder(train)
                .batchSize(batchSize)
                .shuffle(true)
                .seed(common.seed)
                .build();
        Adam adam = new Adam(net.parameters(), lr);
        Trainer trainer = Trainer.builder(net, new CrossEntropyLoss(), adam)
                .seed(common.seed)
                .build();
        FitOptions fit = new FitOptions()
                .epochs(epochs)
                .callbacks(new ScheduleCallback(new CosineAnnealingLR(adam, epochs * trainLoader.numBatches())));
        History h = trainer.fit(trainLoader, fit);

        Tensor logits = trainer.predict(test, 100); // (N, 4, H, W)
        Tensor predicted = logits.argmax(1, false); // (N, H, W) INT32
        double[] iou = new double[SyntheticShapes.CLASSES];
        double pixelAcc = scores(predicted.toIntArray(), test.target().toIntArray(), iou);
        double miou = 0;
        StringBuilder per = new StringBuilder();
        for (int c = 0; c < iou.length; c++) {
            miou += iou[c] / iou.length;
            per.append(String.format(" %s %.4f", SyntheticShapes.NAMES[c], iou[c]));
        }
        common.stdout.println("segmentation: IoU per class:" + per);
        common.writeHistory(h, "segmentation");
        Path png = common.outFile("segmentation.png");
        if (png != null) {
            int n = Math.min(10, testSize);
            Tensor inputs = test.input().narrow(0, 0, n).contiguous();
            ImageGrid.writeRgb(
                    png,
                    List.of(grey(inputs), colour(test.target().narrow(0, 0, n)), colour(predicted.narrow(0, 0, n))),
                    3);
        }
        new ResultLine()
                .put("miou", miou, 4)
                .put("pixel_acc", pixelAcc, 4)
                .put("epochs", epochs)
                .seconds(t0)
                .print(common.stdout);
        return 0;
    }

    /**
     * Fills {@code iou} with each class's intersection over union over all pixels (a class absent from
     * both prediction and truth scores 1) and returns the pixel accuracy.
     */
    static double scores(int[] predicted, int[] truth, double[] iou) {
        if (predicted.length != truth.length) {
            throw new IllegalArgumentException(
                    "segmentation: " + predicted.length + " predicted pixels but " + truth.length + " true ones");
        }
        long[] inter = new long[iou.length];
        long[] union = new long[iou.length];
        long correct = 0;
        for (int i = 0; i < truth.length; i++) {
            int p = predicted[i];
            int t = truth[i];
            if (p == t) {
                correct++;
                inter[t]++;
                union[t]++;
            } else {
                union[t]++;
                union[p]++;
            }
        }
        for (int c = 0; c < iou.length; c++) {
            iou[c] = union[c] == 0 ? 1.0 : (double) inter[c] / union[c];
        }
        return (double) correct / truth.length;
    }

    /** Grey images {@code (n, 1, H, W)} as colour images {@code (n, 3, H, W)}. */
    private static Tensor grey(Tensor x) {
        int n = x.size(0);
        return x.expand(n, 3, x.size(2), x.size(3)).contiguous();
    }

    /** Class masks {@code (n, H, W)} as colour images {@code (n, 3, H, W)} in the {@link #PALETTE}. */
    static Tensor colour(Tensor mask) {
        int n = mask.size(0);
        int h = mask.size(1);
        int w = mask.size(2);
        int[] m = mask.contiguous().toIntArray();
        float[] rgb = new float[n * 3 * h * w];
        for (int k = 0; k < n; k++) {
            for (int p = 0; p < h * w; p++) {
                float[] c = PALETTE[m[k * h * w + p]];
                for (int b = 0; b < 3; b++) {
                    rgb[(k * 3 + b) * h * w + p] = c[b];
                }
            }
        }
        return Tensor.wrap(rgb, n, 3, h, w);
    }
}
