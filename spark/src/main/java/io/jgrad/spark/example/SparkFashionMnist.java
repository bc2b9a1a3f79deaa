package io.jgrad.spark.example;

import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.Mnist;
import io.jgrad.data.TensorDataset;
import io.jgrad.layers.Conv2d;
import io.jgrad.layers.CrossEntropyLoss;
import io.jgrad.layers.Flatten;
import io.jgrad.layers.Linear;
import io.jgrad.layers.MaxPool2d;
import io.jgrad.layers.Module;
import io.jgrad.layers.ReLU;
import io.jgrad.layers.Sequential;
import io.jgrad.optim.Adam;
import io.jgrad.spark.Exchange;
import io.jgrad.spark.SerializableSupplier;
import io.jgrad.spark.SparkData;
import io.jgrad.spark.SparkFitOptions;
import io.jgrad.spark.SparkTrainer;
import io.jgrad.train.FitOptions;
import io.jgrad.train.Metric;
import io.jgrad.train.Trainer;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * The {@code spark-fashion-mnist} example: trains an MLP or a small CNN on Fashion-MNIST with
 * {@link SparkTrainer} on a Spark master ({@code local[N]}, a standalone cluster {@code spark://...},
 * or whatever {@code spark-submit} sets), then trains the same model on this machine with
 * {@link Trainer}, and compares test accuracy and weights. Its last line is
 * {@code result: master=URL workers=N model=mlp|cnn test_acc=F single_acc=F max_weight_diff=F seconds=F}.
 */
public final class SparkFashionMnist {
    private static final String HELP = String.join(
            "\n",
            "Usage: spark-fashion-mnist [--master URL] [--model mlp|cnn] [--epochs N] [--data DIR] [--workers N]",
            "                           [--batch-size N] [--train-size N] [--seed N] [--exchange broadcast|barrier]",
            "                           [--out DIR] [--help]",
            "",
            "Trains a model on Fashion-MNIST with synchronous data-parallel SGD on Apache Spark, then the same",
            "model with the same seed and batches on this machine alone, and compares the two: test accuracy",
            "of each and the largest absolute difference between their weights.",
            "",
            "  --master URL       Spark master: local[2] (default), spark://host:7077, ... Under spark-submit",
            "                     the master given to spark-submit is used when this option is left out.",
            "  --model NAME       mlp (784-128-10, default) or cnn (two 3x3 convolutions with pooling).",
            "  --epochs N         epochs (default 2).",
            "  --data DIR         the folder with the four Fashion-MNIST IDX files (plain or gzip); without",
            "                     it the standard places are searched (~/.jgrad/datasets/fashion-mnist,",
            "                     /usr/share/datasets/fashion-mnist).",
            "  --workers N        data-parallel workers, one Spark task each per step (default 2).",
            "  --batch-size N     global batch size (default 64).",
            "  --train-size N     use the first N training images (default: all 60000).",
            "  --seed N           seed of the initialisation and the shuffling (default 1).",
            "  --exchange NAME    how gradients are summed: broadcast (a Spark job per step, default) or",
            "                     barrier (a barrier stage per epoch, gradients through allGather).",
            "  --out DIR          writes the Spark-trained weights (safetensors) and the history (CSV) there.",
            "  --help             this text.");

    private SparkFashionMnist() {}

    /**
     * Runs the example.
     *
     * @param args the options (see {@code --help})
     * @throws Exception when the data cannot be read or training fails
     */
    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the example without exiting.
     *
     * @param args the options
     * @param out where progress and the result line go
     * @param err where usage errors go
     * @return the exit code (0 on success, 2 on a usage error)
     * @throws Exception when the data cannot be read or training fails
     */
    public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.println(HELP);
                return 0;
            }
            String key = a;
            String value;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                key = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                err.println("spark-fashion-mnist: option " + a + " needs a value\n\n" + HELP);
                return 2;
            }
            if (!HELP.contains(key + " ")) {
                err.println("spark-fashion-mnist: unknown option " + key + "\n\n" + HELP);
                return 2;
            }
            o.put(key, value);
        }
        String model = o.getOrDefault("--model", "mlp");
        if (!model.equals("mlp") && !model.equals("cnn")) {
            err.println("spark-fashion-mnist: --model must be mlp or cnn, got " + model);
            return 2;
        }
        Exchange exchange;
        try {
            exchange =
                    Exchange.valueOf(o.getOrDefault("--exchange", "broadcast").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("spark-fashion-mnist: --exchange must be broadcast or barrier, got " + o.get("--exchange"));
            return 2;
        }
        int epochs;
        int workers;
        int batch;
        int trainSize;
        long seed;
        try {
            epochs = positive(o, "--epochs", 2);
            workers = positive(o, "--workers", 2);
            batch = positive(o, "--batch-size", 64);
            trainSize = positive(o, "--train-size", Integer.MAX_VALUE);
            seed = Long.parseLong(o.getOrDefault("--seed", "1"));
        } catch (IllegalArgumentException e) {
            err.println("spark-fashion-mnist: " + e.getMessage());
            return 2;
        }
        Path dataDir = o.containsKey("--data") ? Path.of(o.get("--data")) : null;
        TensorDataset train = Mnist.loadFashion(dataDir, Mnist.Split.TRAIN);
        TensorDataset test = Mnist.loadFashion(dataDir, Mnist.Split.TEST);
        if (trainSize < train.size()) {
            train = new TensorDataset(
                    train.input().narrow(0, 0, trainSize), train.target().narrow(0, 0, trainSize));
        }
        SerializableSupplier<Module> factory = factory(model, seed);

        SparkConf conf = new SparkConf().setAppName("jgrad spark-fashion-mnist");
        if (o.containsKey("--master")) {
            conf.setMaster(o.get("--master"));
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[2]");
        }
        String master = conf.get("spark.master");
        String jar = ownJar();
        if (!master.startsWith("local") && jar != null && !conf.contains("spark.jars")) {
            // executors of a cluster load this example's classes from its jar
            conf.setJars(new String[] {jar});
        }
        if (!master.startsWith("local")
                && !conf.contains("spark.executor.extraJavaOptions")
                && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            // executors use the same (SIMD) kernels as this driver, so that their sums round alike
            conf.set("spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector");
        }
        long t0 = System.nanoTime();
        SparkTrainer st;
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            st = SparkTrainer.builder(
                            factory, SparkTrainer.lossOf(CrossEntropyLoss::new), m -> new Adam(m.parameters(), 1e-3))
                    .metrics(Metric.accuracy())
                    .build();
            st.fit(
                    sc,
                    SparkData.fromLocal(sc, train, workers),
                    new SparkFitOptions()
                            .epochs(epochs)
                            .batchSize(batch)
                            .workers(workers)
                            .seed(seed)
                            .exchange(exchange)
                            .verbose(true));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double sparkAcc = st.evaluate(test, 500).get("accuracy");
        out.printf(
                Locale.ROOT,
                "spark: %d workers, %d epochs in %.1f s, test accuracy %.4f%n",
                workers,
                epochs,
                seconds,
                sparkAcc);

        Module single = factory.get();
        Trainer t = Trainer.builder(single, new CrossEntropyLoss(), new Adam(single.parameters(), 1e-3))
                .metrics(Metric.accuracy())
                .build();
        long t1 = System.nanoTime();
        t.fit(train, new FitOptions().epochs(epochs).batchSize(batch).seed(seed).verbose(false));
        double singleAcc = t.evaluate(test, 500).get("accuracy");
        out.printf(
                Locale.ROOT,
                "single machine: %d epochs in %.1f s, test accuracy %.4f%n",
                epochs,
                (System.nanoTime() - t1) / 1e9,
                singleAcc);
        double diff = maxAbsDiff(st.model(), single);
        if (o.containsKey("--out")) {
            Path dir = Files.createDirectories(Path.of(o.get("--out")));
            st.model().save(dir.resolve("spark-fashion-mnist-" + model + ".safetensors"));
            st.history().writeCsv(dir.resolve("spark-fashion-mnist-" + model + "-history.csv"));
        }
        out.println(String.format(
                Locale.ROOT,
                "result: master=%s workers=%d model=%s test_acc=%.4f single_acc=%.4f max_weight_diff=%.3g seconds=%.1f exchange=%s",
                master.replace(' ', '_'),
                workers,
                model,
                sparkAcc,
                singleAcc,
                diff,
                seconds,
                exchange.name().toLowerCase(Locale.ROOT)));
        out.flush();
        return 0;
    }

    /** The model, initialised from the seed: the same on the driver, on every executor and on one machine. */
    static SerializableSupplier<Module> factory(String model, long seed) {
        return () -> {
            Module m = model.equals("cnn")
                    ? new Sequential(
                            new Conv2d(1, 8, 3, 1, 1),
                            new ReLU(),
                            new MaxPool2d(2),
                            new Conv2d(8, 16, 3, 1, 1),
                            new ReLU(),
                            new MaxPool2d(2),
                            new Flatten(),
                            new Linear(16 * 7 * 7, 10))
                    : new Sequential(new Flatten(), new Linear(784, 128), new ReLU(), new Linear(128, 10));
            m.resetParameters(new Generator(seed));
            return m;
        };
    }

    private static int positive(Map<String, String> o, String key, int dflt) {
        if (!o.containsKey(key)) {
            return dflt;
        }
        int v;
        try {
            v = Integer.parseInt(o.get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got " + o.get(key));
        }
        if (v < 1) {
            throw new IllegalArgumentException(key + " must be >= 1, got " + v);
        }
        return v;
    }

    static double maxAbsDiff(Module a, Module b) {
        double d = 0;
        Map<String, Tensor> sb = b.stateDict();
        for (Map.Entry<String, Tensor> e : a.stateDict().entrySet()) {
            double[] x = e.getValue().to(DType.FLOAT64).toDoubleArray();
            double[] y = sb.get(e.getKey()).to(DType.FLOAT64).toDoubleArray();
            for (int i = 0; i < x.length; i++) {
                d = Math.max(d, Math.abs(x[i] - y[i]));
            }
        }
        return d;
    }

    /** The jar this class was loaded from, or null when it runs from a classes folder. */
    private static String ownJar() throws URISyntaxException {
        var src = SparkFashionMnist.class.getProtectionDomain().getCodeSource();
        if (src == null || src.getLocation() == null) {
            return null;
        }
        Path p = Path.of(src.getLocation().toURI());
        return p.toString().endsWith(".jar") ? p.toString() : null;
    }
}
