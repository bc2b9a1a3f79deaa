package io.jgrad.bench;

import io.jgrad.core.kernel.KernelProvider;
import io.jgrad.core.kernel.Parallel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmark command line:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -jar jgrad-benchmarks.jar WORKLOAD [--epochs N] [--data DIR] [--threads T]
 * java --add-modules jdk.incubator.vector -jar jgrad-benchmarks.jar jmh [JMH arguments]
 * </pre>
 *
 * Each workload prints one result line on standard output in the format of the PyTorch reference script
 * (e.g. {@code gemm sgemm256=...GFLOPS sgemm512=...GFLOPS sgemm1024=...GFLOPS}); what it ran on (JDK,
 * kernels, threads) goes to standard error. {@code jmh} hands the remaining arguments to JMH's own main,
 * e.g. {@code jmh GemmBench -f 1 -wi 3 -i 5}. New workloads are added to {@link #WORKLOADS}.
 */
public final class Main {
    /** A benchmark workload: runs with the parsed options and returns its one result line. */
    @FunctionalInterface
    public interface Workload {
        /** Runs the workload and returns the result line (without a trailing newline), or null if it printed its own. */
        String run(Options options) throws Exception;
    }

    /** The workloads by name, in the order they are listed. */
    static final Map<String, Workload> WORKLOADS = new LinkedHashMap<>();

    static {
        WORKLOADS.put("gemm", GemmWorkload::run);
        WORKLOADS.put("peak", FmaPeak::run);
        WORKLOADS.put("mlp", FashionWorkload::runMlp);
        WORKLOADS.put("cnn", FashionWorkload::runCnn);
        WORKLOADS.put("lstm", SequenceWorkload::runLstm);
        WORKLOADS.put("attn", SequenceWorkload::runAttn);
        WORKLOADS.put("infer", InferenceWorkload::run);
        WORKLOADS.put("all", Main::runAll);
    }

    private Main() {}

    /** Options shared by the workloads; each uses those it needs. */
    public static final class Options {
        /** Training epochs (workloads that train). */
        public int epochs = 1;
        /** Data directory, or null for the workload's default. */
        public String data;
        /** Thread count, or 0 for the default (all cores, or {@code jgrad.threads}). */
        public int threads;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--epochs":
                        o.epochs = positive(a, v);
                        break;
                    case "--data":
                        o.data = v;
                        break;
                    case "--threads":
                        o.threads = positive(a, v);
                        break;
                    default:
                        throw new IllegalArgumentException(
                                "unknown option " + a + " (expected --epochs N, --data DIR, --threads T)");
                }
            }
            return o;
        }

        private static int positive(String name, String v) {
            try {
                int n = Integer.parseInt(v);
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(name + " expects a positive integer, got '" + v + "'");
        }
    }

    /**
     * Runs the workload named by the first argument, or JMH for {@code jmh}.
     *
     * @param args the workload name and its options
     * @throws Exception when the workload fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            System.err.println(usage());
            System.exit(args.length == 0 ? 2 : 0);
            return;
        }
        String name = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (name.equals("jmh")) {
            org.openjdk.jmh.Main.main(rest);
            return;
        }
        Workload w = WORKLOADS.get(name);
        if (w == null) {
            System.err.println(
                    "unknown workload '" + name + "'; available: " + String.join(", ", WORKLOADS.keySet()) + ", jmh");
            System.err.println(usage());
            System.exit(2);
            return;
        }
        Options o;
        try {
            o = Options.parse(rest);
        } catch (IllegalArgumentException e) {
            System.err.println(name + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        if (o.threads > 0) {
            Parallel.setThreads(o.threads);
        }
        System.err.println("jgrad " + name + ": JDK " + Runtime.version() + ", kernels "
                + KernelProvider.kernels().name() + ", threads " + Parallel.threads());
        String line = w.run(o);
        if (line != null) {
            System.out.println(line);
        }
    }

    /**
     * Every other workload in turn (in the reference script's order), each line printed as soon as it is
     * known since the whole suite takes minutes; returns null (nothing left to print).
     */
    static String runAll(Options o) throws Exception {
        for (Map.Entry<String, Workload> e : WORKLOADS.entrySet()) {
            if (!e.getKey().equals("all")) {
                String line = e.getValue().run(o);
                System.out.println(line); // as it comes: the whole suite takes minutes
                System.out.flush();
            }
        }
        return null;
    }

    static String usage() {
        return "usage: java --add-modules jdk.incubator.vector -jar jgrad-benchmarks.jar WORKLOAD [--epochs N]"
                + " [--data DIR] [--threads T]\n"
                + "       java --add-modules jdk.incubator.vector -jar jgrad-benchmarks.jar jmh [JMH arguments]\n"
                + "workloads: " + String.join(", ", WORKLOADS.keySet());
    }
}
