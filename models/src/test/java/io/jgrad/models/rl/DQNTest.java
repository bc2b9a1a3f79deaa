package io.jgrad.models.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jgrad.core.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DQNTest {
    @Test
    void targetsByHand() {
        Tensor r = Tensor.of(new float[] {1f, 0.5f, 2f}, 3);
        Tensor done = Tensor.of(new float[] {0f, 1f, 0f}, 3);
        Tensor nextQ = Tensor.of(new float[] {1f, 3f, 5f, 2f, -1f, -2f}, 3, 2);
        // y = r + gamma (1 - done) max_a' Q(s', a'): 1 + 0.9 * 3, 0.5 (terminal: no bootstrap), 2 + 0.9 * -1
        assertArrayEquals(
                new float[] {3.7f, 0.5f, 1.1f},
                DQN.targets(r, done, nextQ, null, 0.9).toFloatArray(),
                1e-6f);
        // double DQN: the given actions are valued instead of the maximum
        Tensor a = Tensor.of(new int[] {0, 0, 1}, 3);
        assertArrayEquals(
                new float[] {1.9f, 0.5f, 0.2f},
                DQN.targets(r, done, nextQ, a, 0.9).toFloatArray(),
                1e-6f);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> DQN.targets(r, done, Tensor.zeros(2, 2), null, 0.9));
        assertTrue(e.getMessage().contains("[2, 2]"), e.getMessage());
    }

    @Test
    void replayBufferKeepsTheLatestTransitions() {
        ReplayBuffer b = new ReplayBuffer(3, 2);
        for (int k = 0; k < 4; k++) {
            b.add(new double[] {k, -k}, k % 2, 10 + k, new double[] {k + 1, -k - 1}, k == 3);
        }
        assertEquals(3, b.size());
        ReplayBuffer.Batch g = b.gather(0, 2);
        // position 0 is the oldest still held: the second transition added (k = 1)
        assertArrayEquals(new float[] {1, -1, 3, -3}, g.states().toFloatArray());
        assertArrayEquals(new float[] {2, -2, 4, -4}, g.nextStates().toFloatArray());
        assertArrayEquals(new float[] {11, 13}, g.rewards().toFloatArray());
        assertArrayEquals(new float[] {0, 1}, g.dones().toFloatArray());
        assertEquals(1, g.actions().toIntArray()[0]);
        ReplayBuffer.Batch s = b.sample(50, new Random(1));
        for (float r : s.rewards().toFloatArray()) {
            assertTrue(r >= 11 && r <= 13, "sampled reward " + r);
        }
        assertEquals(50, s.states().size(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ReplayBuffer(0, 2));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.add(new double[3], 0, 0, new double[2], false));
        assertTrue(e.getMessage().contains("got 3 and 2"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new ReplayBuffer(2, 2).sample(1, new Random(1)));
    }

    @Test
    void updatesFitTheTargetsOfAFixedBatch() {
        DQN d = new DQN(
                2, 2, new DQN.Options().hidden(16).learningRate(1e-2).seed(3).doubleDqn(false));
        ReplayBuffer b = new ReplayBuffer(8, 2);
        for (int k = 0; k < 4; k++) {
            b.add(new double[] {k * 0.3, 1 - k * 0.2}, k % 2, 1.0, new double[] {0, 0}, true);
        }
        ReplayBuffer.Batch batch = b.gather(0, 1, 2, 3);
        double first = d.update(batch);
        double last = first;
        for (int k = 0; k < 300; k++) {
            last = d.update(batch);
        }
        // terminal transitions: the targets are the rewards, 1
        assertTrue(last < first * 0.01, "loss " + first + " -> " + last);
        assertEquals(1.0, d.qValues(new double[] {0.3, 0.8})[1], 0.05);
        assertEquals(301, d.updates());
    }

    @Test
    void epsilonScheduleAndErrors() {
        DQN d = new DQN(4, 2, new DQN.Options().epsilon(1.0, 0.1, 100));
        assertEquals(1.0, d.epsilon(0), 1e-12);
        assertEquals(0.55, d.epsilon(50), 1e-12);
        assertEquals(0.1, d.epsilon(1000), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DQN.Options().gamma(1.5));
        assertTrue(e.getMessage().contains("got 1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DQN.Options().epsilon(0.1, 0.5, 10));
        assertTrue(e.getMessage().contains("start=0.1, end=0.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DQN.Options().hidden(8, 0));
        assertTrue(e.getMessage().contains("[8, 0]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DQN(4, 1, new DQN.Options()));
        assertTrue(e.getMessage().contains("got 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.qValues(new double[3]));
        assertTrue(e.getMessage().contains("length 4, got 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.train(new CartPole(), 0, 100, 475, null));
        assertTrue(e.getMessage().contains("maxEpisodes=0"), e.getMessage());
    }

    @Test
    void shortTrainingRunsAndIsReproducible() {
        DQN.Options o =
                new DQN.Options().hidden(16).learningStarts(50).batchSize(16).seed(4);
        DQN.Training a = new DQN(4, 2, o).train(new CartPole(50), 8, 4, 1e9, null);
        DQN.Training b = new DQN(4, 2, o).train(new CartPole(50), 8, 4, 1e9, null);
        assertEquals(8, a.returns().length);
        assertArrayEquals(a.returns(), b.returns());
        assertEquals(-1, a.solvedAt());
        DQN.Training easy = new DQN(4, 2, o).train(new CartPole(5), 10, 3, 5, null);
        assertEquals(3, easy.solvedAt(), "5-step episodes always return 5");
    }

    @Test
    void learningPausesWhileRecentReturnsAreHighAndResumesBelow() {
        // 5-step episodes always return 5: with a pause at a mean of 5 over 2 episodes, only episodes 1 and 2 learn
        DQN.Options o = new DQN.Options()
                .hidden(8)
                .learningStarts(1)
                .batchSize(4)
                .seed(2)
                .pauseUpdatesAbove(5, 2);
        DQN paused = new DQN(4, 2, o);
        paused.train(new CartPole(5), 6, 100, 1e9, null);
        assertEquals(10, paused.updates(), "one update per step of the first two episodes");
        assertEquals(4, paused.pausedEpisodes());
        // a mean of 6 is never reached: every step learns
        DQN never = new DQN(4, 2, o.pauseUpdatesAbove(6, 2));
        never.train(new CartPole(5), 6, 100, 1e9, null);
        assertEquals(30, never.updates());
        assertEquals(0, never.pausedEpisodes());
        // off: window 0
        DQN off = new DQN(4, 2, o.pauseUpdatesAbove(Double.NaN, 0));
        off.train(new CartPole(5), 6, 100, 1e9, null);
        assertEquals(30, off.updates());
        assertThrows(IllegalArgumentException.class, () -> new DQN.Options().pauseUpdatesAbove(475, -1));
        assertThrows(IllegalArgumentException.class, () -> new DQN.Options().pauseUpdatesAbove(Double.NaN, 10));
    }
}
