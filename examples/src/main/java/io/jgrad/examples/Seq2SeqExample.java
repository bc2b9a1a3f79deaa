package io.jgrad.examples;

import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.DataLoader;
import io.jgrad.data.TensorDataset;
import io.jgrad.models.seq2seq.Hypothesis;
import io.jgrad.models.seq2seq.LstmSeq2Seq;
import io.jgrad.models.seq2seq.Seq2Seq;
import io.jgrad.models.seq2seq.SequenceCrossEntropyLoss;
import io.jgrad.models.seq2seq.SpecialTokens;
import io.jgrad.models.seq2seq.TransformerSeq2Seq;
import io.jgrad.optim.Adam;
import io.jgrad.optim.OneCycleLR;
import io.jgrad.train.FitOptions;
import io.jgrad.train.History;
import io.jgrad.train.Trainer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Sequence to sequence on the addition task of Keras's {@code addition_rnn} example: a string such as
 * {@code "535+61"} is mapped to {@code "596"}, character by character. Operands have 1 to
 * {@code --digits} digits (the count drawn uniformly, then the number); the held-out problems share no
 * operand pair with the training ones (in either order). Two models: an LSTM encoder-decoder with
 * Luong attention and a Transformer; the exact-match accuracy of greedy decoding on the held-out
 * problems is the result, and beam search is measured on part of them too.
 */
@Command(
        name = "seq2seq",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Learns to add numbers written as strings (\"535+61\" -> \"596\", Keras's addition example) with an LSTM "
                    + "encoder-decoder with attention (bidirectional encoder, 128 units, Luong et al. 2015) or a Transformer (2 + 2 "
                    + "layers, d 64, 4 heads, Vaswani et al. 2017), and reports "
                    + "the exact-match accuracy of greedy decoding on held-out problems (no operand pair of them is in the "
                    + "training set), and that of beam search on some of them.",
            "--data is ignored. With --out, writes the training history."
        })
public final class Seq2SeqExample implements Callable<Integer> {
    /** The models. */
    enum Model {
        lstm,
        transformer
    }

    /** The token ids: pad 0, bos 1, eos 2, digits 3-12, plus 13. */
    static final SpecialTokens TOKENS = SpecialTokens.DEFAULT;

