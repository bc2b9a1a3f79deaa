package io.jgrad.examples;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.core.io.SafeTensors;
import io.jgrad.data.DataLoader;
import io.jgrad.data.Mnist;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.Sequential;
import io.jgrad.models.gan.DCGAN;
import io.jgrad.models.gan.FrechetDistance;
import io.jgrad.models.gan.Gan;
import io.jgrad.optim.Adam;
import io.jgrad.optim.CosineAnnealingLR;
import io.jgrad.train.FitOptions;
import io.jgrad.train.History;
import io.jgrad.train.Metric;
import io.jgrad.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.CRC32;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A DCGAN (Radford et al. 2015) on Fashion-MNIST, trained with the non-saturating BCE loss (Goodfellow
 * et al. 2014) or WGAN-GP (Gulrajani et al. 2017), with its quality measured rather than eyeballed:
 * <ul>
 *   <li>class coverage: a Fashion-MNIST classifier (the {@code fashion-mnist --model cnn} network, trained
 *       on first use and cached) labels the samples; the shares of the least and most frequent classes
 *       show mode collapse (without it every class gets about 10%);</li>
 *   <li>FID on classifier features: the Frechet distance (Heusel et al. 2017) between Gaussian fits of the
 *       classifier's penultimate-layer features (128 values) of the samples and of the test images, beside
 *       the floor (as many training images against the test images) and the ceiling (the untrained
 *       generator).</li>
 * </ul>
 * The images are scaled from [0, 1] to [-1, 1] for the generator's tanh output and back for the
 * classifier. With {@code --out}: a grid of samples from the fixed noise after every epoch, the
 * history of both losses (CSV and chart), a checkpoint after every epoch ({@code --resume} continues
 * from it), and the cached classifier unless {@code --cache} says otherwise.
 */
@Command(
        name = "gan",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "A DCGAN on Fashion-MNIST (BCE or WGAN-GP), measured by class coverage and FID on the features of "
                    + "a Fashion-MNIST classifier (trained on first use and cached), against the floor (training "
                    + "images) and the ceiling (the untrained generator). Default: 10 epochs over all 60,000 training "
                    + "images."
        })
