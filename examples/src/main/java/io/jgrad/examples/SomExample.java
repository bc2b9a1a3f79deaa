package io.jgrad.examples;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.TensorDataset;
import io.jgrad.models.som.Decay;
import io.jgrad.models.som.Grid;
import io.jgrad.models.som.Neighborhood;
import io.jgrad.models.som.SOM;
import io.jgrad.models.som.SomImages;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A self-organizing map (Kohonen 1982, 2001) on Fisher's iris or the UCI digits, both shipped in the
 * jar: trained without labels on the training part of a fixed 80/20 split (iris: stratified, standardized
 * with the training statistics; digits: the split of the {@code digits} example, pixels in [0, 1]),
 * then measured: quantization and topographic errors on the training part, node purity (the share of
 * training samples whose node's majority label is their own) and the accuracy of labelling the test
 * samples by their node's majority label (the nearest labelled node). With {@code --out}, writes the
 * U-matrix with the nodes' majority labels and the component planes as PNGs.
 */
@Command(
        name = "som",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "A self-organizing map on iris or the UCI digits (both shipped in the jar): quantization and "
                    + "topographic errors, node purity, and the accuracy of labelling held-out samples by their node.",
            "--data is ignored. With --out, writes som-<dataset>-umatrix.png and " + "som-<dataset>-components.png."
        })
