package io.jgrad.examples;

import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.layers.CausalTransformerLM;
import io.jgrad.optim.AdamW;
import io.jgrad.optim.ClipGrad;
import io.jgrad.optim.LambdaLR;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A small decoder-only (GPT-style) transformer trained as a character language model on Tiny
 * Shakespeare: token and learned position embeddings, pre-norm layers of causal self-attention and
 * a GELU feed-forward block, then a linear head. Samples text at the end.
 */
@Command(
        name = "transformer",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "A small causal transformer character model on Tiny Shakespeare; samples text at the end.",
            "Defaults: 2 pre-norm layers, model size 128, 4 heads, feed-forward 512, context of 64 "
                    + "characters, dropout 0.1; AdamW 1e-3 (weight decay 0.01) warmed up over 100 steps then decayed "
                    + "along a half cosine; batches of 32 windows; gradient norm clipped at 1; validation loss (nats "
                    + "per character, 20 fixed batches of the last 10%% of the text) every --eval-every steps. --epochs "
                    + "N sets the number of steps to N x --eval-every.",
            "Needs tinyshakespeare.txt: --data pointing at the file or its folder, or in "
                    + "~/.jgrad/datasets/tinyshakespeare."
        })
public final class TransformerExample implements Callable<Integer> {
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
            names = "--layers",
            paramLabel = "N",
            defaultValue = "2",
            description = "Transformer layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(
            names = "--d-model",
            paramLabel = "D",
            defaultValue = "128",
            description = "Model size (default: ${DEFAULT-VALUE}).")
    int dModel;

    @Option(
            names = "--heads",
            paramLabel = "N",
            defaultValue = "4",
            description = "Attention heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(
            names = "--context",
            paramLabel = "T",
            defaultValue = "64",
            description = "Context length in characters (default: ${DEFAULT-VALUE}).")
    int context;

    @Option(
            names = "--batch-size",
            paramLabel = "B",
            defaultValue = "32",
            description = "Windows per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--lr",
            paramLabel = "LR",
            defaultValue = "0.001",
            description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(
            names = "--dropout",
            paramLabel = "P",
            defaultValue = "0.1",
            description = "Dropout (default: ${DEFAULT-VALUE}).")
    double dropout;

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

    @Override
    public Integer call() throws Exception {
        common.apply();
        long t0 = System.nanoTime();
        int total = steps != null ? steps : common.epochs != null ? common.epochs * evalEvery : 2000;
        if (total < 1 || evalEvery < 1) {
            throw new UsageError(
                    "transformer: --steps and --eval-every must be at least 1, got " + total + " and " + evalEvery);
        }
        if (dModel % heads != 0) {
            throw new UsageError("transformer: --d-model " + dModel + " is not a multiple of --heads " + heads);
        }
        CharCorpus corpus = new CharCorpus(ExampleData.shakespeare(common.data));
        int v = corpus.vocabSize();
        CausalTransformerLM model = new CausalTransformerLM(v, context, dModel, heads, layers, 4 * dModel, dropout);
        model.resetParameters(new Generator(common.seed));
        model.setGenerator(new Generator(common.seed + 1));
        AdamW opt = new AdamW(model.parameters(), lr); // weight decay 0.01
        int warmup = Math.min(100, Math.max(1, total / 10));
        // linear warm-up, then a half cosine down to 0 at the last step
        LambdaLR schedule = new LambdaLR(
                opt,
                s -> s < warmup
                        ? (s + 1) / (double) warmup
                        : 0.5 * (1 + Math.cos(Math.PI * (s - warmup) / Math.max(1, total - warmup))));
        common.stdout.printf(
                "transformer: %d characters (%d distinct); %d layers, d_model %d, %d heads, context %d; %d parameters;"
                        + " %d steps of %d x %d characters%n",
                corpus.train.length + corpus.val.length,
                v,
                layers,
                dModel,
                heads,
                context,
                model.numParameters(),
                total,
                batchSize,
                context);

        Generator g = new Generator(common.seed);
        CharCorpus.Log log = new CharCorpus.Log();
        model.train();
        StepProgress progress = StepProgress.onStdout(common.stdout, total, Math.max(1, evalEvery / 10));
        for (int s = 1; s <= total; s++) {
            Tensor[] xy = CharCorpus.batch(corpus.train, batchSize, context, g);
            opt.zeroGrad();
            Variable loss = CharCorpus.loss(model.logits(xy[0]), xy[1]);
            loss.backward();
            ClipGrad.clipGradNorm(model.parameters(), 1.0);
            opt.step();
            schedule.step();
            progress.step(s, loss.item());
            if (s % evalEvery == 0 || s == total) {
                progress.clear();
                double val = corpus.validationLoss(model, model::logits, batchSize, context, 20);
                double secs = (System.nanoTime() - t0) / 1e9;
                log.add(s, loss.item(), val, secs);
                common.stdout.printf("step %d train %.3f val %.3f elapsed_s %.0f%n", s, loss.item(), val, secs);
            }
        }
        log.write(common, "transformer", common.stdout);

        int[] start = corpus.vocab.encode(prompt);
        int[] text = model.generate(start, sampleLength, temperature, new Generator(common.seed + 2));
        common.stdout.printf("%n--- sample (temperature %s) ---%n%s%n---%n", temperature, corpus.vocab.decode(text));
        new ResultLine()
                .put("val_loss", log.lastVal(), 4)
                .put("train_loss", log.lastTrain(), 4)
                .put("steps", total)
                .put("params", model.numParameters())
                .seconds(t0)
                .print(common.stdout);
        return 0;
    }
}
