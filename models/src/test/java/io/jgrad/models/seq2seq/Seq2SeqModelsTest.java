package io.jgrad.models.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.autograd.Parameter;
import io.jgrad.autograd.Variable;
import io.jgrad.core.DType;
import io.jgrad.core.Generator;
import io.jgrad.core.Tensor;
import io.jgrad.optim.Adam;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Seq2SeqModelsTest {
    static final SpecialTokens T = SpecialTokens.DEFAULT;
    static final int V = 9;

    static Seq2Seq lstm(long seed) {
        Seq2Seq m = new LstmSeq2Seq(V, V, T, 6, 8, 1, 0);
        m.resetParameters(new Generator(seed));
        return m;
    }

    static Seq2Seq transformer(long seed) {
        Seq2Seq m = new TransformerSeq2Seq(V, V, T, 8, 2, 1, 16, 0.0, 12);
        m.resetParameters(new Generator(seed));
        return m;
    }

    @Test
    void int64IdsGiveTheSameLogitsAsInt32() {
        for (Seq2Seq m : List.of(lstm(3), transformer(3))) {
            m.eval();
            Tensor src = Tensor.wrap(new int[] {3, 4, 5, 0, 6, 7, 8, 3}, 2, 4);
            Tensor in = Tensor.wrap(new int[] {1, 3, 4, 1, 5, 0}, 2, 3);
            Tensor a = m.call(Variable.constant(src), Variable.constant(in)).data();
            Tensor b = m.call(Variable.constant(src.to(DType.INT64)), Variable.constant(in.to(DType.INT64)))
                    .data();
            assertTrue(a.equal(b), m.typeName());
        }
    }

    static Seq2Seq bilstm(long seed) {
        Seq2Seq m = new LstmSeq2Seq(V, V, T, 6, 8, 2, 0, true);
        m.resetParameters(new Generator(seed));
        return m;
    }

    static List<Seq2Seq> models(long seed) {
        return List.of(lstm(seed), bilstm(seed), transformer(seed));
    }

    @Test
    void decoderSelfAttentionIsCausalAndTheLstmDecoderReadsLeftToRight() {
        // changing the last decoder input changes no earlier step's logits
        for (Seq2Seq m : models(13)) {
            m.eval();
            Variable src = Variable.constant(Tensor.wrap(new int[] {3, 4, 5}, 1, 3));
            double[] a = m.call(src, Variable.constant(Tensor.wrap(new int[] {1, 5, 6}, 1, 3)))
                    .data()
                    .to(DType.FLOAT64)
                    .toDoubleArray();
            double[] b = m.call(src, Variable.constant(Tensor.wrap(new int[] {1, 5, 7}, 1, 3)))
                    .data()
                    .to(DType.FLOAT64)
                    .toDoubleArray();
            for (int i = 0; i < 2 * V; i++) {
                assertEquals(a[i], b[i], 1e-6, m.typeName() + " element " + i);
            }
            double diff = 0;
            for (int i = 2 * V; i < 3 * V; i++) {
                diff += Math.abs(a[i] - b[i]);
            }
            assertTrue(diff > 1e-6, m.typeName() + ": the last step must see its own input");
        }
    }

    @Test
    void teacherForcedLogitsHaveOneRowPerTargetStep() {
        for (Seq2Seq m : models(1)) {
            Variable src = Variable.constant(Tensor.wrap(new int[] {3, 4, 5, 0, 6, 7, 8, 3}, 2, 4));
            Variable in = Variable.constant(Tensor.wrap(new int[] {1, 3, 4, 1, 5, 0}, 2, 3));
            Variable y = m.call(src, in);
            assertArrayEquals(new int[] {2, 3, V}, y.shape(), m.typeName());
            new SequenceCrossEntropyLoss(T.pad())
                    .forward(y, Tensor.wrap(new int[] {3, 4, 2, 5, 2, 0}, 2, 3))
                    .backward();
            for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
                assertNotNull(e.getValue().grad(), m.typeName() + " " + e.getKey());
            }
        }
    }

    @Test
    void theScorerAgreesWithTeacherForcing() {
        // the next-token log-probabilities of decoding equal the log-softmax of forward's last step
        for (Seq2Seq m : models(2)) {
            m.eval();
            int[] source = {3, 5, 7, 4};
            int[] prefix = {1, 6, 8};
            Variable logits =
                    m.call(Variable.constant(Tensor.wrap(source, 1, 4)), Variable.constant(Tensor.wrap(prefix, 1, 3)));
            double[] want =
                    logits.select(1, 2).logSoftmax(1).data().to(DType.FLOAT64).toDoubleArray();
            double[] got = m.encode(new int[][] {source}).nextLogProbs(new int[] {0}, new int[][] {prefix})[0];
            assertArrayEquals(want, got, 1e-5, m.typeName());
        }
    }

    @Test
    void paddingDoesNotChangeADecodedSource() {
        // a short source decoded alone and next to a longer one (so right-padded) gives the same output
        for (Seq2Seq m : models(3)) {
            int[] shortSrc = {4, 5};
            int[] longSrc = {6, 7, 8, 3, 4, 5};
            Hypothesis alone = m.greedyDecode(shortSrc, 6);
            Hypothesis[] batch = m.greedyDecode(new int[][] {longSrc, shortSrc}, 6);
            assertArrayEquals(alone.tokens(), batch[1].tokens(), m.typeName());
            assertEquals(alone.logProb(), batch[1].logProb(), 1e-4, m.typeName());
            assertArrayEquals(m.greedyDecode(longSrc, 6).tokens(), batch[0].tokens(), m.typeName());
        }
    }

    @Test
    void paddingDoesNotChangeTeacherForcedLogitsInEitherMode() {
        for (boolean training : new boolean[] {true, false}) {
            for (Seq2Seq m : models(14)) {
                m.train(training);
                Variable in = Variable.constant(Tensor.wrap(new int[] {1, 5, 6}, 1, 3));
                double[] alone = m.call(Variable.constant(Tensor.wrap(new int[] {4, 5, 7}, 1, 3)), in)
                        .data()
                        .to(DType.FLOAT64)
                        .toDoubleArray();
                Variable padded = Variable.constant(Tensor.wrap(new int[] {4, 5, 7, 0, 0, 3, 4, 5, 6, 7}, 2, 5));
                Variable in2 = Variable.constant(Tensor.wrap(new int[] {1, 5, 6, 1, 3, 3}, 2, 3));
                double[] batch = m.call(padded, in2).data().to(DType.FLOAT64).toDoubleArray();
                for (int i = 0; i < alone.length; i++) {
                    assertEquals(alone[i], batch[i], 1e-5, m.typeName() + " training=" + training + " element " + i);
                }
            }
        }
    }

    @Test
    void beamOfOneEqualsGreedyOnTheModels() {
        for (long seed = 4; seed < 7; seed++) {
            for (Seq2Seq m : models(seed)) {
                for (int[] src : new int[][] {{3}, {4, 5, 6}, {8, 7, 6, 5, 4}}) {
                    Hypothesis g = m.greedyDecode(src, 5);
                    Hypothesis b = m.beamSearch(src, 1, 5).get(0);
                    assertArrayEquals(g.tokens(), b.tokens(), m.typeName() + " seed " + seed);
                    assertEquals(g.logProb(), b.logProb(), 1e-6);
                    assertEquals(g.finished(), b.finished());
                }
                List<Hypothesis> wide = m.beamSearch(new int[] {4, 5, 6}, 4, 5);
                assertTrue(!wide.isEmpty() && wide.size() <= 4);
            }
        }
    }

    @Test
    void decodingRestoresTheTrainingModeAndRecordsNothing() {
        Seq2Seq m = lstm(7);
        m.train();
        m.greedyDecode(new int[] {3, 4}, 3);
        m.beamSearch(new int[] {3, 4}, 2, 3);
        assertTrue(m.isTraining());
        m.eval();
        m.greedyDecode(new int[] {3, 4}, 3);
        assertTrue(!m.isTraining());
    }

    @Test
    void bothModelsLearnToReverseShortSequences() {
        // a quick end-to-end check: reverse 3 tokens from {3..8}; a few hundred Adam steps suffice
        for (Seq2Seq m : List.of(
                new LstmSeq2Seq(V, V, T, 16, 32, 1, 0, true), new TransformerSeq2Seq(V, V, T, 32, 2, 1, 64, 0.0, 8))) {
            m.resetParameters(new Generator(8));
            Generator g = new Generator(9);
            Adam adam = new Adam(m.parameters(), 0.005);
            SequenceCrossEntropyLoss loss = new SequenceCrossEntropyLoss(T.pad());
            int n = 32;
            for (int step = 0; step < 250; step++) {
                int[] src = new int[n * 3];
                int[] in = new int[n * 4];
                int[] out = new int[n * 4];
                for (int i = 0; i < n; i++) {
                    in[i * 4] = T.bos();
                    for (int k = 0; k < 3; k++) {
                        src[i * 3 + k] = 3 + g.nextInt(6);
                    }
                    for (int k = 0; k < 3; k++) {
                        out[i * 4 + k] = src[i * 3 + 2 - k];
                        in[i * 4 + k + 1] = out[i * 4 + k];
                    }
                    out[i * 4 + 3] = T.eos();
                }
                adam.zeroGrad();
                Variable l = loss.forward(
                        m.call(Variable.constant(Tensor.wrap(src, n, 3)), Variable.constant(Tensor.wrap(in, n, 4))),
                        Tensor.wrap(out, n, 4));
                l.backward();
                adam.step();
            }
            int right = 0;
            int[][] tests = {{3, 4, 5}, {8, 6, 7}, {5, 5, 3}, {7, 3, 8}, {4, 8, 6}, {6, 7, 4}};
            for (int[] t : tests) {
                int[] want = {t[2], t[1], t[0]};
                right += java.util.Arrays.equals(want, m.greedyDecode(t, 5).tokens()) ? 1 : 0;
                right += java.util.Arrays.equals(
                                want, m.beamSearch(t, 3, 5).get(0).tokens())
                        ? 1
                        : 0;
            }
            assertEquals(2 * tests.length, right, m.typeName());
        }
    }

    @Test
    void sequenceLossIgnoresPadding() {
        Variable logits = Variable.constant(Tensor.randn(new Generator(10), DType.FLOAT64, 2, 3, 4));
        Tensor target = Tensor.wrap(new int[] {1, 3, 0, 2, 0, 0}, 2, 3);
        double got = new SequenceCrossEntropyLoss(0).forward(logits, target).item();
        double[] lp = logits.logSoftmax(2).data().toDoubleArray();
        int[] t = target.toIntArray();
        double sum = 0;
        int count = 0;
        for (int i = 0; i < 6; i++) {
            if (t[i] != 0) {
                sum -= lp[i * 4 + t[i]];
                count++;
            }
        }
        assertEquals(sum / count, got, 1e-12);
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new SequenceCrossEntropyLoss(0).forward(logits, Tensor.wrap(new int[] {1, 2}, 1, 2)));
        assertTrue(e.getMessage().contains("(2, 3, 4)") && e.getMessage().contains("(1, 2)"), e.getMessage());
    }

    @Test
    void badInputsAreClearErrors() {
        Seq2Seq m = lstm(11);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> m.call(Tensor.wrap(new int[] {3, 4}, 1, 2)));
        assertTrue(e.getMessage().contains("(source, targetIn)"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> m.call(
                        Variable.constant(Tensor.zeros(1, 2)), Variable.constant(Tensor.wrap(new int[] {1}, 1, 1))));
        assertTrue(e.getMessage().contains("INT32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.greedyDecode(new int[] {3, 40}, 3));
        assertTrue(e.getMessage().contains("token 40"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.greedyDecode(new int[] {}, 3));
        assertTrue(e.getMessage().contains("at least one token"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LstmSeq2Seq(2, 9, T, 4, 4, 1, 0));
        assertTrue(e.getMessage().contains("vocabulary of 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TransformerSeq2Seq(9, 9, T, 10, 3, 1, 8, 0, 8));
        assertTrue(e.getMessage().contains("divisible"), e.getMessage());
        Seq2Seq tr = transformer(12);
        e = assertThrows(IllegalArgumentException.class, () -> tr.greedyDecode(new int[13], 3));
        assertTrue(e.getMessage().contains("exceeds maxLen 12"), e.getMessage());
    }
}
