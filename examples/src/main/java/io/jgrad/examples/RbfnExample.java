package io.jgrad.examples;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Loss;
import io.jgrad.layers.MSELoss;
import io.jgrad.layers.Sequential;
import io.jgrad.layers.Tanh;
import io.jgrad.models.rbf.RBFNetwork;
import io.jgrad.optim.Adam;
import io.jgrad.train.FitOptions;
import io.jgrad.train.Metric;
import io.jgrad.train.Trainer;
import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A radial basis function network (Broomhead and Lowe 1988; Moody and Darken 1989) trained in two
 * stages: centres by k-means (k-means++ seeding), widths by the nearest-centre heuristic, the linear
 * output by ridge least squares in closed form; then, as a second measurement, the same network trained
 * end to end (centres, widths and output) by Adam from that solution.
 *
 * <ul>
 *   <li>{@code iris} and {@code digits}: classification (one-hot least squares) on the fixed 80/20 splits
 *       of the {@code som} example, against an MLP with as many tanh hidden units as the network has
 *       Gaussian units (a similar number of parameters), trained with the {@code Trainer} and Adam;</li>
 *   <li>{@code sine}: regression of {@code f(x) = sin(3x) + 0.3x} on [-3, 3] from noisy samples
 *       ({@code y = f(x) + N(0, noise^2)}); the RMSE on fresh noisy test samples is compared with the
 *       noise level (a perfect fit scores the noise level), and the RMSE against {@code f} itself is also
 *       reported. With {@code --out}, a PNG of the fit.</li>
 * </ul>
 */
@Command(
        name = "rbfn",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "An RBF network (k-means centres, nearest-centre widths, least-squares output) on iris or the UCI "
                    + "digits against an MLP of similar size, or on a noisy 1-D function (RMSE against the noise "
                    + "level).",
            "--data is ignored. With --out and --dataset sine, writes rbfn-sine.png (the fit)."
        })
