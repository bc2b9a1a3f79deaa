package io.jgrad.examples;

import io.jgrad.autograd.NN;
import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.data.WordVocabulary;
import io.jgrad.optim.SGD;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Word vectors by skip-gram with negative sampling (Mikolov et al., 2013) on the words of Tiny
 * Shakespeare, written with the autograd's embedding lookups: each word's vector is trained to
 * score high (dot product) with the "context" vectors of the words around it and low with those of
 * randomly drawn words. Prints the nearest neighbours (cosine) of a few words.
 */
@Command(
        name = "word2vec",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Skip-gram word vectors with negative sampling on the words of Tiny Shakespeare.",
            "Words are lower-cased, punctuation dropped, words seen fewer than --min-count times dropped; "
                    + "frequent words are subsampled (Mikolov et al.); each word predicts the words up to a random "
                    + "1..--window positions away against --negatives words drawn from the unigram distribution to the "
                    + "power 3/4.",
            "Prints nearest neighbours by cosine similarity (of the vectors minus their mean), and the mean "
                    + "cosine of related word pairs (king/queen, day/night, ...) against that of random pairs.",
            "Needs tinyshakespeare.txt: --data pointing at the file or its folder, or in "
                    + "~/.jgrad/datasets/tinyshakespeare."
        })
public final class Word2VecExample implements Callable<Integer> {
    @Mixin
    CommonOptions common = new CommonOptions();

    @Option(
            names = "--dim",
            paramLabel = "D",
            defaultValue = "100",
            description = "Vector size (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(
            names = "--window",
            paramLabel = "W",
            defaultValue = "5",
            description = "Largest context distance (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(
            names = "--negatives",
            paramLabel = "K",
            defaultValue = "5",
            description = "Negative words per pair (default: ${DEFAULT-VALUE}).")
    int negatives;

