package io.jgrad.spark.example;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.Module;
import io.jgrad.optim.Adam;
import io.jgrad.optim.Optimizer;
import io.jgrad.spark.Exchange;
import io.jgrad.spark.SerializableSupplier;
import io.jgrad.spark.SparkData;
import io.jgrad.spark.SparkFitOptions;
import io.jgrad.spark.SparkTrainer;
import io.jgrad.spark.StepStats;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Measures where the time of one {@link SparkTrainer} step goes, for each {@link Exchange}: the slowest worker's forward and
 * backward pass (compute), publishing the weights, fetching them on the workers and summing the
 * gradients (exchange), and the rest of the Spark job (scheduling), with the bytes moved per step,
 * for the example's MLP and CNN at a few global batch sizes and worker counts; and one machine's
 * step with the same model and batch for comparison. Random data of Fashion-MNIST's shape is used
 * (time does not depend on the values).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp spark/target/jgrad-spark-example.jar \
 *     io.jgrad.spark.example.SparkStepBenchmark --master local[2] --workers 1,2 --steps 40
 * </pre>
 *
 * Each line gives medians over the measured steps (after {@code --warmup} steps):
 * {@code exchange model batch workers step_ms compute_ms exchange_ms scheduling_ms single_ms bytes_to bytes_from}.
 * With the barrier exchange, a step's time is the stage's time divided by its steps, its exchange
 * time is the slowest task's {@code allGather} and summing, and its bytes are the base-64 messages.
 * Run it on an otherwise idle machine: timings taken while other work runs mean little.
 */
public final class SparkStepBenchmark {
    private SparkStepBenchmark() {}

    /**
     * Runs the measurements.
     *
     * @param args {@code --master URL} (default local[2]), {@code --workers 1,2}, {@code --batches 64,256},
     *     {@code --models mlp,cnn}, {@code --exchanges broadcast,barrier}, {@code --steps N} (default 40),
     *     {@code --warmup N} (default 10)
     * @throws Exception when Spark fails
     */
    public static void main(String[] args) throws Exception {
        String master = "local[2]";
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--master")) {
                master = args[i + 1];
            }
        }
        SparkConf conf = new SparkConf().setMaster(master).setAppName("jgrad spark step benchmark");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            run(sc, args, System.out);
        }
    }

    /**
     * Runs the measurements on a Spark context.
     *
     * @param sc the context
     * @param args the options of {@link #main} ({@code --master} is ignored)
     * @param out where the table goes
     * @throws IOException when training fails to read or write a checkpoint (none is configured here)
     */
    public static void run(JavaSparkContext sc, String[] args, PrintStream out) throws IOException {
        int[] workers = {1, 2};
        int[] batches = {64, 256};
        String[] models = {"mlp", "cnn"};
        Exchange[] exchanges = {Exchange.BROADCAST, Exchange.BARRIER};
        int steps = 40;
        int warmup = 10;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--master" -> {
                    // the context is given
                }
                case "--workers" -> workers = ints(args[i + 1]);
                case "--batches" -> batches = ints(args[i + 1]);
                case "--models" -> models = args[i + 1].split(",");
                case "--exchanges" ->
                    exchanges = Arrays.stream(args[i + 1].split(","))
                            .map(x -> Exchange.valueOf(x.toUpperCase(Locale.ROOT)))
                            .toArray(Exchange[]::new);
                case "--steps" -> steps = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("SparkStepBenchmark: unknown option " + args[i]);
            }
        }
        out.println(
                "exchange model batch workers step_ms compute_ms exchange_ms scheduling_ms single_ms bytes_to bytes_from");
        for (String model : models) {
            for (int batch : batches) {
                int n = batch * (steps + warmup);
                Generator g = new Generator(5);
                TensorDataset data = new TensorDataset(Tensor.rand(g, n, 1, 28, 28), Tensor.randint(g, 0, 10, n));
                double single = singleStepMillis(SparkFashionMnist.factory(model, 1), data, batch, warmup, steps);
                for (Exchange ex : exchanges) {
                    for (int w : workers) {
                        List<StepStats> stats = new ArrayList<>();
                        SparkTrainer t = SparkTrainer.builder(
                                        SparkFashionMnist.factory(model, 1),
                                        SparkTrainer.lossOf(CrossEntropyLoss::new),
                                        m -> new Adam(m.parameters(), 1e-3))
                                .build();
                        t.fit(
                                sc,
                                SparkData.fromLocal(sc, data, w),
                                new SparkFitOptions()
                                        .epochs(1)
                                        .batchSize(batch)
                                        .workers(w)
                                        .dropLast(true)
                                        .exchange(ex)
                                        .listeners((tr, s) -> stats.add(s)));
                        List<StepStats> measured = stats.subList(warmup, stats.size());
                        out.println(String.format(
                                Locale.ROOT,
                                "%s %s %d %d %.2f %.2f %.2f %.2f %.2f %d %d",
                                ex.name().toLowerCase(Locale.ROOT),
                                model,
                                batch,
                                w,
                                median(measured, StepStats::wallNanos),
                                median(measured, StepStats::computeNanos),
                                median(measured, StepStats::exchangeNanos),
                                median(measured, StepStats::schedulingNanos),
                                single,
                                measured.get(0).bytesToWorkers(),
                                measured.get(0).bytesFromWorkers()));
                    }
                }
            }
        }
    }

    /** The median milliseconds of one single-machine step (forward, backward, Adam) on the same model and batch. */
    private static double singleStepMillis(
            SerializableSupplier<Module> factory, TensorDataset data, int batch, int warmup, int steps) {
        Module m = factory.get();
        m.train();
        Optimizer opt = new Adam(m.parameters(), 1e-3);
        CrossEntropyLoss loss = new CrossEntropyLoss();
        long[] t = new long[steps];
        for (int s = 0; s < warmup + steps; s++) {
            Tensor x = data.input().narrow(0, s * batch, batch);
            Tensor y = data.target().narrow(0, s * batch, batch);
            long t0 = System.nanoTime();
            opt.zeroGrad();
            loss.forward(m.call(Variable.constant(x)), Variable.constant(y)).backward();
            opt.step();
            if (s >= warmup) {
                t[s - warmup] = System.nanoTime() - t0;
            }
        }
        Arrays.sort(t);
        return t[steps / 2] / 1e6;
    }

    private static double median(List<StepStats> stats, java.util.function.ToLongFunction<StepStats> f) {
        long[] v = stats.stream().mapToLong(f).sorted().toArray();
        return v[v.length / 2] / 1e6;
    }

    private static int[] ints(String s) {
        return Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
