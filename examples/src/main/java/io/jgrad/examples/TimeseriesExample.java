package io.jgrad.examples;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.LSTM;
import io.jgrad.layers.Linear;
import io.jgrad.layers.MSELoss;
import io.jgrad.layers.RecurrentOptions;
import io.jgrad.layers.Sequential;
import io.jgrad.optim.Adam;
import io.jgrad.optim.CosineAnnealingLR;
import io.jgrad.train.FitOptions;
import io.jgrad.train.History;
import io.jgrad.train.Trainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * One-step-ahead forecasting of a synthetic series with an LSTM; writes a PNG of the forecast
 * against the truth over the test period.
 */
@Command(
        name = "timeseries",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "An LSTM forecasting a noisy sum of sines with a trend, one step ahead.",
            "The series, for t = 0 .. N-1:  y(t) = sin(2 pi t / 40) + 0.5 sin(2 pi t / 15.3) + 0.004 t + "
                    + "e(t), with e(t) independent normal noise of standard deviation --noise (default 0.1): no "
                    + "forecast can beat an error of about --noise. From the last --window values the model predicts "
                    + "the next one. Windows are given relative to their last value and the model predicts the change, "
                    + "so the trend never takes the inputs out of the range seen in training. LSTM of 32 units, last "
                    + "state -> linear; trained on the windows of the first 80%% of the series, tested on the last "
                    + "20%%. Reports the test RMSE against the 'repeat the last value' forecast.",
            "The chart goes to --out DIR (default: the current folder) as timeseries-forecast.png. --data is "
                    + "not used."
        })
public final class TimeseriesExample implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--length",
            paramLabel = "N",
            defaultValue = "2000",
            description = "Points in the series (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(
            names = "--window",
            paramLabel = "W",
            defaultValue = "50",
            description = "Past values seen (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(
            names = "--noise",
            paramLabel = "STD",
            defaultValue = "0.1",
            description = "Noise standard deviation (default: ${DEFAULT-VALUE}).")
    double noise;

    @Option(
            names = "--hidden",
            paramLabel = "H",
            defaultValue = "32",
            description = "LSTM units (default: ${DEFAULT-VALUE}).")
    int hidden;

    /** The series described in the command's help. */
    static double[] series(int n, double noise, Generator g) {
        double[] e = Tensor.randn(g, io.jgrad.core.DType.FLOAT64, n).toDoubleArray();
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            y[t] = Math.sin(2 * Math.PI * t / 40) + 0.5 * Math.sin(2 * Math.PI * t / 15.3) + 0.004 * t + noise * e[t];
        }
        return y;
    }

    /**
     * Windows ending at {@code from .. to-1}: inputs {@code (n, window, 1)} = {@code y[t-window+1..t] - y[t]}
     * and targets {@code (n, 1)} = {@code y[t+1] - y[t]}.
     */
    static TensorDataset windows(double[] y, int window, int from, int to) {
        int n = to - from;
        float[] x = new float[n * window];
        float[] d = new float[n];
        for (int k = 0; k < n; k++) {
            int t = from + k;
            for (int i = 0; i < window; i++) {
                x[k * window + i] = (float) (y[t - window + 1 + i] - y[t]);
            }
            d[k] = (float) (y[t + 1] - y[t]);
        }
        return new TensorDataset(Tensor.wrap(x, n, window, 1), Tensor.wrap(d, n, 1));
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        long t0 = System.nanoTime();
        int epochs = common.epochsOr(20);
        if (window < 2 || length < 5 * window) {
            throw new UsageError("timeseries: need --window >= 2 and --length >= 5 x --window, got window " + window
                    + ", length " + length);
        }
        double[] y = series(length, noise, new Generator(common.seed));
        // a window ends at t (window-1 .. length-2) and predicts t+1; the first 80% of the end points train
        int first = window - 1;
        int last = length - 1;
        int split = first + (int) (0.8 * (last - first));
        TensorDataset train = windows(y, window, first, split);
        TensorDataset test = windows(y, window, split, last);
        common.stdout.printf(
                "timeseries: %d points, windows of %d, %d training and %d test forecasts, %d epochs%n",
                length, window, train.size(), test.size(), epochs);

        Sequential model = new Sequential(
                new LSTM(1, hidden, RecurrentOptions.defaults().returnSequences(false)), new Linear(hidden, 1));
        model.resetParameters(new Generator(common.seed));
        Adam adam = new Adam(model.parameters(), 3e-3);
        Trainer trainer =
                Trainer.builder(model, new MSELoss(), adam).seed(common.seed).build();
        int batch = 32;
        int stepsTotal = epochs * ((train.size() + batch - 1) / batch);
        History h = trainer.fit(
                train,
                new FitOptions()
                        .epochs(epochs)
                        .batchSize(batch)
                        .seed(common.seed)
                        .validationData(test)
                        .callbacks(new ScheduleCallback(new CosineAnnealingLR(adam, stepsTotal))));
        common.writeHistory(h, "timeseries", java.util.List.of("loss"));

        // forecasts: the last value plus the predicted change
        double[] change = trainer.predict(test.input(), 256)
                .reshape(-1)
                .to(io.jgrad.core.DType.FLOAT64)
                .toDoubleArray();
        int n = test.size();
        double[] truth = new double[n];
        double[] forecast = new double[n];
        double se = 0;
        double seNaive = 0;
        for (int k = 0; k < n; k++) {
            int t = split + k;
            truth[k] = y[t + 1];
            forecast[k] = y[t] + change[k];
            se += (forecast[k] - truth[k]) * (forecast[k] - truth[k]);
            seNaive += (y[t] - truth[k]) * (y[t] - truth[k]);
        }
        double rmse = Math.sqrt(se / n);
        double naive = Math.sqrt(seNaive / n);
        common.stdout.printf(
                "test RMSE %.4f; repeating the last value: %.4f; the noise alone: %.4f%n", rmse, naive, noise);

        LineChart chart = new LineChart("one-step-ahead forecast on the test period", "t", "y");
        chart.addAll("truth", split + 1, truth).addAll("LSTM forecast", split + 1, forecast);
        Path png = common.out != null ? common.outFile("timeseries-forecast.png") : Path.of("timeseries-forecast.png");
        chart.write(png, 1000, 450);
        common.stdout.println("wrote " + png);
        new ResultLine()
                .put("test_rmse", rmse, 4)
                .put("naive_rmse", naive, 4)
                .put("noise_std", noise, 3)
                .put("epochs", epochs)
                .seconds(t0)
                .print(common.stdout);
        return 0;
    }
}
