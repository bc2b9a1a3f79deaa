package io.jgrad.bench;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.layers.Embedding;
import io.jgrad.layers.Inference;
import io.jgrad.layers.LSTM;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Module;
import io.jgrad.layers.RNNOutput;
import io.jgrad.layers.RecurrentOptions;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code infer}: batch-1 inference latency, as {@code benchmarks/scripts/torch_infer.py} measures it
 * for PyTorch ({@code torch.no_grad()}, eval mode): the {@code mlp} and {@code cnn} workloads' models
 * on one 1 x 28 x 28 image, and one step of the {@code lstm} workload's model (embedding, 2-layer LSTM
 * of 256 units, linear head) on one token, carrying the hidden and cell states from step to step.
 *
 * <p>Each model runs {@link #WARMUP} untimed calls or more, then {@link #CALLS} calls timed one by one; the
 * result line has the median and the 90th percentile of each, in microseconds: {@code infer mlp_us=...
 * mlp_p90_us=... cnn_us=... cnn_p90_us=... lstm_step_us=... lstm_step_p90_us=...}, then the same keys
 * with {@code _opt} ({@code mlp_opt_us=...}) for the models after {@link Inference#optimize}, which
 * the PyTorch script compares with {@code torch.jit.optimize_for_inference}. The inputs are
 * random (the time does not depend on the values), so the workload needs no data set. The warm-up
 * lasts at least {@link #WARMUP_SECONDS} too, in both scripts.
 */
final class InferenceWorkload {
    /**
     * Untimed calls before the timed ones, and at least {@link #WARMUP_SECONDS} of them: the JIT
     * compiles the path during these (3000 calls of the mlp take a tenth of a second, before C2 is done).
     */
    static final int WARMUP = 3000;
    /** The shortest warm-up per model, in seconds. */
    static final double WARMUP_SECONDS = 2;
    /** Timed calls per model. */
    static final int CALLS = 3000;

    private InferenceWorkload() {}

    /** Something that runs one inference call. */
    private interface Call {
        void run();
    }

    static String run(Main.Options o) {
        return measure(WARMUP, WARMUP_SECONDS, CALLS);
    }

    /**
     * The result line, each model timed over {@code calls} calls after at least {@code warmup} untimed
     * ones lasting at least {@code warmupSeconds}.
     */
    static String measure(int warmup, double warmupSeconds, int calls) {
        Generator.manualSeed(0);
        Generator g = new Generator(0);
        Tensor image = Tensor.rand(g, 1, 1, 28, 28);
        StringBuilder line = new StringBuilder("infer");
        try (var off = Autograd.noGrad()) {
            Variable x = Variable.constant(image);
            for (boolean optimized : new boolean[] {false, true}) {
                String sfx = optimized ? "_opt" : "";
                Module mlp = prepare(FashionWorkload.mlp(), optimized);
                line.append(latency("mlp" + sfx, () -> mlp.call(x), warmup, warmupSeconds, calls));
                Module cnn = prepare(FashionWorkload.cnn(), optimized);
                line.append(latency("cnn" + sfx, () -> cnn.call(x), warmup, warmupSeconds, calls));
                line.append(latency("lstm_step" + sfx, lstmStep(g, optimized), warmup, warmupSeconds, calls));
            }
        }
        return line.toString();
    }

    /** The model in evaluation mode, its weights re-laid by {@link Inference#optimize} when asked. */
    private static <M extends Module> M prepare(M model, boolean optimized) {
        model.eval();
        return optimized ? Inference.optimize(model) : model;
    }

    /** One token through the lstm workload's model, the states carried to the next call. */
    private static Call lstmStep(Generator g, boolean optimized) {
        int vocab = 65;
        Embedding emb = prepare(new Embedding(vocab, 64), optimized);
        LSTM rnn = prepare(
                new LSTM(64, 256, RecurrentOptions.defaults().numLayers(2).batchFirst(true)), optimized);
        Linear head = prepare(new Linear(256, vocab), optimized);
        int[] tokens = Tensor.randint(g, 0, vocab, 1024).toIntArray();
        Variable[] state = new Variable[2];
        int[] t = {0};
        return () -> {
            Variable token = Variable.constant(Tensor.of(new int[] {tokens[t[0]++ & 1023]}, 1, 1));
            RNNOutput out = rnn.run(emb.call(token), (int[]) null, state[0], state[1]); // (1, 1, 256)
            state[0] = out.hN();
            state[1] = out.cN();
            head.call(out.output());
        };
    }

    /** Times the calls one by one: {@code " NAME_us=median NAME_p90_us=p90"}. */
    private static String latency(String name, Call call, int warmup, double warmupSeconds, int calls) {
        long start = System.nanoTime();
        for (int i = 0; i < warmup || System.nanoTime() - start < warmupSeconds * 1e9; i++) {
            call.run();
        }
        long[] ns = new long[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            call.run();
            ns[i] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        return String.format(
                Locale.ROOT, " %s_us=%.1f %s_p90_us=%.1f", name, ns[calls / 2] / 1e3, name, ns[calls * 9 / 10] / 1e3);
    }
}