public final class GanExample implements Callable<Integer> {
    /** Default epochs, for both losses (WGAN-GP: about 1,870 generator steps on all 60,000 images). */
    static final int DEFAULT_EPOCHS = 10;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--loss",
            paramLabel = "LOSS",
            defaultValue = "wgan-gp",
            description = "bce or wgan-gp (default: ${DEFAULT-VALUE}).")
    String lossName;

    @Option(
            names = "--train-size",
            paramLabel = "N",
            defaultValue = "60000",
            description = "Training images for the GAN (default: ${DEFAULT-VALUE}, all).")
    int trainSize;

    @Option(
            names = "--samples",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Generated samples (and training images for the floor) measured (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(
            names = "--test-size",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Test images (default: ${DEFAULT-VALUE}).")
    int testSize;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "64",
            description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--noise",
            paramLabel = "N",
            defaultValue = "64",
            description = "Noise vector length (default: ${DEFAULT-VALUE}).")
    int noiseDim;

    @Option(
            names = "--lr",
            paramLabel = "LR",
            description = "Adam's learning rate for both networks (default: 2e-4 for bce, 1e-4 for wgan-gp).")
    Double lr;

    @Option(
            names = "--critic-steps",
            paramLabel = "N",
            defaultValue = "5",
            description = "WGAN-GP: critic steps per generator step (default: ${DEFAULT-VALUE}).")
    int criticSteps;

    @Option(
            names = "--penalty",
            paramLabel = "W",
            defaultValue = "10",
            description = "WGAN-GP: gradient penalty weight (default: ${DEFAULT-VALUE}).")
    double penalty;

    @Option(
            names = "--label-smoothing",
            paramLabel = "S",
            defaultValue = "0",
            description = "BCE: one-sided label smoothing, real target 1 - S (default: ${DEFAULT-VALUE}).")
    double labelSmoothing;

    @Option(
            names = "--label-flip",
            paramLabel = "P",
            defaultValue = "0",
            description = "BCE: probability of swapping a discriminator label (default: ${DEFAULT-VALUE}).")
    double labelFlip;

    @Option(
            names = "--classifier-epochs",
            paramLabel = "N",
            defaultValue = "3",
            description = "Epochs of the measuring classifier when it is trained (default: ${DEFAULT-VALUE}).")
    int classifierEpochs;

    @Option(
            names = "--cache",
            paramLabel = "DIR",
            description = "Folder of the cached classifier (default: the --out folder, else ~/.jgrad/cache).")
    Path cache;

    @Option(names = "--resume", description = "Continue from the checkpoint in the --out folder, when there is one.")
    boolean resume;

    /** Images in [0, 1] to the classifier's inputs, and its features. */
    static final class Classifier {
        final Sequential net;
        final double mean;
        final double std;
        final double testAccuracy;

        Classifier(Sequential net, double mean, double std, double testAccuracy) {
            this.net = net;
            this.mean = mean;
            this.std = std;
            this.testAccuracy = testAccuracy;
        }

        /** The penultimate-layer features (N, 128) and the predicted classes (N) of images in [0, 1]. */
        Tensor[] featuresAndClasses(Tensor images) {
            net.eval();
            List<Tensor> feats = new ArrayList<>();
            List<Tensor> classes = new ArrayList<>();
            int n = images.size(0);
            try (var off = Autograd.noGrad()) {
                for (int s = 0; s < n; s += 500) {
                    int len = Math.min(500, n - s);
                    Variable x =
                            Variable.constant(images.narrow(0, s, len).sub(mean).div(std));
                    int last = net.size() - 1;
                    for (int i = 0; i < last; i++) {
                        x = net.get(i).forward(x);
                    }
                    feats.add(x.data());
                    classes.add(net.get(last).forward(x).data().argmax(1, false));
                }
            }
            return new Tensor[] {Tensor.cat(feats, 0), Tensor.cat(classes, 0)};
        }
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        Gan.Loss loss;
        try {
            loss = Gan.Loss.parse(lossName);
        } catch (IllegalArgumentException e) {
            throw new UsageError("gan: --loss must be bce or wgan-gp, got '" + lossName + "'");
        }
        if (trainSize < 1 || samples < 2 || testSize < 2 || batchSize < 1 || noiseDim < 1 || classifierEpochs < 1) {
            throw new UsageError(
                    "gan: --train-size, --batch-size, --noise and --classifier-epochs must be at least 1, --samples and "
                            + "--test-size at least 2");
        }
        if (criticSteps < 1) {
            throw new UsageError("gan: --critic-steps must be at least 1, got " + criticSteps);
        }
        if (!(penalty >= 0)) {
            throw new UsageError("gan: --penalty must be at least 0, got " + penalty);
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1) || !(labelFlip >= 0 && labelFlip < 1)) {
            throw new UsageError("gan: --label-smoothing and --label-flip must be in [0, 1), got " + labelSmoothing
                    + " and " + labelFlip);
        }
        if (resume && common.out == null) {
            throw new UsageError("gan: --resume needs --out (the folder of the checkpoint)");
        }
        long t0 = System.nanoTime();
        int epochs = common.epochsOr(DEFAULT_EPOCHS);
        TensorDataset trainAll = ExampleData.fashion(common.data, Mnist.Split.TRAIN);
        TensorDataset test = ExampleData.head(ExampleData.fashion(common.data, Mnist.Split.TEST), testSize);
        Tensor ganImages = ExampleData.head(trainAll, trainSize).input().mul(2).sub(1);
        common.stdout.printf(
                Locale.ROOT,
                "gan: DCGAN with %s loss, %d training images, %d epochs, batch %d; measured on %d samples "
                        + "against %d test images%n",
                loss,
                ganImages.size(0),
                epochs,
                batchSize,
                samples,
                test.size());

        // the measuring classifier
        Classifier clf = classifier(trainAll, test);
        Tensor testFeatures = clf.featuresAndClasses(test.input())[0];
        FrechetDistance.Gaussian testFit = FrechetDistance.fit(testFeatures);
        Tensor floorImages = trainAll.input().narrow(0, 0, Math.min(samples, trainAll.size()));
        double fidFloor =
                FrechetDistance.distance(FrechetDistance.fit(clf.featuresAndClasses(floorImages)[0]), testFit);

        // the GAN
        double rate = lr != null ? lr : loss == Gan.Loss.WGAN_GP ? 1e-4 : 2e-4;
        double beta2 =
                loss == Gan.Loss.WGAN_GP ? 0.9 : 0.999; // Gulrajani et al.: (0.5, 0.9); Radford et al.: beta1 0.5
        Sequential g = DCGAN.generator(noiseDim, new Generator(common.seed));
        Sequential d = DCGAN.discriminator(DCGAN.Norm.forLoss(loss), new Generator(common.seed + 1));
        Path checkpoint = common.outFile("gan-" + loss + "-checkpoint.safetensors");
        Gan gan = new Gan(
                g,
                d,
                noiseDim,
                new Adam(g.parameters(), new Adam.Options().lr(rate).betas(0.5, beta2)),
                new Adam(d.parameters(), new Adam.Options().lr(rate).betas(0.5, beta2)),
                new Gan.Options()
                        .loss(loss)
                        .batchSize(batchSize)
                        .criticSteps(criticSteps)
                        .penaltyWeight(penalty)
                        .labelSmoothing(labelSmoothing)
                        .labelFlip(labelFlip)
                        .seed(common.seed)
                        .checkpoint(checkpoint));
        Measure ceiling = measure(gan, clf, testFit);
        common.stdout.printf(
                Locale.ROOT,
                "classifier: test accuracy %.4f; FID floor (%d training images) %.3f, ceiling (untrained "
                        + "generator) %.3f%n",
                clf.testAccuracy,
                floorImages.size(0),
                fidFloor,
                ceiling.fid);
        if (resume && checkpoint != null && Files.exists(checkpoint)) {
            gan.loadCheckpoint(checkpoint);
            common.stdout.printf("resumed from %s after epoch %d%n", checkpoint, gan.epoch());
        }
        int batchesPerEpoch = Math.max(1, ganImages.size(0) / Math.min(batchSize, ganImages.size(0)));
        double gStepsPerEpoch = loss == Gan.Loss.WGAN_GP ? (double) batchesPerEpoch / criticSteps : batchesPerEpoch;
        int window = (int) Math.max(1, Math.min(50, gStepsPerEpoch / 4));
        LineChart steps = new LineChart("GAN losses per generator step (means of " + window + ")", "epoch", "loss");
        int[] points = {0};
        long[] tEpoch = {System.nanoTime()};
        gan.fit(ganImages, epochs, new Gan.Listener() {
            double dSum;
            double gSum;
            int count;

            @Override
            public void onGeneratorStep(Gan gan, long step, double dLoss, double gLoss) {
                dSum += dLoss;
                gSum += gLoss;
                if (++count == window) {
                    points[0]++;
                    steps.add("discriminator", (step + 1) / gStepsPerEpoch, dSum / count);
                    steps.add("generator", (step + 1) / gStepsPerEpoch, gSum / count);
                    dSum = 0;
                    gSum = 0;
                    count = 0;
                }
            }

            @Override
            public void onEpochEnd(Gan gan, int epoch, Map<String, Double> logs) throws IOException {
                double secs = (System.nanoTime() - tEpoch[0]) / 1e9;
                tEpoch[0] = System.nanoTime();
                common.stdout.printf(
                        Locale.ROOT,
                        "epoch %d: d_loss %.4f g_loss %.4f d_real %.4f d_fake %.4f%s (%.1f s)%n",
                        epoch + 1,
                        logs.get("d_loss"),
                        logs.get("g_loss"),
                        logs.get("d_real"),
                        logs.get("d_fake"),
                        logs.containsKey("penalty")
                                ? String.format(Locale.ROOT, " penalty %.4f", logs.get("penalty"))
                                : "",
                        secs);
                Path png = common.outFile(String.format(Locale.ROOT, "gan-%s-epoch-%02d.png", loss, epoch + 1));
                if (png != null) {
                    ImageGrid.write(png, gridRows(gan.fixedSamples().add(1).div(2), 8), 2);
                }
            }
        });
        Measure m = measure(gan, clf, testFit);
        common.stdout.printf(
                Locale.ROOT,
                "samples: class shares %s; FID %.3f (floor %.3f, ceiling %.3f)%n",
                shares(m.counts, samples),
                m.fid,
                fidFloor,
                ceiling.fid);
        writeHistory(gan.history(), points[0] > 0 ? steps : null, loss);
        new ResultLine()
                .put("loss", loss.toString())
                .put("epochs", epochs)
                .put("min_class_share", m.minShare, 4)
                .put("max_class_share", m.maxShare, 4)
                .put("fid", m.fid, 3)
                .put("fid_floor", fidFloor, 3)
                .put("fid_ceiling", ceiling.fid, 3)
                .put("classifier_acc", clf.testAccuracy, 4)
                .seconds(t0)
                .print(common.stdout);
        return 0;
    }

    /** Class shares and FID of generated samples. */
    record Measure(double fid, double minShare, double maxShare, int[] counts) {}

    private Measure measure(Gan gan, Classifier clf, FrechetDistance.Gaussian testFit) {
        // fixed noise for the measurement, apart from the training generator
        Generator noise = new Generator(common.seed + 7919);
        List<Tensor> feats = new ArrayList<>();
        List<Tensor> classes = new ArrayList<>();
        for (int s = 0; s < samples; s += 1000) {
            Tensor x = gan.sample(Math.min(1000, samples - s), noise).add(1).div(2);
            Tensor[] fc = clf.featuresAndClasses(x);
            feats.add(fc[0]);
            classes.add(fc[1]);
        }
        double fid = FrechetDistance.distance(FrechetDistance.fit(Tensor.cat(feats, 0)), testFit);
        int[] counts = new int[10];
        for (double c : Tensor.cat(classes, 0).toDoubleArray()) {
            counts[(int) c]++;
        }
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int c : counts) {
            min = Math.min(min, c);
            max = Math.max(max, c);
        }
        return new Measure(fid, (double) min / samples, (double) max / samples, counts);
    }

    static String shares(int[] counts, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%d:%.3f", i, (double) counts[i] / n));
        }
        return sb.toString();
    }

    /** Images (n, 1, H, W) as grid rows of {@code perRow}. */
    static List<Tensor> gridRows(Tensor images, int perRow) {
        List<Tensor> rows = new ArrayList<>();
        for (int s = 0; s < images.size(0); s += perRow) {
            rows.add(images.narrow(0, s, Math.min(perRow, images.size(0) - s)));
        }
        return rows;
    }

    private void writeHistory(History h, LineChart steps, Gan.Loss loss) throws IOException {
        Path csv = common.outFile("gan-" + loss + "-history.csv");
        if (csv == null) {
            return;
        }
        h.writeCsv(csv);
        LineChart perEpoch = new LineChart("GAN losses per epoch (" + loss + ")", "epoch", "loss");
        for (int i = 0; i < h.size(); i++) {
            Map<String, Double> row = h.row(i);
            perEpoch.add("discriminator", h.epochs().get(i) + 1, row.get("d_loss"));
            perEpoch.add("generator", h.epochs().get(i) + 1, row.get("g_loss"));
        }
        Path png = common.outFile("gan-" + loss + "-history.png");
        perEpoch.write(png, 800, 500);
        common.stdout.println("wrote " + csv + " and " + png);
        if (steps != null) {
            Path stepsPng = common.outFile("gan-" + loss + "-steps.png");
            steps.write(stepsPng, 800, 500);
            common.stdout.println("wrote " + stepsPng);
        }
    }

    // ------------------------------------------------------------------------------------------ the measuring
    // classifier

    /** The cached classifier for these training images, or a new one trained and cached. */
    private Classifier classifier(TensorDataset train, TensorDataset test) throws IOException {
        Path dir = cache != null
                ? cache
                : common.out != null ? common.out : Path.of(System.getProperty("user.home"), ".jgrad", "cache");
        Path file = dir.resolve(String.format(
                Locale.ROOT,
                "fashion-cnn-%s-e%d-s%d.safetensors",
                fingerprint(train.input()),
                classifierEpochs,
                common.seed));
        Sequential net = FashionMnistExample.network(FashionMnistExample.Model.cnn, null);
        if (Files.isRegularFile(file)) {
            SafeTensors st = SafeTensors.read(file);
            net.loadStateDict(st.tensors());
            Map<String, String> meta = st.metadata();
            Classifier c = new Classifier(
                    net,
                    Double.parseDouble(meta.get("mean")),
                    Double.parseDouble(meta.get("std")),
                    Double.parseDouble(meta.get("test_acc")));
            common.stdout.printf(
                    Locale.ROOT, "classifier: loaded %s (test accuracy %.4f when trained)%n", file, c.testAccuracy);
            return c;
        }
        long t = System.nanoTime();
        double mean = train.input().mean().item();
        double std = Math.sqrt(train.input().sub(mean).square().mean().item());
        net.resetParameters(new Generator(common.seed));
        Adam adam = new Adam(net.parameters(), 1e-3);
        Trainer trainer = Trainer.builder(net, new CrossEntropyLoss(), adam)
                .metrics(Metric.accuracy())
                .seed(common.seed)
                .build();
        DataLoader trainLoader = DataLoader.builder(train)
                .batchSize(64)
                .shuffle(true)
                .seed(common.seed)
                .inputTransform((x, g) -> x.sub(mean).div(std))
                .build();
        DataLoader testLoader = DataLoader.builder(test)
                .batchSize(1000)
                .inputTransform((x, g) -> x.sub(mean).div(std))
                .build();
        trainer.fit(
                trainLoader,
                new FitOptions()
                        .epochs(classifierEpochs)
                        .verbose(false)
                        .callbacks(new ScheduleCallback(
                                new CosineAnnealingLR(adam, classifierEpochs * trainLoader.numBatches()))));
        double acc = trainer.evaluate(testLoader).get("accuracy");
        testLoader.close();
        trainLoader.close();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("mean", Double.toString(mean));
        meta.put("std", Double.toString(std));
        meta.put("test_acc", Double.toString(acc));
        meta.put("training_images", Integer.toString(train.size()));
        Files.createDirectories(dir);
        SafeTensors.write(file, net.stateDict(), meta);
        common.stdout.printf(
                Locale.ROOT,
                "classifier: trained the fashion-mnist cnn for %d epochs on %d images in %.1f s, test accuracy "
                        + "%.4f; cached in %s%n",
                classifierEpochs,
                train.size(),
                (System.nanoTime() - t) / 1e9,
                acc,
                file);
        return new Classifier(net, mean, std, acc);
    }

    /** A short hash of the images, so that a cached classifier belongs to its training data. */
    static String fingerprint(Tensor images) {
        CRC32 crc = new CRC32();
        float[] v = images.contiguous().toFloatArray();
        byte[] buf = new byte[4 * 4096];
        for (int s = 0; s < v.length; s += 4096) {
            int len = Math.min(4096, v.length - s);
            for (int i = 0; i < len; i++) {
                int b = Float.floatToIntBits(v[s + i]);
                buf[4 * i] = (byte) b;
                buf[4 * i + 1] = (byte) (b >> 8);
                buf[4 * i + 2] = (byte) (b >> 16);
                buf[4 * i + 3] = (byte) (b >> 24);
            }
            crc.update(buf, 0, 4 * len);
        }
        return String.format(Locale.ROOT, "%d-%08x", images.size(0), crc.getValue());
    }
}
