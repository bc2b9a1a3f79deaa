package io.jgrad.examples;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.layers.Embedding;
import io.jgrad.layers.LSTM;
import io.jgrad.layers.Linear;
import io.jgrad.layers.Module;
import io.jgrad.layers.RNNOutput;
import io.jgrad.layers.RecurrentOptions;
import io.jgrad.optim.Adam;
import io.jgrad.optim.ClipGrad;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A character-level language model on Tiny Shakespeare: an embedding, a 2-layer LSTM of 256 units
 * and a linear head, trained to predict each next character, as in Karpathy's char-rnn. The set-up
 * (model, optimizer, batches, evaluation) is the same as a short PyTorch script kept for comparison:
 * embedding 64, LSTM 2 x 256, Adam 2e-3, batches of 32 windows of 64 characters, gradient norm
 * clipped at 5, validation loss over 20 fixed batches every 250 steps.
 */
@Command(
        name = "char-lstm",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "A 2-layer LSTM character language model on Tiny Shakespeare; samples text at the end.",
            "Embedding 64 -> LSTM 2 x 256 -> linear; Adam 2e-3; batches of 32 windows of 64 characters at "
                    + "random offsets of the first 90%% of the text; gradient norm clipped at 5; every --eval-every "
                    + "steps the validation loss (nats per character, mean over 20 fixed batches of the last 10%%) is "
                    + "printed.",
            "--epochs N sets the number of steps to N x --eval-every (one 'epoch' = one evaluation interval).",
            "Needs tinyshakespeare.txt: --data pointing at the file or its folder, or in "
                    + "~/.jgrad/datasets/tinyshakespeare."
        })
public final class CharLstmExample implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--steps",
            paramLabel = "N",
            description = "Training steps (default: 2000, or --epochs x --eval-every).")
    Integer steps;

    @Option(
            names = "--eval-every",
            paramLabel = "N",
            defaultValue = "250",
            description = "Steps between validations (default: ${DEFAULT-VALUE}).")
    int evalEvery;

    @Option(
            names = "--hidden",
            paramLabel = "H",
            defaultValue = "256",
            description = "LSTM units per layer (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(
            names = "--batch-size",
            paramLabel = "B",
            defaultValue = "32",
            description = "Windows per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--seq-len",
            paramLabel = "T",
            defaultValue = "64",
            description = "Characters per window (default: ${DEFAULT-VALUE}).")
    int seqLen;

    @Option(
            names = "--lr",
            paramLabel = "LR",
            defaultValue = "0.002",
            description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(
            names = "--temperature",
            paramLabel = "T",
            defaultValue = "0.8",
            description = "Sampling temperature (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(
            names = "--sample-length",
            paramLabel = "N",
            defaultValue = "500",
            description = "Characters sampled at the end (default: ${DEFAULT-VALUE}).")
    int sampleLength;

    @Option(
            names = "--prompt",
            paramLabel = "TEXT",
            defaultValue = "ROMEO:",
            description = "Start of the sample (default: ${DEFAULT-VALUE}).")
    String prompt;

    /** Embedding, stacked LSTM, linear head: tokens {@code (B, T)} to logits {@code (B, T, V)}. */
    static final class Model extends Module {
        final Embedding embedding;
        final LSTM lstm;
        final Linear head;

        Model(int vocab, int embed, int hidden, int layers) {
            embedding = registerModule("embedding", new Embedding(vocab, embed));
            lstm = registerModule(
                    "lstm", new LSTM(embed, hidden, RecurrentOptions.defaults().numLayers(layers)));
            head = registerModule("head", new Linear(hidden, vocab));
        }

        @Override
        public Variable forward(Variable tokens) {
            return logits(tokens.data());
        }

        Variable logits(Tensor tokens) {
            return head.call(lstm.call(embedding.lookup(tokens)));
        }

        /**
         * Continues {@code prompt} by {@code count} characters drawn one at a time, carrying the LSTM's
         * states from step to step (the prompt is read once).
         */
        int[] generate(int[] prompt, int count, double temperature, Generator g) {
            boolean wasTraining = isTraining();
            eval();
            int[] seq = java.util.Arrays.copyOf(prompt, prompt.length + count);
            try (var off = Autograd.noGrad()) {
                RNNOutput out =
                        lstm.run(embedding.lookup(Tensor.wrap(prompt, 1, prompt.length)), (Tensor) null, null, null);
                for (int n = prompt.length; n < seq.length; n++) {
                    // the output of the last step read: (1, T, H) -> (H)
                    Variable last = out.output().select(1, out.output().size(1) - 1);
                    float[] logits =
                            head.call(last).data().reshape(-1).contiguous().toFloatArray();
                    seq[n] = Sampling.sample(logits, temperature, g);
                    out = lstm.run(
                            embedding.lookup(Tensor.wrap(new int[] {seq[n]}, 1, 1)), (Tensor) null, out.hN(), out.cN());
                }
            } finally {
                train(wasTraining);
            }
            return seq;
        }
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        long t0 = System.nanoTime();
        int total = steps != null ? steps : common.epochs != null ? common.epochs * evalEvery : 2000;
        if (total < 1 || evalEvery < 1) {
            throw new UsageError(
                    "char-lstm: --steps and --eval-every must be at least 1, got " + total + " and " + evalEvery);
        }
        CharCorpus corpus = new CharCorpus(ExampleData.shakespeare(common.data));
        int v = corpus.vocabSize();
        Model model = new Model(v, 64, hidden, 2);
        model.resetParameters(new Generator(common.seed));
        model.setGenerator(new Generator(common.seed + 1));
        Adam adam = new Adam(model.parameters(), lr);
        common.stdout.printf(
                "char-lstm: %d characters (%d distinct), %d for training, %d for validation; %d parameters;"
                        + " %d steps of %d x %d characters%n",
                corpus.train.length + corpus.val.length,
                v,
                corpus.train.length,
                corpus.val.length,
                model.numParameters(),
                total,
                batchSize,
                seqLen);

        Generator g = new Generator(common.seed);
        CharCorpus.Log log = new CharCorpus.Log();
        model.train();
        StepProgress progress = StepProgress.onStdout(common.stdout, total, Math.max(1, evalEvery / 10));
        for (int s = 1; s <= total; s++) {
            Tensor[] xy = CharCorpus.batch(corpus.train, batchSize, seqLen, g);
            adam.zeroGrad();
            Variable loss = CharCorpus.loss(model.logits(xy[0]), xy[1]);
            loss.backward();
            ClipGrad.clipGradNorm(model.parameters(), 5.0);
            adam.step();
            progress.step(s, loss.item());
            if (s % evalEvery == 0 || s == total) {
                progress.clear();
                double val = corpus.validationLoss(model, model::logits, batchSize, seqLen, 20);
                double secs = (System.nanoTime() - t0) / 1e9;
                log.add(s, loss.item(), val, secs);
                common.stdout.printf("step %d train %.3f val %.3f elapsed_s %.0f%n", s, loss.item(), val, secs);
            }
        }
        log.write(common, "char-lstm", common.stdout);

        int[] start = corpus.vocab.encode(prompt);
        int[] text = model.generate(start, sampleLength, temperature, new Generator(common.seed + 2));
        common.stdout.printf("%n--- sample (temperature %s) ---%n%s%n---%n", temperature, corpus.vocab.decode(text));
        new ResultLine()
                .put("val_loss", log.lastVal(), 4)
                .put("train_loss", log.lastTrain(), 4)
                .put("steps", total)
                .seconds(t0)
                .print(common.stdout);
        return 0;
    }
}
