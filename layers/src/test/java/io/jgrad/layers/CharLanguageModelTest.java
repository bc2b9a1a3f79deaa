package io.jgrad.layers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Autograd;
import io.jgrad.autograd.Variable;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.optim.Adam;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Next-character prediction on the first 20 KB of Tiny Shakespeare (the last 10% held out), the
 * classic char-rnn task. References computed from the same split: predicting the training
 * character frequencies gives a held-out cross entropy of 3.38 nats, the best add-k bigram model
 * 2.45 and the best add-k trigram model 2.12. A one-layer LSTM (embedding 16, hidden 64) trained
 * for 100 Adam steps on random windows of 32 characters must get below 2.30 nats.
 */
class CharLanguageModelTest {
    static String text() throws IOException {
        try (InputStream in = CharLanguageModelTest.class.getResourceAsStream("/data/tinyshakespeare_20k.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The text as vocabulary indices. */
    static int[] encode(String s, char[] vocab) {
        int[] ids = new int[s.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = java.util.Arrays.binarySearch(vocab, s.charAt(i));
        }
        return ids;
    }

    static char[] vocab(String s) {
        TreeSet<Character> set = new TreeSet<>();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            set.add(c);
        }
        char[] v = new char[set.size()];
        int k = 0;
        for (char c : set) {
            v[k++] = c;
        }
        return v;
    }

    /** Random windows of {@code len + 1} characters: inputs and next-character targets (B, len). */
    static Tensor[] batch(int[] ids, int from, int to, int b, int len, Generator g) {
        int[] x = new int[b * len];
        int[] y = new int[b * len];
        for (int i = 0; i < b; i++) {
            int s = from + g.nextInt(to - from - len - 1);
            for (int t = 0; t < len; t++) {
                x[i * len + t] = ids[s + t];
                y[i * len + t] = ids[s + t + 1];
            }
        }
        return new Tensor[] {Tensor.of(x, b, len), Tensor.of(y, b, len)};
    }

    static final class CharLstm extends Module {
        final Embedding emb;
        final LSTM lstm;
        final Linear head;

        CharLstm(int vocab, int dim, int hidden) {
            emb = registerModule("emb", new Embedding(vocab, dim));
            lstm = registerModule(
                    "lstm", new LSTM(dim, hidden, RecurrentOptions.defaults().unitForgetBias(true)));
            head = registerModule("head", new Linear(hidden, vocab));
        }

        @Override
        public Variable forward(Variable tokens) {
            return head.forward(lstm.forward(emb.forward(tokens))); // (B, T, vocab)
        }
    }

    static double loss(Module m, Tensor x, Tensor y, int vocab) {
        Variable logits = m.forward(Variable.constant(x));
        return Losses.crossEntropy(logits.reshape(-1, vocab), y.reshape(-1)).item();
    }

    @Test
    void lstmLearnsNextCharacter() throws IOException {
        String s = text();
        char[] vocab = vocab(s);
        int v = vocab.length;
        int[] ids = encode(s, vocab);
        int split = (int) (ids.length * 0.9);
        Generator.manualSeed(11);
        Generator g = new Generator(12);
        CharLstm model = new CharLstm(v, 16, 64);
        model.resetParameters(new Generator(13));
        Adam opt = new Adam(model.parameters(), 0.02);
        // the held-out part as 63 windows of 32 characters
        int len = 32;
        int nTest = (ids.length - split - 1) / len;
        int[] tx = new int[nTest * len];
        int[] ty = new int[nTest * len];
        for (int i = 0; i < nTest; i++) {
            for (int t = 0; t < len; t++) {
                tx[i * len + t] = ids[split + i * len + t];
                ty[i * len + t] = ids[split + i * len + t + 1];
            }
        }
        Tensor testX = Tensor.of(tx, nTest, len);
        Tensor testY = Tensor.of(ty, nTest, len);
        double before;
        try (var off = Autograd.noGrad()) {
            before = loss(model, testX, testY, v);
        }
        long t0 = System.nanoTime();
        for (int step = 0; step < 100; step++) {
            Tensor[] b = batch(ids, 0, split, 32, len, g);
            Variable logits = model.forward(Variable.constant(b[0]));
            Variable l = Losses.crossEntropy(logits.reshape(-1, v), b[1].reshape(-1));
            model.zeroGrad();
            l.backward();
            opt.step();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        model.eval();
        double after;
        try (var off = Autograd.noGrad()) {
            after = loss(model, testX, testY, v);
        }
        System.out.printf("char LSTM: held-out cross entropy %.3f -> %.3f nats in %.1f s%n", before, after, secs);
        assertTrue(before > 4.0, "starts near uniform (log 58 = 4.06): " + before);
        // about 2.07 after these 100 steps of 1,024 characters
        assertTrue(after < 2.30, "well below the best bigram model (2.45 nats) on held-out text: " + after);
    }
}
