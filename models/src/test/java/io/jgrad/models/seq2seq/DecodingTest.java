package io.jgrad.models.seq2seq;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecodingTest {
    static final int BOS = 1;
    static final int EOS = 2;
    static final int A = 3;
    static final int B = 4;

    /**
     * A hand-built decoder over tokens {pad, bos, eos, A, B}: after bos, A has probability 0.6 and B
     * 0.4; after "A" every token but bos is equally likely (0.25); after "B", eos has 0.9. Greedy takes A
     * then the first of the tied tokens, scoring at most log(0.6 * 0.25) = log 0.15, while "B eos" scores
     * log 0.36.
     */
    static final StepScorer TOY = (rows, prefixes) -> {
        double[][] out = new double[prefixes.length][];
        for (int i = 0; i < prefixes.length; i++) {
            int[] p = prefixes[i];
            int last = p[p.length - 1];
            double[] prob;
            if (last == BOS) {
                prob = new double[] {0, 0, 0, 0.6, 0.4};
            } else if (last == B && p.length == 2) {
                prob = new double[] {0.025, 0, 0.9, 0.05, 0.025};
            } else {
                prob = new double[] {0.25, 0, 0.25, 0.25, 0.25};
            }
            out[i] = Arrays.stream(prob).map(Math::log).toArray();
        }
        return out;
    };

    @Test
    void beamSearchFindsTheMoreLikelySequenceGreedyMisses() {
        Hypothesis greedy = Decoding.greedy(TOY, 1, BOS, EOS, 5)[0];
        // greedy: A, then pad (the lowest id among the ties), then pad ...: never better than 0.15
        assertEquals(A, greedy.tokens()[0]);
        assertTrue(greedy.logProb() <= Math.log(0.15) + 1e-12, greedy.toString());
        List<Hypothesis> beam = Decoding.beamSearch(TOY, 0, BOS, EOS, 2, 5);
        Hypothesis best = beam.get(0);
        assertArrayEquals(new int[] {B}, best.tokens());
        assertTrue(best.finished());
        assertEquals(Math.log(0.4 * 0.9), best.logProb(), 1e-12);
        assertTrue(best.logProb() > greedy.logProb());
        // the second hypothesis is the best finished one starting with A: A eos, 0.6 * 0.25
        assertArrayEquals(new int[] {A}, beam.get(1).tokens());
        assertEquals(Math.log(0.15), beam.get(1).logProb(), 1e-12);
    }

    @Test
    void beamOfOneIsGreedy() {
        // on the toy decoder and on pseudo-random distributions over 7 tokens
        for (StepScorer s : new StepScorer[] {TOY, random(7, 11), random(7, 12), random(7, 13)}) {
            for (int maxLen : new int[] {1, 3, 6}) {
                Hypothesis g = Decoding.greedy(s, 1, BOS, EOS, maxLen)[0];
                List<Hypothesis> b = Decoding.beamSearch(s, 0, BOS, EOS, 1, maxLen);
                assertEquals(1, b.size());
                assertEquals(g, b.get(0), "maxLen " + maxLen);
            }
        }
    }

    @Test
    void widerBeamsNeverScoreWorseThanGreedyAndAreSortedBestFirst() {
        for (long seed = 20; seed < 30; seed++) {
            StepScorer s = random(6, seed);
            Hypothesis g = Decoding.greedy(s, 1, BOS, EOS, 4)[0];
            List<Hypothesis> b = Decoding.beamSearch(s, 0, BOS, EOS, 4, 4);
            assertTrue(b.size() >= 1 && b.size() <= 4);
            if (g.finished() && b.get(0).finished()) {
                assertTrue(b.get(0).logProb() >= g.logProb() - 1e-12, "seed " + seed);
            }
            for (int i = 1; i < b.size(); i++) {
                if (b.get(i).finished() == b.get(i - 1).finished()) {
                    assertTrue(b.get(i).logProb() <= b.get(i - 1).logProb(), "seed " + seed);
                }
            }
        }
    }

    @Test
    void theLengthLimitLeavesSequencesUnfinished() {
        // a decoder that never emits eos
        StepScorer never = (rows, prefixes) -> {
            double[][] out = new double[prefixes.length][];
            for (int i = 0; i < out.length; i++) {
                out[i] = new double[] {
                    Double.NEGATIVE_INFINITY,
                    Double.NEGATIVE_INFINITY,
                    Double.NEGATIVE_INFINITY,
                    Math.log(0.5),
                    Math.log(0.5)
                };
            }
            return out;
        };
        Hypothesis g = Decoding.greedy(never, 1, BOS, EOS, 3)[0];
        assertFalse(g.finished());
        assertArrayEquals(new int[] {A, A, A}, g.tokens());
        assertEquals(3 * Math.log(0.5), g.logProb(), 1e-12);
        List<Hypothesis> b = Decoding.beamSearch(never, 0, BOS, EOS, 3, 2);
        assertEquals(3, b.size());
        for (Hypothesis h : b) {
            assertFalse(h.finished());
            assertEquals(2, h.tokens().length);
        }
    }

    @Test
    void greedyDecodesEachRowOfABatchIndependently() {
        // row r's decoder emits token 3 + r for r steps, then eos
        StepScorer counting = (rows, prefixes) -> {
            double[][] out = new double[prefixes.length][6];
            for (int i = 0; i < out.length; i++) {
                Arrays.fill(out[i], Math.log(0.01));
                int emitted = prefixes[i].length - 1;
                out[i][emitted < rows[i] ? 3 + rows[i] % 3 : EOS] = Math.log(0.95);
            }
            return out;
        };
        Hypothesis[] h = Decoding.greedy(counting, 3, BOS, EOS, 5);
        assertArrayEquals(new int[] {}, h[0].tokens());
        assertArrayEquals(new int[] {4}, h[1].tokens());
        assertArrayEquals(new int[] {5, 5}, h[2].tokens());
        for (int r = 0; r < 3; r++) {
            assertTrue(h[r].finished());
            assertEquals((r + 1) * Math.log(0.95), h[r].logProb(), 1e-12);
        }
    }

    @Test
    void badArgumentsAreClearErrors() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> Decoding.beamSearch(TOY, 0, BOS, EOS, 0, 5));
        assertTrue(e.getMessage().contains("beamWidth=0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Decoding.greedy(TOY, 1, BOS, EOS, 0));
        assertTrue(e.getMessage().contains("maxLen=0"), e.getMessage());
        IllegalStateException s = assertThrows(
                IllegalStateException.class, () -> Decoding.greedy((rows, p) -> new double[0][], 2, BOS, EOS, 3));
        assertTrue(s.getMessage().contains("0 rows for 2 prefixes"), s.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SpecialTokens(0, 0, 1));
        assertTrue(e.getMessage().contains("distinct"), e.getMessage());
    }

    /** A decoder with fixed pseudo-random next-token distributions that depend on the whole prefix. */
    static StepScorer random(int vocab, long seed) {
        return (rows, prefixes) -> {
            double[][] out = new double[prefixes.length][vocab];
            for (int i = 0; i < prefixes.length; i++) {
                long h = seed * 1_000_003L + Arrays.hashCode(prefixes[i]);
                double[] w = new double[vocab];
                double sum = 0;
                for (int v = 0; v < vocab; v++) {
                    h = h * 6364136223846793005L + 1442695040888963407L;
                    w[v] = v == BOS ? 0 : 0.05 + ((h >>> 11) & 0xFFFF) / 65536.0;
                    sum += w[v];
                }
                for (int v = 0; v < vocab; v++) {
                    out[i][v] = Math.log(w[v] / sum);
                }
            }
            return out;
        };
    }

    @Test
    void theRandomToyDecoderIsADistribution() {
        double[][] lp = random(5, 1).nextLogProbs(new int[] {0}, new int[][] {{BOS, 3}});
        assertEquals(1, Arrays.stream(lp[0]).map(Math::exp).sum(), 1e-12);
    }
}
