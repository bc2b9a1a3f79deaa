package io.jgrad.examples;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.PairSampler;
import io.jgrad.data.TensorDataset;
import io.jgrad.data.TripletSampler;
import io.jgrad.layers.Conv2d;
import io.jgrad.layers.ConvOptions;
import io.jgrad.layers.Flatten;
import io.jgrad.layers.Lambda;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Losses;
import io.jgrad.layers.MaxPool2d;
import io.jgrad.layers.Module;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.Reduction;
import io.jgrad.layers.Sequential;
import io.jgrad.models.metric.Embeddings;
import io.jgrad.models.metric.Siamese;
import io.jgrad.optim.Adam;
import io.jgrad.optim.CosineAnnealingLR;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A Siamese CNN on Fashion-MNIST (Bromley et al. 1993) mapping images to 32-dimensional unit
 * vectors, trained with the contrastive loss (Hadsell, Chopra and LeCun 2006) on balanced pairs or
 * with the triplet loss on random or batch-hard triplets (Hermans, Beyer and Leibe 2017), then measured by
 * face-verification style ROC-AUC on held-out test pairs and by k-nearest-neighbour classification in
 * the embedding space against k-NN on the raw pixels.
 */
@Command(
        name = "siamese",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Metric learning with a Siamese CNN on Fashion-MNIST: 32-dimensional unit-length embeddings trained "
                    + "with the contrastive loss on balanced pairs or the triplet loss on random or batch-hard triplets.",
            "Reports the verification ROC-AUC on --pairs held-out test pairs (half of them of one class, scored by minus "
                    + "the embedding distance), the k-nearest-neighbour test accuracy in the embedding space (training images as "
                    + "references) against k-NN on the raw pixels, and with --out writes a PCA projection of test embeddings "
                    + "coloured by class.",
            "Needs the four IDX files of Fashion-MNIST (see --data)."
        })