    @Option(
            names = "--min-count",
            paramLabel = "N",
            defaultValue = "5",
            description = "Least count of a kept word (default: ${DEFAULT-VALUE}).")
    int minCount;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            defaultValue = "1024",
            description = "Pairs per step (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--lr",
            paramLabel = "LR",
            defaultValue = "0.025",
            description = "Learning rate per pair, decayed linearly to 0 as in word2vec.c (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(
            names = "--max-words",
            paramLabel = "N",
            defaultValue = "0",
            description = "Use only the first N words (default: all).")
    int maxWords;

    @Option(
            names = "--words",
            paramLabel = "W",
            split = ",",
            defaultValue = "king,love,death,night,father,sword,gold,heaven",
            description = "Words whose neighbours are printed (default: ${DEFAULT-VALUE}).")
    List<String> queries;

    /** Related word pairs; their mean cosine should clearly exceed that of random pairs. */
    static final String[][] RELATED = {
        {"king", "queen"},
        {"father", "mother"},
        {"son", "daughter"},
        {"brother", "sister"},
        {"lord", "lady"},
        {"day", "night"},
        {"heaven", "earth"},
        {"man", "woman"},
        {"husband", "wife"},
        {"duke", "duchess"},
        {"war", "peace"},
        {"life", "death"},
        {"boy", "girl"},
        {"uncle", "cousin"},
        {"sun", "moon"},
        {"morning", "evening"}
    };

    /** The word tokens (lower case, no punctuation). */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        for (String t : WordVocabulary.tokenize(text, true)) {
            if (Character.isLetterOrDigit(t.codePointAt(0))) {
                out.add(t);
            }
        }
        return out;
    }

    @Override
    public Integer call() throws Exception {
        common.apply();
        long t0 = System.nanoTime();
        int epochs = common.epochsOr(10);
        List<String> tokens = words(ExampleData.shakespeare(common.data));
        if (maxWords > 0 && maxWords < tokens.size()) {
            tokens = tokens.subList(0, maxWords);
        }
        WordVocabulary vocab = WordVocabulary.build(tokens, minCount);
        int v = vocab.size();
        // the corpus without the rare words (id 0, <unk>)
        int[] all = vocab.encode(tokens);
        int[] corpus = Arrays.stream(all).filter(id -> id != 0).toArray();
        double[] freq = new double[v];
        for (int id : corpus) {
            freq[id]++;
        }
        common.stdout.printf(
                "word2vec: %d words, %d kept (vocabulary of %d seen >= %d times), vectors of %d, %d epochs%n",
                tokens.size(), corpus.length, v - 1, minCount, dim, epochs);

        Generator g = new Generator(common.seed);
        NegativeSampler sampler = new NegativeSampler(freq);
        // the word vectors start small and random, the context vectors at zero (as word2vec.c)
        Parameter in = new Parameter(Tensor.rand(g, v, dim).sub(0.5).div(dim));
        Parameter out = new Parameter(Tensor.zeros(v, dim));
        // plain SGD on the summed pair losses (the loss is a mean, so the rate is scaled by the batch size):
        // as word2vec.c, only the rows of the words in the batch move
        SGD sgd = new SGD(List.of(in, out), lr * batchSize);
        long totalSteps = -1;
        LineChart chart = new LineChart("skip-gram loss", "step", "loss");

        long step = 0;
        double lastLoss = Double.NaN;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long te = System.nanoTime();
            int[][] pairs = pairs(corpus, freq, g);
            int n = pairs[0].length;
            if (totalSteps < 0) {
                totalSteps = (long) epochs * ((n + batchSize - 1) / batchSize);
            }
            double sum = 0;
            int batches = 0;
            for (int s = 0; s < n; s += batchSize) {
                int b = Math.min(batchSize, n - s);
                Tensor centers = Tensor.wrap(Arrays.copyOfRange(pairs[0], s, s + b), b);
                Tensor contexts = Tensor.wrap(Arrays.copyOfRange(pairs[1], s, s + b), b);
                Tensor negs = Tensor.wrap(sampler.draw(g, b * negatives), b, negatives);
                sgd.setLr(lr * batchSize * Math.max(1e-4, 1 - step / (double) totalSteps));
                sgd.zeroGrad();
                Variable loss = loss(in, out, centers, contexts, negs);
                loss.backward();
                sgd.step();
                double l = loss.item();
                sum += l;
                batches++;
                if (++step % 50 == 0) {
                    chart.add("training loss", (double) step, l);
                }
            }
            lastLoss = sum / batches;
            common.stdout.printf(
                    "epoch %d/%d: %d pairs, loss %.4f, %.1fs%n",
                    epoch, epochs, n, lastLoss, (System.nanoTime() - te) / 1e9);
        }

        // the vectors share a large common component (it encodes word frequency, the same for every
        // context); it is removed before measuring similarity (the first step of Mu and Viswanath's
        // "all-but-the-top", 2018), then the vectors are scaled to unit length so that a cosine is a dot product
        Tensor w = in.data().narrow(0, 1, v - 1);
        w = Tensor.cat(List.of(Tensor.zeros(1, dim), w.sub(w.mean(new int[] {0}, true))), 0);
        Tensor unit = w.div(w.norm(2, new int[] {1}, true).add(1e-8));
        common.stdout.println();
        for (String q : queries) {
            int id = vocab.id(q);
            if (id == 0) {
                common.stdout.printf("%-10s (not in the vocabulary)%n", q);
                continue;
            }
            common.stdout.printf("%-10s -> %s%n", q, String.join(", ", neighbours(unit, vocab, id, 8)));
        }
        double[] related = relatedCosine(unit, vocab);
        double random = randomCosine(unit, new Generator(common.seed + 1));
        common.stdout.printf(
                "%nmean cosine of %d related pairs (king/queen, father/mother, ...): %.3f; of random pairs: %.3f%n",
                (int) related[1], related[0], random);
        if (common.out != null) {
            chart.write(common.outFile("word2vec-loss.png"), 800, 400);
            common.stdout.println("wrote " + common.outFile("word2vec-loss.png"));
        }
        new ResultLine()
                .put("loss", lastLoss, 4)
                .put("related_cos", related[0], 3)
                .put("random_cos", random, 3)
                .put("vocab", v - 1)
                .put("epochs", epochs)
                .seconds(t0)
                .print(common.stdout);
        return 0;
    }

    /**
     * The batch's loss: {@code -log sigmoid(u . v) - sum_k log sigmoid(-u . n_k)}, averaged over the
     * pairs, where {@code u} is the centre word's vector, {@code v} the context word's context vector
     * and {@code n_k} the negatives' context vectors.
     */
    static Variable loss(Variable in, Variable out, Tensor centers, Tensor contexts, Tensor negs) {
        Variable u = NN.embedding(centers, in); // (B, D)
        Variable c = NN.embedding(contexts, out); // (B, D)
        Variable nv = NN.embedding(negs, out); // (B, K, D)
        Variable pos = u.mul(c).sum(new int[] {1}, false); // (B)
        Variable neg = nv.matmul(u.unsqueeze(2)).squeeze(2); // (B, K)
        // -log sigmoid(x) = softplus(-x)
        return pos.neg()
                .softplus()
                .mean()
                .add(neg.softplus().sum(new int[] {1}, false).mean());
    }

    /**
     * One epoch of (centre, context) pairs in random order: frequent words are dropped with
     * probability {@code 1 - sqrt(t / f) - t / f} ({@code t = 1e-3}, f the word's share of the corpus),
     * then each remaining word is paired with the words up to a random distance 1..window from it.
     */
    int[][] pairs(int[] corpus, double[] counts, Generator g) {
        double total = corpus.length;
        int[] kept = new int[corpus.length];
        int m = 0;
        for (int id : corpus) {
            double f = counts[id] / total;
            double keep = Math.sqrt(1e-3 / f) + 1e-3 / f;
            if (keep >= 1 || g.nextDouble() < keep) {
                kept[m++] = id;
            }
        }
        int[] cs = new int[m * 2 * window];
        int[] xs = new int[m * 2 * window];
        int n = 0;
        for (int i = 0; i < m; i++) {
            int b = 1 + (int) (g.nextDouble() * window);
            for (int j = Math.max(0, i - b); j <= Math.min(m - 1, i + b); j++) {
                if (j != i) {
                    cs[n] = kept[i];
                    xs[n] = kept[j];
                    n++;
                }
            }
        }
        int[] order = Tensor.randperm(g, n).toIntArray();
        int[] c2 = new int[n];
        int[] x2 = new int[n];
        for (int k = 0; k < n; k++) {
            c2[k] = cs[order[k]];
            x2[k] = xs[order[k]];
        }
        return new int[][] {c2, x2};
    }

    /** Draws word ids with probability proportional to {@code count^0.75} (by binary search of the cumulative sums). */
    static final class NegativeSampler {
        private final double[] cumulative;

        NegativeSampler(double[] counts) {
            cumulative = new double[counts.length];
            double s = 0;
            for (int k = 0; k < counts.length; k++) {
                s += Math.pow(counts[k], 0.75);
                cumulative[k] = s;
            }
        }

        int[] draw(Generator g, int n) {
            int[] out = new int[n];
            double total = cumulative[cumulative.length - 1];
            for (int i = 0; i < n; i++) {
                int k = Arrays.binarySearch(cumulative, g.nextDouble() * total);
                out[i] = k >= 0 ? k : -k - 1;
            }
            return out;
        }
    }

    /** The {@code k} words of highest cosine with word {@code id} (itself excluded), with their cosines. */
    static List<String> neighbours(Tensor unit, WordVocabulary vocab, int id, int k) {
        float[] sims = unit.matmul(unit.select(0, id).reshape(-1, 1))
                .reshape(-1)
                .contiguous()
                .toFloatArray();
        sims[id] = Float.NEGATIVE_INFINITY;
        sims[0] = Float.NEGATIVE_INFINITY; // <unk> was never trained
        List<String> out = new ArrayList<>();
        for (int r = 0; r < k; r++) {
            int best = 0;
            for (int j = 1; j < sims.length; j++) {
                if (sims[j] > sims[best]) {
                    best = j;
                }
            }
            out.add(String.format(
                    java.util.Locale.ROOT, "%s %.2f", vocab.words().get(best), sims[best]));
            sims[best] = Float.NEGATIVE_INFINITY;
        }
        return out;
    }

    /** {mean cosine, number of pairs} over the related pairs whose two words are in the vocabulary. */
    static double[] relatedCosine(Tensor unit, WordVocabulary vocab) {
        double s = 0;
        int n = 0;
        for (String[] p : RELATED) {
            int a = vocab.id(p[0]);
            int b = vocab.id(p[1]);
            if (a != 0 && b != 0) {
                s += unit.select(0, a).dot(unit.select(0, b)).item();
                n++;
            }
        }
        return new double[] {n == 0 ? Double.NaN : s / n, n};
    }

    /** The mean cosine of 2000 random pairs of distinct words (ids 1..V-1). */
    static double randomCosine(Tensor unit, Generator g) {
        int v = unit.size(0);
        double s = 0;
        int n = 2000;
        for (int i = 0; i < n; i++) {
            int a = 1 + (int) (g.nextDouble() * (v - 1));
            int b = 1 + (int) (g.nextDouble() * (v - 1));
            if (a == b) {
                i--;
                continue;
            }
            s += unit.select(0, a).dot(unit.select(0, b)).item();
        }
        return s / n;
    }
}