public final class SomExample implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--dataset",
            paramLabel = "NAME",
            defaultValue = "iris",
            description = "iris or digits (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(
            names = "--grid",
            paramLabel = "RxC",
            description = "Grid rows x columns, e.g. 6x9 (default: about 5 sqrt(N) nodes, "
                    + "the sides in the ratio of the data's two main principal axes).")
    String gridSize;

    @Option(
            names = "--topology",
            paramLabel = "T",
            defaultValue = "hexagonal",
            description = "hexagonal or rectangular (default: ${DEFAULT-VALUE}).")
    String topology;

    @Option(
            names = "--mode",
            paramLabel = "M",
            defaultValue = "online",
            description = "online or batch training (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(
            names = "--neighborhood",
            paramLabel = "H",
            defaultValue = "gaussian",
            description = "gaussian or bubble (default: ${DEFAULT-VALUE}).")
    String neighborhood;

    @Option(
            names = "--init",
            paramLabel = "I",
            defaultValue = "pca",
            description = "pca or random (default: ${DEFAULT-VALUE}).")
    String init;

    @Option(
            names = "--radius",
            paramLabel = "START,END",
            split = ",",
            description =
                    "Neighbourhood radius from START to END " + "(default: half the longer side of the grid to 1).")
    double[] radius;

    @Option(
            names = "--lr",
            paramLabel = "START,END",
            split = ",",
            defaultValue = "0.5,0.01",
            description = "Online learning rate from START to END, inverse-time decay (default: ${DEFAULT-VALUE}).")
    double[] lr;

    static <E extends Enum<E>> E parse(Class<E> type, String option, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)
                    || (e.name().toLowerCase(Locale.ROOT).startsWith(value.toLowerCase(Locale.ROOT))
                            && value.length() >= 3)) {
                return e;
            }
        }
        StringBuilder names = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            names.append(names.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        }
        throw new UsageError(option + ": unknown value '" + value + "' (expected one of " + names + ")");
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        long t0 = System.nanoTime();
        boolean iris = dataset.equals("iris");
        if (!iris && !dataset.equals("digits")) {
            throw new UsageError("--dataset: unknown data set '" + dataset + "' (expected iris or digits)");
        }
        Grid.Topology topo = parse(Grid.Topology.class, "--topology", topology);
        SOM.Mode m = parse(SOM.Mode.class, "--mode", mode);
        Neighborhood nb = parse(Neighborhood.class, "--neighborhood", neighborhood);
        if (!init.equals("pca") && !init.equals("random")) {
            throw new UsageError("--init: unknown value '" + init + "' (expected pca or random)");
        }
        TensorDataset[] split = iris ? ExampleData.irisSplit() : ExampleData.digitsSplit();
        Tensor xTrain = split[0].input().reshape(split[0].size(), -1);
        Tensor xTest = split[1].input().reshape(split[1].size(), -1);
        if (iris) {
            Tensor[] s = ExampleData.standardize(xTrain, xTest);
            xTrain = s[0];
            xTest = s[1];
        }
        Tensor yTrain = split[0].target();
        Tensor yTest = split[1].target();
        int classes = iris ? 3 : 10;
        Grid grid;
        if (gridSize != null) {
            String[] p = gridSize.toLowerCase(Locale.ROOT).split("x");
            try {
                if (p.length != 2) {
                    throw new NumberFormatException();
                }
                grid = new Grid(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), topo);
            } catch (NumberFormatException e) {
                throw new UsageError("--grid: expected ROWSxCOLS such as 6x9, got '" + gridSize + "'");
            } catch (IllegalArgumentException e) {
                throw new UsageError("--grid: " + e.getMessage());
            }
        } else {
            grid = SOM.suggestGrid(xTrain, topo);
        }
        int epochs = common.epochsOr(m == SOM.Mode.ONLINE ? 50 : 30);
        SOM.Options opt = new SOM.Options()
                .mode(m)
                .neighborhood(nb)
                .epochs(epochs)
                .seed(common.seed)
                .learningRateDecay(Decay.INVERSE)
                .radiusDecay(Decay.LINEAR);
        try {
            if (radius != null) {
                if (radius.length != 2) {
                    throw new UsageError("--radius: expected START,END, got " + radius.length + " values");
                }
                opt.radius(radius[0], radius[1]);
            }
            if (lr.length != 2) {
                throw new UsageError("--lr: expected START,END, got " + lr.length + " values");
            }
            opt.learningRate(lr[0], lr[1]);
        } catch (IllegalArgumentException e) {
            throw new UsageError(e.getMessage());
        }
        common.stdout.printf(
                "som: %s, %d training and %d test samples of %d features; %s grid (%d nodes), %s training, "
                        + "%s neighbourhood, %s initialization, %d epochs%n",
                dataset,
                xTrain.size(0),
                xTest.size(0),
                xTrain.size(1),
                grid,
                grid.size(),
                m.name().toLowerCase(Locale.ROOT),
                nb.name().toLowerCase(Locale.ROOT),
                init,
                epochs);
        SOM som = new SOM(grid, xTrain.size(1));
        if (init.equals("pca")) {
            som.initPca(xTrain);
        } else {
            som.initRandom(xTrain, new Generator(common.seed));
        }
        common.stdout.printf(
                "initial quantization error %.4f, topographic error %.4f%n",
                som.quantizationError(xTrain), som.topographicError(xTrain));
        List<SOM.Epoch> log = som.train(xTrain, opt);
        int every = Math.max(1, epochs / 5);
        for (SOM.Epoch e : log) {
            if (e.epoch() % every == 0 || e.epoch() == epochs) {
                common.stdout.printf(
                        "epoch %d: radius %.3f, learning rate %s, quantization error %.4f (%.2f s)%n",
                        e.epoch(),
                        e.radius(),
                        Double.isNaN(e.learningRate()) ? "-" : String.format(Locale.ROOT, "%.4f", e.learningRate()),
                        e.quantizationError(),
                        e.seconds());
            }
        }
        double qe = som.quantizationError(xTrain);
        double te = som.topographicError(xTrain);
        int[] nodeLabels = som.nodeLabels(xTrain, yTrain, classes);
        double purity = som.purity(xTrain, yTrain, classes);
        int[] pred = som.classify(xTest, nodeLabels).toIntArray();
        int[] truth = yTest.toIntArray();
        int right = 0;
        for (int i = 0; i < pred.length; i++) {
            right += pred[i] == truth[i] ? 1 : 0;
        }
        double acc = (double) right / pred.length;
        int empty = 0;
        for (int l : nodeLabels) {
            empty += l < 0 ? 1 : 0;
        }
        common.stdout.printf(
                "%d of %d nodes win no training sample; test: %d of %d labelled correctly by their node%n",
                empty, grid.size(), right, pred.length);
        Path u = common.outFile("som-" + dataset + "-umatrix.png");
        if (u != null) {
            String[] labels = new String[grid.size()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = nodeLabels[i] < 0
                        ? ""
                        : iris
                                ? ExampleData.IRIS_CLASSES[nodeLabels[i]].substring(0, 2)
                                : Integer.toString(nodeLabels[i]);
            }
            SomImages.writeUMatrix(som, u, labels, iris ? 44 : 32);
            Path c = common.outFile("som-" + dataset + "-components.png");
            String[] names = iris ? ExampleData.IRIS_FEATURES : null;
            if (iris) {
                SomImages.writeComponentPlanes(som, c, names, 24, 2);
            } else {
                SomImages.writeComponentPlanes(som, c, null, 8, 8);
            }
            common.stdout.println("wrote " + u + " and " + c);
        }
        new ResultLine()
                .put("dataset", dataset)
                .put("qe", qe, 4)
                .put("te", te, 4)
                .put("purity", purity, 4)
                .put("acc", acc, 4)
                .put("grid", grid.rows() + "x" + grid.cols())
                .put("topology", topo.name().toLowerCase(Locale.ROOT))
                .put("mode", m.name().toLowerCase(Locale.ROOT))
                .put("epochs", epochs)
                .seconds(t0)
                .print(common.stdout);
        return 0;
    }
}