public final class SiameseExample implements Callable<Integer> {
    /** The losses. */
    enum LossKind {
        contrastive,
        triplet
    }

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--loss",
            paramLabel = "LOSS",
            defaultValue = "contrastive",
            description = "contrastive (pairs) or triplet (default: ${DEFAULT-VALUE}).")
    LossKind loss;

    @Option(
            names = "--mining",
            paramLabel = "KIND",
            defaultValue = "random",
            description =
                    "Triplets for the triplet loss: random (anchor and positive of a random class, negative of another) "
                            + "or hard (batch-hard: the farthest positive and nearest negative of each anchor in a batch of --per-class "
                            + "images of each of several classes) (default: ${DEFAULT-VALUE}).")
    String mining;

    @Option(
            names = "--margin",
            paramLabel = "M",
            description =
                    "The loss's margin between unit-length embeddings (default: 1.0 for contrastive, 0.3 for triplet).")
    Double margin;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "128",
            description =
                    "Images per step: N/2 pairs for contrastive, N/3 random triplets, or N/K classes of --per-class "
                            + "images for batch-hard triplets (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--per-class",
            paramLabel = "K",
            defaultValue = "16",
            description = "Images of each class in a triplet batch (default: ${DEFAULT-VALUE}).")
    int perClass;

    @Option(
            names = "--lr",
            paramLabel = "LR",
            defaultValue = "0.001",
            description = "Adam's peak learning rate, decayed along a " + "half cosine (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(
            names = "--pairs",
            paramLabel = "N",
            defaultValue = "10000",
            description = "Held-out test pairs for the ROC-AUC " + "(default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(
            names = "--k",
            paramLabel = "K",
            defaultValue = "5",
            description = "Neighbours of the k-NN classifiers (default: " + "${DEFAULT-VALUE}).")
    int k;

    @Option(
            names = "--train-size",
            paramLabel = "N",
            defaultValue = "0",
            description = "Use only the first N training images (default: all 60000).")
    int trainSize;

    /** The embedding network: two convolution blocks, 128 hidden units, 32 outputs scaled to unit length. */
    static Sequential embeddingNet() {
        ConvOptions same = ConvOptions.defaults().padding("same");
        // (N, 1, 28, 28) -> (N, 32, 14, 14) -> (N, 64, 7, 7) -> 128 -> 32, then x / |x|
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
                new Linear(128, 32),
                new Lambda("l2normalize", SiameseExample::unit));
    }

    static Variable unit(Variable x) {
        return x.div(x.square().sum(1, true).add(1e-12).sqrt());
    }

    /** The embeddings of many images, computed in evaluation mode by batches of 1000. */
    @SuppressWarnings("try")
    static Tensor embed(Module net, Tensor images) {
        net.eval();
        Tensor[] parts = new Tensor[(images.size(0) + 999) / 1000];
        try (var off = Autograd.noGrad()) {
            for (int i = 0; i < parts.length; i++) {
                int from = i * 1000;
                parts[i] = net.call(images.narrow(0, from, Math.min(1000, images.size(0) - from)))
                        .data();
            }
        }
        net.train();
        return Tensor.cat(java.util.List.of(parts), 0);
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        long t0 = System.nanoTime();
        if (batchSize < 4) {
            throw new UsageError("siamese: --batch-size must be at least 4, got " + batchSize);
        }
        if (!mining.equals("random") && !mining.equals("hard")) {
            throw new UsageError("siamese: --mining must be random or hard, got '" + mining + "'");
        }
        boolean hard = loss == LossKind.triplet && mining.equals("hard");
        if (hard && (perClass < 2 || batchSize / perClass < 2)) {
            throw new UsageError("siamese: triplet batches need --per-class >= 2 and at least 2 classes per batch, got "
                    + "--batch-size " + batchSize + " --per-class " + perClass);
        }
        if (pairs < 2 || k < 1) {
            throw new UsageError("siamese: --pairs must be at least 2 and --k at least 1, got " + pairs + " and " + k);
        }
        double m = margin != null ? margin : loss == LossKind.contrastive ? 1.0 : 0.3;
        int epochs = common.epochsOr(3);
        TensorDataset[] sets = ExampleData.fashionStandardized(common.data, trainSize);
        TensorDataset train = sets[0];
        TensorDataset test = sets[1];
        int stepsPerEpoch = Math.max(1, train.size() / batchSize);
        common.stdout.printf(
                "siamese: %s loss%s (margin %.2f), %d training and %d test images, %d epochs of %d steps%n",
                loss,
                loss == LossKind.triplet ? " on " + mining + " triplets" : "",
                m,
                train.size(),
                test.size(),
                epochs,
                stepsPerEpoch);

        Sequential net = embeddingNet();
        net.resetParameters(new Generator(common.seed));
        Siamese siamese = new Siamese(net);
        Adam adam = new Adam(siamese.parameters(), lr);
        CosineAnnealingLR schedule = new CosineAnnealingLR(adam, epochs * stepsPerEpoch);
        PairSampler pairSampler = new PairSampler(train, common.seed);
        TripletSampler tripletSampler = new TripletSampler(train, common.seed);
        int[] trainLabels = pairSampler.classes().labels();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            double sum = 0;
            for (int step = 0; step < stepsPerEpoch; step++) {
                adam.zeroGrad();
                Variable l;
                if (loss == LossKind.contrastive) {
                    PairSampler.Pairs p = pairSampler.next(batchSize / 2);
                    Variable[] e = siamese.embedAll(
                            Variable.constant(p.first().input()),
                            Variable.constant(p.second().input()));
                    l = Losses.contrastive(e[0], e[1], p.similar(), m, 1e-6, Reduction.MEAN);
                } else if (!hard) {
                    TripletSampler.Triplets t = tripletSampler.next(batchSize / 3);
                    Variable[] e = siamese.embedAll(
                            Variable.constant(t.anchor().input()),
                            Variable.constant(t.positive().input()),
                            Variable.constant(t.negative().input()));
                    l = Losses.tripletMargin(e[0], e[1], e[2], m, 2, 1e-6, false, Reduction.MEAN);
                } else {
                    int[] idx = tripletSampler.classBatchIndices(batchSize / perClass, perClass);
                    Variable e =
                            siamese.call(Variable.constant(train.getBatch(idx).input()));
                    int[] labels = new int[idx.length];
                    for (int i = 0; i < idx.length; i++) {
                        labels[i] = trainLabels[idx[i]];
                    }
                    int[][] t = TripletSampler.batchHard(e.data(), labels);
                    l = Losses.tripletMargin(
                            e.indexSelect(0, Tensor.of(t[0], t[0].length)),
                            e.indexSelect(0, Tensor.of(t[1], t[1].length)),
                            e.indexSelect(0, Tensor.of(t[2], t[2].length)),
                            m,
                            2,
                            1e-6,
                            false,
                            Reduction.MEAN);
                }
                l.backward();
                adam.step();
                schedule.step();
                sum += l.item();
            }
            common.stdout.printf("epoch %d: mean training loss %.4f%n", epoch, sum / stepsPerEpoch);
        }

        // verification: held-out test pairs scored by minus the embedding distance
        PairSampler testPairs = new PairSampler(test, common.seed + 1000);
        int[][] p = testPairs.sampleIndices(pairs);
        Tensor testEmb = embed(net, test.input());
        int dim = testEmb.size(1);
        float[] te = testEmb.contiguous().toFloatArray();
        double[] score = new double[pairs];
        boolean[] same = new boolean[pairs];
        for (int i = 0; i < pairs; i++) {
            double s = 0;
            for (int j = 0; j < dim; j++) {
                double d = te[p[0][i] * dim + j] - te[p[1][i] * dim + j];
                s += d * d;
            }
            score[i] = -Math.sqrt(s);
            same[i] = p[2][i] == 1;
        }
        double auc = Embeddings.rocAuc(score, same);

        // k-NN: training images as references, test images as queries
        int kk = Math.min(k, train.size());
        int[] testLabels = test.target().toIntArray();
        double knn = Embeddings.knnAccuracy(embed(net, train.input()), trainLabels, testEmb, testLabels, kk);
        // standardizing with one mean and one deviation scales all distances alike: the neighbours are the raw pixels'
        // ones
        double rawKnn = Embeddings.knnAccuracy(
                train.input().flatten(1, 3), trainLabels, test.input().flatten(1, 3), testLabels, kk);
        common.stdout.printf("verification ROC-AUC on %d test pairs: %.4f%n", pairs, auc);
        common.stdout.printf("%d-NN test accuracy: %.4f in the embedding space, %.4f on raw pixels%n", kk, knn, rawKnn);

        Path png = common.outFile("siamese-" + loss + "-pca.png");
        if (png != null) {
            int n = Math.min(2000, test.size());
            Tensor xy = Embeddings.pca2(testEmb.narrow(0, 0, n));
            double[][] pts = new double[n][];
            for (int i = 0; i < n; i++) {
                pts[i] = new double[] {xy.getDouble(i, 0), xy.getDouble(i, 1)};
            }
            ScatterPlot.write(
                    png,
                    pts,
                    java.util.Arrays.copyOf(testLabels, n),
                    ExampleData.FASHION_CLASSES,
                    "PCA of the " + loss + " embeddings of " + n + " test images");
            common.stdout.println("wrote " + png);
        }
        new ResultLine()
                .put("loss", loss.toString())
                .put("auc", auc, 4)
                .put("knn_acc", knn, 4)
                .put("raw_knn_acc", rawKnn, 4)
                .put("epochs", epochs)
                .seconds(t0)
                .print(common.stdout);
        return 0;
    }
}