    static final int DIGIT0 = 3;
    static final int PLUS = 13;
    static final int VOCAB = 14;

    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--model",
            paramLabel = "MODEL",
            defaultValue = "lstm",
            description = "lstm or transformer (default: ${DEFAULT-VALUE}).")
    Model model;

    @Option(
            names = "--digits",
            paramLabel = "D",
            defaultValue = "3",
            description = "Most digits of an operand (default: ${DEFAULT-VALUE}).")
    int digits;

    @Option(
            names = "--train-size",
            paramLabel = "N",
            defaultValue = "50000",
            description = "Training problems, as in Keras's example (default: ${DEFAULT-VALUE}).")
    int trainSize;

    @Option(
            names = "--test-size",
            paramLabel = "N",
            defaultValue = "2000",
            description = "Held-out problems (default: ${DEFAULT-VALUE}).")
    int testSize;

    @Option(
            names = "--beam",
            paramLabel = "K",
            defaultValue = "3",
            description = "Beam width of the beam search (default: ${DEFAULT-VALUE}).")
    int beam;

    @Option(
            names = "--beam-size",
            paramLabel = "N",
            defaultValue = "300",
            description = "Held-out problems decoded by beam search as well (default: ${DEFAULT-VALUE}).")
    int beamSize;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "128",
            description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--lr",
            paramLabel = "LR",
            description = "Adam's peak learning rate of the one-cycle schedule (default: lstm 0.005, "
                    + "transformer 0.002).")
    Double lr;

    /** Training epochs when --epochs is not given. */
    static final int DEFAULT_EPOCHS = 12;

    @Override
    public Integer call() throws Exception {
        common.apply();
        if (digits < 1
                || digits > 6
                || trainSize < 1
                || testSize < 1
                || beam < 1
                || beamSize < 0
                || batchSize < 1
                || (lr != null && !(lr > 0))) {
            throw new UsageError(
                    "seq2seq: --digits must be in [1, 6], --train-size, --test-size, --beam and --batch-size at least 1, "
                            + "--beam-size at least 0 and --lr positive");
        }
        long distinct = pairs(digits);
        if (trainSize + testSize > distinct / 2) {
            throw new UsageError(
                    "seq2seq: " + trainSize + " training and " + testSize + " held-out problems are too many for "
                            + digits + "-digit operands (at most " + distinct / 2 + " together)");
        }
        long t0 = System.nanoTime();
        int epochs = common.epochsOr(DEFAULT_EPOCHS);
        Generator g = new Generator(common.seed);
        // distinct problems (no unordered operand pair twice), shuffled, then split: the held-out ones share
        // no pair with the training ones, and rare kinds (two 1-digit operands) fall on both sides in proportion
        List<int[]> all = problems(trainSize + testSize, g, new HashSet<>());
        for (int i = all.size() - 1; i > 0; i--) {
            Collections.swap(all, i, g.nextInt(i + 1));
        }
        List<int[]> test = all.subList(0, testSize);
        List<int[]> train = all.subList(testSize, all.size());
        int srcLen = 2 * digits + 1;
        int tgtLen = digits + 2; // digits of the sum (at most digits + 1) and eos
        TensorDataset data = encode(train, srcLen, tgtLen);
        common.stdout.printf(
                "seq2seq: model %s, %d training and %d held-out problems with operands of up to %d digits, %d epochs%n",
                model, train.size(), test.size(), digits, epochs);

        Seq2Seq net = model == Model.lstm
                ? new LstmSeq2Seq(VOCAB, VOCAB, TOKENS, 32, 128, 1, 0, true)
                : new TransformerSeq2Seq(VOCAB, VOCAB, TOKENS, 64, 4, 2, 256, 0.0, Math.max(srcLen, tgtLen));
        net.resetParameters(new Generator(common.seed));
        common.stdout.printf("seq2seq: %d parameters%n", net.numParameters());
        DataLoader loader = DataLoader.builder(data)
                .batchSize(batchSize)
                .shuffle(true)
                .seed(common.seed)
                .build();
        double peak = lr != null ? lr : model == Model.lstm ? 0.005 : 0.002;
        Adam adam = new Adam(net.parameters(), peak);
        Trainer trainer = Trainer.builder(net, new SequenceCrossEntropyLoss(TOKENS.pad()), adam)
                .seed(common.seed)
                .build();
        FitOptions fit = new FitOptions()
                .epochs(epochs)
                .callbacks(new ScheduleCallback(new OneCycleLR(adam, peak, epochs * loader.numBatches())));
        History h = trainer.fit(loader, fit);
        common.writeHistory(h, "seq2seq-" + model);

        // greedy decoding of every held-out problem, in batches
        int correct = 0;
        int maxSteps = tgtLen;
        List<String> shown = new ArrayList<>();
        for (int start = 0; start < test.size(); start += 500) {
            List<int[]> part = test.subList(start, Math.min(test.size(), start + 500));
            int[][] sources = new int[part.size()][];
            for (int i = 0; i < part.size(); i++) {
                sources[i] = sourceIds(part.get(i));
            }
            Hypothesis[] out = net.greedyDecode(sources, maxSteps);
            for (int i = 0; i < part.size(); i++) {
                String got = text(out[i].tokens());
                String want = Integer.toString(part.get(i)[0] + part.get(i)[1]);
                correct += out[i].finished() && got.equals(want) ? 1 : 0;
                if (shown.size() < 8) {
                    shown.add(part.get(i)[0] + "+" + part.get(i)[1] + " -> " + got
                            + (got.equals(want) ? "" : " (want " + want + ")"));
                }
            }
        }
        double exact = (double) correct / test.size();
        common.stdout.println("seq2seq: held-out examples: " + String.join(", ", shown));
        // beam search on the first held-out problems
        int beamN = Math.min(beamSize, test.size());
        int beamCorrect = 0;
        int greedyOnBeamSet = 0;
        for (int i = 0; i < beamN; i++) {
            int[] p = test.get(i);
            String want = Integer.toString(p[0] + p[1]);
            Hypothesis best = net.beamSearch(sourceIds(p), beam, maxSteps).get(0);
            beamCorrect += best.finished() && text(best.tokens()).equals(want) ? 1 : 0;
            Hypothesis greedy = net.greedyDecode(sourceIds(p), maxSteps);
            greedyOnBeamSet += greedy.finished() && text(greedy.tokens()).equals(want) ? 1 : 0;
        }
        if (beamN > 0) {
            common.stdout.printf(
                    "seq2seq: on the first %d held-out problems, greedy %d and beam search (width %d) %d correct%n",
                    beamN, greedyOnBeamSet, beam, beamCorrect);
        }
        ResultLine r = new ResultLine().put("model", model.toString()).put("exact_match", exact, 4);
        if (beamN > 0) {
            r.put("beam_exact_match", (double) beamCorrect / beamN, 4);
        }
        r.put("epochs", epochs).seconds(t0).print(common.stdout);
        return 0;
    }

    /** The number of ordered operand pairs with 1 to {@code digits} digits. */
    static long pairs(int digits) {
        long n = 1;
        for (int d = 0; d < digits; d++) {
            n *= 10;
        }
        return n * n;
    }

    /** {@code n} problems {a, b} whose unordered pair is not yet in {@code seen} (which they join). */
    List<int[]> problems(int n, Generator g, Set<Long> seen) {
        List<int[]> out = new ArrayList<>(n);
        while (out.size() < n) {
            int a = operand(g);
            int b = operand(g);
            long key = (long) Math.min(a, b) * 10_000_000L + Math.max(a, b);
            if (seen.add(key)) {
                out.add(new int[] {a, b});
            }
        }
        return out;
    }

    /** A number of 1 to {@code digits} digits, the count drawn uniformly first (as Keras's example). */
    private int operand(Generator g) {
        int d = 1 + g.nextInt(digits);
        int hi = 1;
        for (int k = 0; k < d; k++) {
            hi *= 10;
        }
        return g.nextInt(hi);
    }

    /** The source ids of "a+b". */
    static int[] sourceIds(int[] p) {
        String s = p[0] + "+" + p[1];
        int[] ids = new int[s.length()];
        for (int i = 0; i < s.length(); i++) {
            ids[i] = s.charAt(i) == '+' ? PLUS : DIGIT0 + s.charAt(i) - '0';
        }
        return ids;
    }

    /** Output tokens as text: digits as themselves, any other token as '?'. */
    static String text(int[] tokens) {
        StringBuilder sb = new StringBuilder();
        for (int t : tokens) {
            sb.append(t >= DIGIT0 && t < DIGIT0 + 10 ? (char) ('0' + t - DIGIT0) : '?');
        }
        return sb.toString();
    }

    /** Inputs (source, decoder input) and the target: right-padded INT32 ids. */
    static TensorDataset encode(List<int[]> problems, int srcLen, int tgtLen) {
        int n = problems.size();
        int[] src = new int[n * srcLen];
        int[] in = new int[n * tgtLen];
        int[] out = new int[n * tgtLen];
        for (int i = 0; i < n; i++) {
            int[] s = sourceIds(problems.get(i));
            System.arraycopy(s, 0, src, i * srcLen, s.length);
            String sum = Integer.toString(problems.get(i)[0] + problems.get(i)[1]);
            in[i * tgtLen] = TOKENS.bos();
            for (int k = 0; k < sum.length(); k++) {
                int id = DIGIT0 + sum.charAt(k) - '0';
                out[i * tgtLen + k] = id;
                in[i * tgtLen + k + 1] = id;
            }
            out[i * tgtLen + sum.length()] = TOKENS.eos();
        }
        return new TensorDataset(
                List.of(Tensor.wrap(src, n, srcLen), Tensor.wrap(in, n, tgtLen)), Tensor.wrap(out, n, tgtLen), null);
    }
}
