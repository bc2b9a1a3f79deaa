package io.jgrad.bench;

import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.layers.Embedding;
import io.jgrad.layers.LSTM;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Losses;
import io.jgrad.layers.RecurrentOptions;
import io.jgrad.layers.TransformerEncoderLayer;
import io.jgrad.optim.Adam;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code lstm} and {@code attn}: training throughput of sequence models on random data, as the PyTorch
 * reference script's {@code lstm_bench} and {@code attn_bench}: a fixed batch, some untimed warm-up
 * steps, then timed steps of zero-grad, forward, loss, backward and Adam; tokens per second =
 * steps * batch * sequence length / seconds.
 */
final class SequenceWorkload {
    private SequenceWorkload() {}

    /** Something that runs one training step. */
    private interface Step {
        void run();
    }

    /**
     * Warm-up steps untimed, then the timed steps: {@code train_tokens_per_s=...} over the timed steps and
     * the {@link StepStats} figures (the warm-up steps are left out of the steady ones).
     */
    private static String tokensPerSecond(Step step, int warmup, int steps, int tokensPerStep, double flopsPerToken) {
        StepStats stats = new StepStats(warmup);
        for (int s = 0; s < warmup; s++) {
            stats.begin();
            step.run();
            stats.end(0);
        }
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            stats.begin();
            step.run();
            stats.end(flopsPerToken * tokensPerStep);
        }
        double tps = (double) steps * tokensPerStep / ((System.nanoTime() - t0) / 1e9);
        stats.finish();
        return String.format(Locale.ROOT, "train_tokens_per_s=%.0f ", tps) + stats.format();
    }

    /**
     * Embedding(65, 64), a 2-layer LSTM of 256 units (batch-first), a linear head to 65; random tokens
     * x, y (32, 64); cross entropy over every position; Adam 2e-3; 5 warm-up then 50 timed steps.
     */
    static String runLstm(Main.Options o) {
        int batch = 32;
        int seq = 64;
        int hidden = 256;
        int vocab = 65;
        Generator.manualSeed(0);
        Embedding emb = new Embedding(vocab, 64);
        LSTM rnn = new LSTM(64, hidden, RecurrentOptions.defaults().numLayers(2).batchFirst(true));
        Linear head = new Linear(hidden, vocab);
        List<Parameter> params = new ArrayList<>(emb.parameters());
        params.addAll(rnn.parameters());
        params.addAll(head.parameters());
        Adam opt = new Adam(params, 2e-3);
        Generator g = new Generator(0);
        Variable x = Variable.constant(Tensor.randint(g, 0, vocab, batch, seq));
        Tensor y = Tensor.randint(g, 0, vocab, batch, seq).reshape(-1);
        Step step = () -> {
            opt.zeroGrad();
            Variable out = rnn.run(emb.call(x)).output(); // (32, 64, 256)
            Variable loss = Losses.crossEntropy(head.call(out).reshape(-1, vocab), y);
            loss.backward();
            opt.step();
        };
        // per token: both layers' input and recurrent products and the head, 3 times the forward's FLOPs
        double forward = 2.0 * (64 * 4 * hidden + 3 * hidden * 4 * hidden + hidden * vocab);
        return "lstm2x256 " + tokensPerSecond(step, 5, 50, batch * seq, 3 * forward);
    }

    /**
     * One post-norm transformer encoder layer (d 256, 8 heads, feed-forward 1024, no dropout,
     * batch-first) on x ~ N(0, 1) of shape (32, 128, 256); loss mean(out^2); Adam 1e-3; 3 warm-up then
     * 30 timed steps.
     */
    static String runAttn(Main.Options o) {
        int batch = 32;
        int seq = 128;
        int d = 256;
        Generator.manualSeed(0);
        TransformerEncoderLayer layer = new TransformerEncoderLayer(d, 8, 4 * d, 0.0, "relu", 1e-5, true, false);
        Adam opt = new Adam(layer.parameters(), 1e-3);
        Variable x = Variable.constant(Tensor.randn(new Generator(0), batch, seq, d));
        Step step = () -> {
            opt.zeroGrad();
            layer.call(x).square().mean().backward();
            opt.step();
        };
        // per token: the q, k, v and output projections, the feed-forward, scores and weighted values
        double forward = 2.0 * (4 * d * d + 2 * d * 4 * d + 2 * seq * d);
        return "transformer_layer d256 " + tokensPerSecond(step, 3, 30, batch * seq, 3 * forward);
    }
}