public final class RbfnExample implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--dataset",
            paramLabel = "NAME",
            defaultValue = "iris",
            description = "iris, digits or sine (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(
            names = "--units",
            paramLabel = "N",
            description = "Gaussian units (default: iris 12, digits 200, sine 16).")
    Integer units;

    @Option(
            names = "--width-scale",
            paramLabel = "S",
            description =
                    "Width = S x distance to the nearest other centre " + "(default: iris 1.5, digits 1.5, sine 1).")
    Double widthScale;

    @Option(
            names = "--ridge",
            paramLabel = "R",
            defaultValue = "1e-3",
            description = "Ridge of the least-squares output fit (default: ${DEFAULT-VALUE}).")
    double ridge;

    @Option(
            names = "--e2e-epochs",
            paramLabel = "N",
            description = "Epochs of end-to-end training from the two-stage solution, 0 "
                    + "for none (default: iris 100, digits 20, sine 200).")
    Integer e2eEpochs;

    @Option(
            names = "--noise",
            paramLabel = "S",
            defaultValue = "0.2",
            description = "Noise standard deviation of the sine data (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(
            names = "--samples",
            paramLabel = "N",
            defaultValue = "200",
            description = "Training samples of the sine data (default: ${DEFAULT-VALUE}).")
    int samples;

    @Override
    public Integer call() throws Exception {
        common.apply();
        if (ridge < 0
                || (units != null && units < 1)
                || (widthScale != null && !(widthScale > 0))
                || (e2eEpochs != null && e2eEpochs < 0)
                || !(noise >= 0)
                || samples < 2) {
            throw new UsageError(
                    "--ridge must be at least 0, --units at least 1, --width-scale positive, --e2e-epochs at least 0, "
                            + "--noise at least 0 and --samples at least 2");
        }
        switch (dataset) {
            case "iris":
            case "digits":
                return classify();
            case "sine":
                return sine();
            default:
                throw new UsageError("--dataset: unknown data set '" + dataset + "' (expected iris, digits or sine)");
        }
    }

    private int classify() throws Exception {
        long t0 = System.nanoTime();
        boolean iris = dataset.equals("iris");
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
        int k = units != null ? units : iris ? 12 : 200;
        double scale = widthScale != null ? widthScale : 1.5;
        int e2e = e2eEpochs != null ? e2eEpochs : iris ? 100 : 20;
        int mlpEpochs = common.epochsOr(iris ? 200 : 50);
        if (k > xTrain.size(0)) {
            throw new UsageError("--units: at most the " + xTrain.size(0) + " training samples, got " + k);
        }
        common.stdout.printf(
                "rbfn: %s, %d training and %d test samples of %d features, %d classes; %d Gaussian units%n",
                dataset, xTrain.size(0), xTest.size(0), xTrain.size(1), classes, k);
        long r0 = System.nanoTime();
        RBFNetwork net = RBFNetwork.fit(
                xTrain,
                yTrain,
                classes,
                new RBFNetwork.Options().units(k).widthScale(scale).ridge(ridge).seed(common.seed));
        double rbfSecs = (System.nanoTime() - r0) / 1e9;
        double trainAcc = accuracy(net.classify(xTrain), yTrain);
        double acc = accuracy(net.classify(xTest), yTest);
        common.stdout.printf(
                "RBF network, two-stage (k-means, widths x%.2f, least squares, ridge %s): train %.4f, test %.4f "
                        + "(%.2f s, %d parameters)%n",
                scale, ridge, trainAcc, acc, rbfSecs, net.numParameters());
        double e2eAcc = Double.NaN;
        if (e2e > 0) {
            TensorDataset train = new TensorDataset(xTrain, yTrain);
            Trainer t = Trainer.builder(net, new CrossEntropyLoss(), new Adam(net.parameters(), 1e-3))
                    .metrics(Metric.accuracy())
                    .seed(common.seed)
                    .build();
            t.fit(
                    train,
                    new FitOptions()
                            .epochs(e2e)
                            .batchSize(16)
                            .seed(common.seed)
                            .prefetch(0)
                            .verbose(false));
            e2eAcc = accuracy(net.classify(xTest), yTest);
            common.stdout.printf(
                    "RBF network, then %d epochs end to end (Adam, cross-entropy): test %.4f%n", e2e, e2eAcc);
        }
        // the MLP: as many tanh hidden units as Gaussian units
        Sequential mlp = new Sequential(new Linear(xTrain.size(1), k), new Tanh(), new Linear(k, classes));
        mlp.resetParameters(new Generator(common.seed));
        Trainer t = Trainer.builder(mlp, new CrossEntropyLoss(), new Adam(mlp.parameters(), iris ? 1e-2 : 1e-3))
                .metrics(Metric.accuracy())
                .seed(common.seed)
                .build();
        long m0 = System.nanoTime();
        t.fit(
                new TensorDataset(xTrain, yTrain),
                new FitOptions()
                        .epochs(mlpEpochs)
                        .batchSize(16)
                        .seed(common.seed)
                        .prefetch(0)
                        .verbose(false));
        double mlpAcc = t.evaluate(new TensorDataset(xTest, yTest), 1000).get("accuracy");
        common.stdout.printf(
                "MLP %d-%d-%d (tanh), %d epochs of Adam: test %.4f (%.2f s, %d parameters)%n",
                xTrain.size(1), k, classes, mlpEpochs, mlpAcc, (System.nanoTime() - m0) / 1e9, mlp.numParameters());
        ResultLine r =
                new ResultLine().put("dataset", dataset).put("acc", acc, 4).put("mlp_acc", mlpAcc, 4);
        if (!Double.isNaN(e2eAcc)) {
            r.put("e2e_acc", e2eAcc, 4);
        }
        r.put("units", k).put("epochs", mlpEpochs).seconds(t0).print(common.stdout);
        return 0;
    }

    static double f(double x) {
        return Math.sin(3 * x) + 0.3 * x;
    }

    private int sine() throws Exception {
        long t0 = System.nanoTime();
        int k = units != null ? units : 16;
        double scale = widthScale != null ? widthScale : 1;
        int e2e = e2eEpochs != null ? e2eEpochs : 200;
        if (k > samples) {
            throw new UsageError("--units: at most the " + samples + " training samples, got " + k);
        }
        Generator g = new Generator(common.seed);
        Tensor xTrain = Tensor.rand(g, DType.FLOAT32, samples, 1).mul(6).sub(3);
        Tensor yTrain = target(xTrain, g);
        int nTest = 1000;
        Tensor xTest = Tensor.rand(g, DType.FLOAT32, nTest, 1).mul(6).sub(3);
        Tensor yTest = target(xTest, g);
        Tensor fTest = clean(xTest);
        common.stdout.printf(
                "rbfn: f(x) = sin(3x) + 0.3x on [-3, 3], noise sd %.3f; %d training and %d test samples; %d Gaussian "
                        + "units%n",
                noise, samples, nTest, k);
        RBFNetwork net = RBFNetwork.fit(
                xTrain,
                yTrain,
                0,
                new RBFNetwork.Options().units(k).widthScale(scale).ridge(ridge).seed(common.seed));
        double rmse = rmse(net.predict(xTest), yTest);
        double rmseTrue = rmse(net.predict(xTest), fTest);
        common.stdout.printf(
                "RBF network, two-stage: test RMSE %.4f against the noisy targets, %.4f against f (noise %.4f)%n",
                rmse, rmseTrue, noise);
        Tensor grid = Tensor.linspace(-3, 3, 400).reshape(400, 1);
        Tensor twoStageCurve = net.predict(grid);
        double e2eRmse = Double.NaN;
        if (e2e > 0) {
            Loss mse = new MSELoss();
            Trainer t = Trainer.builder(net, mse, new Adam(net.parameters(), 1e-2))
                    .seed(common.seed)
                    .build();
            t.fit(
                    new TensorDataset(xTrain, yTrain),
                    new FitOptions()
                            .epochs(e2e)
                            .batchSize(32)
                            .seed(common.seed)
                            .prefetch(0)
                            .verbose(false));
            e2eRmse = rmse(net.predict(xTest), yTest);
            common.stdout.printf(
                    "then %d epochs end to end (Adam, MSE): test RMSE %.4f against the noisy targets, %.4f against f%n",
                    e2e, e2eRmse, rmse(net.predict(xTest), fTest));
        }
        Path png = common.outFile("rbfn-sine.png");
        if (png != null) {
            writeFit(png, xTrain, yTrain, grid, twoStageCurve, e2e > 0 ? net.predict(grid) : null, k);
            common.stdout.println("wrote " + png);
        }
        ResultLine r = new ResultLine()
                .put("dataset", "sine")
                .put("rmse", rmse, 4)
                .put("noise", noise, 4)
                .put("rmse_f", rmseTrue, 4);
        if (!Double.isNaN(e2eRmse)) {
            r.put("e2e_rmse", e2eRmse, 4);
        }
        r.put("units", k).seconds(t0).print(common.stdout);
        return 0;
    }

    private Tensor clean(Tensor x) {
        float[] v = x.contiguous().toFloatArray();
        float[] y = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            y[i] = (float) f(v[i]);
        }
        return Tensor.wrap(y, v.length, 1);
    }

    private Tensor target(Tensor x, Generator g) {
        return clean(x).add(Tensor.randn(g, DType.FLOAT32, x.size(0), 1).mul(noise));
    }

    static double rmse(Tensor pred, Tensor y) {
        return Math.sqrt(
                pred.to(DType.FLOAT64).sub(y.to(DType.FLOAT64)).square().mean().item());
    }

    static double accuracy(Tensor pred, Tensor y) {
        int[] p = pred.toIntArray();
        int[] t = y.toIntArray();
        int right = 0;
        for (int i = 0; i < p.length; i++) {
            right += p[i] == t[i] ? 1 : 0;
        }
        return (double) right / p.length;
    }

    private static void writeFit(Path png, Tensor x, Tensor y, Tensor grid, Tensor twoStage, Tensor e2e, int k)
            throws Exception {
        XYSeries samples = new XYSeries("noisy training samples", false, true);
        float[] xs = x.contiguous().toFloatArray();
        float[] ys = y.contiguous().toFloatArray();
        for (int i = 0; i < xs.length; i++) {
            samples.add(xs[i], ys[i]);
        }
        XYSeries truth = new XYSeries("f(x) = sin(3x) + 0.3x", false, true);
        XYSeries fit = new XYSeries("RBF network, two-stage (" + k + " units)", false, true);
        XYSeries fit2 = new XYSeries("RBF network, end to end", false, true);
        float[] gx = grid.contiguous().toFloatArray();
        float[] g1 = twoStage.contiguous().toFloatArray();
        float[] g2 = e2e == null ? null : e2e.contiguous().toFloatArray();
        for (int i = 0; i < gx.length; i++) {
            truth.add(gx[i], f(gx[i]));
            fit.add(gx[i], g1[i]);
            if (g2 != null) {
                fit2.add(gx[i], g2[i]);
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(samples);
        data.addSeries(truth);
        data.addSeries(fit);
        if (g2 != null) {
            data.addSeries(fit2);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(
                "RBF network regression", "x", "y", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        r.setSeriesLinesVisible(0, false);
        r.setSeriesShapesVisible(0, true);
        r.setSeriesShape(0, new java.awt.geom.Ellipse2D.Double(-2, -2, 4, 4));
        r.setSeriesPaint(0, new Color(150, 150, 150));
        Color[] colors = {Color.BLACK, new Color(31, 119, 180), new Color(214, 39, 40)};
        for (int s = 1; s < data.getSeriesCount(); s++) {
            r.setSeriesLinesVisible(s, true);
            r.setSeriesShapesVisible(s, false);
            r.setSeriesPaint(s, colors[s - 1]);
            r.setSeriesStroke(s, new BasicStroke(2f));
        }
        plot.setRenderer(r);
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 550);
    }
}
